"""Duty counting (DOMAIN.md §6 table) and the absence rule (§5).

Pure functions: frozen dataclasses of counts and of the required numbers
(read from the school's RuleSet by ``duty_rules_from``) go in, a list of
``DutyProgress`` comes out. No database, no request: the selectors in
``workrooms.activities.selectors`` do the queries and feed these functions."""

import calendar as gregorian
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from core.calendar import Period

SEMESTER = "本学期"
YEAR = "本学年"


@dataclass(frozen=True)
class DutyRules:
    """The required numbers of §6 and the absence limit of §5."""

    ruleset_version: int
    planning_meetings: int = 1
    progress_meetings: int = 2
    summary_meetings: int = 1
    regular_meetings_per_month: int = 1
    group_study_per_month: int = 1
    regular_meeting_week: int = 1  # the first ...
    regular_meeting_weekday: int = 2  # ... Wednesday (Monday is 0)
    books_per_semester: int = 0
    recommended_books_per_year: int = 2
    reflections_per_year: int = 2
    papers_read_per_semester: int = 5
    narratives_per_semester: int = 1
    student_cases_per_semester: int = 1
    demo_classes_per_year: int = 1
    training_hours_per_year: int = 30
    expert_lectures_per_year: int = 1
    articles_per_semester: int = 2
    host_lectures_per_year: int = 1
    host_observations_per_year: int = 10
    exchanges_per_semester: int = 1
    awarded_results_per_year: int = 1
    absence_limit_numerator: int = 1
    absence_limit_denominator: int = 3
    warning_days: int = 30


def duty_rules_from(ruleset) -> DutyRules:
    """The one place that reads the duty settings of a RuleSet."""
    values = {"ruleset_version": ruleset.version, "warning_days": ruleset.duty_warning_days}
    for f in fields(DutyRules):
        if hasattr(ruleset, f"duty_{f.name}"):
            values[f.name] = getattr(ruleset, f"duty_{f.name}")
    values["absence_limit_numerator"] = ruleset.absence_limit_numerator
    values["absence_limit_denominator"] = ruleset.absence_limit_denominator
    return DutyRules(**values)


@dataclass(frozen=True)
class WorkroomCounts:
    """What the workroom as a whole did: meetings in the semester, the
    host's lectures and observations and awarded results in the school year."""

    planning_meetings: int = 0
    progress_meetings: int = 0
    summary_meetings: int = 0
    regular_meetings: int = 0
    group_study_months: tuple["MonthTick", ...] = ()
    meeting_months: tuple["MonthTick", ...] = ()  # the in-person regular meeting's day
    exchanges: int = 0
    host_lectures: int = 0
    host_observations: int = 0
    awarded_results: int = 0


@dataclass(frozen=True)
class MemberCounts:
    """What one member did: semester records and school-year totals."""

    recommended_books: int = 0  # school year
    other_books: int = 0  # semester
    papers_read: int = 0
    narratives: int = 0
    student_cases: int = 0
    articles: int = 0
    reflections: int = 0
    demo_classes: int = 0
    training_hours: Decimal = Decimal(0)
    expert_lectures: int = 0

    def __add__(self, other: "MemberCounts") -> "MemberCounts":
        return MemberCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True)
class DutyProgress:
    label: str
    period: str  # SEMESTER or YEAR
    done: Decimal
    required: Decimal
    fraction: Decimal  # 0..1
    met: bool

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)


def duty(label: str, period: str, done, required) -> DutyProgress:
    done, required = Decimal(done), Decimal(required)
    if required <= 0:
        fraction = Decimal(1)
    else:
        fraction = min(done / required, Decimal(1)).quantize(Decimal("0.0001"))
    return DutyProgress(label, period, done, required, fraction, done >= required)


def workroom_duties(c: WorkroomCounts, r: DutyRules) -> list[DutyProgress]:
    """The workroom's own duties of §6: meetings per semester (regular
    meetings per month of the term; group study checked month by month, so
    several in one month do not make up for a month without), exchanges, the
    host's lectures and observations, awarded results."""
    months = len(c.group_study_months)
    return [
        duty("计划会", SEMESTER, c.planning_meetings, r.planning_meetings),
        duty("阶段汇报会", SEMESTER, c.progress_meetings, r.progress_meetings),
        duty("总结会", SEMESTER, c.summary_meetings, r.summary_meetings),
        duty("例会（每月）", SEMESTER, c.regular_meetings, r.regular_meetings_per_month * months),
        duty("集中学习（每月）", SEMESTER, sum(t.met for t in c.group_study_months), months),
        duty("跨工作室交流", SEMESTER, c.exchanges, r.exchanges_per_semester),
        duty("主持人讲座", YEAR, c.host_lectures, r.host_lectures_per_year),
        duty("主持人听成员课", YEAR, c.host_observations, r.host_observations_per_year),
        duty("区级以上获奖成果", YEAR, c.awarded_results, r.awarded_results_per_year),
    ]


def member_duties(c: MemberCounts, r: DutyRules, *, members: int = 1) -> list[DutyProgress]:
    """A member's duties of §6; with ``members`` > 1 the counts are the
    workroom's totals and each requirement is multiplied accordingly."""
    n = members
    return [
        duty("推荐书目（德育/心理著作）", YEAR, c.recommended_books, r.recommended_books_per_year * n),
        duty("其他书籍", SEMESTER, c.other_books, r.books_per_semester * n),
        duty("阅读论文", SEMESTER, c.papers_read, r.papers_read_per_semester * n),
        duty("教育叙事/案例", SEMESTER, c.narratives, r.narratives_per_semester * n),
        duty("学生个案", SEMESTER, c.student_cases, r.student_cases_per_semester * n),
        duty("德育论文/文章投稿", SEMESTER, c.articles, r.articles_per_semester * n),
        duty("读书心得", YEAR, c.reflections, r.reflections_per_year * n),
        duty("示范班会课", YEAR, c.demo_classes, r.demo_classes_per_year * n),
        duty("培训课时", YEAR, c.training_hours, r.training_hours_per_year * n),
        duty("市级以上专家讲座", YEAR, c.expert_lectures, r.expert_lectures_per_year * n),
    ]


# --- month by month (§6: group study every month, the first-Wednesday meeting) ---

MET, MISSING, OPEN, UPCOMING = "met", "missing", "open", "upcoming"
MONTH_STATES = {MET: "已完成", MISSING: "缺", OPEN: "本月进行中", UPCOMING: "未到"}


@dataclass(frozen=True)
class MonthTick:
    """One month of the term: how many of the activities it needs took
    place, and whether the month is done, missing, still running or ahead."""

    year: int
    month: int
    count: int
    state: str
    day: date | None = None  # the date that counts (the regular meeting's)

    @property
    def met(self) -> bool:
        return self.state == MET

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def state_label(self) -> str:
        return MONTH_STATES[self.state]


def _state(year: int, month: int, done: bool, today: date) -> str:
    if done:
        return MET
    if (year, month) < (today.year, today.month):
        return MISSING
    return OPEN if (year, month) == (today.year, today.month) else UPCOMING


def monthly_ticks(months, days, *, required: int, today: date) -> tuple[MonthTick, ...]:
    """Per (calendar year, month) of ``months``: the ``days`` that fall in it
    and whether they reach ``required``. A day counts only for its own
    calendar month: a group study on 31 October is October's."""
    out = []
    for year, month in months:
        count = sum(1 for d in days if (d.year, d.month) == (year, month))
        out.append(MonthTick(year, month, count, _state(year, month, count >= required, today)))
    return tuple(out)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` ``weekday`` (0 = Monday) of a month; the last one when the
    month has fewer (a fifth Wednesday asked of a month with four)."""
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    last = gregorian.monthrange(year, month)[1]
    while day > last:
        day -= 7
    return date(year, month, day)


def meeting_ticks(months, days, *, weekday: int, nth: int, today: date) -> tuple[MonthTick, ...]:
    """Per month of the term, whether the in-person regular meeting took
    place on its day (by default the first Wednesday, §6); ``days`` are the
    dates of the workroom's in-person regular meetings."""
    held = set(days)
    out = []
    for year, month in months:
        day = nth_weekday(year, month, weekday, nth)
        done = day in held
        state = MET if done else (MISSING if day < today else UPCOMING)
        out.append(MonthTick(year, month, int(done), state, day))
    return tuple(out)


def is_behind(duties: list[DutyProgress], *, semester_share: Decimal, year_share: Decimal) -> list[str]:
    """Labels of the counted duties whose progress lags the time that has
    passed in their period (a duty half done at mid-semester is on track)."""
    lagging = []
    for d in duties:
        share = semester_share if d.period == SEMESTER else year_share
        if not d.met and d.fraction < share:
            lagging.append(d.label)
    return lagging


def flagged_for_absence(*, absent: int, held: int, rules: DutyRules) -> bool:
    """§5: a member absent from MORE than numerator/denominator (default
    one third) of the workroom's activities so far is no longer trained by
    the workroom. Exactly one third is not more than one third."""
    if held <= 0:
        return False
    return absent * rules.absence_limit_denominator > rules.absence_limit_numerator * held


def term_ends_soon(period: Period, today: date, rules: DutyRules) -> bool:
    """Warn in the last ``warning_days`` days of the semester (§6)."""
    return 0 <= period.days_left(today) <= rules.warning_days
