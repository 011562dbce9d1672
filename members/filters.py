import django_filters
from django import forms

from config.filters import StyledFilterSet

from .choices import Title
from .models import Department, Membership, MembershipChange, School, Teacher


class TeacherFilter(StyledFilterSet):
    """教师名录; its export downloads the same rows (``archives.exports``)."""

    search_fields = ("name", "staff_no")
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    school = django_filters.ModelChoiceFilter(label="学校", queryset=School.objects.all(), empty_label="全部")
    department = django_filters.ModelChoiceFilter(
        label="系部/年级部", queryset=Department.objects.select_related("school"), empty_label="全部"
    )
    title = django_filters.ChoiceFilter(label="职称", choices=Title.choices, empty_label="全部")
    is_head_teacher = django_filters.BooleanFilter(
        label="在岗班主任",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )

    class Meta:
        model = Teacher
        fields = ["q", "school", "department", "title", "is_head_teacher"]


class AgreementFilter(StyledFilterSet):
    search_fields = ("teacher__name", "workroom__name")
    q = django_filters.CharFilter(label="成员/工作室", method="search")

    class Meta:
        model = Membership
        fields: list = []


class MembershipChangeFilter(StyledFilterSet):
    search_fields = ("membership__teacher__name", "membership__workroom__name")
    q = django_filters.CharFilter(label="成员/工作室", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=MembershipChange.Kind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=MembershipChange.Status.choices, empty_label="全部")


class RosterFilter(StyledFilterSet):
    """花名册 of one workroom (成员管理 page); its export downloads the same rows."""

    search_fields = ("teacher__name", "teacher__staff_no", "teacher__class_name")
    q = django_filters.CharFilter(label="姓名/工号/班级", method="search")
    role = django_filters.ChoiceFilter(label="身份", choices=Membership.Role.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Membership.Status.choices, empty_label="全部")

    class Meta:
        model = Membership
        fields = ["q", "role", "status"]
