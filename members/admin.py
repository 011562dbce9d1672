from django.contrib import admin

from core.models import StatusChange, StoredFile
from members.models import Department, EthicsRecord, ProfileItem, School, Teacher
from members.selectors import user_display


def person_column(field: str, description: str):
    """A list column naming the user in ``field`` as people know them (login
    names appear only on the account page); list ``f"{field}__teacher"`` in
    ``list_select_related``."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        user = getattr(obj, field)
        return user_display(user) if user else "—"

    column.__name__ = f"{field}_name"
    return column


# The kernel's records name people, which this app knows.
@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", person_column("uploaded_by", "上传人"), "uploaded_at"]
    list_select_related = ["uploaded_by__teacher"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = [
        "content_type", "object_id", "action", "from_status", "to_status", person_column("actor", "操作人"), "created_at"
    ]
    list_filter = ["content_type", "action"]
    list_select_related = ["content_type", "actor__teacher"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "stage"]
    list_filter = ["stage"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "kind", "grade"]
    list_filter = ["kind", "school"]
    filter_horizontal = ["reviewers"]
    search_fields = ["name"]


class ProfileItemInline(admin.TabularInline):
    model = ProfileItem
    extra = 0
    fields = ["kind", "title", "level", "year", "is_leader", "status"]


class EthicsRecordInline(admin.TabularInline):
    model = EthicsRecord
    extra = 0
    fk_name = "teacher"


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["staff_no", "name", "school", "department", "title", "is_head_teacher"]
    list_filter = ["title", "is_head_teacher", "must_change_password", "school"]
    search_fields = ["name", "staff_no"]
    list_select_related = ["school", "department"]
    raw_id_fields = ["user"]
    inlines = [ProfileItemInline, EthicsRecordInline]


