"""Reads about members' records (DOMAIN.md §6, §7) and growth handbooks (§5)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from core.calendar import semester_of
from core.inbox import Section
from members.choices import LEVEL_RANK, Level
from members.roles import roles_of
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import source_url
from workrooms.records.models import (
    Achievement,
    ReadingLog,
    ResearchProject,
    ReviewStatus,
    Writing,
)

DISTRICT_OR_ABOVE = tuple(level for level in Level.values if LEVEL_RANK[level] >= LEVEL_RANK[Level.COUNTY])


@dataclass(frozen=True)
class RecordCounts:
    """What one member did in a period, as the duties of DOMAIN.md §6 count it."""

    books_read: int = 0  # 书籍 reading logs, not returned
    recommended_books: int = 0  # of those, books the workroom recommends (推荐书目)
    reflections_accepted: int = 0  # reading logs (with their reflection) accepted by the host
    papers_read: int = 0  # 论文 reading logs, not returned
    narratives: int = 0  # 教育叙事 and 案例, not returned
    student_cases: int = 0  # 学生个案, not returned
    articles_submitted: int = 0  # writings of any kind marked submitted or published, not returned
    demo_class_designs: int = 0  # 班会课设计, not returned
    awarded_results: int = 0  # verified 论文获奖/竞赛获奖/荣誉称号 at 县级 or above


NO_RECORDS = RecordCounts()


def record_counts(*, workroom_ids, start: date, end: date) -> dict[int, RecordCounts]:
    """Per-member counts of records dated ``start``..``end`` (inclusive) in the
    given workrooms, keyed by teacher id; members without records are absent
    (use ``counts.get(teacher_id, NO_RECORDS)``).

    Three queries whatever the number of members or records: one grouped
    count each over reading logs, writings and achievements. A record counts
    from the day it is logged unless the host returned it; reflections count
    once accepted; achievements once verified by the office."""
    alive = ~Q(status=ReviewStatus.RETURNED)
    reading = (
        ReadingLog.objects.filter(workroom_id__in=workroom_ids, read_on__range=(start, end))
        .order_by()
        .values("teacher_id")
        .annotate(
            books_read=Count("id", filter=alive & Q(kind=ReadingLog.Kind.BOOK)),
            recommended_books=Count("id", filter=alive & Q(kind=ReadingLog.Kind.BOOK, recommended=True)),
            reflections_accepted=Count("id", filter=Q(status=ReviewStatus.ACCEPTED)),
            papers_read=Count("id", filter=alive & Q(kind=ReadingLog.Kind.PAPER)),
        )
    )
    K = Writing.Kind
    writing = (
        Writing.objects.filter(workroom_id__in=workroom_ids, written_on__range=(start, end))
        .order_by()
        .values("teacher_id")
        .annotate(
            narratives=Count("id", filter=alive & Q(kind__in=[K.NARRATIVE, K.CASE])),
            student_cases=Count("id", filter=alive & Q(kind=K.STUDENT_CASE)),
            articles_submitted=Count("id", filter=alive & (Q(submitted=True) | Q(published=True))),
            demo_class_designs=Count("id", filter=alive & Q(kind=K.CLASS_MEETING)),
        )
    )
    awards = (
        Achievement.objects.filter(
            workroom_id__in=workroom_ids, achieved_on__range=(start, end), status=Achievement.Status.VERIFIED,
            kind__in=Achievement.AWARD_KINDS, level__in=DISTRICT_OR_ABOVE,
        )
        .order_by()
        .values("teacher_id")
        .annotate(awarded_results=Count("id"))
    )
    merged: dict[int, dict] = {}
    for rows in (reading, writing, awards):
        for row in rows:
            merged.setdefault(row.pop("teacher_id"), {}).update(row)
    return {teacher_id: RecordCounts(**values) for teacher_id, values in merged.items()}


# --- lists --------------------------------------------------------------


def reading_logs_for(user):
    return ReadingLog.objects.visible_to(user).select_related("teacher", "workroom").defer("reflection")


def writings_for(user):
    return Writing.objects.visible_to(user).select_related("teacher", "workroom").defer("text")


def projects_for(user):
    return ResearchProject.objects.visible_to(user).select_related("leader", "workroom")


def achievements_for(user):
    """成果荣誉 list (the office verifies from it), newest first; the page and
    its export both filter this with ``AchievementFilter``."""
    return Achievement.objects.visible_to(user).select_related("teacher", "workroom").order_by("-achieved_on", "-id")


# --- growth handbook ----------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    day: date
    kind: str
    title: str
    note: str
    url: str | None

    @property
    def semester(self) -> str:
        return semester_of(self.day).label


# Records shown on the timeline themselves; their archive entries would repeat them.
TIMELINE_MODELS = ("readinglog", "writing", "achievement")


def growth_handbook(teacher) -> list[TimelineItem]:
    """成长手册 (DOMAIN.md §5): a member's records as one timeline, newest
    first. Five queries, one per kind of record; archive entries of other
    sources (uploads, minutes, certificates, research documents) join in."""
    items = [
        TimelineItem(r.read_on, f"读书记录·{r.get_kind_display()}", f"《{r.title}》", r.get_status_display(),
                     reverse("records:reading_detail", args=[r.pk]))
        for r in ReadingLog.objects.filter(teacher=teacher).only("read_on", "kind", "title", "status")
    ]
    items += [
        TimelineItem(w.written_on, w.get_kind_display(), w.title, w.get_status_display(),
                     reverse("records:writing_detail", args=[w.pk]))
        for w in Writing.objects.filter(teacher=teacher).only("written_on", "kind", "title", "status")
    ]
    items += [
        TimelineItem(p.started_on, "课题", p.title, f"{p.get_level_display()}·{p.get_status_display()}",
                     reverse("records:project_detail", args=[p.pk]))
        for p in ResearchProject.objects.filter(Q(leader=teacher) | Q(participants=teacher)).distinct()
    ]
    items += [
        TimelineItem(a.achieved_on, a.get_kind_display(), a.title, f"{a.get_level_display()}·{a.get_status_display()}",
                     reverse("records:achievement_detail", args=[a.pk]))
        for a in Achievement.objects.filter(teacher=teacher)
    ]
    items += [
        TimelineItem(e.filed_on, f"档案·{e.get_category_display()}", e.title, e.kind, source_url(e))
        for e in ArchiveEntry.objects.filter(member=teacher)
        .exclude(source_type__app_label="workrooms", source_type__model__in=TIMELINE_MODELS)
        .select_related("source_type")
    ]
    return sorted(items, key=lambda item: item.day, reverse=True)


# --- home page ----------------------------------------------------------

INBOX_ITEMS = 5


def record_inbox_sections(user) -> list:
    """What waits on the home page: records to review for hosts (those of
    their workroom, not their own), the teacher's own returned records, and
    achievements to verify for the office. A bounded number of queries."""
    r = roles_of(user)
    sections = []
    if r.hosted_workroom_ids:
        waiting = [
            qs.filter(workroom_id__in=r.hosted_workroom_ids, status=ReviewStatus.SUBMITTED)
            .exclude(teacher=r.teacher)
            .select_related("teacher")
            for qs in (ReadingLog.objects.all(), Writing.objects.all())
        ]
        reading = list(waiting[0][:INBOX_ITEMS])
        writing = list(waiting[1][:INBOX_ITEMS])
        items = [(f"《{x.title}》", reverse("records:reading_detail", args=[x.pk]), f"{x.teacher.name}·读书记录") for x in reading]
        items += [(x.title, reverse("records:writing_detail", args=[x.pk]), f"{x.teacher.name}·{x.get_kind_display()}") for x in writing]
        sections.append(Section(
            title="待审阅的成员记录", items=items[:INBOX_ITEMS], empty="没有待审阅的记录。",
            more_url=reverse("records:reading_list") + "?status=submitted",
        ))
    if r.teacher is not None:
        mine = [
            (f"《{x.title}》", reverse("records:reading_detail", args=[x.pk]), "读书记录·已退回")
            for x in ReadingLog.objects.filter(teacher=r.teacher, status=ReviewStatus.RETURNED)[:INBOX_ITEMS]
        ]
        mine += [
            (x.title, reverse("records:writing_detail", args=[x.pk]), f"{x.get_kind_display()}·已退回")
            for x in Writing.objects.filter(teacher=r.teacher, status=ReviewStatus.RETURNED)[:INBOX_ITEMS]
        ]
        mine += [
            (x.title, reverse("records:achievement_detail", args=[x.pk]), "成果·未予认定")
            for x in Achievement.objects.filter(teacher=r.teacher, status=Achievement.Status.REJECTED)[:INBOX_ITEMS]
        ]
        if mine:
            sections.append(Section(title="需要修改的记录", items=mine, more_url=reverse("records:reading_list") + "?mine=true"))
    if r.is_office:
        pending = list(Achievement.objects.filter(status=Achievement.Status.PENDING).select_related("teacher")[:INBOX_ITEMS])
        sections.append(Section(
            title="待认定的成果",
            items=[(x.title, reverse("records:achievement_detail", args=[x.pk]), f"{x.teacher.name}·{x.get_level_display()}")
                   for x in pending],
            empty="没有待认定的成果。", more_url=reverse("records:achievement_list") + "?status=pending",
        ))
    return sections
