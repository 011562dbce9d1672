from django.contrib import admin

from members.models import Department, EthicsRecord, ProfileItem, School, Teacher


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


