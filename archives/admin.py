from django.contrib import admin

from archives.models import Certificate, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "done", "total", "requested_by", "attempts", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["result"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["serial", "kind", "recipient_name", "workroom_name", "issued_on", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["serial", "recipient_name"]
    readonly_fields = ["serial", "file", "reissue_of"]
