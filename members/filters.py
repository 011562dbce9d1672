import django_filters
from django import forms
from django.db.models import Q

from .choices import Title
from .models import Department, Membership, MembershipChange, School


def _search(fields):
    def method(queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        cond = Q()
        for f in fields:
            cond |= Q(**{f"{f}__icontains": value})
        return queryset.filter(cond)

    return method


class TeacherFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/工号", method=lambda qs, n, v: _search(["name", "staff_no"])(qs, n, v))
    school = django_filters.ModelChoiceFilter(label="学校", queryset=School.objects.all(), empty_label="全部")
    department = django_filters.ModelChoiceFilter(
        label="系部/年级部", queryset=Department.objects.select_related("school"), empty_label="全部"
    )
    title = django_filters.ChoiceFilter(label="职称", choices=Title.choices, empty_label="全部")
    is_head_teacher = django_filters.BooleanFilter(
        label="在岗班主任",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="成员/工作室", method=lambda qs, n, v: _search(["teacher__name", "workroom__name"])(qs, n, v)
    )

    class Meta:
        model = Membership
        fields: list = []


class MembershipChangeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="成员/工作室",
        method=lambda qs, n, v: _search(["membership__teacher__name", "membership__workroom__name"])(qs, n, v),
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=MembershipChange.Kind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=MembershipChange.Status.choices, empty_label="全部")


class RosterFilter(django_filters.FilterSet):
    """花名册 of one workroom (成员管理 page); its export downloads the same rows."""

    q = django_filters.CharFilter(
        label="姓名/工号/班级",
        method=lambda qs, n, v: _search(["teacher__name", "teacher__staff_no", "teacher__class_name"])(qs, n, v),
    )
    role = django_filters.ChoiceFilter(label="身份", choices=Membership.Role.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Membership.Status.choices, empty_label="全部")

    class Meta:
        model = Membership
        fields = ["q", "role", "status"]
