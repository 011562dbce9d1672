"""Writes of the assessment app (DOMAIN.md §9). Every service takes
keyword-only arguments, checks who acts, validates and runs in one
transaction; refused actions change nothing."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment import access
from assessment.honours.services import vetoed_teacher_ids
from assessment.models import (
    BonusAward,
    ClassConditions,
    Distinction,
    Evaluation,
    EvaluationReport,
    EvaluationScore,
    MemberAssessment,
    MonthlyScore,
    OutstandingMember,
    Period,
    PeriodObjection,
    Result,
    SubstituteCover,
    VetoCase,
    WeeklyCheck,
)
from assessment.notices.selectors import members_published
from assessment.rules import rules_from_ruleset
from assessment.rules.evaluation import rubric_items, workroom_evaluation
from assessment.rules.member import DIMENSIONS, MemberInput, member_grade
from assessment.rules.monthly import weekly_checks_total
from assessment.rules.school_year import month_lines, semester_lines, year_lines
from assessment.selectors import missing_inputs, year_inputs
from assessment.workflow import ASSESSMENT_PERIOD, period_publication
from core.calendar import semester as semester_period
from core.calendar import year_calendar
from core.files import store_upload
from core.history import tracked
from core.publicity import objection_refusal, publication_current
from members.models import Teacher
from members.roles import roles_of
from workrooms.activities.selectors import member_attendance
from workrooms.models import RuleSet
from workrooms.notifications import objection_answered_notify, objection_raised_notify
from workrooms.workflow import WORKROOM

DIMENSION_CODES = tuple(code for code, _ in DIMENSIONS)


def _current_ruleset() -> RuleSet:
    """The settings in force, as stored (a version created on first use is
    read back so its decimals look exactly as they will on every later read)."""
    return RuleSet.objects.get(pk=RuleSet.objects.current().pk)


def _require_office(actor):
    if not access.can_manage_assessment(actor):
        raise PermissionDenied("只有德育处可以执行此操作。")


def _require_open(period: Period):
    if not period.is_editable:
        raise ValidationError(
            f"「{period}」{period.get_status_display()}，不能修改；如需更正，请德育处在异议成立后重新开放（管理员可随时重新开放）。"
        )


def _period_of_month(*, school_id, school_year, semester, kind) -> Period | None:
    return Period.objects.filter(school_id=school_id, school_year=school_year, semester=semester, kind=kind).first()


# --- periods -------------------------------------------------------------------


def period_create(*, school, kind: str, school_year: int, month: int | None = None, semester: int | None = None, actor) -> Period:
    """Open a month, semester or school-year period for entry."""
    _require_office(actor)
    if kind == Period.Kind.MONTH:
        if not month:
            raise ValidationError({"month": "月考核须选择月份。"})
        cal = year_calendar(school_year, school.pk)
        if month not in cal.counted_months:
            raise ValidationError({"month": f"{month}月不计入{cal.label}的月考核与津贴（见校历）。"})
        semester = cal.term_of_month(month)
    elif kind == Period.Kind.SEMESTER:
        month = None
        if semester not in (1, 2):
            raise ValidationError({"semester": "学期考核须选择学期。"})
    else:
        month = semester = None
    period = Period(school=school, kind=kind, school_year=school_year, semester=semester, month=month)
    period.full_clean()
    period.save()
    return period


def inputs_digest(rules_dict: dict, lines) -> str:
    payload = {"rules": rules_dict, "inputs": sorted([line.teacher_id, line.inputs] for line in lines)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def period_lines(period: Period, rules):
    """The computed lines of a period from the current inputs."""
    data = year_inputs(school_id=period.school_id, school_year=period.school_year)
    if period.kind == Period.Kind.MONTH:
        return month_lines(data, period.pk, rules)
    if period.kind == Period.Kind.SEMESTER:
        return semester_lines(data, period.semester, rules)
    return year_lines(data, rules)


RESULT_FIELDS = ("department_id", "ruleset_id", "score", "outcome", "rank", "amount", "inputs", "lines", "figures")


@transaction.atomic
def period_compute(*, period: Period, actor, missing_confirmed: bool = True) -> int:
    """Compute (or recompute) a period's results from its inputs with the
    school settings now in force; the results store that version and the
    inputs. Refused once the period is published (公示) or frozen, and,
    unless ``missing_confirmed``, while scores are missing (§12).

    Rows are updated in place and kept in the results' history, so that a
    correction after 公示 shows each person's old and new result."""
    _require_office(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    _require_open(period)
    _require_missing_confirmed(period, missing_confirmed)
    ruleset = _current_ruleset()
    rules = rules_from_ruleset(ruleset)
    lines = period_lines(period, rules)
    existing = {r.teacher_id: r for r in period.results.all()}
    created, changed = [], []
    for line in lines:
        values = {
            "department_id": line.department_id, "ruleset_id": ruleset.pk, "score": line.score, "outcome": line.outcome,
            "rank": line.rank, "amount": line.amount, "inputs": line.inputs, "lines": line.lines,
            "figures": json.loads(json.dumps(line.figures, cls=DjangoJSONEncoder)),
        }
        result = existing.pop(line.teacher_id, None)
        if result is None:
            created.append(Result(period=period, teacher_id=line.teacher_id, **values))
        elif any(getattr(result, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(result, name, value)
            changed.append(result)
    reason = "重新计算" if existing or changed or period.computed_at else "计算结果"
    for gone in existing.values():
        tracked(gone, actor=actor, reason="重新计算后不再有结果").delete()
    bulk_create_with_history(created, Result, default_user=actor, default_change_reason=reason)
    bulk_update_with_history(changed, Result, list(RESULT_FIELDS), default_user=actor, default_change_reason=reason)
    period.ruleset = ruleset
    period.inputs_digest = inputs_digest(rules.as_dict(), lines)
    period.computed_at = timezone.now()
    period.save(update_fields=["ruleset", "inputs_digest", "computed_at"])
    return len(lines)


def _require_missing_confirmed(period: Period, confirmed: bool) -> None:
    missing = missing_inputs(period=period)
    if missing and not confirmed:
        raise ValidationError(
            "以下成绩尚未录齐：" + "；".join(missing) + "。请核对；确认仍要继续，请勾选“已核对缺少的成绩，仍要继续”。"
        )


@transaction.atomic
def period_publish(*, period: Period, actor, comment: str = "", missing_confirmed: bool = False):
    """公示 a period's results (§12), again after a correction; while
    scores are missing only once the office confirms it knows."""
    _require_missing_confirmed(period, missing_confirmed)
    return ASSESSMENT_PERIOD.apply(period, "publish", actor=actor, comment=comment)


@transaction.atomic
def period_reopen(*, period: Period, actor, reason: str):
    """Reopen a published period to correct it (§12): the office after an
    upheld objection, an administrator at any time; the reason is kept
    with the transition and with the round of 公示 taken back."""
    change = ASSESSMENT_PERIOD.apply(period, "reopen", actor=actor, comment=reason)
    publication = publication_current(period)
    if publication is not None:
        publication.reopen_reason = reason.strip()
        publication.save(update_fields=["reopen_reason"])
    return change


def period_is_reproducible(period: Period) -> bool:
    """Recomputing from today's inputs with the stored rule-set version gives
    the stored digest (the inputs have not changed since)."""
    if period.ruleset is None:
        return False
    rules = rules_from_ruleset(period.ruleset)
    return inputs_digest(rules.as_dict(), period_lines(period, rules)) == period.inputs_digest


# --- monthly scores ---------------------------------------------------------------


@transaction.atomic
def monthly_scores_save(
    *, period: Period, department, values: dict, actor, reason: str = "", halves: tuple = ("dept", "office")
) -> int:
    """Save a 年级部's grid for one month. ``values`` maps teacher id to
    {"dept": Decimal | None, "office": Decimal | None}; only the halves the
    actor may enter (and ``halves`` names) are written (the 年级部 reviewer
    the dept half, the office the office half). Changing a score already
    entered needs a reason; every change is kept in the score's 修改记录 (§12)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _require_open(period)
    may_dept = access.can_enter_dept_scores(actor, department) and "dept" in halves
    may_office = access.can_enter_office_scores(actor) and "office" in halves
    if not (may_dept or may_office):
        raise PermissionDenied("您无权录入该年级部的成绩。")
    existing = {s.teacher_id: s for s in MonthlyScore.objects.select_for_update().filter(period=period, teacher_id__in=values)}
    # A month entered week by week has the sum of its weeks as its 年级部检查.
    weekly = dict(
        WeeklyCheck.objects.filter(period=period, teacher_id__in=values).values("teacher_id")
        .annotate(total=Sum("score")).values_list("teacher_id", "total")
    ) if may_dept else {}
    changed = 0
    for teacher_id, halves in values.items():
        score = existing.get(teacher_id) or MonthlyScore(period=period, teacher_id=teacher_id, department=department)
        before = (score.dept_score, score.office_score)
        if may_dept:
            score.dept_score = halves.get("dept")
            score.dept_entered_by = actor
            if teacher_id in weekly and score.dept_score != before[0] and score.dept_score != weekly[teacher_id]:
                name = Teacher.objects.get(pk=teacher_id).name
                raise ValidationError(
                    f"{name}本月的年级部检查已按周录入（各周合计 {weekly[teacher_id]} 分），请在“年级部检查按周录入”页面修改。"
                )
        if may_office:
            score.office_score = halves.get("office")
            score.office_entered_by = actor
        if score.pk is None and score.dept_score is None and score.office_score is None:
            continue
        if score.pk and before == (score.dept_score, score.office_score):
            continue
        corrected = any(old is not None and old != new for old, new in zip(before, (score.dept_score, score.office_score)))
        if corrected and not reason.strip():
            raise ValidationError({"reason": "更改已录入的成绩须填写修改原因。"})
        score.full_clean()
        tracked(score, actor=actor, reason=reason).save()
        changed += 1
    return changed


@transaction.atomic
def weekly_checks_save(*, period: Period, department, values: dict, actor, reason: str = "") -> int:
    """Save a 年级部's weekly checks of one month (§9.1: checked daily,
    reported every Friday). ``values`` maps teacher id to {Monday of a
    week of the month: Decimal | None}. The month's 年级部检查 of each
    teacher whose weeks changed becomes the sum of their weeks
    (``weekly_checks_total``), written through ``monthly_scores_save`` so
    that its rules (reason for a correction, 修改记录, publication) hold.
    Returns how many monthly scores changed."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _require_open(period)
    if not access.can_enter_dept_scores(actor, department):
        raise PermissionDenied("只有本年级部的审核人可以录入年级部检查。")
    weeks = [monday for monday, _ in period.check_weeks]
    full_mark = (period.ruleset or RuleSet.objects.current()).monthly_full_mark
    existing = {
        (c.teacher_id, c.week_start): c
        for c in WeeklyCheck.objects.select_for_update().filter(period=period, teacher_id__in=values)
    }
    totals, new, changed, gone = {}, [], [], []
    for teacher_id, by_week in values.items():
        if set(by_week) - set(weeks):
            raise ValidationError("所填的周不属于本月，请刷新页面后重新录入。")
        total = weekly_checks_total([by_week.get(w) for w in weeks])
        if total is not None and total > full_mark:
            raise ValidationError(f"各周合计 {total} 分，超过月考核满分 {full_mark}。")
        before = [existing[teacher_id, w].score if (teacher_id, w) in existing else None for w in weeks]
        if before == [by_week.get(w) for w in weeks]:
            continue
        totals[teacher_id] = total
        for week in weeks:
            check, score = existing.get((teacher_id, week)), by_week.get(week)
            if check is not None and score is None:
                gone.append(check.pk)
            elif check is None and score is not None:
                new.append(WeeklyCheck(period=period, teacher_id=teacher_id, department=department,
                                       week_start=week, score=score, entered_by=actor))
            elif check is not None and check.score != score:
                check.score, check.entered_by, check.updated_at = score, actor, timezone.now()
                changed.append(check)
    WeeklyCheck.objects.filter(pk__in=gone).delete()
    WeeklyCheck.objects.bulk_create(new)
    WeeklyCheck.objects.bulk_update(changed, ["score", "entered_by", "updated_at"])
    if not totals:
        return 0
    return monthly_scores_save(
        period=period, department=department, values={t: {"dept": total} for t, total in totals.items()},
        actor=actor, reason=reason, halves=("dept",),
    )


# --- veto cases, bonus awards, class conditions -------------------------------------


@transaction.atomic
def veto_record(*, period: Period, teacher, kind: int, description: str, evidence=None, actor) -> VetoCase:
    """Record a veto case (§9.1) with its evidence; it counts once confirmed."""
    _require_office(actor)
    _require_open(period)
    veto = VetoCase(period=period, teacher=teacher, kind=kind, description=description, recorded_by=actor)
    veto.full_clean(exclude=["evidence"])
    if evidence is not None:
        veto.evidence = store_upload(evidence, user=actor)
    tracked(veto, actor=actor, reason="登记").save()
    return veto


@transaction.atomic
def veto_confirm(*, veto: VetoCase, actor) -> VetoCase:
    """Confirm (查实) a veto case: who and when are recorded."""
    _require_office(actor)
    _require_open(veto.period)
    if veto.is_confirmed:
        raise ValidationError("该情形已认定。")
    veto.confirmed_by = actor
    veto.confirmed_at = timezone.now()
    tracked(veto, actor=actor, reason="查实认定").save(update_fields=["confirmed_by", "confirmed_at"])
    return veto


def _require_semester_open(*, school_id, school_year, semester):
    period = _period_of_month(school_id=school_id, school_year=school_year, semester=semester, kind=Period.Kind.SEMESTER)
    if period is not None:
        _require_open(period)


@transaction.atomic
def bonus_award_add(*, teacher, school_year: int, semester: int, category: str, event: str, level: str, description: str = "", actor) -> BonusAward:
    """Record an award that earns bonus points (§9.3)."""
    _require_office(actor)
    _require_semester_open(school_id=teacher.school_id, school_year=school_year, semester=semester)
    award = BonusAward(
        teacher=teacher, school_year=school_year, semester=semester, category=category,
        event=event.strip(), level=level, description=description, recorded_by=actor,
    )
    award.full_clean()
    tracked(award, actor=actor, reason="登记").save()
    return award


@transaction.atomic
def class_conditions_save(*, conditions: ClassConditions, actor) -> ClassConditions:
    """Save a class's title conditions and rates for a semester (§9.3)."""
    _require_office(actor)
    _require_semester_open(
        school_id=conditions.teacher.school_id, school_year=conditions.school_year, semester=conditions.semester
    )
    conditions.full_clean()
    conditions.save()
    return conditions


# --- objections -----------------------------------------------------------------------


@transaction.atomic
def objection_raise(*, period: Period, text: str, actor) -> PeriodObjection:
    """A teacher objects to a period's results during 公示."""
    if period.status != Period.Status.PUBLICIZED:
        raise ValidationError("只能在公示期内提出异议。")
    refusal = objection_refusal(period_publication(period))
    if refusal:
        raise ValidationError(refusal)
    if not text.strip():
        raise ValidationError({"text": "请填写异议内容。"})
    objection = PeriodObjection(period=period, raised_by=actor, text=text.strip())
    objection.full_clean()
    with transaction.atomic():
        objection.save()
        objection_raised_notify(about=f"{period}考核结果公示", url=reverse("assessment:period_detail", args=[period.pk]))
    return objection


@transaction.atomic
def objection_answer(*, objection: PeriodObjection, answer: str, actor, upheld: bool = False) -> PeriodObjection:
    """The office answers an objection and says whether it is upheld (an
    upheld objection lets the office reopen the period to correct it)."""
    _require_office(actor)
    objection = PeriodObjection.objects.select_for_update().select_related("period").get(pk=objection.pk)
    objection.record_answer(answer=answer, actor=actor, upheld=upheld)
    transaction.on_commit(lambda: objection_answered_notify(
        objection=objection, about=f"{objection.period}考核结果公示",
        url=reverse("assessment:period_detail", args=[objection.period_id]),
    ))
    return objection


# --- §9.4 member assessment ------------------------------------------------------------


@transaction.atomic
def member_assessment_save(
    *, membership, school_year: int, semester: int, scores: dict, comment: str = "", actor, reason: str = ""
) -> MemberAssessment:
    """The host scores a member's five dimensions for a semester (§9.4); the
    grade follows the rule; 优秀 flags an honour certificate, 不合格 flags the
    member for adjustment out (the membership change is its own workflow)."""
    r = roles_of(actor)
    if membership.workroom_id not in r.hosted_workroom_ids and not r.is_office:
        raise PermissionDenied("只有本工作室主持人可以考核成员。")
    if members_published(workroom_id=membership.workroom_id, school_year=school_year, semester=semester):
        raise ValidationError("本学期成员考核结果已公示，不能修改；如需更正，请德育处在异议成立后重新开放。")
    ruleset = _current_ruleset()
    dims = tuple(Decimal(scores[code]) for code in DIMENSION_CODES)
    attended, held = member_attendance(membership, semester_period(school_year, semester))
    try:
        result = member_grade(MemberInput(dims, held, attended), rules_from_ruleset(ruleset))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    assessment = MemberAssessment.objects.filter(membership=membership, school_year=school_year, semester=semester).first()
    assessment = assessment or MemberAssessment(membership=membership, school_year=school_year, semester=semester)
    if result.grade != "优秀" and assessment.pk and OutstandingMember.objects.filter(assessment_id=assessment.pk).exists():
        raise ValidationError(
            f"{membership.teacher.name}已被评为本学期优秀工作室成员，考核不能改为{result.grade}；如需修改，请先撤回该评选。"
        )
    if assessment.pk and not reason.strip():
        if any(getattr(assessment, code) != value for code, value in zip(DIMENSION_CODES, dims, strict=True)):
            raise ValidationError({"reason": "修改已保存的考核分数须填写修改原因。"})
    for code, value in zip(DIMENSION_CODES, dims, strict=True):
        setattr(assessment, code, value)
    assessment.comment = comment
    assessment.total = result.total
    assessment.grade = result.grade
    assessment.attendance_forced = result.attendance_forced
    assessment.honour_certificate = result.grade == "优秀"
    assessment.adjust_out = result.grade == "不合格"
    assessment.ruleset = ruleset
    assessment.assessed_by = actor
    assessment.full_clean()
    tracked(assessment, actor=actor, reason=reason or ("" if assessment.pk else "考核")).save()
    return assessment


# --- §9.5 workroom evaluation ------------------------------------------------------------


@transaction.atomic
def evaluation_open(*, workroom, kind: str, experts, actor) -> Evaluation:
    """The office opens a mid-term or final evaluation and assigns experts."""
    _require_office(actor)
    experts = list(experts)
    if not experts:
        raise ValidationError({"experts": "请至少指定一位专家。"})
    if not all(roles_of(e).is_expert for e in experts):
        raise ValidationError({"experts": "只能指定「专家」组的用户。"})
    if Evaluation.objects.filter(workroom=workroom, kind=kind, status=Evaluation.Status.SCORING).exists():
        raise ValidationError("该工作室已有进行中的同类评估。")
    evaluation = Evaluation(workroom=workroom, kind=kind, opened_by=actor)
    evaluation.full_clean()
    if workroom.status == workroom.Status.RUNNING:
        WORKROOM.apply(workroom, f"start_{kind}", actor=actor)
    tracked(evaluation, actor=actor, reason="发起评估").save()
    evaluation.experts.set(experts)
    return evaluation


@transaction.atomic
def evaluation_scores_save(*, evaluation: Evaluation, scores: dict, actor) -> None:
    """One expert's scores of every third-level item (0–100), independent of
    the other experts'."""
    if not evaluation.experts.filter(pk=actor.pk).exists():
        raise PermissionDenied("您不是本次评估的专家。")
    if evaluation.status != Evaluation.Status.SCORING:
        raise ValidationError("评估已出结果，不能再修改评分。")
    codes = [item.code for item in rubric_items()]
    if set(scores) != set(codes):
        raise ValidationError("请为每个三级指标打分。")
    # Saved in place (not replaced) so that each item's 修改记录 shows old → new.
    existing = {s.item: s for s in EvaluationScore.objects.select_for_update().filter(evaluation=evaluation, expert=actor)}
    rows = []
    for code in codes:
        row = existing.get(code) or EvaluationScore(evaluation=evaluation, expert=actor, item=code)
        new = Decimal(scores[code])
        if row.pk and row.score == new:
            continue
        row.score = new
        row.full_clean(exclude=["evaluation", "expert"])
        rows.append(row)
    for row in rows:
        tracked(row, actor=actor, reason="专家评分" if row.pk is None else "专家修改评分").save()


@transaction.atomic
def evaluation_report_upload(*, evaluation: Evaluation, upload, actor) -> EvaluationReport:
    """The host files the workroom's 自评报告 for an evaluation (DOMAIN.md
    §9.5); a new upload replaces the report shown and keeps the earlier ones
    with who uploaded them and when."""
    if not access.can_upload_evaluation_report(actor, evaluation):
        raise PermissionDenied("只有本工作室主持人可以在专家评分期间上传自评报告。")
    stored = store_upload(upload, user=actor)
    return EvaluationReport.objects.create(evaluation=evaluation, file=stored, uploaded_by=actor)


@transaction.atomic
def evaluation_conclude(*, evaluation: Evaluation, actor) -> Evaluation:
    """Panel mean and grade (§9.5). What the result decides waits for its
    公示 to be made final (§12, ``evaluation_consequences_apply``)."""
    _require_office(actor)
    if evaluation.status != Evaluation.Status.SCORING:
        raise ValidationError("评估已出结果。")
    sheets: dict = {}
    for expert_id, item, score in evaluation.scores.values_list("expert_id", "item", "score"):
        sheets.setdefault(expert_id, {})[item] = score
    missing = set(evaluation.experts.values_list("pk", flat=True)) - set(sheets)
    if missing:
        raise ValidationError(f"还有 {len(missing)} 位专家未完成评分。")
    ruleset = _current_ruleset()
    try:
        result = workroom_evaluation(sheets, rules_from_ruleset(ruleset))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    evaluation.total, evaluation.grade, evaluation.ruleset = result.total, result.grade, ruleset
    evaluation.item_means = {k: str(v) for k, v in result.item_means.items()}
    evaluation.status = Evaluation.Status.CONCLUDED
    evaluation.concluded_at = timezone.now()
    tracked(evaluation, actor=actor, reason="汇总专家评分，得出评估结果").save()
    return evaluation


def evaluation_consequences_apply(*, evaluation: Evaluation, actor) -> None:
    """What a concluded evaluation decides, once its 公示 is final (§9.5,
    §12): a mid-term 不合格 revokes the workroom (funding stops); a final
    pass completes it, titles the host 名班主任 and the members whose latest
    assessment passed 骨干班主任, except anyone vetoed from honours
    (``honours.vetoed_q``)."""
    workroom = evaluation.workroom
    label = f"{evaluation.get_kind_display()}{evaluation.grade}（{evaluation.total} 分）"
    if evaluation.kind == Evaluation.Kind.MIDTERM and evaluation.grade == "不合格":
        WORKROOM.apply(workroom, "revoke", actor=actor, comment=label)
    elif evaluation.kind == Evaluation.Kind.MIDTERM:
        WORKROOM.apply(workroom, "pass_midterm", actor=actor, comment=label)
    elif evaluation.kind == Evaluation.Kind.FINAL and evaluation.grade != "不合格":
        # Read before completing: completion ends the members' terms (§11).
        members = _qualified_member_ids(workroom)
        WORKROOM.apply(workroom, "complete", actor=actor, comment=label)
        # Whoever is vetoed from honours (a host veto, a 师德 violation) gets no title.
        vetoed = vetoed_teacher_ids([workroom.host_id, *members])
        if workroom.host_id not in vetoed:
            Distinction.objects.create(teacher=workroom.host, kind=Distinction.Kind.MASTER, evaluation=evaluation)
        for teacher_id in members:
            if teacher_id not in vetoed:
                Distinction.objects.create(teacher_id=teacher_id, kind=Distinction.Kind.BACKBONE, evaluation=evaluation)


def _qualified_member_ids(workroom) -> list[int]:
    """Members whose latest semester assessment is not 不合格."""
    latest: dict = {}
    for teacher_id, year, semester, grade in MemberAssessment.objects.filter(
        membership__workroom=workroom, membership__role="member", membership__status__in=["active", "pending_agreement"]
    ).values_list("membership__teacher_id", "school_year", "semester", "grade"):
        if teacher_id not in latest or (year, semester) > latest[teacher_id][0]:
            latest[teacher_id] = ((year, semester), grade)
    return [t for t, (_, grade) in latest.items() if grade != "不合格"]


@transaction.atomic
def cover_record(*, period: Period, teacher, substitute, days: int, actor) -> SubstituteCover:
    """Record a substitute (代班主任) covering days of a month (§9.1); the
    allowance for those days goes to the substitute."""
    _require_office(actor)
    _require_open(period)
    if substitute.pk == teacher.pk:
        raise ValidationError({"substitute": "代班主任不能是班主任本人。"})
    if days > period.days_in_month:
        raise ValidationError({"days": f"{period.calendar_year}年{period.month}月只有 {period.days_in_month} 天。"})
    cover = SubstituteCover(period=period, teacher=teacher, substitute=substitute, days=days)
    cover.full_clean()
    cover.save()
    return cover
