from django.contrib import admin

from archives.models import Certificate, Job
from members.admin import person_column


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "done", "total", person_column("requested_by", "提交人"), "attempts", "created_at"]
    list_select_related = ["requested_by__teacher"]
    list_filter = ["kind", "status"]
    readonly_fields = ["result"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["serial", "kind", "recipient_name", "workroom_name", "issued_on", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["serial", "recipient_name"]
    readonly_fields = ["serial", "file", "reissue_of"]
