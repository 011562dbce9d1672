import django_filters
from django import forms

from core.filters import StyledFilterSet, YesNoFilter
from members.choices import DepartmentKind, Level, Title
from members.models import Department, ProfileItem, School, Teacher


def teaching_departments():
    """系部 and 年级部 where teachers teach: offices such as 德育处 are not offered."""
    return Department.objects.exclude(kind=DepartmentKind.OFFICE).select_related("school").order_by("school__name", "name")


class DepartmentChoiceField(forms.ModelChoiceField):
    """A department named with its school: 高一年级部 exists in several schools."""

    def label_from_instance(self, obj):
        return f"{obj.school.name} · {obj.name}"


class DepartmentFilter(django_filters.ModelChoiceFilter):
    field_class = DepartmentChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", lambda request: teaching_departments())
        super().__init__(*args, **kwargs)


class TeacherFilter(StyledFilterSet):
    """教师名录; its export downloads the same rows (``core.xlsx``)."""

    search_fields = ("name", "staff_no")
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    school = django_filters.ModelChoiceFilter(label="学校", queryset=School.objects.all(), empty_label="全部")
    department = DepartmentFilter(label="系部/年级部", empty_label="全部")
    title = django_filters.ChoiceFilter(label="职称", choices=Title.choices, empty_label="全部")
    is_head_teacher = YesNoFilter(label="在岗班主任")

    class Meta:
        model = Teacher
        fields = ["q", "school", "department", "title", "is_head_teacher"]




class ProfileItemFilter(StyledFilterSet):
    """档案条目: the teacher's own, or (for the office) everyone's to verify."""

    search_fields = ("title", "teacher__name", "teacher__staff_no")
    q = django_filters.CharFilter(label="名称/姓名/工号", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=ProfileItem.Kind.choices, empty_label="全部")
    level = django_filters.ChoiceFilter(label="级别", choices=Level.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=ProfileItem.Status.choices, empty_label="全部")

    class Meta:
        model = ProfileItem
        fields = ["q", "kind", "level", "status"]
