"""``record_counts``: what the duty engine reads (DOMAIN.md §6)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.workrooms.records.factories import (
    AchievementFactory,
    ReadingLogFactory,
    WritingFactory,
)
from workrooms.records.models import ReviewStatus
from workrooms.records.selectors import NO_RECORDS, RecordCounts, record_counts


def test_it_counts_each_kind_of_record_per_member(member, second_member, workroom, other_workroom):
    t, today = member.teacher, timezone.localdate()
    ReadingLogFactory(teacher=t, workroom=workroom, kind="book", status=ReviewStatus.ACCEPTED)
    ReadingLogFactory(teacher=t, workroom=workroom, kind="book")
    ReadingLogFactory(teacher=t, workroom=workroom, kind="book", status=ReviewStatus.RETURNED)
    ReadingLogFactory(teacher=t, workroom=workroom, kind="paper")
    ReadingLogFactory(teacher=t, workroom=workroom, kind="paper", status=ReviewStatus.ACCEPTED)
    WritingFactory(teacher=t, workroom=workroom, kind="narrative")
    WritingFactory(teacher=t, workroom=workroom, kind="case", submitted=True)
    WritingFactory(teacher=t, workroom=workroom, kind="student_case", status=ReviewStatus.ACCEPTED)
    WritingFactory(teacher=t, workroom=workroom, kind="class_meeting")
    WritingFactory(teacher=t, workroom=workroom, kind="paper", published=True, submitted=True)
    WritingFactory(teacher=t, workroom=workroom, kind="paper", submitted=True, status=ReviewStatus.RETURNED)
    AchievementFactory(teacher=t, workroom=workroom, kind="competition", level="county", status="verified")
    AchievementFactory(teacher=t, workroom=workroom, kind="honour", level="school", status="verified")  # below 县级
    AchievementFactory(teacher=t, workroom=workroom, kind="lecture", level="national", status="verified")  # not an award
    AchievementFactory(teacher=t, workroom=workroom, kind="paper_award", level="provincial")  # not verified
    ReadingLogFactory(teacher=second_member.teacher, workroom=workroom, kind="book")
    ReadingLogFactory(teacher=t, workroom=other_workroom, kind="book")  # another workroom
    ReadingLogFactory(teacher=t, workroom=workroom, kind="book", read_on=today - timedelta(days=400))  # before the period

    counts = record_counts(workroom_ids=[workroom.pk], start=today - timedelta(days=30), end=today)

    assert counts[t.pk] == RecordCounts(
        books_read=2, reflections_accepted=2, papers_read=2, narratives=2, student_cases=1,
        articles_submitted=2, demo_class_designs=1, awarded_results=1,
    )
    assert counts[second_member.teacher.pk] == RecordCounts(books_read=1)
    assert counts.get(f.TeacherFactory().pk, NO_RECORDS) == NO_RECORDS


def test_it_includes_both_ends_of_the_period(member, workroom):
    start, end = timezone.localdate() - timedelta(days=10), timezone.localdate()
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, read_on=start)
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, read_on=end)
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, read_on=start - timedelta(days=1))
    assert record_counts(workroom_ids=[workroom.pk], start=start, end=end)[member.teacher.pk].books_read == 2


@pytest.mark.parametrize("members", [1, 20])
def test_it_counts_in_three_queries_whatever_the_rows(workroom, members, django_assert_num_queries):
    for _ in range(members):
        t = f.MembershipFactory(workroom=workroom).teacher
        ReadingLogFactory(teacher=t, workroom=workroom)
        WritingFactory(teacher=t, workroom=workroom)
        AchievementFactory(teacher=t, workroom=workroom, status="verified")
    today = timezone.localdate()
    with django_assert_num_queries(3):
        counts = record_counts(workroom_ids=[workroom.pk], start=today - timedelta(days=1), end=today)
    assert len(counts) == members
