"""The regular meeting (DOMAIN.md §6, seeds 000): in person on the first
Wednesday afternoon of each month, the other Wednesdays online; the duty
progress shows per month whether the in-person meeting took place."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import ActivityFactory
from tests.workrooms.activities.test_views import activity_data
from workrooms.activities import duties
from workrooms.models import Activity, ActivityMode, ActivityType, RuleSet

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=15):
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "year, month, expected",
    [
        (2026, 9, date(2026, 9, 2)),  # 1 September 2026 is a Tuesday
        (2026, 10, date(2026, 10, 7)),  # 1 October is a Thursday: the 7th, not the 1st week's Wednesday before it
        (2027, 9, date(2027, 9, 1)),  # the 1st is itself a Wednesday
        (2027, 12, date(2027, 12, 1)),
        (2027, 1, date(2027, 1, 6)),  # across the new year
    ],
)
def test_it_finds_the_first_wednesday_of_each_month(year, month, expected):
    assert duties.nth_weekday(year, month, 2, 1) == expected


def test_it_finds_another_day_a_school_sets():
    assert duties.nth_weekday(2026, 9, 0, 2) == date(2026, 9, 14)  # second Monday
    assert duties.nth_weekday(2026, 9, 2, 5) == date(2026, 9, 30)  # a fifth Wednesday asked: the last one


def test_only_a_meeting_on_that_day_counts():
    months = [(2027, 9), (2027, 10), (2027, 11)]
    held = [date(2027, 9, 1), date(2027, 10, 13)]  # October's on the second Wednesday
    ticks = duties.meeting_ticks(months, held, weekday=2, nth=1, today=date(2027, 11, 2))
    assert [(t.day, t.state) for t in ticks] == [
        (date(2027, 9, 1), duties.MET),
        (date(2027, 10, 6), duties.MISSING),
        (date(2027, 11, 3), duties.UPCOMING),
    ]


@pytest.mark.django_db
def test_the_page_shows_the_in_person_meeting_month_by_month(client, host, workroom, time_machine):
    time_machine.move_to(at(2027, 11, 20, 10), tick=False)
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(2027, 9, 1))
    # online on the first Wednesday of October: not the in-person meeting
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, mode=ActivityMode.ONLINE, starts_at=at(2027, 10, 6))
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(2027, 11, 3))
    client.force_login(host)
    r = client.get(reverse("workrooms:duty_progress", args=[workroom.pk]))
    ticks = r.context["progress"].meeting_months
    assert [(t.day, t.state) for t in ticks] == [
        (date(2027, 9, 1), duties.MET),
        (date(2027, 10, 6), duties.MISSING),
        (date(2027, 11, 3), duties.MET),
        (date(2027, 12, 1), duties.UPCOMING),
        (date(2028, 1, 5), duties.UPCOMING),
    ]
    html = r.content.decode()
    assert "线下例会逐月检查（每月第1个星期三）" in html
    assert 'data-month="2027-10" data-state="missing"' in html


@pytest.mark.django_db
def test_the_page_follows_a_changed_meeting_day(client, host, workroom, ruleset, time_machine):
    time_machine.move_to(at(2027, 10, 20, 10), tick=False)
    RuleSet.objects.filter(pk=ruleset.pk).update(duty_regular_meeting_weekday=3, duty_regular_meeting_week=2)
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(2027, 10, 14))
    client.force_login(host)
    r = client.get(reverse("workrooms:duty_progress", args=[workroom.pk]))
    october = r.context["progress"].meeting_months[1]
    assert (october.day, october.state) == (date(2027, 10, 14), duties.MET)
    assert "每月第2个星期四" in r.content.decode()


@pytest.mark.django_db
def test_the_activity_form_records_online_or_in_person(client, host, workroom):
    client.force_login(host)
    url = reverse("workrooms:activity_create", args=[workroom.pk])
    assert 'name="mode"' in client.get(url).content.decode()
    client.post(url, activity_data(type="regular", mode="online", theme="线上交流"))
    client.post(url, activity_data(type="regular", theme="未选形式"))
    assert dict(Activity.objects.values_list("theme", "mode")) == {"线上交流": "online", "未选形式": "in_person"}
    bad = client.post(url, activity_data(mode="phone", theme="电话会"))
    assert "选择一个有效的选项" in bad.content.decode()
    assert not Activity.objects.filter(theme="电话会").exists()


@pytest.mark.django_db
def test_the_settings_refuse_a_meeting_day_that_does_not_exist(client, admin, ruleset):
    from tests.workrooms.test_settings import URL, _data

    client.force_login(admin)
    r = client.post(URL, _data(ruleset, duty_regular_meeting_weekday="7", change_note="改例会日"))
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    assert RuleSet.objects.count() == 1
