"""Computation, publication and freezing of head-teacher results (§9.1–§9.3)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services
from assessment.models import Period, Result
from assessment.selectors import year_inputs
from assessment.workflow import ASSESSMENT_PERIOD
from core.workflow import TransitionRefused
from members.models import SchoolCalendar
from tests import factories as f
from tests.assessment.factories import (
    BonusAwardFactory,
    MonthlyScoreFactory,
    MonthPeriodFactory,
    VetoCaseFactory,
)
from workrooms.models import RuleSet

pytestmark = pytest.mark.django_db


def _new_ruleset(**changes):
    current = RuleSet.objects.current()
    current.pk = None
    current.version += 1
    for k, v in changes.items():
        setattr(current, k, v)
    current.save()
    return current


def test_it_computes_a_month_with_the_settings_version(month, teacher, office, ruleset):
    MonthlyScoreFactory(period=month, teacher=teacher, dept_score=D("59.9"), office_score=D("60"))
    assert services.period_compute(period=month, actor=office) == 1
    result = Result.objects.get(period=month, teacher=teacher)
    assert (result.score, result.outcome, result.ruleset) == (D("60.0"), "合格", ruleset)
    assert "59.9 × 50% + 60.0 × 50% = 60.0" in result.lines[0][2]


def test_it_fails_a_month_with_a_confirmed_veto_only(month, teacher, office):
    MonthlyScoreFactory(period=month, teacher=teacher, dept_score=D("100"), office_score=D("100"))
    veto = VetoCaseFactory(period=month, teacher=teacher)
    services.period_compute(period=month, actor=office)
    assert Result.objects.get(teacher=teacher).outcome == "合格"  # not yet confirmed
    services.veto_confirm(veto=veto, actor=office)
    services.period_compute(period=month, actor=office)
    assert Result.objects.get(teacher=teacher).outcome == "不合格"
    veto.refresh_from_db()
    assert veto.confirmed_by == office and veto.confirmed_at is not None


def test_it_recomputes_the_same_result_from_the_same_inputs(month, teacher, office):
    MonthlyScoreFactory(period=month, teacher=teacher)
    services.period_compute(period=month, actor=office)
    first = list(Result.objects.values_list("teacher", "score", "outcome", "amount", "inputs", "lines"))
    digest = Period.objects.get(pk=month.pk).inputs_digest
    services.period_compute(period=month, actor=office)
    month.refresh_from_db()
    assert list(Result.objects.values_list("teacher", "score", "outcome", "amount", "inputs", "lines")) == first
    assert month.inputs_digest == digest
    assert services.period_is_reproducible(month)


def test_it_keeps_published_results_when_the_settings_change(month, teacher, office):
    MonthlyScoreFactory(period=month, teacher=teacher, dept_score=D("60"), office_score=D("64"))
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    _new_ruleset(monthly_pass_mark=D("70"))
    with pytest.raises(ValidationError, match="公示中"):
        services.period_compute(period=month, actor=office)
    result = Result.objects.get(teacher=teacher)
    assert (result.outcome, result.ruleset.version) == ("合格", 1)
    month.refresh_from_db()
    assert services.period_is_reproducible(month)


def test_it_refuses_to_publish_without_results(month, office):
    with pytest.raises(TransitionRefused, match="尚未计算结果"):
        ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    month.refresh_from_db()
    assert month.status == Period.Status.OPEN


def test_it_freezes_only_when_every_objection_is_answered(month, teacher, office, after_notice):
    MonthlyScoreFactory(period=month, teacher=teacher)
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    objection = services.objection_raise(period=month, text="抽查分数有误", actor=teacher.user)
    after_notice(month)
    with pytest.raises(TransitionRefused, match="1 条异议未答复"):
        ASSESSMENT_PERIOD.apply(month, "freeze", actor=office)
    services.objection_answer(objection=objection, answer="已复核，分数无误。", actor=office)
    ASSESSMENT_PERIOD.apply(month, "freeze", actor=office)
    month.refresh_from_db()
    assert month.status == Period.Status.FROZEN


def test_it_refuses_edits_after_freezing_until_reopened(month, grade_dept, teacher, office, admin, after_notice):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    after_notice(month)
    ASSESSMENT_PERIOD.apply(month, "freeze", actor=office)
    with pytest.raises(ValidationError, match="已定稿"):
        services.monthly_scores_save(period=month, department=grade_dept, values={teacher.pk: {"office": D("10")}}, actor=office)
    # The office reopens only after an upheld objection (§12); an administrator at any time.
    with pytest.raises(TransitionRefused, match="异议经答复认定成立"):
        ASSESSMENT_PERIOD.apply(month, "reopen", actor=office, comment="更正")
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        ASSESSMENT_PERIOD.apply(month, "reopen", actor=admin, comment="")
    assert teacher.monthly_scores.get().office_score == D("90")
    change = ASSESSMENT_PERIOD.apply(month, "reopen", actor=admin, comment="抽查分录入错误，经校务会同意更正")
    assert (change.actor, change.to_status) == (admin, "open")
    services.monthly_scores_save(
        period=month, department=grade_dept, values={teacher.pk: {"office": D("10")}}, actor=office, reason="抽查分录入错误",
    )
    assert teacher.monthly_scores.get().office_score == D("10")


def test_it_lets_each_side_enter_only_its_half(month, grade_dept, teacher, reviewer, office):
    services.monthly_scores_save(period=month, department=grade_dept, values={teacher.pk: {"dept": D("70"), "office": D("1")}}, actor=reviewer)
    services.monthly_scores_save(period=month, department=grade_dept, values={teacher.pk: {"dept": D("1"), "office": D("80")}}, actor=office)
    score = teacher.monthly_scores.get()
    assert (score.dept_score, score.office_score, score.dept_entered_by, score.office_entered_by) == (D("70"), D("80"), reviewer, office)


def test_it_refuses_the_grid_to_someone_else(month, grade_dept, teacher):
    with pytest.raises(PermissionDenied):
        services.monthly_scores_save(period=month, department=grade_dept, values={teacher.pk: {"dept": D("70")}}, actor=teacher.user)
    assert not teacher.monthly_scores.exists()


def _semester(school, teacher, scores):
    months = [MonthPeriodFactory(school=school, school_year=2025, month=m) for m in (9, 10, 11, 12, 1)]
    for period, score in zip(months, scores, strict=False):
        MonthlyScoreFactory(period=period, teacher=teacher, dept_score=D(score), office_score=D(score))
    return months


def test_it_computes_a_semester_with_halving_bonus_and_substitute(school, grade_dept, teacher, office):
    months = _semester(school, teacher, ["90", "90", "50", "90", "90"])
    sub = f.TeacherFactory(name="代班老师", school=school, department=grade_dept, is_head_teacher=False)
    from assessment.models import SubstituteCover

    SubstituteCover.objects.create(period=months[0], teacher=teacher, substitute=sub, days=15)  # September: 30 days
    BonusAwardFactory(teacher=teacher, level="municipal")
    BonusAwardFactory(teacher=teacher, level="municipal", event="另一评比")  # same level: once
    semester = services.period_create(school=school, kind="semester", school_year=2025, semester=1, actor=office)
    services.period_compute(period=semester, actor=office)
    own = Result.objects.get(period=semester, teacher=teacher)
    # 4 passed months × 200 ÷ 2 = 400; the substitute takes 100 × 15/30 = 50 of September
    assert (own.score, own.amount, own.outcome) == (D("413.0"), D("350.00"), "无称号")
    assert Result.objects.get(period=semester, teacher=sub).amount == D("50.00")


def test_it_ranks_the_alternative_scheme_into_tiers(school, grade_dept, office):
    _new_ruleset(assessment_scheme="alternative")
    teachers = [f.TeacherFactory(school=school, department=grade_dept) for _ in range(7)]
    for i, t in enumerate(teachers):
        _semester(school, t, [str(90 - i)])
    VetoCaseFactory(teacher=teachers[0], period=Period.objects.get(month=9), confirmed_at="2025-09-30T10:00Z")
    year = services.period_create(school=school, kind="year", school_year=2025, actor=office)
    services.period_compute(period=year, actor=office)
    outcomes = dict(Result.objects.filter(period=year).values_list("teacher", "outcome"))
    # six ranked: 30% → 2, 70% → 4 (4.2 rounded); the vetoed one gets nothing
    assert [outcomes[t.pk] for t in teachers] == ["一票否决", "一等奖", "一等奖", "二等奖", "二等奖", "三等奖", "三等奖"]
    top = Result.objects.get(period=year, teacher=teachers[1])
    assert top.amount == D("600") + D("300") * D("0.7") * D("89") / 100


def test_it_loads_a_year_in_a_constant_number_of_queries(school, grade_dept, django_assert_num_queries):
    teachers = [f.TeacherFactory(school=school, department=grade_dept) for _ in range(3)]
    for t in teachers:
        _semester(school, t, ["80", "80"])
    with django_assert_num_queries(6):
        data = year_inputs(school_id=school.pk, school_year=2025)
    assert len(data.teachers) == 3 and len(data.months) == 5


def test_it_refuses_a_cover_longer_than_the_month(school, grade_dept, teacher, office):
    november = MonthPeriodFactory(school=school, school_year=2025, month=11)
    sub = f.TeacherFactory(school=school, department=grade_dept)
    with pytest.raises(ValidationError, match="只有 30 天"):
        services.cover_record(period=november, teacher=teacher, substitute=sub, days=31, actor=office)
    assert not november.covers.exists()


@pytest.mark.parametrize(
    "month, semester, label",
    [
        (9, 1, "2025–2026学年第一学期 2025年9月"),
        (1, 1, "2025–2026学年第一学期 2026年1月"),
        (3, 2, "2025–2026学年第二学期 2026年3月"),
        (7, 2, "2025–2026学年第二学期 2026年7月"),
    ],
)
def test_it_places_a_month_in_the_semester_of_the_school_calendar(school, office, month, semester, label):
    period = services.period_create(school=school, kind="month", school_year=2025, month=month, actor=office)
    assert (period.school_year, period.semester) == (2025, semester)
    assert str(period).startswith(label)


@pytest.mark.parametrize("month", [8, 2])
def test_it_refuses_a_month_the_calendar_does_not_count(school, office, month):
    """August is summer (it used to become 「第二学期 2025年8月」); February is
    not counted by default (§11)."""
    with pytest.raises(ValidationError, match=f"{month}月不计入2025-2026学年的月考核"):
        services.period_create(school=school, kind="month", school_year=2025, month=month, actor=office)
    assert not Period.objects.exists()


def test_a_school_that_counts_february_opens_it_in_the_second_term(school, office):
    SchoolCalendar.objects.create(
        school=school, start_year=2025, term1_start=date(2025, 9, 1), term1_end=date(2026, 1, 31),
        term2_start=date(2026, 2, 1), term2_end=date(2026, 7, 15), counted_months=[9, 10, 11, 12, 1, 2, 3, 4, 5, 6],
    )
    period = services.period_create(school=school, kind="month", school_year=2025, month=2, actor=office)
    assert (period.semester, period.calendar_year) == (2, 2026)
