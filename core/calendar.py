"""Semesters and school years as pure functions of a date (DOMAIN.md §6).

The duties of §6 are counted per semester (学期) and per school year (学年):
- 第一学期 (autumn): 1 September to 31 January of the next year;
- 第二学期 (spring): 1 February to 31 August;
- the school year runs from 1 September to 31 August.
So 2026-09-01 … 2027-01-31 is 「2026-2027学年第一学期」 and 2027-02-01 …
2027-08-31 is 「2026-2027学年第二学期」. Funding is counted per calendar
year instead (see ``workrooms.funding.services``). Records store a semester by its
label; filters in URLs use its short code (``"2026-1"``)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# Months in which regular meetings and group study are due each semester:
# five per semester; July and August are the summer holiday.
TEACHING_MONTHS = {1: (9, 10, 11, 12, 1), 2: (2, 3, 4, 5, 6)}

_LABEL = re.compile(r"^(\d{4})-(\d{4})学年第([一二])学期$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    label: str
    code: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, today: date) -> int:
        return (self.end - today).days


def school_year_start(day: date) -> int:
    """The calendar year in which the school year containing ``day`` began."""
    return day.year if day.month >= 9 else day.year - 1


def term_of(day: date) -> tuple[int, int]:
    """(school year's starting calendar year, term) of ``day``: the first term
    runs 9/1–1/31, the second 2/1–8/31. The one place that decides it."""
    return school_year_start(day), (1 if day.month >= 9 or day.month == 1 else 2)


def semester_of(day: date) -> Period:
    return semester(*term_of(day))


def semester(start_year: int, term: int) -> Period:
    if term == 1:
        start, end = date(start_year, 9, 1), date(start_year + 1, 2, 1) - timedelta(days=1)
    elif term == 2:
        start, end = date(start_year + 1, 2, 1), date(start_year + 1, 8, 31)
    else:
        raise ValueError("term must be 1 or 2")
    name = "第一学期" if term == 1 else "第二学期"
    return Period(start, end, f"{start_year}-{start_year + 1}学年{name}", f"{start_year}-{term}")


def school_year_of(day: date) -> Period:
    year = school_year_start(day)
    return Period(date(year, 9, 1), date(year + 1, 8, 31), f"{year}-{year + 1}学年", str(year))


def semester_from_code(code: str) -> Period | None:
    """Parse ``"2026-1"`` back into its semester; ``None`` when malformed."""
    try:
        year, term = (int(part) for part in code.split("-"))
        return semester(year, term)
    except (ValueError, TypeError):
        return None


def parse_semester(label: str) -> Period | None:
    """The semester named by its label (``"2026-2027学年第一学期"``); ``None`` for anything else."""
    match = _LABEL.match((label or "").strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        return None
    return semester(int(match[1]), 1 if match[3] == "一" else 2)


def recent_semesters(today: date, count: int = 6) -> list[Period]:
    """The current semester and the ones before it, newest first."""
    periods, current = [], semester_of(today)
    for _ in range(count):
        periods.append(current)
        current = semester_of(current.start - timedelta(days=1))
    return periods


def semester_choices(today: date, count: int = 6) -> list[tuple[str, str]]:
    """Recent semesters as form choices keyed by label, newest first."""
    return [(p.label, p.label) for p in recent_semesters(today, count)]


def elapsed_share(period: Period, today: date) -> Decimal:
    """The share of ``period`` that has passed by ``today`` (0 to 1)."""
    if today < period.start:
        return Decimal(0)
    if today >= period.end:
        return Decimal(1)
    return Decimal((today - period.start).days + 1) / Decimal((period.end - period.start).days + 1)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)
