"""FilterSets of the honours lists (优秀工作室成员, 优秀班级/窗口班级): each
page's search and filters, which its spreadsheet download applies too."""

from datetime import date

import django_filters
from django import forms

from assessment.filters import TEACHER_SEARCH, CompactFilterSet
from assessment.models import SEMESTER_LABELS, ClassTitle, OutstandingMember
from assessment.rules.honours import EXCELLENT_CLASS, period_end, period_start
from members.choices import DepartmentKind
from members.filters import DepartmentFilter
from members.models import Department
from workrooms.models import Workroom


class OutstandingFilter(CompactFilterSet):
    search_fields = (*TEACHER_SEARCH, "workroom__name")
    q = django_filters.CharFilter(label="姓名/工号/工作室", method="search")
    school_year = django_filters.NumberFilter(label="学年")
    semester = django_filters.ChoiceFilter(label="学期", choices=list(SEMESTER_LABELS.items()), empty_label="全部学期")
    workroom = django_filters.ModelChoiceFilter(label="工作室", queryset=Workroom.objects.order_by("name"), empty_label="全部工作室")

    class Meta:
        model = OutstandingMember
        fields = ["q", "school_year", "semester", "workroom"]


class RecommendedHostFilter(CompactFilterSet):
    """推荐为下一届主持人 (§9.5): by name, school year and workroom."""

    search_fields = TEACHER_SEARCH
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    school_year = django_filters.NumberFilter(label="学年")
    workroom = django_filters.ModelChoiceFilter(
        label="工作室", queryset=Workroom.objects.order_by("name"), empty_label="全部工作室"
    )

    class Meta:
        model = OutstandingMember
        fields = ["q", "school_year", "workroom"]


class ClassTitleFilter(CompactFilterSet):
    search_fields = ("class_name", "teacher__name")
    q = django_filters.CharFilter(label="班级/班主任", method="search")
    department = DepartmentFilter(
        label="年级部", queryset=Department.objects.filter(kind=DepartmentKind.GRADE).select_related("school").order_by("school__name", "grade", "name"), empty_label="全部年级部"
    )
    kind = django_filters.ChoiceFilter(label="称号", choices=ClassTitle.Kind.choices, empty_label="全部称号")
    week = django_filters.DateFilter(label="所在周", method="in_week", widget=forms.DateInput(attrs={"type": "date"}))
    month = django_filters.CharFilter(label="所在月", method="in_month", widget=forms.TextInput(attrs={"type": "month"}))

    class Meta:
        model = ClassTitle
        fields = ["q", "department", "kind", "week", "month"]

    def in_week(self, queryset, name, value):
        """The 优秀班级 of the week containing ``value``."""
        return queryset.filter(kind=EXCELLENT_CLASS, starts_on=period_start(EXCELLENT_CLASS, value))

    def in_month(self, queryset, name, value):
        """Titles of the month ``value`` (YYYY-MM): its 窗口班级 and the weeks starting in it."""
        try:
            year, month = (int(part) for part in value.split("-"))
            first = date(year, month, 1)
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(starts_on__range=(first, period_end("window", first)))
