"""Search and filters of the record lists (one FilterSet per list)."""

import django_filters
from django import forms

from core.calendar import school_today, semester_choices
from core.filters import StyledFilterSet, YesNoFilter
from members.choices import Level
from members.roles import roles_of
from workrooms.records.models import (
    Achievement,
    ReadingLog,
    ResearchProject,
    ReviewStatus,
    Writing,
)
from workrooms.records.rules import ResearchStatus


def _semesters():
    return semester_choices(school_today(), 8)


class RecordFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    semester = django_filters.ChoiceFilter(label="学期", choices=_semesters)
    mine = YesNoFilter(label="只看我的", method="only_mine")

    search_fields = ("title", "teacher__name")

    def only_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(teacher=roles_of(self.request.user).teacher)


class ReadingFilter(RecordFilter):
    status = django_filters.ChoiceFilter(label="状态", choices=ReviewStatus.choices)
    kind = django_filters.ChoiceFilter(label="类型", choices=ReadingLog.Kind.choices)
    search_fields = ("title", "author", "teacher__name")

    class Meta:
        model = ReadingLog
        fields = ["q", "semester", "kind", "status", "recommended", "mine"]


class WritingFilter(RecordFilter):
    status = django_filters.ChoiceFilter(label="状态", choices=ReviewStatus.choices)
    kind = django_filters.ChoiceFilter(label="类别", choices=Writing.Kind.choices)

    class Meta:
        model = Writing
        fields = ["q", "semester", "kind", "status", "mine"]


class AchievementFilter(RecordFilter):
    status = django_filters.ChoiceFilter(label="状态", choices=Achievement.Status.choices)
    kind = django_filters.ChoiceFilter(label="类别", choices=Achievement.Kind.choices)
    level = django_filters.ChoiceFilter(label="级别", choices=Level.choices)
    search_fields = ("title", "owner_name", "teacher__name")

    class Meta:
        model = Achievement
        fields = ["q", "semester", "kind", "level", "status", "mine"]


class ProjectFilter(StyledFilterSet):
    search_fields = ("title", "leader__name")
    q = django_filters.CharFilter(label="搜索", method="search")
    # Set by the link on a workroom's page; not a field of the filter form.
    workroom = django_filters.NumberFilter(field_name="workroom_id", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(label="阶段", choices=ResearchStatus.choices)
    level = django_filters.ChoiceFilter(label="级别", choices=Level.choices)

    class Meta:
        model = ResearchProject
        fields = ["q", "workroom", "status", "level"]
