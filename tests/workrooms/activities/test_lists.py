"""Filters of the activity list and the office overview, and what they show."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar import semester_of
from tests import factories as f
from tests.workrooms.activities.factories import ActivityFactory
from workrooms.activities.selectors import dashboard
from workrooms.models import Attendance


def themes(response):
    return {a.theme for a in response.context["page_obj"]}


def test_it_filters_activities_by_type_theme_semester_and_dates(client, host, workroom):
    now = timezone.now()
    last_term_day = semester_of(timezone.localdate()).start - timedelta(days=5)
    ActivityFactory(workroom=workroom, theme="开学计划会", type="planning")
    ActivityFactory(workroom=workroom, theme="家校沟通研讨", type="seminar")
    ActivityFactory(
        workroom=workroom, theme="上学期总结会", type="summary",
        starts_at=timezone.make_aware(datetime.combine(last_term_day, time(15))),
    )
    client.force_login(host)
    url = reverse("workrooms:activity_list", args=[workroom.pk])
    assert themes(client.get(url)) == {"开学计划会", "家校沟通研讨", "上学期总结会"}
    assert themes(client.get(url, {"type": "seminar"})) == {"家校沟通研讨"}
    assert themes(client.get(url, {"q": "家校"})) == {"家校沟通研讨"}
    assert themes(client.get(url, {"semester": semester_of(timezone.localdate()).code})) == {"开学计划会", "家校沟通研讨"}
    assert themes(client.get(url, {"semester": semester_of(last_term_day).code})) == {"上学期总结会"}
    assert themes(client.get(url, {"date_to": f"{last_term_day:%Y-%m-%d}"})) == {"上学期总结会"}
    assert themes(client.get(url, {"date_from": f"{timezone.localtime(now).date():%Y-%m-%d}"})) == {"开学计划会", "家校沟通研讨"}


def test_it_shows_and_filters_in_person_and_online_activities(client, host, workroom):
    ActivityFactory(workroom=workroom, theme="第一周例会", mode="in_person")
    ActivityFactory(workroom=workroom, theme="线上研讨", mode="online")
    client.force_login(host)
    url = reverse("workrooms:activity_list", args=[workroom.pk])
    response = client.get(url)
    body = response.content.decode()
    assert "<th>形式</th>" in body and "<td>线上</td>" in body and "<td>线下</td>" in body
    assert themes(client.get(url, {"mode": "online"})) == {"线上研讨"}
    assert themes(client.get(url, {"mode": "in_person"})) == {"第一周例会"}


def test_it_shows_only_the_workrooms_own_activities(client, host, workroom, department):
    other = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
    ActivityFactory(workroom=other, theme="别人的活动")
    ActivityFactory(workroom=workroom, theme="自己的活动")
    client.force_login(host)
    assert themes(client.get(reverse("workrooms:activity_list", args=[workroom.pk]))) == {"自己的活动"}


def test_it_shows_and_filters_the_office_overview(client, office, workroom, member, department):
    ActivityFactory(workroom=workroom, type="planning")
    a = ActivityFactory(workroom=workroom, training_hours=Decimal("4"))
    Attendance.objects.create(activity=a, teacher=member.teacher, status="present")
    f.WorkroomFactory(host=f.TeacherFactory(name="钱多", school=department.school))
    client.force_login(office)
    url = reverse("workrooms:duty_overview")
    r = client.get(url)
    rows = {row.workroom.name: row for row in r.context["rows"]}
    mine = rows[workroom.name]
    assert (mine.members, mine.activities, mine.attendance_rate, mine.hours_per_member) == (1, 2, Decimal("100.0"), Decimal("4.0"))
    assert mine.duties[0].label == "计划会" and mine.duties[0].met
    assert [row.workroom.host.name for row in client.get(url, {"q": "钱多"}).context["rows"]] == ["钱多"]


def test_it_counts_activities_and_attendance_per_month_for_the_chart(workroom, member):
    a = ActivityFactory(workroom=workroom)
    ActivityFactory(workroom=workroom)
    Attendance.objects.create(activity=a, teacher=member.teacher, status="present")
    Attendance.objects.create(activity=a, teacher=workroom.host, status="absent")
    chart = dashboard(workroom)["chart"]
    assert len(chart["labels"]) == 12
    assert chart["activities"][-1] == 2 and sum(chart["activities"]) == 2
    assert chart["attendance"][-1] == 50.0


def test_it_warns_near_the_end_of_term_and_names_members_behind(workroom, member):
    from workrooms.activities.selectors import workroom_progress

    end = semester_of(timezone.localdate()).last_day
    late = workroom_progress(workroom, today=end - timedelta(days=5))
    assert late.ends_soon and late.days_left == 5
    assert [m.membership.teacher for m in late.behind] == [member.teacher]
    assert "培训课时" in late.behind[0].lagging
    early = workroom_progress(workroom, today=semester_of(timezone.localdate()).start)
    assert not early.ends_soon


@pytest.mark.parametrize(
    "today, first, last",
    [
        (date(2026, 12, 5), "2026年1月", "2026年12月"),
        (date(2026, 12, 31), "2026年1月", "2026年12月"),
        (date(2027, 1, 1), "2026年2月", "2027年1月"),
        (date(2028, 2, 29), "2027年3月", "2028年2月"),
        (date(2026, 8, 31), "2025年9月", "2026年8月"),
        (date(2026, 3, 1), "2025年4月", "2026年3月"),
    ],
)
def test_it_charts_the_twelve_months_ending_with_the_current_one(workroom, today, first, last):
    ActivityFactory(workroom=workroom, starts_at=timezone.make_aware(datetime.combine(today, time(9))))
    chart = dashboard(workroom, today=today)["chart"]
    assert (len(chart["labels"]), chart["labels"][0], chart["labels"][-1]) == (12, first, last)
    assert chart["activities"][-1] == 1
