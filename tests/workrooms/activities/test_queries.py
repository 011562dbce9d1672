"""Query counts of lists do not grow with their rows (1 row vs 50 rows)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.workrooms.activities.factories import ActivityFactory, ExpenseFactory
from tests.workrooms.records.factories import (
    AchievementFactory,
    ReadingLogFactory,
    WritingFactory,
)
from workrooms.models import Attendance

# Every page starts with the same 8 queries: session, user, the user's groups,
# teacher profile, hosted and member workroom ids, reviewed departments
# (members.roles, read by the navigation), and the header's unread count.
BASE = 8


def get(client, url, assert_num_queries, expected):
    with assert_num_queries(expected):
        r = client.get(url)
    assert r.status_code == 200
    return r


@pytest.mark.parametrize("rows", [1, 50])
def test_it_lists_activities_with_constant_queries(client, host, workroom, member, rows, django_assert_num_queries):
    for _ in range(rows):
        a = ActivityFactory(workroom=workroom, speaker=member.teacher, recorder=workroom.host)
        Attendance.objects.create(activity=a, teacher=member.teacher, status="present")
    client.force_login(host)
    # workroom, count, page of activities with speaker, recorder and present count
    r = get(client, reverse("workrooms:activity_list", args=[workroom.pk]), django_assert_num_queries, BASE + 3)
    assert r.context["page_obj"].paginator.count == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_it_shows_the_ledger_with_constant_queries(client, host, workroom, rows, django_assert_num_queries):
    for _ in range(rows):
        ExpenseFactory(workroom=workroom, amount=Decimal("10"), status="approved")
    client.force_login(host)
    # workroom, totals, rule set, count, page with running balances
    # +1: the expenses' change history (修改记录), one query however many rows
    get(client, reverse("workrooms:ledger", args=[workroom.pk]), django_assert_num_queries, BASE + 6)


@pytest.mark.parametrize("rows", [1, 50])
def test_it_shows_the_office_overview_with_constant_queries(client, office, department, rows, django_assert_num_queries):
    for _ in range(rows):
        w = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
        a = ActivityFactory(workroom=w)
        Attendance.objects.create(activity=a, teacher=w.host, status="present")
    client.force_login(office)
    # the office has no teacher profile, so 4 queries for who they are and 1
    # for the header's unread count; then count, the page's workrooms, their
    # figures as subqueries, rule set, their group-study dates
    get(client, reverse("workrooms:duty_overview"), django_assert_num_queries, 5 + 5)


def add_records(n, workroom, teachers):
    for i in range(n):
        t = teachers[i % len(teachers)]
        ReadingLogFactory(teacher=t, workroom=workroom, status="accepted")
        WritingFactory(teacher=t, workroom=workroom)
        AchievementFactory(teacher=t, workroom=workroom, status="verified")


def add_outreach(n, workroom):
    from tests.workrooms.outreach.factories import OutreachRecordFactory

    for kind in ("lecture", "training", "exchange"):
        OutreachRecordFactory.create_batch(n, workroom=workroom, kind=kind, date=timezone.localdate())


@pytest.mark.parametrize("rows", [1, 50])
def test_it_shows_duty_progress_with_constant_queries(client, host, workroom, rows, django_assert_num_queries):
    teachers = []
    for _ in range(min(rows, 12)):
        t = f.MembershipFactory(workroom=workroom).teacher
        Attendance.objects.create(activity=ActivityFactory(workroom=workroom), teacher=t, status="present")
        teachers.append(t)
    add_records(rows, workroom, teachers)
    add_outreach(rows, workroom)
    ActivityFactory.create_batch(rows, workroom=workroom, type="group_study")
    ActivityFactory.create_batch(rows, workroom=workroom, type="regular")
    client.force_login(host)
    # workroom, rule set, the year's records (reading logs, writings,
    # achievements), members with their figures, the semester's records
    # (reading logs, writings, achievements), workroom counts, outreach
    # this semester and this school year, the semester's group-study and
    # in-person regular meeting dates (one query), the host's 听课记录
    r = get(client, reverse("workrooms:duty_progress", args=[workroom.pk]), django_assert_num_queries, BASE + 14)
    assert len(r.context["progress"].members) == len(teachers)


@pytest.mark.parametrize("rows", [1, 50])
def test_it_shows_a_members_progress_with_constant_queries(client, member, workroom, rows, django_assert_num_queries):
    add_records(rows, workroom, [member.teacher])
    client.force_login(member)
    # workroom, teacher, rule set, the year's records (3), the member with
    # their figures, the semester's records (3)
    url = reverse("workrooms:member_progress", args=[workroom.pk, member.teacher.pk])
    get(client, url, django_assert_num_queries, BASE + 10)


@pytest.mark.parametrize("rows", [1, 50])
def test_it_shows_the_dashboard_with_constant_queries(client, member, workroom, rows, django_assert_num_queries):
    add_records(rows, workroom, [member.teacher])
    add_outreach(rows, workroom)
    client.force_login(member)
    # workroom, rule set, the year's records (3), workroom counts, outreach
    # this semester and this school year, group-study and meeting dates,
    # the host's 听课记录, monthly figures, members, recent activities
    get(client, reverse("workrooms:dashboard", args=[workroom.pk]), django_assert_num_queries, BASE + 13)
