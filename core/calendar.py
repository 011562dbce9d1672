"""The school calendar (DOMAIN.md §11): the one place that answers which
school year and term a date is in, the months of a term, and "today".

A school year (学年) starts with the autumn term: the school year 2026 is
「2026-2027学年」. Its terms, holidays and the months that count for the
monthly assessment and the allowance are data the office edits per school
and school year (``members.SchoolCalendar``); a year nobody has set uses the
defaults of §11:
- 第一学期 1 September – 31 January, 第二学期 1 February – 31 July;
- August is summer and belongs to no term;
- the months that count: September to January and March to July (ten).

A school year runs from its first day (1 September, or the first term's
start when that is earlier) to the day before the next school year's first
day. A day between two terms (winter or summer holiday) is booked to the term
that ended last: 15 August 2027 belongs to the 2026–2027 school year and
to its 第二学期, whose classes ended on 31 July (``Period.classes_end``):
warnings and "days left" count to that day.

Funding is counted per calendar year instead (see
``workrooms.funding.services``). Records store a term by its label; filters
in URLs use its short code (``"2026-1"``).

The calendars are read through a source that the ``members`` app installs
(``use_source``); without one, every year has the defaults."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

# The months that count for the monthly assessment and the allowance by
# default (§11): September to January and March to July.
DEFAULT_COUNTED_MONTHS = (9, 10, 11, 12, 1, 3, 4, 5, 6, 7)

TERM_NAMES = {1: "第一学期", 2: "第二学期"}

# Monday is 0, as ``date.weekday()`` counts.
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

_LABEL = re.compile(r"^(\d{4})[-–](\d{4})学年第([一二])学期$")


def school_today() -> date:
    """Today in the school's time zone (``TIME_ZONE``): every "today" of the
    system comes from here."""
    return timezone.localdate()


def year_label(start_year: int) -> str:
    """「2026-2027学年」: never 「2026学年」. (Records store term labels in
    this form, so it stays as it is.)"""
    return f"{start_year}-{start_year + 1}学年"


@dataclass(frozen=True, order=True)
class Period:
    """A stretch of days with a label: a term or a school year.

    A term runs from its first day to the day before the next term starts,
    so the holiday after it is booked to it (what is logged in the summer
    counts for the spring term); ``classes_end`` is its last day of classes,
    which warnings and "days left" count to."""

    start: date
    end: date  # inclusive
    label: str
    code: str
    classes_end: date | None = None

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def last_day(self) -> date:
        return self.classes_end or self.end

    def days_left(self, today: date) -> int:
        return (self.last_day - today).days


@dataclass(frozen=True)
class Holiday:
    start: date
    end: date
    name: str


@dataclass(frozen=True)
class YearCalendar:
    """One school year of one school: its two terms, holidays and the months
    that count for the monthly assessment and the allowance."""

    start_year: int
    term1: tuple[date, date]
    term2: tuple[date, date]
    counted_months: tuple[int, ...] = DEFAULT_COUNTED_MONTHS
    holidays: tuple[Holiday, ...] = field(default=())

    @classmethod
    def default(cls, start_year: int) -> "YearCalendar":
        return cls(
            start_year,
            (date(start_year, 9, 1), date(start_year + 1, 1, 31)),
            (date(start_year + 1, 2, 1), date(start_year + 1, 7, 31)),
        )

    @property
    def label(self) -> str:
        return year_label(self.start_year)

    @property
    def starts_on(self) -> date:
        return min(date(self.start_year, 9, 1), self.term1[0])

    @property
    def window(self) -> tuple[date, date]:
        """Where its terms and holidays may lie: 1 August to 31 August a year later."""
        return date(self.start_year, 8, 1), date(self.start_year + 1, 8, 31)

    def term(self, number: int) -> tuple[date, date]:
        if number not in (1, 2):
            raise ValueError("term must be 1 or 2")
        return self.term1 if number == 1 else self.term2

    def month_year(self, month: int) -> int:
        """The calendar year of ``month`` within this school year."""
        return self.start_year if month >= self.starts_on.month else self.start_year + 1

    def month_span(self, month: int) -> tuple[date, date]:
        year = self.month_year(month)
        first = date(year, month, 1)
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)

    def is_school_day(self, day: date) -> bool:
        """A day inside one of the two terms and outside every holiday."""
        in_term = any(start <= day <= end for start, end in (self.term1, self.term2))
        return in_term and not any(h.start <= day <= h.end for h in self.holidays)

    def check_weeks(self, month: int) -> list[tuple[date, date]]:
        """The weeks (Monday to Sunday) the 年级部's routine check of ``month``
        is reported for (DOMAIN.md §9.1; 001: checked daily, the results
        reported every Friday): a week belongs to the month of its Friday,
        the day it is reported, so a week across a month boundary counts
        once. Weeks without a school day from Monday to Friday (outside the
        terms or wholly in the holidays) are left out."""
        first, last = self.month_span(month)
        friday = first + timedelta(days=(4 - first.weekday()) % 7)
        weeks = []
        while friday <= last:
            monday = friday - timedelta(days=4)
            if any(self.is_school_day(monday + timedelta(days=i)) for i in range(5)):
                weeks.append((monday, monday + timedelta(days=6)))
            friday += timedelta(days=7)
        return weeks

    def term_of_month(self, month: int) -> int | None:
        """The term a month belongs to: the one holding at least half of its
        days; a month mostly in the holidays belongs to none (``None``)."""
        first, last = self.month_span(month)
        best, best_days = None, ((last - first).days + 1) / 2 - 0.5
        for number in (1, 2):
            start, end = self.term(number)
            days = (min(last, end) - max(first, start)).days + 1
            if days > best_days:
                best, best_days = number, days
        return best

    def months_of(self, number: int) -> list[tuple[int, int]]:
        """The counted months of a term as (calendar year, month), in order."""
        months = [m for m in self.counted_months if self.term_of_month(m) == number]
        return sorted((self.month_year(m), m) for m in months)

    def problems(self) -> list[str]:
        """What makes this calendar impossible, in Chinese; empty when it is sound."""
        out = []
        lo, hi = self.window
        span = f"{lo:%Y年%-m月%-d日}至{hi:%Y年%-m月%-d日}"
        for number, (start, end) in ((1, self.term1), (2, self.term2)):
            name = TERM_NAMES[number]
            if start > end:
                out.append(f"{name}的开始日期晚于结束日期。")
            if not (lo <= start and end <= hi):
                out.append(f"{name}须在{self.label}内（{span}）。")
        if not (date(self.start_year, 8, 1) <= self.term1[0] <= date(self.start_year, 9, 30)):
            out.append(f"第一学期应在{self.start_year}年8月或9月开始。")
        if self.term1[1] >= self.term2[0]:
            out.append("两个学期的日期重叠：第二学期须在第一学期结束之后开始。")
        seen = set()
        for month in self.counted_months:
            if not 1 <= month <= 12:
                out.append(f"{month}不是月份。")
            elif month in seen:
                out.append(f"{month}月重复计入。")
            elif self.term_of_month(month) is None:
                out.append(f"{month}月大部分日子不在学期内，不能计入考核与津贴。")
            seen.add(month)
        for h in self.holidays:
            if h.start > h.end:
                out.append(f"假期「{h.name}」的开始日期晚于结束日期。")
            elif not (lo <= h.start and h.end <= hi):
                out.append(f"假期「{h.name}」须在{self.label}内（{span}）。")
        return out


# --- where the calendars come from ------------------------------------------------

Source = Callable[[int, int | None], YearCalendar | None]
_source: Source = lambda start_year, school_id: None  # noqa: E731


def use_source(source: Source) -> None:
    """Install where calendars come from: ``source(start_year, school_id)``
    returns the school's calendar of that year, or ``None`` for the defaults
    (``school_id`` ``None``: the school of a single-school installation)."""
    global _source
    _source = source


def year_calendar(start_year: int, school_id: int | None = None) -> YearCalendar:
    return _source(start_year, school_id) or YearCalendar.default(start_year)


# --- questions about dates ------------------------------------------------------


def school_year_start(day: date, school_id: int | None = None) -> int:
    """The calendar year in which the school year containing ``day`` began."""
    return day.year if day >= year_calendar(day.year, school_id).starts_on else day.year - 1


def term_of(day: date, school_id: int | None = None) -> tuple[int, int]:
    """(school year, term) of ``day``; a holiday day belongs to the term that
    ended last. The one place that decides it."""
    year = school_year_start(day, school_id)
    return year, (2 if day >= year_calendar(year, school_id).term2[0] else 1)


def semester(start_year: int, term: int, school_id: int | None = None) -> Period:
    cal = year_calendar(start_year, school_id)
    start, classes_end = cal.term(term)
    following = cal.term2[0] if term == 1 else year_calendar(start_year + 1, school_id).starts_on
    return Period(
        start, following - timedelta(days=1), f"{year_label(start_year)}{TERM_NAMES[term]}", f"{start_year}-{term}",
        classes_end,
    )


def semester_of(day: date, school_id: int | None = None) -> Period:
    return semester(*term_of(day, school_id), school_id=school_id)


def next_semester(term: Period, school_id: int | None = None) -> Period:
    """The term after ``term`` (the summer and winter holidays lie between)."""
    year, number = (int(part) for part in term.code.split("-"))
    return semester(year, 2, school_id) if number == 1 else semester(year + 1, 1, school_id)


def school_year(start_year: int, school_id: int | None = None) -> Period:
    start = year_calendar(start_year, school_id).starts_on
    end = year_calendar(start_year + 1, school_id).starts_on - timedelta(days=1)
    return Period(start, end, year_label(start_year), str(start_year))


def school_year_of(day: date, school_id: int | None = None) -> Period:
    return school_year(school_year_start(day, school_id), school_id)


def months_of(start_year: int, term: int, school_id: int | None = None) -> list[tuple[int, int]]:
    """The months of a term that count for the monthly assessment and the
    allowance, as (calendar year, month) in calendar order."""
    return year_calendar(start_year, school_id).months_of(term)


def term_months(term: Period, school_id: int | None = None) -> list[tuple[int, int]]:
    """The months of a term in which the monthly duties fall due (group
    study, the regular meeting, §6): the term's counted months of the
    school calendar, as (calendar year, month) in calendar order."""
    year, number = (int(part) for part in term.code.split("-"))
    return months_of(year, number, school_id)


def counted_months_before(day: date, count: int, school_id: int | None = None) -> list[tuple[int, int]]:
    """The ``count`` counted months (assessment and allowance) before the
    month of ``day``, as (calendar year, month) in calendar order; the summer
    and other months the calendar leaves out are skipped."""
    found, year, month = [], day.year, day.month
    while len(found) < count:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        cal = year_calendar(school_year_start(date(year, month, 15), school_id), school_id)
        if month in cal.counted_months and cal.month_year(month) == year:
            found.insert(0, (year, month))
    return found


def semester_from_code(code: str) -> Period | None:
    """Parse ``"2026-1"`` back into its term; ``None`` when malformed."""
    try:
        year, term = (int(part) for part in code.split("-"))
        if not 1900 <= year <= 2999 or term not in (1, 2):
            return None
        return semester(year, term)
    except (ValueError, TypeError):
        return None


def parse_semester(label: str) -> Period | None:
    """The term named by its label (``"2026-2027学年第一学期"``; an en dash
    is accepted too); ``None`` for anything else."""
    match = _LABEL.match((label or "").strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        return None
    return semester(int(match[1]), 1 if match[3] == "一" else 2)


def recent_semesters(today: date, count: int = 6) -> list[Period]:
    """The current term and the ones before it, newest first."""
    year, term = term_of(today)
    periods = []
    for _ in range(count):
        periods.append(semester(year, term))
        year, term = (year, 1) if term == 2 else (year - 1, 2)
    return periods


def semester_choices(today: date, count: int = 6) -> list[tuple[str, str]]:
    """Recent terms as form choices keyed by label, newest first."""
    return [(p.label, p.label) for p in recent_semesters(today, count)]


def elapsed_share(period: Period, today: date) -> Decimal:
    """The share of ``period`` that has passed by ``today`` (0 to 1)."""
    if today < period.start:
        return Decimal(0)
    if today >= period.last_day:
        return Decimal(1)
    return Decimal((today - period.start).days + 1) / Decimal((period.last_day - period.start).days + 1)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)
