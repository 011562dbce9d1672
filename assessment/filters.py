"""FilterSets of the assessment lists: each page's search and filters."""

import django_filters
from django.db.models import Q

from members.choices import DepartmentKind
from members.models import Department, Membership

from .models import BonusAward, Evaluation, Period, Result, VetoCase


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on every filter widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)


def _search_teacher(prefix=""):
    def method(queryset, name, value):
        return queryset.filter(Q(**{f"{prefix}teacher__name__icontains": value}) | Q(**{f"{prefix}teacher__staff_no__icontains": value}))

    return method


class PeriodFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Period.Kind.choices, empty_label="全部类型")
    school_year = django_filters.NumberFilter(label="学年")
    status = django_filters.ChoiceFilter(label="状态", choices=Period.Status.choices, empty_label="全部状态")

    class Meta:
        model = Period
        fields = ["kind", "school_year", "status"]


class ResultFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    department = django_filters.ModelChoiceFilter(
        label="年级部", queryset=Department.objects.filter(kind=DepartmentKind.GRADE), empty_label="全部年级部"
    )
    outcome = django_filters.CharFilter(label="结果")

    class Meta:
        model = Result
        fields = ["q", "department", "outcome"]

    def search(self, queryset, name, value):
        return _search_teacher()(queryset, name, value)


class VetoFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    kind = django_filters.ChoiceFilter(label="情形", choices=VetoCase.Kind.choices, empty_label="全部情形")
    confirmed = django_filters.BooleanFilter(label="已认定", field_name="confirmed_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = VetoCase
        fields = ["q", "kind", "confirmed"]

    def search(self, queryset, name, value):
        return _search_teacher()(queryset, name, value)


class BonusAwardFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="姓名/工号/赛事", method="search")
    school_year = django_filters.NumberFilter(label="学年")
    semester = django_filters.ChoiceFilter(label="学期", choices=[(1, "第一学期"), (2, "第二学期")], empty_label="全部学期")
    category = django_filters.ChoiceFilter(label="类别", choices=BonusAward.CATEGORY_CHOICES, empty_label="全部类别")

    class Meta:
        model = BonusAward
        fields = ["q", "school_year", "semester", "category"]

    def search(self, queryset, name, value):
        return _search_teacher()(queryset, name, value) | queryset.filter(event__icontains=value)


class MembershipFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="姓名/工号", method="search")

    class Meta:
        model = Membership
        fields = ["q"]

    def search(self, queryset, name, value):
        return _search_teacher()(queryset, name, value)


class EvaluationFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Evaluation.Kind.choices, empty_label="全部类型")
    status = django_filters.ChoiceFilter(label="状态", choices=Evaluation.Status.choices, empty_label="全部状态")
    q = django_filters.CharFilter(label="工作室", field_name="workroom__name", lookup_expr="icontains")

    class Meta:
        model = Evaluation
        fields = ["q", "kind", "status"]


class MyResultFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", field_name="period__kind", choices=Period.Kind.choices, empty_label="全部类型")
    school_year = django_filters.NumberFilter(label="学年", field_name="period__school_year")

    class Meta:
        model = Result
        fields = ["kind", "school_year"]
