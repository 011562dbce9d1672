from django.contrib import admin

from .models import HostApplication, Objection, RuleSet, StatusChange, Workroom


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "created_at", "created_by", "change_note"]

    def has_change_permission(self, request, obj=None):
        return False  # versions are immutable; a change is a new version


@admin.register(Workroom)
class WorkroomAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "status", "cycle_start", "cycle_end"]
    list_filter = ["status"]
    search_fields = ["name", "host__name"]
    raw_id_fields = ["host"]


@admin.register(HostApplication)
class HostApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["applicant", "workroom"]


admin.site.register(Objection)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["content_type", "action"]
