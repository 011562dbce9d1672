"""Semesters and school years as pure functions of a date (DOMAIN.md §6)."""

from datetime import date
from decimal import Decimal

import pytest

from core.calendar import (
    elapsed_share,
    parse_semester,
    recent_semesters,
    school_year_of,
    semester,
    semester_choices,
    semester_from_code,
    semester_of,
    term_of,
)


@pytest.mark.parametrize(
    "day, label, start, end",
    [
        (date(2026, 8, 31), "2025-2026学年第二学期", date(2026, 2, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 31)),
        (date(2026, 12, 31), "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 31)),
        (date(2027, 1, 31), "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), "2026-2027学年第二学期", date(2027, 2, 1), date(2027, 8, 31)),
        (date(2028, 2, 29), "2027-2028学年第二学期", date(2028, 2, 1), date(2028, 8, 31)),
    ],
)
def test_it_places_days_in_semesters_at_the_boundaries(day, label, start, end):
    s = semester_of(day)
    assert (s.label, s.start, s.end) == (label, start, end)
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
