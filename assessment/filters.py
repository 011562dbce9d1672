"""FilterSets of the assessment lists: each page's search and filters."""

import django_filters

from assessment.models import BonusAward, Evaluation, Period, Result, VetoCase
from core.filters import StyledFilterSet, YesNoFilter
from members.choices import DepartmentKind
from members.filters import DepartmentFilter
from members.models import Department
from workrooms.selection.models import Membership


class CompactFilterSet(StyledFilterSet):
    """The assessment pages put their filters on one compact row."""

    widget_size = "sm"


TEACHER_SEARCH = ("teacher__name", "teacher__staff_no")


class PeriodFilter(CompactFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Period.Kind.choices, empty_label="全部类型")
    school_year = django_filters.NumberFilter(label="学年")
    status = django_filters.ChoiceFilter(label="状态", choices=Period.Status.choices, empty_label="全部状态")

    class Meta:
        model = Period
        fields = ["kind", "school_year", "status"]


class ResultFilter(CompactFilterSet):
    search_fields = TEACHER_SEARCH
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    department = DepartmentFilter(
        label="年级部", queryset=Department.objects.filter(kind=DepartmentKind.GRADE).select_related("school").order_by("school__name", "grade", "name"), empty_label="全部年级部"
    )
    outcome = django_filters.CharFilter(label="结果")

    class Meta:
        model = Result
        fields = ["q", "department", "outcome"]


class VetoFilter(CompactFilterSet):
    search_fields = TEACHER_SEARCH
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    kind = django_filters.ChoiceFilter(label="情形", choices=VetoCase.Kind.choices, empty_label="全部情形")
    confirmed = YesNoFilter(label="已认定", field_name="confirmed_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = VetoCase
        fields = ["q", "kind", "confirmed"]


class BonusAwardFilter(CompactFilterSet):
    search_fields = (*TEACHER_SEARCH, "event")
    q = django_filters.CharFilter(label="姓名/工号/赛事", method="search")
    school_year = django_filters.NumberFilter(label="学年")
    semester = django_filters.ChoiceFilter(label="学期", choices=[(1, "第一学期"), (2, "第二学期")], empty_label="全部学期")
    category = django_filters.ChoiceFilter(label="类别", choices=BonusAward.CATEGORY_CHOICES, empty_label="全部类别")

    class Meta:
        model = BonusAward
        fields = ["q", "school_year", "semester", "category"]


class MembershipFilter(CompactFilterSet):
    search_fields = TEACHER_SEARCH
    q = django_filters.CharFilter(label="姓名/工号", method="search")

    class Meta:
        model = Membership
        fields = ["q"]


class EvaluationFilter(CompactFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Evaluation.Kind.choices, empty_label="全部类型")
    status = django_filters.ChoiceFilter(label="状态", choices=Evaluation.Status.choices, empty_label="全部状态")
    q = django_filters.CharFilter(label="工作室", field_name="workroom__name", lookup_expr="icontains")

    class Meta:
        model = Evaluation
        fields = ["q", "kind", "status"]


class MyResultFilter(CompactFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", field_name="period__kind", choices=Period.Kind.choices, empty_label="全部类型")
    school_year = django_filters.NumberFilter(label="学年", field_name="period__school_year")

    class Meta:
        model = Result
        fields = ["kind", "school_year"]
