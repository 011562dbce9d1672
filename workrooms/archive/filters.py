"""Search and filters of the archive pages."""

import django_filters

from core.calendar import school_today, semester_choices
from core.filters import StyledFilterSet
from members.models import Teacher
from workrooms.archive.models import ArchiveEntry
from workrooms.models import Workroom


class ArchiveEntryFilter(StyledFilterSet):
    """类别、成员、学期、类型 and a search over titles (DOMAIN.md §8)."""

    search_fields = ("title", "member__name")
    q = django_filters.CharFilter(label="搜索", method="search")
    category = django_filters.ChoiceFilter(label="类别", choices=ArchiveEntry.Category.choices)
    member = django_filters.ModelChoiceFilter(label="成员", queryset=Teacher.objects.none())
    semester = django_filters.ChoiceFilter(label="学期", choices=lambda: semester_choices(school_today(), 8))
    kind = django_filters.ChoiceFilter(label="类型", choices=())

    class Meta:
        model = ArchiveEntry
        fields = ["q", "category", "member", "semester", "kind"]

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["member"].queryset = Teacher.objects.filter(memberships__workroom=workroom).distinct().order_by("name")
        kinds = ArchiveEntry.objects.filter(workroom=workroom).order_by("kind").values_list("kind", flat=True).distinct()
        self.filters["kind"].extra["choices"] = [(k, k) for k in kinds]


class ArchiveWorkroomFilter(StyledFilterSet):
    search_fields = ("name", "host__name")
    q = django_filters.CharFilter(label="搜索工作室", method="search")

    class Meta:
        model = Workroom
        fields = ["q"]
