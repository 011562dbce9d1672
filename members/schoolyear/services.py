"""The school calendars (校历, DOMAIN.md §11) as ``core.calendar`` reads them,
and their editing.

Every process keeps the calendars in memory (one query loads them all) and
reloads them after ``RELOAD_SECONDS``, so an edit made in one process reaches
the others within a minute; the process that saves sees it at once."""

import time
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import calendar
from members.models import SchoolCalendar

RELOAD_SECONDS = 60


class Calendars:
    """The calendars of every school, by (school id, school year)."""

    def __init__(self):
        self.rows: dict[tuple[int, int], calendar.YearCalendar] = {}
        self.loaded_at: float | None = None
        self.pinned = False
        self._first: dict[int, int] | None = None

    def reset(self, *, empty: bool = False) -> None:
        """Forget what is loaded. ``empty=True`` says there are none and keeps
        it so (no query, no reload) until saves add some: for tests, which
        start each from an empty table."""
        self.rows = {}
        self._first = None
        self.loaded_at = None
        self.pinned = empty

    def put(self, row: SchoolCalendar) -> None:
        self.rows[row.school_id, row.start_year] = row.as_calendar()
        self._first = None

    def drop(self, row: SchoolCalendar) -> None:
        self.rows.pop((row.school_id, row.start_year), None)
        self._first = None

    def _fresh(self) -> None:
        if self.pinned:
            return
        if self.loaded_at is None or time.monotonic() - self.loaded_at > RELOAD_SECONDS:
            self.rows = {(r.school_id, r.start_year): r.as_calendar() for r in SchoolCalendar.objects.all()}
            self._first = None
            self.loaded_at = time.monotonic()

    def __call__(self, start_year: int, school_id: int | None) -> calendar.YearCalendar | None:
        self._fresh()
        if school_id is None:
            # A single-school installation asks without a school: the first school's.
            school_id = self.first_school.get(start_year)
        return self.rows.get((school_id, start_year))

    @property
    def first_school(self) -> dict[int, int]:
        """Per school year, the lowest school id that has a calendar (kept
        up to date with the rows, not recomputed on every question)."""
        if self._first is None:
            self._first = {}
            for school, year in sorted(self.rows):
                self._first.setdefault(year, school)
        return self._first


calendars = Calendars()


@receiver(post_save, sender=SchoolCalendar)
def _saved(sender, instance, **kwargs):
    calendars.put(instance)


@receiver(post_delete, sender=SchoolCalendar)
def _deleted(sender, instance, **kwargs):
    calendars.drop(instance)


def neighbour_problems(row: SchoolCalendar) -> list[str]:
    """The calendar must not run into the school's years before and after it."""
    out = []
    cal = row.as_calendar()
    before = calendar.year_calendar(row.start_year - 1, row.school_id)
    after = calendar.year_calendar(row.start_year + 1, row.school_id)
    if cal.starts_on <= before.term2[1]:
        out.append(f"第一学期开始前，{before.label}第二学期尚未结束（{before.term2[1]:%Y年%-m月%-d日}）。")
    if cal.term2[1] >= after.starts_on:
        out.append(f"第二学期须在{after.label}开始（{after.starts_on:%Y年%-m月%-d日}）之前结束。")
    return out


@transaction.atomic
def calendar_save(*, row: SchoolCalendar, actor) -> SchoolCalendar:
    """Save a school year's calendar after checking it as a whole (§11):
    terms inside their school year and apart, each counted month once and
    inside a term, holidays inside the year, no overlap with the years
    around it. A refused calendar changes nothing."""
    problems = row.as_calendar().problems() + neighbour_problems(row)
    if problems:
        raise ValidationError(problems)
    row.updated_by = actor
    row.save()
    return row


def default_row(*, school, start_year: int) -> SchoolCalendar:
    """An unsaved calendar holding the defaults of §11 for the year."""
    cal = calendar.YearCalendar.default(start_year)
    return SchoolCalendar(
        school=school, start_year=start_year,
        term1_start=cal.term1[0], term1_end=cal.term1[1], term2_start=cal.term2[0], term2_end=cal.term2[1],
        counted_months=list(cal.counted_months), holidays=[],
    )


def calendar_rows(school, *, around: date, years_before: int = 2, years_after: int = 1) -> list[SchoolCalendar]:
    """The school's calendars of the years around ``around``: saved rows, and
    the defaults (unsaved) for years nobody has set."""
    current = calendar.school_year_start(around, school.pk)
    saved = {r.start_year: r for r in SchoolCalendar.objects.filter(school=school).select_related("updated_by")}
    years = sorted(set(range(current - years_before, current + years_after + 1)) | set(saved), reverse=True)
    return [saved.get(y) or default_row(school=school, start_year=y) for y in years]
