from django.contrib import admin

from members.admin import person_column
from workrooms.models import (
    HostApplication,
    JoinRequest,
    Membership,
    MembershipChange,
    Objection,
    RuleSet,
    Workroom,
)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "created_at", person_column("created_by", "修改人"), "change_note"]
    list_select_related = ["created_by__teacher"]

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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["teacher", "workroom", "role", "status", "joined_on"]
    list_filter = ["role", "status"]
    search_fields = ["teacher__name", "workroom__name"]
    list_select_related = ["teacher", "workroom"]
    raw_id_fields = ["teacher", "workroom"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["teacher", "workroom", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["teacher", "workroom", "decided_by"]


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    list_display = ["membership", "kind", "reason", "status", "created_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["membership", "requested_by"]
