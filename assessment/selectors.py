"""Reads of the assessment app: one query per kind of input, then plain Python."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest
from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from assessment import access
from assessment.models import (
    BonusAward,
    ClassConditions,
    ClassTitle,
    Evaluation,
    EvaluationScore,
    MemberAssessment,
    MonthlyScore,
    OutstandingMember,
    Period,
    Result,
    SubstituteCover,
    VetoCase,
    WeeklyCheck,
)
from assessment.notices.kinds import MEMBERS
from assessment.rules.allowance import Cover
from assessment.rules.bonus import Award
from assessment.rules.monthly import FAIL as MONTH_FAIL
from assessment.rules.monthly import PASS as MONTH_PASS
from assessment.rules.school_year import ConditionsIn, MonthIn, TeacherIn, YearInputs
from core.calendar import school_today, term_of, year_calendar
from core.calendar import semester as semester_period
from core.history import ChangeRow, change_rows, states_at
from core.models import Publication
from members.choices import DepartmentKind
from members.models import Teacher
from members.roles import roles_of
from workrooms.activities.selectors import member_attendance, member_progress
from workrooms.models import Workroom
from workrooms.outreach.showcase import outreach_counts
from workrooms.selection.models import Membership


def year_inputs(*, school_id: int, school_year: int) -> YearInputs:
    """Everything the head-teacher rules need for one school year, in six
    queries whatever the number of teachers and months."""
    data = YearInputs()
    months = Period.objects.filter(school_id=school_id, school_year=school_year, kind=Period.Kind.MONTH)
    for p in sorted(months, key=lambda p: (p.calendar_year, p.month)):
        data.months.append(MonthIn(p.pk, p.semester, p.days_in_month, f"{p.calendar_year}年{p.month}月"))
    month_ids = [m.period_id for m in data.months]
    rows = MonthlyScore.objects.filter(period_id__in=month_ids).values_list(
        "teacher_id", "period_id", "dept_score", "office_score", "department_id", "department__grade"
    )
    for tid, pid, dept, office, dept_id, grade in rows:
        data.scores[tid, pid] = (dept, office)
        data.teachers.setdefault(tid, TeacherIn(tid, dept_id, grade))
    vetoes = VetoCase.objects.filter(period_id__in=month_ids, confirmed_at__isnull=False).values_list("teacher_id", "period_id")
    for key in vetoes:
        data.vetoes[key] = data.vetoes.get(key, 0) + 1
    covers = defaultdict(list)
    for tid, pid, sub, days in SubstituteCover.objects.filter(period_id__in=month_ids).values_list(
        "teacher_id", "period_id", "substitute_id", "days"
    ):
        covers[tid, pid].append(Cover(sub, days))
    data.covers = {k: tuple(v) for k, v in covers.items()}
    for tid, semester, category, event, level in BonusAward.objects.filter(
        teacher__school_id=school_id, school_year=school_year
    ).values_list("teacher_id", "semester", "category", "event", "level"):
        data.awards.setdefault((tid, semester), []).append(Award(category, event, level))
    for tid, semester, *flags, core_pass, core_excellence, other_pass, test_score in ClassConditions.objects.filter(
        teacher__school_id=school_id, school_year=school_year
    ).values_list(
        "teacher_id", "semester", *ClassConditions.CONDITION_FIELDS,
        "core_pass_rate", "core_excellence_rate", "other_pass_rate", "test_score",
    ):
        data.conditions[tid, semester] = ConditionsIn(sum(flags), core_pass, core_excellence, other_pass, test_score)
    return data


def period_results(user, period: Period):
    """The results of a period that ``user`` may see: what the period page
    lists and its export downloads, both through ``ResultFilter``."""
    return Result.objects.visible_to(user).filter(period=period).select_related("teacher", "department", "period", "ruleset")


def vetoes_for_list(user):
    """一票否决 list: the cases ``user`` may see, newest first. The page and
    its export both filter this with ``VetoFilter``."""
    qs = VetoCase.objects.select_related(
        "teacher__department", "period", "recorded_by__teacher", "confirmed_by__teacher", "evidence"
    )
    return access.vetoes_visible_to(user, qs).order_by("-recorded_at", "-pk")


def bonus_awards_for_list():
    """加分项 list (whole school, ``access.can_see_bonus_awards``), newest
    first; the page and its export both filter it with ``BonusAwardFilter``."""
    return BonusAward.objects.select_related("teacher", "recorded_by__teacher").order_by("-recorded_at", "-pk")


def evaluations_for_list(user):
    """工作室评估 list: the evaluations ``user`` may see, newest first; the
    page and its export both filter this with ``EvaluationFilter``."""
    qs = Evaluation.objects.select_related("workroom__host")
    return access.evaluations_visible_to(user, qs).order_by("-opened_at", "-pk")


def recommended_hosts_for_list():
    """推荐为下一届主持人 (DOMAIN.md §9.5: excellent members are recommended
    as the next hosts): the 优秀工作室成员 whose semester's member grades
    were made public and are final (公示定稿, not reopened), by name. One
    query whatever the rows (the page filters it with ``RecommendedHostFilter``)."""
    topic = Concat(
        Value(f"{MEMBERS.code}:"),
        Cast(OuterRef("school_year"), CharField()),
        Value(":"),
        Cast(OuterRef("semester"), CharField()),
    )
    final = Publication.objects.filter(
        content_type__app_label="workrooms",
        content_type__model="workroom",
        object_id=OuterRef("workroom_id"),
        topic=topic,
        finalized_at__isnull=False,
        reopened_at__isnull=True,
    )
    qs = OutstandingMember.objects.filter(Exists(final)).select_related(
        "teacher__school", "teacher__department", "workroom", "assessment"
    )
    return qs.order_by("teacher__name", "-school_year", "-semester", "pk")


def outstanding_for_list(user):
    """优秀工作室成员 list: the titles ``user`` may see (the office and
    leaders every workroom's, a host their own), newest semester first, then
    by workroom. The page and its export both filter this with
    ``OutstandingFilter``."""
    qs = OutstandingMember.objects.visible_to(user).select_related(
        "teacher__school", "workroom", "assessment", "named_by__teacher"
    )
    return qs.order_by("-school_year", "-semester", "workroom__name", "pk")


def class_titles_for_list(user):
    """优秀班级 / 窗口班级 list: the titles ``user`` may see (the office and
    leaders every grade department's, a reviewer their own), newest week or
    month first. The page and its export both filter this with
    ``ClassTitleFilter``."""
    qs = ClassTitle.objects.visible_to(user).select_related("department", "teacher", "named_by__teacher")
    return qs.order_by("-starts_on", "kind", "department__name", "class_name", "pk")


def assessable_memberships(user):
    """成员考核 list: current members of the workrooms ``user`` hosts (every
    workroom for the office and leaders), by workroom and staff number. The
    list page and the 成员考核表 export both filter it with ``MembershipFilter``."""
    r = roles_of(user)
    qs = Membership.objects.current().filter(role=Membership.Role.MEMBER).select_related("teacher", "workroom")
    if not r.sees_everything:
        qs = qs.filter(workroom_id__in=r.hosted_workroom_ids)
    return qs.order_by("workroom__name", "workroom_id", "teacher__staff_no", "pk")


# The school years a page may ask for (any other is a bad request, not a crash).
YEAR_MIN, YEAR_MAX = 2000, 2100


def semester_asked(year, semester) -> tuple[int, int]:
    """(school year, semester) a member-assessment page or export asks for,
    the current semester for what is left blank; ``BadRequest`` (400, with
    the reason in Chinese) for anything else."""
    default_year, default_semester = term_of(school_today())
    try:
        year, semester = int(year or default_year), int(semester or default_semester)
    except (TypeError, ValueError) as exc:
        raise BadRequest("学年与学期须为数字，如 year=2025&semester=1。") from exc
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadRequest(f"学年须在 {YEAR_MIN}–{YEAR_MAX} 之间。")
    if semester not in (1, 2):
        raise BadRequest("学期只能是 1 或 2。")
    return year, semester


def missing_inputs(*, period: Period) -> list[str]:
    """What a period's results would be computed without (§12), in words:
    for a month, the grade departments whose head teachers have no complete
    score; for a semester or year, its counted months not yet opened or
    not yet made final. Two queries."""
    if period.kind == Period.Kind.MONTH:
        complete = set(
            period.scores.filter(dept_score__isnull=False, office_score__isnull=False).values_list("teacher_id", flat=True)
        )
        heads = Teacher.objects.filter(
            school_id=period.school_id, is_head_teacher=True, department__kind=DepartmentKind.GRADE
        ).order_by("department__grade", "department__name", "staff_no").values_list("pk", "name", "department__name")
        by_dept: dict[str, list] = {}
        for pk, name, dept in heads:
            by_dept.setdefault(dept, []).append((pk, name))
        out = []
        for dept, people in by_dept.items():
            lacking = [name for pk, name in people if pk not in complete]
            if len(lacking) == len(people):
                out.append(f"{dept}：{len(people)} 位班主任均无完整成绩")
            elif lacking:
                shown = "、".join(lacking[:5]) + ("等" if len(lacking) > 5 else "")
                out.append(f"{dept}：{len(lacking)} 位班主任缺成绩（{shown}）")
        return out
    cal = year_calendar(period.school_year, period.school_id)
    terms = [period.semester] if period.semester else [1, 2]
    months = [ym for term in terms for ym in cal.months_of(term)]
    status = dict(
        Period.objects.filter(school_id=period.school_id, school_year=period.school_year, kind=Period.Kind.MONTH)
        .values_list("month", "status")
    )
    out = []
    for year, month in months:
        if month not in status:
            out.append(f"{year}年{month}月：尚未建立月考核")
        elif status[month] != Period.Status.FROZEN:
            out.append(f"{year}年{month}月：月考核{Period.Status(status[month]).label}，尚未定稿")
    return out


@dataclass(frozen=True)
class ChangedResult:
    """One person's result in two rounds of 公示 (§12)."""

    teacher_id: int
    name: str
    department: str
    old_score: Decimal | None
    new_score: Decimal | None
    old_outcome: str
    new_outcome: str
    old_amount: Decimal | None
    new_amount: Decimal | None


def publication_changes(*, period: Period, publications: list, teacher_ids=None) -> list[tuple]:
    """What changed between each two rounds of 公示 of a period: for every
    re-publication, (round before, this round, [ChangedResult]) for each
    person whose score, outcome or amount differs, read from the results'
    history as it stood when each round was published. One query."""
    if len(publications) < 2:
        return []
    records = (
        Result.history.filter(period_id=period.pk)
        .select_related("teacher", "department", "ruleset")
        .order_by("history_date", "history_id")
    )
    snapshots = states_at(records, [p.published_at for p in publications], key=lambda r: r.teacher_id)
    pays = period.kind != Period.Kind.MONTH

    def amount(record):
        if record is None or not (pays or record.ruleset.assessment_scheme != "default"):
            return None
        return record.amount

    out = []
    for k in range(1, len(publications)):
        before, after = snapshots[k - 1], snapshots[k]
        rows = []
        for tid in set(before) | set(after):
            if teacher_ids is not None and tid not in teacher_ids:
                continue
            b, a = before.get(tid), after.get(tid)
            if b and a and (b.score, b.outcome, b.amount) == (a.score, a.outcome, a.amount):
                continue
            shown = a or b
            rows.append(ChangedResult(
                tid, shown.teacher.name, shown.department.name if shown.department else "",
                b.score if b else None, a.score if a else None, b.outcome if b else "—", a.outcome if a else "—",
                amount(b), amount(a),
            ))
        rows.sort(key=lambda row: (row.department, row.name))
        out.append((publications[k - 1], publications[k], rows))
    return out


def incomplete_score_count(*, period: Period) -> int:
    """Head teachers of a month with only one half of their score entered."""
    from django.db.models import Q

    return period.scores.filter(Q(dept_score__isnull=True) | Q(office_score__isnull=True)).count()


def grid_rows(*, period: Period, department) -> list[dict]:
    """The head teachers of a 年级部 with their scores for one month (two queries)."""
    scores = {s.teacher_id: s for s in MonthlyScore.objects.filter(period=period, department=department)}
    teachers = Teacher.objects.filter(department=department).filter(is_head_teacher=True).order_by("staff_no")
    return [{"teacher": t, "score": scores.get(t.pk)} for t in teachers]


def weekly_grid_rows(*, period: Period, department) -> list[dict]:
    """``grid_rows`` with each head teacher's weekly 年级部检查 of the month
    as {Monday: score} (three queries)."""
    rows = grid_rows(period=period, department=department)
    weekly = defaultdict(dict)
    for c in WeeklyCheck.objects.filter(period=period, department=department):
        weekly[c.teacher_id][c.week_start] = c.score
    for row in rows:
        row["weeks"] = weekly[row["teacher"].pk]
    return rows


def member_record(*, membership: Membership, school_year: int, semester: int) -> dict:
    """What the member's record holds beside the host's five scores (§9.4):
    attendance as (attended, held) activities of the semester, and the
    member's §6 duty progress as it stood at the end of the semester (or
    today, while it runs). Nine queries."""
    period = semester_period(school_year, semester)
    day = min(period.end, max(period.start, school_today()))
    row, _ = member_progress(membership.workroom, membership.teacher, today=day)
    return {
        "joined_on": membership.joined_on,
        "status": membership.get_status_display(),
        "is_archivist": membership.is_archivist,
        "attendance": member_attendance(membership, period),
        "duties": row.duties if row is not None else [],
    }


def member_assessments_for(*, memberships, school_year: int, semester: int) -> dict:
    """membership id -> MemberAssessment of that semester, with its naming as
    优秀工作室成员 if any, in one query."""
    qs = MemberAssessment.objects.filter(
        membership__in=memberships, school_year=school_year, semester=semester
    ).select_related("outstanding")
    return {a.membership_id: a for a in qs}


def workroom_outreach(workroom):
    """辐射引领 over the workroom's cycle so far (lectures and trainings given to
    other schools, cross-workroom exchanges), shown to the experts of a
    workroom evaluation (DOMAIN.md §9.5, §6). One query."""

    return outreach_counts(workroom_ids=[workroom.pk], start=workroom.cycle_start, end=school_today())[workroom.pk]


# --- 修改记录 (DOMAIN.md §12) ------------------------------------------------------------
# Each reads the historical rows in one query (with the person who changed
# them); ``core.history.change_rows`` turns them into old → new rows.

CHANGE_LIMIT = 200


def _teacher_name(record) -> str:
    return record.teacher.name


def score_changes(*, period, department=None, teacher=None) -> list[ChangeRow]:
    """Changes to the monthly scores of ``period`` (one 年级部 or one teacher)."""
    qs = MonthlyScore.history.filter(period_id=period.pk).select_related("history_user__teacher", "teacher")
    if department is not None:
        qs = qs.filter(department_id=department.pk)
    if teacher is not None:
        qs = qs.filter(teacher_id=teacher.pk)
    return change_rows(qs.order_by("-history_date")[:CHANGE_LIMIT], subject=_teacher_name,
                       skip={"period", "teacher", "department", "dept_entered_by", "office_entered_by"})


def veto_changes(vetoes) -> list[ChangeRow]:
    """Changes to the veto cases in ``vetoes`` (a queryset the user may see)."""
    qs = VetoCase.history.filter(id__in=vetoes.values("pk")).select_related("history_user__teacher", "teacher")
    return change_rows(qs.order_by("-history_date")[:CHANGE_LIMIT], subject=_teacher_name,
                       skip={"teacher", "recorded_by", "recorded_at", "evidence", "confirmed_by"})


def award_changes(awards) -> list[ChangeRow]:
    qs = BonusAward.history.filter(id__in=awards.values("pk")).select_related("history_user__teacher", "teacher")
    return change_rows(qs.order_by("-history_date")[:CHANGE_LIMIT], subject=_teacher_name,
                       skip={"teacher", "recorded_by", "recorded_at"})


def member_assessment_changes(assessment) -> list[ChangeRow]:
    if assessment is None:
        return []
    qs = assessment.history.select_related("history_user__teacher")
    return change_rows(qs, skip={"membership", "school_year", "semester", "ruleset", "assessed_by"})


def evaluation_changes(evaluation, user) -> list[ChangeRow]:
    """The evaluation's own changes and the experts' scores: the office and
    leaders see every expert's, an expert their own."""
    own = change_rows(evaluation.history.select_related("history_user__teacher"),
                      subject=lambda r: "评估", skip={"workroom", "opened_by", "opened_at", "ruleset", "kind"})
    scores = EvaluationScore.history.filter(evaluation_id=evaluation.pk).select_related("history_user__teacher")
    if not roles_of(user).sees_everything:
        scores = scores.filter(expert_id=user.pk)
    items = change_rows(scores.order_by("-history_date")[:CHANGE_LIMIT], subject=lambda r: f"指标 {r.item}",
                        skip={"evaluation", "expert", "item"})
    return sorted(own + items, key=lambda row: row.at, reverse=True)


@dataclass(frozen=True)
class DepartmentPassRate:
    """月考核合格率 of one 年级部 in one published month (§9.1)."""

    period: Period
    department_id: int
    department: str
    assessed: int
    passed: int

    @property
    def failed(self) -> int:
        return self.assessed - self.passed

    @property
    def percent(self) -> float:
        return round(self.passed * 100 / self.assessed, 1) if self.assessed else 0.0


def monthly_pass_rates() -> list[DepartmentPassRate]:
    """For the leader's dashboard: the latest published (公示中 or 已定稿)
    monthly assessment of each school and, per 年级部, how many of the head
    teachers assessed passed (合格 of 合格 and 不合格; substitutes' 代班
    lines are not assessed). Two queries."""
    published = [Period.Status.PUBLICIZED, Period.Status.FROZEN]
    months = Period.objects.filter(kind=Period.Kind.MONTH, status__in=published)
    latest = months.filter(school=OuterRef("school")).values("pk")[:1]  # newest first by the model's ordering
    periods = {p.pk: p for p in months.filter(pk=Subquery(latest)).select_related("school")}
    rows = (
        Result.objects.filter(period_id__in=periods, department__isnull=False, outcome__in=[MONTH_PASS, MONTH_FAIL])
        .order_by()
        .values("period_id", "department_id", "department__name", "department__grade")
        .annotate(assessed=Count("id"), passed=Count("id", filter=Q(outcome=MONTH_PASS)))
    )
    rows = sorted(rows, key=lambda r: (periods[r["period_id"]].school.name, r["department__grade"] or 0, r["department__name"]))
    return [
        DepartmentPassRate(
            period=periods[r["period_id"]], department_id=r["department_id"], department=r["department__name"],
            assessed=r["assessed"], passed=r["passed"],
        )
        for r in rows
    ]


def my_published_member_assessments(user) -> list:
    """A member's own semester member assessments whose list stands
    published (DOMAIN.md §12): two queries."""
    r = roles_of(user)
    if r.teacher is None:
        return []
    own = list(
        MemberAssessment.objects.filter(membership__teacher=r.teacher)
        .select_related("membership__workroom").order_by("-school_year", "-semester")
    )
    if not own:
        return []
    ct = ContentType.objects.get_for_model(Workroom)
    latest: dict = {}
    for object_id, topic, round_, reopened in Publication.objects.filter(
        content_type=ct, object_id__in={a.membership.workroom_id for a in own}, topic__startswith="members:"
    ).values_list("object_id", "topic", "round", "reopened_at"):
        if (object_id, topic) not in latest or latest[object_id, topic][0] < round_:
            latest[object_id, topic] = (round_, reopened is None)
    return [
        a for a in own
        if latest.get((a.membership.workroom_id, f"members:{a.school_year}:{a.semester}"), (0, False))[1]
    ]
