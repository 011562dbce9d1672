"""全校概览: the school leader's home page and the office's dashboard —
who sees it, what it counts, the lists it links to, and a query count that
does not grow with the school."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Period, Result
from tests import factories as f
from tests.assessment.factories import MonthPeriodFactory
from tests.workrooms.activities.factories import ActivityFactory, AttendanceFactory
from workrooms.models import ActivityType, Attendance, RuleSet, Workroom

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def persona(request, name):
    found = request.getfixturevalue(name)
    return getattr(found, "user", found)  # the ``teacher`` persona is a Teacher


def results(period, department, outcomes):
    ruleset = RuleSet.objects.current()
    for outcome in outcomes:
        teacher = f.TeacherFactory(school=department.school, department=department)
        Result.objects.create(period=period, teacher=teacher, department=department, ruleset=ruleset, outcome=outcome, score=Decimal("80"))


@pytest.fixture
def school_figures(workroom, member, department):
    """A running workroom with two activities this month (one present, one
    absent) and one planning meeting; one revoked and one applying
    workroom; a published October and an open November assessment."""
    f.WorkroomFactory(status=Workroom.Status.REVOKED)
    f.WorkroomFactory(status=Workroom.Status.APPLYING)
    planning = ActivityFactory(workroom=workroom, type=ActivityType.PLANNING, starts_at=datetime(2025, 11, 3, 15, tzinfo=TZ))
    regular = ActivityFactory(workroom=workroom, starts_at=datetime(2025, 11, 5, 15, tzinfo=TZ))
    AttendanceFactory(activity=planning, teacher=member.teacher, status=Attendance.Status.PRESENT)
    AttendanceFactory(activity=regular, teacher=member.teacher, status=Attendance.Status.ABSENT)
    october = MonthPeriodFactory(school=department.school, school_year=2025, month=10, status=Period.Status.PUBLICIZED)
    results(october, department, ["合格", "合格", "合格", "不合格"])
    september = MonthPeriodFactory(school=department.school, school_year=2025, month=9, status=Period.Status.FROZEN)
    results(september, department, ["不合格"])
    november = MonthPeriodFactory(school=department.school, school_year=2025, month=11, status=Period.Status.OPEN)
    results(november, department, ["不合格", "不合格"])
    return {"october": october}


# --- who sees it -----------------------------------------------------------------


def test_it_sends_anonymous_users_to_login(client):
    r = client.get(reverse("dashboard"))
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "name, expected",
    [("outsider", 403), ("teacher", 403), ("member", 403), ("host", 403), ("expert", 403), ("reviewer", 403),
     ("leader", 200), ("office", 200), ("admin", 200)],
)
def test_it_shows_the_dashboard_to_leaders_and_the_office_only(client, request, name, expected):
    client.force_login(persona(request, name))
    r = client.get(reverse("dashboard"))
    assert r.status_code == expected
    if expected == 200:
        assert 'id="school-dashboard"' in r.content.decode()


def test_it_is_the_leaders_home_page(client, leader):
    client.force_login(leader)
    body = client.get("/").content.decode()
    assert 'id="school-dashboard"' in body and "vendor/chartjs/chart.umd.min.js" in body


@pytest.mark.parametrize("name", ["office", "teacher", "host"])
def test_it_is_not_on_other_home_pages(client, request, name):
    client.force_login(persona(request, name))
    body = client.get("/").content.decode()
    assert 'id="school-dashboard"' not in body
    assert (reverse("dashboard") in body) == (name == "office")  # the office gets a link to it


# --- what it counts -------------------------------------------------------------------


def test_it_counts_workrooms_by_status_with_links_to_the_filtered_list(client, leader, school_figures):
    client.force_login(leader)
    r = client.get("/")
    statuses = {s["label"]: s for s in r.context["dashboard"]["statuses"]}
    assert statuses["运行中"]["count"] == 1 and statuses["已撤销"]["count"] == 1 and statuses["申报中"]["count"] == 1
    assert statuses["已结题"]["count"] == 0
    listed = client.get(statuses["已撤销"]["url"])
    assert [w.status for w in listed.context["page_obj"]] == [Workroom.Status.REVOKED]


def test_it_tallies_the_duties_of_workrooms_in_operation(client, leader, school_figures):
    client.force_login(leader)
    tallies = {t.label: t for t in client.get("/").context["dashboard"]["tallies"]}
    # Only the running workroom counts (revoked and applying ones do not).
    assert (tallies["计划会"].met, tallies["计划会"].total) == (1, 1)
    assert (tallies["总结会"].met, tallies["总结会"].not_met) == (0, 1)


def test_it_shows_a_year_of_activities_and_attendance_by_month(client, leader, school_figures):
    client.force_login(leader)
    r = client.get("/")
    months = r.context["dashboard"]["months"]
    assert [m.label for m in months][0] == "2024年12月" and months[-1].label == "2025年11月"
    assert (months[-1].activities, months[-1].attendance_rate) == (2, 50.0)
    assert months[-2].activities == 0 and months[-2].attendance_rate is None
    spec = r.context["dashboard"]["charts"]["chart-activity"].spec
    assert spec["datasets"][0]["data"][-1] == 2 and spec["datasets"][1]["data"][-1] == 50.0


def test_it_shows_the_pass_rate_of_the_latest_published_month_by_department(client, leader, department, school_figures):
    client.force_login(leader)
    r = client.get("/")
    [row] = r.context["dashboard"]["pass_rates"]
    assert row["rate"].period == school_figures["october"]  # not the open November, not the older September
    assert (row["rate"].assessed, row["rate"].passed, row["rate"].percent) == (4, 3, 75.0)
    body = r.content.decode()
    assert "75.0%" in body and "高一年级部" in body
    failed = client.get(row["failed_url"])
    assert [x.outcome for x in failed.context["page_obj"]] == ["不合格"]
    assert all(x.department_id == department.pk for x in failed.context["page_obj"])


def test_each_chart_has_a_table_with_its_figures(client, office, school_figures):
    client.force_login(office)
    body = client.get(reverse("dashboard")).content.decode()
    for chart_id in ("chart-status", "chart-duties", "chart-activity", "chart-pass"):
        assert f'data-chart="{chart_id}"' in body and f'id="{chart_id}" type="application/json"' in body
    assert body.count("<caption") == 4


# --- cost --------------------------------------------------------------------------


def queries_for(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_grow_with_the_school(client, office, school_figures, department):
    client.force_login(office)
    one = queries_for(client)
    for n in range(6):
        w = f.WorkroomFactory(status=[Workroom.Status.RUNNING, Workroom.Status.MIDTERM, Workroom.Status.COMPLETED][n % 3])
        m = f.MembershipFactory(workroom=w)
        for day in (4, 12, 19):
            AttendanceFactory(activity=ActivityFactory(workroom=w, starts_at=datetime(2025, 11, day, 9, tzinfo=TZ)), teacher=m.teacher)
        other = f.DepartmentFactory(school=department.school, name=f"高{n}年级部")
        results(school_figures["october"], other, ["合格", "不合格"])
        school = f.SchoolFactory()
        results(MonthPeriodFactory(school=school, month=10, status=Period.Status.FROZEN), f.DepartmentFactory(school=school), ["合格"])
    many = queries_for(client)
    # The figures cost six queries (statuses, rule set, duty overview, months,
    # latest periods, pass rates) on top of the session, user and page's own.
    assert many == one
    assert len(client.get(reverse("dashboard")).context["dashboard"]["pass_rates"]) == 13
