"""Monthly duties (DOMAIN.md §6): group study at least once in every month
of the term, checked month by month on the duty-progress page."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import ActivityFactory
from workrooms.activities import duties, selectors
from workrooms.models import ActivityType

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=15):
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def states(ticks):
    return {(t.year, t.month): t.state for t in ticks}


def test_a_day_counts_only_for_its_own_month():
    months = [(2026, 9), (2026, 10), (2026, 11), (2026, 12), (2027, 1)]
    days = [date(2026, 9, d) for d in (2, 9, 16, 23, 30)] + [date(2026, 10, 31)]
    ticks = duties.monthly_ticks(months, days, required=1, today=date(2026, 12, 5))
    assert states(ticks) == {
        (2026, 9): duties.MET, (2026, 10): duties.MET, (2026, 11): duties.MISSING,
        (2026, 12): duties.OPEN, (2027, 1): duties.UPCOMING,
    }
    assert [t.count for t in ticks] == [5, 1, 0, 0, 0]


def test_five_in_september_do_not_make_up_for_october():
    months = [(2026, 9), (2026, 10)]
    ticks = duties.monthly_ticks(months, [date(2026, 9, d) for d in range(1, 6)], required=1, today=date(2026, 11, 2))
    d = {x.label: x for x in duties.workroom_duties(duties.WorkroomCounts(group_study_months=ticks), duties.DutyRules(1))}
    group = d["集中学习（每月）"]
    assert (group.done, group.required, group.met) == (1, 2, False)


def test_a_month_needs_as_many_as_the_setting_asks():
    ticks = duties.monthly_ticks([(2026, 9)], [date(2026, 9, 3)], required=2, today=date(2026, 10, 1))
    assert ticks[0].state == duties.MISSING and ticks[0].count == 1


@pytest.mark.django_db
def test_the_page_shows_october_met_by_the_31st_and_november_missing(client, host, workroom, time_machine):
    time_machine.move_to(at(2026, 12, 5, 10), tick=False)
    for day in (2, 9, 16, 23, 30):
        ActivityFactory(workroom=workroom, type=ActivityType.GROUP_STUDY, starts_at=at(2026, 9, day))
    # Late in the evening of 31 October (still 31 October in the school's time zone).
    ActivityFactory(workroom=workroom, type=ActivityType.GROUP_STUDY, starts_at=at(2026, 10, 31, 23))
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(2026, 11, 4))
    client.force_login(host)
    r = client.get(reverse("workrooms:duty_progress", args=[workroom.pk]))
    ticks = r.context["progress"].group_study_months
    assert states(ticks) == {
        (2026, 9): duties.MET, (2026, 10): duties.MET, (2026, 11): duties.MISSING,
        (2026, 12): duties.OPEN, (2027, 1): duties.UPCOMING,
    }
    group = {d.label: d for d in r.context["progress"].workroom_duties}["集中学习（每月）"]
    assert (group.done, group.required) == (2, 5)
    html = r.content.decode()
    assert 'data-month="2026-11" data-state="missing"' in html
    assert "集中学习逐月检查" in html


@pytest.mark.django_db
def test_the_term_months_follow_the_school_calendar(workroom, time_machine):
    """The spring term's months are the calendar's counted months (default
    March to July): February, mostly winter holiday, is not asked for."""
    time_machine.move_to(at(2027, 3, 10, 10), tick=False)
    progress = selectors.workroom_progress(workroom)
    assert [(t.year, t.month) for t in progress.group_study_months] == [
        (2027, 3), (2027, 4), (2027, 5), (2027, 6), (2027, 7)
    ]
