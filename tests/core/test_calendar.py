"""The school calendar (DOMAIN.md §11): terms, school years, counted months,
with the defaults and with a school's own calendar."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.calendar import (
    YearCalendar,
    elapsed_share,
    months_of,
    parse_semester,
    recent_semesters,
    school_year,
    school_year_of,
    semester,
    semester_choices,
    semester_from_code,
    semester_of,
    term_of,
)
from core.calendar import school_today as calendar_today
from members.models import SchoolCalendar
from tests.factories import SchoolFactory


@pytest.mark.parametrize(
    "day, label, start, end",
    [
        (date(2026, 7, 31), "2025-2026学年第二学期", date(2026, 2, 1), date(2026, 7, 31)),
        (date(2026, 9, 1), "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 31)),
        (date(2026, 12, 31), "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 31)),
        (date(2027, 1, 31), "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), "2026-2027学年第二学期", date(2027, 2, 1), date(2027, 7, 31)),
        (date(2028, 2, 29), "2027-2028学年第二学期", date(2028, 2, 1), date(2028, 7, 31)),
    ],
)
def test_it_places_days_in_semesters_at_the_boundaries(day, label, start, end):
    s = semester_of(day)
    assert (s.label, s.start, s.classes_end) == (label, start, end)
    assert day in s
    assert semester_from_code(s.code) == s


@pytest.mark.parametrize(
    "day, label", [(date(2026, 8, 31), "2025-2026学年"), (date(2026, 9, 1), "2026-2027学年"), (date(2027, 1, 31), "2026-2027学年")]
)
def test_it_places_days_in_school_years(day, label):
    assert school_year_of(day).label == label


def test_it_refuses_malformed_semester_codes():
    assert semester_from_code("2026-3") is None
    assert semester_from_code("abc") is None


def test_it_measures_the_elapsed_share_of_a_semester():
    s = semester_of(date(2026, 9, 1))
    assert elapsed_share(s, date(2026, 8, 1)) == 0
    assert elapsed_share(s, date(2027, 1, 31)) == 1
    assert Decimal("0") < elapsed_share(s, date(2026, 11, 15)) < Decimal("1")


@pytest.mark.parametrize(
    "label, expected",
    [
        ("2026-2027学年第一学期", semester(2026, 1)),
        ("2026-2027学年第二学期", semester(2026, 2)),
        (" 2026-2027学年第二学期 ", semester(2026, 2)),
        ("2026-2028学年第一学期", None),
        ("2026学年第一学期", None),
        ("", None),
    ],
)
def test_it_parses_semester_labels(label, expected):
    assert parse_semester(label) == expected


def test_it_lists_recent_semesters_newest_first():
    assert [s.label for s in recent_semesters(date(2027, 3, 1), 3)] == [
        "2026-2027学年第二学期", "2026-2027学年第一学期", "2025-2026学年第二学期",
    ]
    assert semester_choices(date(2027, 3, 1), 2) == [("2026-2027学年第二学期", "2026-2027学年第二学期"),
                                                     ("2026-2027学年第一学期", "2026-2027学年第一学期")]


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 8, 31), (2025, 2)),  # August closes the school year
        (date(2026, 9, 1), (2026, 1)),
        (date(2027, 1, 31), (2026, 1)),
        (date(2027, 2, 1), (2026, 2)),
    ],
)
def test_it_gives_the_school_year_and_term_of_a_day(day, expected):
    assert term_of(day) == expected


def test_august_is_summer_booked_to_the_term_that_ended():
    s = semester_of(date(2026, 8, 31))
    assert s.label == "2025-2026学年第二学期" and s.classes_end == date(2026, 7, 31) and s.end == date(2026, 8, 31)
    assert date(2026, 8, 31) in s and s.days_left(date(2026, 8, 31)) < 0
    assert semester_of(date(2027, 1, 31)).end == date(2027, 1, 31)
    assert school_year_of(date(2026, 8, 31)).label == "2025-2026学年"
    assert school_year_of(date(2026, 8, 31)).end == date(2026, 8, 31)


def test_the_default_counted_months_are_september_to_january_and_march_to_july():
    cal = YearCalendar.default(2025)
    assert cal.months_of(1) == [(2025, 9), (2025, 10), (2025, 11), (2025, 12), (2026, 1)]
    assert cal.months_of(2) == [(2026, 3), (2026, 4), (2026, 5), (2026, 6), (2026, 7)]
    assert cal.term_of_month(8) is None and cal.month_year(8) == 2026
    assert cal.problems() == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"term1": (date(2026, 9, 1), date(2027, 2, 10)), "term2": (date(2027, 2, 5), date(2027, 7, 10))}, "两个学期的日期重叠"),
        ({"counted_months": (9, 10, 10, 11)}, "10月重复计入"),
        ({"counted_months": (8, 9)}, "8月大部分日子不在学期内"),
        ({"term2": (date(2027, 2, 20), date(2027, 9, 5))}, "第二学期须在2026-2027学年内"),
        ({"term1": (date(2026, 10, 8), date(2027, 1, 20))}, "第一学期应在2026年8月或9月开始"),
        ({"term1": (date(2026, 9, 1), date(2026, 8, 20))}, "第一学期的开始日期晚于结束日期"),
    ],
)
def test_it_refuses_a_calendar_that_cannot_be(change, message):
    cal = replace(YearCalendar.default(2026), **change)
    assert any(message in p for p in cal.problems()), cal.problems()


def test_a_schools_own_calendar_moves_every_answer(db):
    """A school whose spring term starts on 23 February and ends on 10 July:
    the winter holiday belongs to the first term, the summer to the second."""
    school = SchoolFactory()
    SchoolCalendar.objects.create(
        school=school, start_year=2026, term1_start=date(2026, 8, 31), term1_end=date(2027, 1, 22),
        term2_start=date(2027, 2, 23), term2_end=date(2027, 7, 10), counted_months=[9, 10, 11, 12, 3, 4, 5, 6],
    )
    assert semester_of(date(2026, 8, 31)).label == "2026-2027学年第一学期"
    assert school_year_of(date(2026, 8, 31)).label == "2026-2027学年"
    assert semester_of(date(2027, 2, 10)).label == "2026-2027学年第一学期"
    assert semester_of(date(2027, 2, 23)).start == date(2027, 2, 23)
    assert semester(2026, 2).classes_end == date(2027, 7, 10)
    assert semester(2026, 1).end == date(2027, 2, 22)  # the winter holiday is booked to the first term
    assert months_of(2026, 1) == [(2026, 9), (2026, 10), (2026, 11), (2026, 12)]
    # The year before ends the day before this one starts.
    assert school_year(2025).end == date(2026, 8, 30)


@pytest.mark.parametrize(
    "today, label",
    [
        ("2026-08-31 12:00", "2025-2026学年第二学期"),
        ("2026-09-01 00:30", "2026-2027学年第一学期"),
        ("2026-12-31 23:30", "2026-2027学年第一学期"),
        ("2027-01-01 00:10", "2026-2027学年第一学期"),
        ("2027-01-31 23:59", "2026-2027学年第一学期"),
        ("2027-02-01 00:01", "2026-2027学年第二学期"),
        ("2028-02-29 12:00", "2027-2028学年第二学期"),
    ],
)
def test_today_is_the_schools_local_date(time_machine, today, label):
    """Beijing time: 00:30 on 1 September is still 31 August in UTC."""
    time_machine.move_to(datetime.fromisoformat(today).replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    assert calendar_today() == date.fromisoformat(today[:10])
    assert semester_of(calendar_today()).label == label
