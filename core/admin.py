from django.contrib import admin

from core.models import StatusChange, StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["content_type", "action"]
