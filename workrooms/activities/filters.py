"""FilterSets of the activity list, the funding ledger and the office overview."""

import django_filters

from core.calendar import recent_semesters, school_today, semester_from_code
from core.filters import StyledFilterSet
from workrooms.activities.selectors import bounds
from workrooms.models import Activity, ActivityMode, ActivityType, Expense, ExpenseCategory, LessonObservation, Workroom


def _semester_choices():
    return [(p.code, p.label) for p in recent_semesters(school_today(), count=8)]


class ActivityFilter(StyledFilterSet):
    search_fields = ("theme", "place")
    q = django_filters.CharFilter(label="主题", method="search")
    type = django_filters.ChoiceFilter(label="活动类型", choices=ActivityType.choices, empty_label="全部类型")
    mode = django_filters.ChoiceFilter(label="形式", choices=ActivityMode.choices, empty_label="线下与线上")
    semester = django_filters.ChoiceFilter(label="学期", choices=_semester_choices, method="in_semester", empty_label="全部学期")
    date_from = django_filters.DateFilter(label="起始日期", field_name="starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label="截止日期", field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Activity
        fields = ["q", "type", "mode", "semester", "date_from", "date_to"]

    def in_semester(self, qs, name, value):
        period = semester_from_code(value)
        if period is None:
            return qs
        start, end = bounds(period)
        return qs.filter(starts_at__gte=start, starts_at__lt=end)


class ExpenseFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="用途", field_name="description", lookup_expr="icontains")
    category = django_filters.ChoiceFilter(label="类别", choices=ExpenseCategory.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(label="状态", choices=Expense.Status.choices, empty_label="全部状态")

    class Meta:
        model = Expense
        fields = ["q", "category", "status"]


class OverviewFilter(StyledFilterSet):
    search_fields = ("name", "host__name")
    q = django_filters.CharFilter(label="工作室/主持人", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=Workroom.Status.choices, empty_label="全部状态")

    class Meta:
        model = Workroom
        fields = ["q", "status"]


class LessonObservationFilter(StyledFilterSet):
    search_fields = ("topic", "class_name", "teacher__name")
    q = django_filters.CharFilter(label="搜索课题/班级/教师", method="search")
    semester = django_filters.ChoiceFilter(label="学期", choices=_semester_choices, method="in_semester", empty_label="全部学期")
    date_from = django_filters.DateFilter(label="起始日期", field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label="截止日期", field_name="date", lookup_expr="lte")

    class Meta:
        model = LessonObservation
        fields = ["q", "semester", "date_from", "date_to"]

    def in_semester(self, qs, name, value):
        period = semester_from_code(value)
        if period is None:
            return qs
        return qs.filter(date__range=(period.start, period.end))
