"""Read side of activities, attendance, funding and duties: each selector
does a fixed number of queries, then plain Python (DOMAIN.md §3, §5, §6)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from core.calendar import (
    Period,
    elapsed_share,
    next_semester,
    school_today,
    school_year_of,
    semester_of,
    term_months,
)
from core.history import ChangeRow, change_rows
from core.queries import SubqueryCount, SubquerySum
from members.choices import LEVEL_RANK, Level
from workrooms.activities import duties
from workrooms.funding.services import ZERO, annual_allocation, balance_on
from workrooms.models import (
    Activity,
    ActivityMode,
    ActivityType,
    Attendance,
    Expense,
    LessonObservation,
    RuleSet,
    Workroom,
)
from workrooms.outreach.showcase import outreach_counts
from workrooms.records.selectors import NO_RECORDS, record_counts
from workrooms.selection.models import Membership, MembershipChange

MUNICIPAL_OR_ABOVE = [lvl for lvl in Level.values if LEVEL_RANK[lvl] >= LEVEL_RANK[Level.MUNICIPAL]]
# Activities in which the speaker gives a lecture (主持人讲座, §6).
LECTURE_TYPES = [ActivityType.EXPERT_LECTURE, ActivityType.GROUP_STUDY, ActivityType.FORUM, ActivityType.SEMINAR]


def bounds(period: Period) -> tuple[datetime, datetime]:
    """Aware datetimes [start, end) of a period, for index-friendly filters."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=tz)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def in_period(period: Period, prefix: str = "") -> Q:
    start, end = bounds(period)
    return Q(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end})


# --- counts from members' records ------------------------------------------------


def recorded_work_counts(*, workroom_id: int, semester: Period, year_records: dict) -> dict[int, dict]:
    """The §6 counts that come from reading logs and writings, per teacher:
    semester figures from ``record_counts`` (three queries) and the year's
    recommended books and accepted reflections from ``year_records`` (the
    year's ``record_counts``). Recommended books (推荐书目) are counted apart
    from the other books read."""
    this_semester = record_counts(workroom_ids=[workroom_id], start=semester.start, end=semester.end)
    counts = {}
    for teacher_id in this_semester.keys() | year_records.keys():
        term = this_semester.get(teacher_id, NO_RECORDS)
        whole_year = year_records.get(teacher_id, NO_RECORDS)
        counts[teacher_id] = {
            "recommended_books": whole_year.recommended_books,
            "other_books": term.books_read - term.recommended_books,
            "papers_read": term.papers_read, "narratives": term.narratives,
            "student_cases": term.student_cases, "articles": term.articles_submitted,
            "reflections": whole_year.reflections_accepted,
        }
    return counts


def year_record_counts(workroom_id: int, year: Period) -> dict:
    """Three queries: every teacher's records of the workroom in the school year."""
    return record_counts(workroom_ids=[workroom_id], start=year.start, end=year.end)


def recorded_awards_count(year_records: dict) -> int:
    """Awarded results at district level or above of the workroom's people (§6)."""
    return sum(counts.awarded_results for counts in year_records.values())


# --- activities ----------------------------------------------------------------


def activity_list(workroom):
    return (
        Activity.objects.filter(workroom=workroom)
        .select_related("speaker", "recorder")
        .annotate(present=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)))
        .order_by("-starts_at", "-id")
    )


def attendance_sheet(activity) -> list[tuple]:
    """(teacher, status) for every current member and host of the workroom."""
    memberships = (
        Membership.objects.current().filter(workroom_id=activity.workroom_id).select_related("teacher").order_by("role", "teacher__name")
    )
    statuses = dict(Attendance.objects.filter(activity=activity).values_list("teacher_id", "status"))
    return [(m.teacher, statuses.get(m.teacher_id, ""), m) for m in memberships]


def observations_of(workroom):
    """The host's 听课记录 of ``workroom``, newest first (one query a page)."""
    return LessonObservation.objects.filter(workroom=workroom).select_related("teacher").order_by("-date", "-id")


def active_code(activity):
    return activity.signin_codes.filter(expires_at__gt=timezone.now()).order_by("-created_at").first()


# --- duties --------------------------------------------------------------------


@dataclass
class MemberRow:
    membership: Membership
    counts: duties.MemberCounts
    duties: list
    lagging: list
    held: int
    absent: int
    flagged: bool


@dataclass
class WorkroomProgress:
    workroom: Workroom
    today: date
    semester: Period
    year: Period
    rules: duties.DutyRules
    workroom_duties: list
    member_totals: list
    members: list[MemberRow] = field(default_factory=list)
    ends_soon: bool = False
    group_study_months: tuple = ()
    meeting_months: tuple = ()

    @property
    def days_left(self) -> int:
        return self.semester.days_left(self.today)

    @property
    def behind(self) -> list[MemberRow]:
        return [m for m in self.members if m.lagging or m.flagged]


def _member_rows(
    workroom, *, semester: Period, year: Period, year_records: dict, rules, today, teacher_id=None
) -> list[MemberRow]:
    """Four queries: every current member with their year's attendance
    figures, then the semester's records (``recorded_work_counts``).

    For the absence rule (§5) an activity held since the member joined
    counts as attended only with a 出席 or 请假 row; the sign-in sheet lists
    every member, so an activity with no row for the member is an absence."""
    now = timezone.now()
    year_start, year_end = bounds(year)
    present_this_year = Attendance.objects.filter(
        teacher=OuterRef("teacher"), activity__workroom=OuterRef("workroom"), status=Attendance.Status.PRESENT,
        activity__starts_at__gte=year_start, activity__starts_at__lt=year_end,
    )
    held = Activity.objects.filter(
        workroom=OuterRef("workroom"), starts_at__date__gte=OuterRef("joined_on"), starts_at__lte=now
    ).values("id")
    attended = Attendance.objects.filter(
        teacher=OuterRef("teacher"), activity__workroom=OuterRef("workroom"),
        status__in=[Attendance.Status.PRESENT, Attendance.Status.LEAVE],
        activity__starts_at__date__gte=OuterRef("joined_on"), activity__starts_at__lte=now,
    ).values("id")
    demo = Activity.objects.filter(
        workroom=OuterRef("workroom"), speaker=OuterRef("teacher"), type=ActivityType.DEMO_CLASS,
        starts_at__gte=year_start, starts_at__lt=year_end,
    ).values("id")
    qs = (
        Membership.objects.current()
        .filter(workroom=workroom, role=Membership.Role.MEMBER)
        .select_related("teacher")
        .annotate(
            n_held=SubqueryCount(held),
            n_attended=SubqueryCount(attended),
            n_demo=SubqueryCount(demo),
            n_hours=SubquerySum(present_this_year.values(hours=F("activity__training_hours")), column="hours"),
            n_expert=SubqueryCount(
                present_this_year.filter(activity__is_expert_lecture=True, activity__level__in=MUNICIPAL_OR_ABOVE).values("id")
            ),
        )
        .order_by("teacher__name")
    )
    if teacher_id is not None:
        qs = qs.filter(teacher_id=teacher_id)
    memberships = list(qs)
    recorded = recorded_work_counts(workroom_id=workroom.pk, semester=semester, year_records=year_records)
    sem_share, year_share = elapsed_share(semester, today), elapsed_share(year, today)
    rows = []
    for m in memberships:
        counts = duties.MemberCounts(
            demo_classes=m.n_demo, training_hours=m.n_hours, expert_lectures=m.n_expert, **recorded.get(m.teacher_id, {})
        )
        member_duties = duties.member_duties(counts, rules)
        absent = m.n_held - m.n_attended
        rows.append(
            MemberRow(
                membership=m, counts=counts, duties=member_duties,
                lagging=duties.is_behind(member_duties, semester_share=sem_share, year_share=year_share),
                held=m.n_held, absent=absent,
                flagged=duties.flagged_for_absence(absent=absent, held=m.n_held, rules=rules),
            )
        )
    return rows


@dataclass(frozen=True)
class AbsentMember:
    membership: Membership
    held: int
    absent: int


def members_absent_over_limit(*, today: date, rules: duties.DutyRules) -> list[AbsentMember]:
    """Members of open workrooms absent from more than the limit (default
    one third) of their workroom's activities held so far in the semester
    of ``today`` since they joined (DOMAIN.md §5, §11), except those whose
    withdrawal or removal is already under way. One query."""
    semester = semester_of(today)
    start, _ = bounds(semester)
    until = datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
    held = Activity.objects.filter(
        workroom=OuterRef("workroom"), starts_at__gte=start, starts_at__lt=until,
        starts_at__date__gte=OuterRef("joined_on"),
    ).values("id")
    attended = Attendance.objects.filter(
        teacher=OuterRef("teacher"), activity__workroom=OuterRef("workroom"),
        status__in=[Attendance.Status.PRESENT, Attendance.Status.LEAVE],
        activity__starts_at__gte=start, activity__starts_at__lt=until,
        activity__starts_at__date__gte=OuterRef("joined_on"),
    ).values("id")
    under_way = MembershipChange.objects.filter(membership=OuterRef("pk"), status__in=MembershipChange.OPEN_STATUSES)
    qs = (
        Membership.objects.current()
        .filter(role=Membership.Role.MEMBER, workroom__status__in=Workroom.OPEN_STATUSES)
        .exclude(Exists(under_way))
        .select_related("teacher", "workroom")
        .annotate(n_held=SubqueryCount(held), n_attended=SubqueryCount(attended))
        .order_by("workroom__name", "teacher__name", "pk")
    )
    return [
        AbsentMember(membership=m, held=m.n_held, absent=m.n_held - m.n_attended)
        for m in qs
        if duties.flagged_for_absence(absent=m.n_held - m.n_attended, held=m.n_held, rules=rules)
    ]


@dataclass
class MonthDays:
    """A workroom's dates of one term that the monthly checks of §6 read."""

    group_studies: list[date] = field(default_factory=list)
    in_person_meetings: list[date] = field(default_factory=list)  # regular meetings held 线下


def monthly_activity_days(workroom_ids, semester: Period) -> dict[int, MonthDays]:
    """One query: per workroom, the local dates of its group studies and of
    its in-person regular meetings in ``semester``, for the month-by-month
    checks of §6. ``workroom_ids`` may be a list or a queryset of ids."""
    start, end = bounds(semester)
    meeting = Q(type=ActivityType.REGULAR, mode=ActivityMode.IN_PERSON)
    rows = Activity.objects.filter(
        Q(type=ActivityType.GROUP_STUDY) | meeting, workroom_id__in=workroom_ids, starts_at__gte=start, starts_at__lt=end
    ).values_list("workroom_id", "type", "starts_at")
    days: dict[int, MonthDays] = defaultdict(MonthDays)
    for workroom_id, kind, starts_at in rows:
        found = days[workroom_id]
        day = timezone.localtime(starts_at).date()
        (found.group_studies if kind == ActivityType.GROUP_STUDY else found.in_person_meetings).append(day)
    return days


def month_ticks(days: list[date], *, semester: Period, rules: duties.DutyRules, today: date) -> tuple:
    """The group-study ticks of each month of ``semester`` (§6)."""
    return duties.monthly_ticks(term_months(semester), days, required=rules.group_study_per_month, today=today)


def meeting_ticks(days: list[date], *, semester: Period, rules: duties.DutyRules, today: date) -> tuple:
    """Per month of ``semester``, whether the in-person regular meeting was
    held on its day (by default the first Wednesday, §6)."""
    return duties.meeting_ticks(
        term_months(semester), days, weekday=rules.regular_meeting_weekday, nth=rules.regular_meeting_week, today=today
    )


def _workroom_counts(
    workroom, *, semester: Period, year: Period, year_records: dict, rules: duties.DutyRules, today: date
) -> duties.WorkroomCounts:
    """Five queries: the workroom's meetings this semester and the host's
    lectures and observations this school year (demonstration classes the
    host attended and the host's 听课记录), plus its recorded outreach
    (cross-workroom exchanges this semester count as exchanges, lectures and
    trainings given to other schools this year as host lectures, §6);
    awarded results come from ``year_records``."""
    T = ActivityType
    sem, yr = in_period(semester), in_period(year)
    host_id = workroom.host_id
    observed = Q(
        type=T.DEMO_CLASS, attendances__teacher_id=host_id, attendances__status=Attendance.Status.PRESENT
    ) & ~Q(speaker_id=host_id)
    figures = Activity.objects.filter(workroom=workroom).aggregate(
        planning=Count("id", filter=sem & Q(type=T.PLANNING), distinct=True),
        progress=Count("id", filter=sem & Q(type=T.PROGRESS), distinct=True),
        summary=Count("id", filter=sem & Q(type=T.SUMMARY), distinct=True),
        regular=Count("id", filter=sem & Q(type=T.REGULAR), distinct=True),
        exchanges=Count("id", filter=sem & Q(is_cross_workroom=True), distinct=True),
        lectures=Count("id", filter=yr & Q(speaker_id=host_id, type__in=LECTURE_TYPES), distinct=True),
        observations=Count("id", filter=yr & observed, distinct=True),
    )
    awards = recorded_awards_count(year_records)
    days = monthly_activity_days([workroom.pk], semester)[workroom.pk]
    recorded = LessonObservation.objects.filter(workroom=workroom, date__range=(year.start, year.end)).count()
    sem_out = outreach_counts(workroom_ids=[workroom.pk], start=semester.start, end=semester.end)[workroom.pk]
    year_out = outreach_counts(workroom_ids=[workroom.pk], start=year.start, end=year.end)[workroom.pk]
    return duties.WorkroomCounts(
        planning_meetings=figures["planning"], progress_meetings=figures["progress"],
        summary_meetings=figures["summary"], regular_meetings=figures["regular"],
        group_study_months=month_ticks(days.group_studies, semester=semester, rules=rules, today=today),
        meeting_months=meeting_ticks(days.in_person_meetings, semester=semester, rules=rules, today=today),
        exchanges=figures["exchanges"] + sem_out.exchanges,
        host_lectures=figures["lectures"] + year_out.lectures + year_out.trainings,
        host_observations=figures["observations"] + recorded, awarded_results=awards,
    )


def workroom_progress(workroom, *, today: date | None = None, ruleset=None) -> WorkroomProgress:
    """Duty progress of a workroom and of each member (§6) with the
    absence flags of §5, for the semester and school year of ``today``."""
    today = today or school_today()
    rules = duties.duty_rules_from(ruleset or RuleSet.objects.current())
    semester, year = semester_of(today), school_year_of(today)
    year_records = year_record_counts(workroom.pk, year)
    rows = _member_rows(workroom, semester=semester, year=year, year_records=year_records, rules=rules, today=today)
    total = sum((r.counts for r in rows), duties.MemberCounts())
    counts = _workroom_counts(
        workroom, semester=semester, year=year, year_records=year_records, rules=rules, today=today
    )
    return WorkroomProgress(
        workroom=workroom, today=today, semester=semester, year=year, rules=rules,
        workroom_duties=duties.workroom_duties(counts, rules),
        member_totals=duties.member_duties(total, rules, members=len(rows)) if rows else [],
        members=rows, ends_soon=duties.term_ends_soon(semester, today, rules),
        group_study_months=counts.group_study_months, meeting_months=counts.meeting_months,
    )


def workroom_duties_now(workroom, *, today: date | None = None) -> tuple[Period, list]:
    """Only the workroom's own duties (for the dashboard): nine queries."""
    today = today or school_today()
    rules = duties.duty_rules_from(RuleSet.objects.current())
    semester, year = semester_of(today), school_year_of(today)
    year_records = year_record_counts(workroom.pk, year)
    counts = _workroom_counts(
        workroom, semester=semester, year=year, year_records=year_records, rules=rules, today=today
    )
    return semester, duties.workroom_duties(counts, rules)


@dataclass
class YearDuties:
    """A workroom's own duties (§6) over one school year: the semester duties
    of each semester that has begun, and the year's duties."""

    year: Period
    semesters: list  # (semester Period, [DutyProgress]) of each semester begun
    year_duties: list  # [DutyProgress] counted over the whole school year


def workroom_duties_of_year(workroom, year: Period, *, today: date | None = None, ruleset=None) -> YearDuties:
    """The duty-progress page's counting (``_workroom_counts``) applied to each
    semester of ``year`` that has begun by ``today``, so the current semester
    reads as that page shows it. Three queries plus five per semester."""
    today = today or school_today()
    rules = duties.duty_rules_from(ruleset or RuleSet.objects.current())
    year_records = year_record_counts(workroom.pk, year)
    semesters, year_duties = [], []
    term = semester_of(year.start)
    while term.start <= min(today, year.end):
        counts = _workroom_counts(
            workroom, semester=term, year=year, year_records=year_records, rules=rules, today=today
        )
        listed = duties.workroom_duties(counts, rules)
        semesters.append((term, [d for d in listed if d.period == duties.SEMESTER]))
        year_duties = [d for d in listed if d.period == duties.YEAR]
        term = next_semester(term)
    return YearDuties(year=year, semesters=semesters, year_duties=year_duties)


def training_of_year(workroom, year: Period) -> dict[int, dict]:
    """Per teacher, the workroom's activities of the school year attended
    (出席) and the training hours and municipal-or-above expert lectures
    they credit, as the duty-progress page counts them. One query."""
    return {teacher_id: row for (_, teacher_id), row in attended_training([workroom.pk], period=year).items()}


def attended_training(workroom_ids, *, period: Period, teacher_ids=None) -> dict[tuple[int, int], dict]:
    """Per (workroom id, teacher id): the activities of ``period`` attended
    (出席) and the training hours (培训课时) and municipal-or-above expert
    lectures they credit (DOMAIN.md §6). One query however many workrooms:
    the duty pages, the credits ledger and the training-certificate rule
    all count hours here."""
    start, end = bounds(period)
    rows = Attendance.objects.filter(
        activity__workroom_id__in=workroom_ids, status=Attendance.Status.PRESENT,
        activity__starts_at__gte=start, activity__starts_at__lt=end,
    )
    if teacher_ids is not None:
        rows = rows.filter(teacher_id__in=teacher_ids)
    rows = (
        rows.order_by()
        .values("activity__workroom_id", "teacher_id")
        .annotate(
            attended=Count("id"),
            hours=Coalesce(Sum("activity__training_hours"), ZERO),
            expert_lectures=Count(
                "id", filter=Q(activity__is_expert_lecture=True, activity__level__in=MUNICIPAL_OR_ABOVE)
            ),
        )
    )
    return {(row.pop("activity__workroom_id"), row.pop("teacher_id")): row for row in rows}


def member_progress(workroom, teacher, *, today: date | None = None) -> tuple[MemberRow | None, WorkroomProgress]:
    today = today or school_today()
    rules = duties.duty_rules_from(RuleSet.objects.current())
    semester, year = semester_of(today), school_year_of(today)
    rows = _member_rows(
        workroom, semester=semester, year=year, year_records=year_record_counts(workroom.pk, year),
        rules=rules, today=today, teacher_id=teacher.pk,
    )
    context = WorkroomProgress(
        workroom=workroom, today=today, semester=semester, year=year, rules=rules, workroom_duties=[],
        member_totals=[], members=rows, ends_soon=duties.term_ends_soon(semester, today, rules),
    )
    return (rows[0] if rows else None), context


def member_attendance(membership, period: Period) -> tuple[int, int]:
    """One query: (attended, held) for a member in ``period`` — the
    workroom's activities held so far since the member joined, and those
    with a 出席 or 请假 row, as the absence rule of §5 counts them."""
    start, end = bounds(period)
    figures = Activity.objects.filter(
        workroom_id=membership.workroom_id, starts_at__gte=start, starts_at__lt=end,
        starts_at__date__gte=membership.joined_on, starts_at__lte=timezone.now(),
    ).aggregate(
        held=Count("id", distinct=True),
        attended=Count("id", distinct=True, filter=Q(
            attendances__teacher_id=membership.teacher_id,
            attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.LEAVE],
        )),
    )
    return figures["attended"], figures["held"]


def overview_queryset(qs, *, today: date | None = None):
    """The office overview (§6): every workroom with its key duty figures
    as subqueries, so a page of rows costs one query."""
    today = today or school_today()
    semester, year = semester_of(today), school_year_of(today)
    sem_start, sem_end = bounds(semester)
    year_start, year_end = bounds(year)
    T = ActivityType

    def sem_activities(*types):
        q = Activity.objects.filter(workroom=OuterRef("pk"), starts_at__gte=sem_start, starts_at__lt=sem_end)
        return SubqueryCount((q.filter(type__in=types) if types else q).values("id"))

    year_rows = Attendance.objects.filter(
        activity__workroom=OuterRef("pk"), activity__starts_at__gte=year_start, activity__starts_at__lt=year_end
    )
    present = year_rows.filter(status=Attendance.Status.PRESENT)
    return qs.select_related("host").annotate(
        n_members=SubqueryCount(
            Membership.objects.current().filter(workroom=OuterRef("pk"), role=Membership.Role.MEMBER).values("id")
        ),
        n_activities=sem_activities(),
        n_planning=sem_activities(T.PLANNING),
        n_progress=sem_activities(T.PROGRESS),
        n_summary=sem_activities(T.SUMMARY),
        n_regular=sem_activities(T.REGULAR),
        n_rows=SubqueryCount(year_rows.values("id")),
        n_present=SubqueryCount(present.values("id")),
        hours=SubquerySum(present.values(h=F("activity__training_hours")), column="h"),
    )


@dataclass
class OverviewRow:
    workroom: Workroom
    duties: list
    members: int
    activities: int
    attendance_rate: Decimal | None
    hours_per_member: Decimal


def overview_workrooms():
    """各工作室职责进度: every workroom, by name. The overview page and its
    export both filter this with ``OverviewFilter``."""
    return Workroom.objects.order_by("name", "id")


def overview_page(page, rules: duties.DutyRules, *, today: date | None = None) -> list[OverviewRow]:
    """Figures for one page of workrooms. The page is chosen first and the
    figures computed for its rows only, so a deep page costs what the first does."""
    today = today or school_today()
    ids = [w.pk for w in page]
    workrooms = overview_queryset(Workroom.objects.filter(pk__in=ids), today=today)
    by_id = {w.pk: w for w in workrooms}
    semester = semester_of(today)
    days = monthly_activity_days(ids, semester)
    return [
        overview_row(by_id[pk], rules, month_ticks(days[pk].group_studies, semester=semester, rules=rules, today=today))
        for pk in ids
    ]


def overview_row(w: Workroom, rules: duties.DutyRules, group_study_months: tuple) -> OverviewRow:
    """One workroom's figures from the annotations of ``overview_queryset``
    and its group-study months (``month_ticks``)."""
    counts = duties.WorkroomCounts(
        planning_meetings=w.n_planning, progress_meetings=w.n_progress, summary_meetings=w.n_summary,
        regular_meetings=w.n_regular, group_study_months=group_study_months,
    )
    return OverviewRow(
        workroom=w, duties=duties.workroom_duties(counts, rules)[:5], members=w.n_members,
        activities=w.n_activities,
        attendance_rate=(Decimal(w.n_present) / w.n_rows * 100).quantize(Decimal("0.1")) if w.n_rows else None,
        hours_per_member=(Decimal(w.hours) / w.n_members).quantize(Decimal("0.1")) if w.n_members else ZERO,
    )


# --- dashboard -----------------------------------------------------------------


def twelve_months(today: date) -> date:
    """The first day of the month eleven months back: twelve whole months,
    the current one last, whatever the month's length."""
    months_back = today.year * 12 + today.month - 1 - 11
    return date(months_back // 12, months_back % 12 + 1, 1)


@dataclass(frozen=True)
class MonthFigures:
    year: int
    month: int
    activities: int
    attendance_rows: int
    present: int

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def attendance_rate(self) -> float | None:
        """出勤率 in percent: 出席 rows of all sign-in rows of the month."""
        return round(self.present * 100 / self.attendance_rows, 1) if self.attendance_rows else None


def monthly_activity(activities, *, today: date) -> list[MonthFigures]:
    """Activities held and the attendance rate of each of the twelve months
    up to ``today``'s, months without activities included. One query."""
    since = twelve_months(today)
    tz = timezone.get_current_timezone()
    monthly = (
        activities.filter(starts_at__gte=datetime.combine(since, time.min, tzinfo=tz))
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values("month")
        .annotate(
            n=Count("id", distinct=True),
            rows=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)),
        )
        .order_by("month")
    )
    by_month = {(m["month"].year, m["month"].month): m for m in monthly}
    out = []
    y, mo = since.year, since.month
    for _ in range(12):
        m = by_month.get((y, mo), {})
        out.append(MonthFigures(y, mo, m.get("n", 0), m.get("rows", 0), m.get("present", 0)))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out


def dashboard(workroom, *, today: date | None = None) -> dict:
    """Members, recent activities and a year of monthly figures for the chart."""
    months = monthly_activity(Activity.objects.filter(workroom=workroom), today=today or school_today())
    return {
        "members": list(
            Membership.objects.current().filter(workroom=workroom).select_related("teacher").order_by("role", "teacher__name")
        ),
        "recent": list(activity_list(workroom)[:5]),
        "months": months,
        "chart": {
            "labels": [m.label for m in months],
            "activities": [m.activities for m in months],
            "attendance": [m.attendance_rate for m in months],
        },
    }


@dataclass(frozen=True)
class DutyTally:
    """How many of the open workrooms have met one duty of §6 so far."""

    label: str
    met: int
    total: int

    @property
    def not_met(self) -> int:
        return self.total - self.met

    @property
    def percent(self) -> int:
        return round(self.met * 100 / self.total) if self.total else 0


def school_duty_tallies(rules: duties.DutyRules, *, today: date | None = None) -> list[DutyTally]:
    """For the leader's dashboard: of the workrooms in operation (已立项 to
    终期评估), how many have met each of the overview's duties this
    semester. Two queries: the overview's figures for every such workroom
    and their group-study dates."""
    today = today or school_today()
    semester = semester_of(today)
    workrooms = list(overview_queryset(Workroom.objects.filter(status__in=Workroom.OPEN_STATUSES), today=today))
    days = monthly_activity_days([w.pk for w in workrooms], semester)
    rows = [
        overview_row(w, rules, month_ticks(days[w.pk].group_studies, semester=semester, rules=rules, today=today))
        for w in workrooms
    ]
    if not rows:
        return []
    return [
        DutyTally(label=d.label, met=sum(r.duties[i].met for r in rows), total=len(rows))
        for i, d in enumerate(rows[0].duties)
    ]


# --- funding -------------------------------------------------------------------


@dataclass
class LedgerSummary:
    year: int
    as_of: date
    allocation: Decimal
    approved_to_date: Decimal
    approved: Decimal
    pending: Decimal

    @property
    def balance(self) -> Decimal:
        return balance_on(allocation=self.allocation, approved_to_date=self.approved_to_date)

    @property
    def available(self) -> Decimal:
        return max(self.allocation - self.approved - self.pending, ZERO)


def ledger_summary(workroom, *, year: int, as_of: date) -> LedgerSummary:
    """One query: the year's approved, pending and approved-by-``as_of`` totals."""
    approved = Q(status=Expense.Status.APPROVED)
    totals = Expense.objects.filter(workroom=workroom, spent_on__year=year).aggregate(
        approved=Sum("amount", filter=approved),
        approved_to_date=Sum("amount", filter=approved & Q(spent_on__lte=as_of)),
        pending=Sum("amount", filter=Q(status=Expense.Status.PENDING)),
    )
    ruleset = RuleSet.objects.current()
    return LedgerSummary(
        year=year, as_of=as_of,
        allocation=annual_allocation(annual_funding=ruleset.annual_funding, funding_stopped=workroom.funding_stopped),
        approved_to_date=totals["approved_to_date"] or ZERO, approved=totals["approved"] or ZERO,
        pending=totals["pending"] or ZERO,
    )


def ledger_entries(workroom, *, year: int, allocation: Decimal):
    """The year's expenses with, for approved ones, the approved total up
    to and including each row (so the page shows the running balance)."""
    approved_before = Expense.objects.filter(
        workroom=OuterRef("workroom"), spent_on__year=year, status=Expense.Status.APPROVED,
    ).filter(Q(spent_on__lt=OuterRef("spent_on")) | Q(spent_on=OuterRef("spent_on"), id__lte=OuterRef("id")))
    return (
        Expense.objects.filter(workroom=workroom, spent_on__year=year)
        .select_related("activity", "research_project", "receipt", "recorded_by")
        .annotate(spent_to_date=Coalesce(SubquerySum(approved_before.values("amount"), column="amount"), ZERO))
        .annotate(balance=ExpressionWrapper(Value(allocation) - F("spent_to_date"), output_field=DecimalField()))
        .order_by("spent_on", "id")
    )


def expense_changes(workroom) -> list[ChangeRow]:
    """修改记录 of a workroom's expenses (DOMAIN.md §12): recording, the
    office's decision and any change, newest first, in one query."""
    qs = (
        Expense.history.filter(workroom_id=workroom.pk)
        .select_related("history_user__teacher")
        .order_by("-history_date")[:200]
    )
    return change_rows(
        qs, subject=lambda r: f"{r.spent_on:%Y-%m-%d} {r.description}",
        skip={"workroom", "receipt", "ruleset", "recorded_by", "recorded_at", "activity", "research_project"},
    )
