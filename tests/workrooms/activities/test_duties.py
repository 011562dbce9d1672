"""Duty counting (DOMAIN.md §6) and the absence rule (§5) as pure functions."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from core.calendar import semester_of
from workrooms.activities import duties

RULES = duties.DutyRules(ruleset_version=1)
# The five months of an autumn term, none checked yet.
FIVE_MONTHS = duties.monthly_ticks(
    [(2026, 9), (2026, 10), (2026, 11), (2026, 12), (2027, 1)], [], required=1, today=date(2026, 8, 20)
)


def by_label(progress):
    return {d.label: d for d in progress}


@pytest.mark.parametrize(
    "counts, label, done, required, met",
    [
        (duties.WorkroomCounts(), "计划会", 0, 1, False),
        (duties.WorkroomCounts(planning_meetings=1), "计划会", 1, 1, True),
        (duties.WorkroomCounts(progress_meetings=1), "阶段汇报会", 1, 2, False),
        (duties.WorkroomCounts(progress_meetings=2), "阶段汇报会", 2, 2, True),
        (duties.WorkroomCounts(summary_meetings=1), "总结会", 1, 1, True),
        (duties.WorkroomCounts(regular_meetings=4), "例会（每月）", 4, 5, False),
        (duties.WorkroomCounts(regular_meetings=5), "例会（每月）", 5, 5, True),
        (duties.WorkroomCounts(exchanges=1), "跨工作室交流", 1, 1, True),
        (duties.WorkroomCounts(host_lectures=1), "主持人讲座", 1, 1, True),
        (duties.WorkroomCounts(host_observations=9), "主持人听成员课", 9, 10, False),
        (duties.WorkroomCounts(host_observations=10), "主持人听成员课", 10, 10, True),
    ],
)
def test_it_counts_workroom_duties(counts, label, done, required, met):
    counts = replace(counts, group_study_months=FIVE_MONTHS)
    d = by_label(duties.workroom_duties(counts, RULES))[label]
    assert (d.done, d.required, d.met) == (done, required, met)


@pytest.mark.parametrize(
    "counts, label, done, required, met",
    [
        (duties.MemberCounts(training_hours=Decimal("29.5")), "培训课时", Decimal("29.5"), 30, False),
        (duties.MemberCounts(training_hours=Decimal("30")), "培训课时", 30, 30, True),
        (duties.MemberCounts(demo_classes=1), "示范班会课", 1, 1, True),
        (duties.MemberCounts(expert_lectures=0), "市级以上专家讲座", 0, 1, False),
        (duties.MemberCounts(expert_lectures=2), "市级以上专家讲座", 2, 1, True),
    ],
)
def test_it_counts_member_duties(counts, label, done, required, met):
    d = by_label(duties.member_duties(counts, RULES))[label]
    assert (d.done, d.required, d.met) == (done, required, met)


def test_it_caps_the_fraction_at_one_and_reports_percent():
    d = by_label(duties.member_duties(duties.MemberCounts(training_hours=Decimal("45")), RULES))["培训课时"]
    assert d.fraction == 1 and d.percent == 100
    half = by_label(duties.member_duties(duties.MemberCounts(training_hours=Decimal("15")), RULES))["培训课时"]
    assert half.percent == 50


def test_it_covers_every_duty_of_the_table():
    labels = [d.label for d in duties.workroom_duties(duties.WorkroomCounts(), RULES)] + [
        d.label for d in duties.member_duties(duties.MemberCounts(), RULES)
    ]
    assert len(labels) == 19 == len(set(labels))


@pytest.mark.parametrize(
    "counts, label, done, required, met",
    [
        (duties.MemberCounts(recommended_books=1), "推荐书目（德育/心理著作）", 1, 2, False),
        (duties.MemberCounts(recommended_books=2, other_books=5), "推荐书目（德育/心理著作）", 2, 2, True),
        (duties.MemberCounts(other_books=3), "其他书籍", 3, 0, True),
        (duties.MemberCounts(papers_read=4), "阅读论文", 4, 5, False),
        (duties.MemberCounts(narratives=1), "教育叙事/案例", 1, 1, True),
        (duties.MemberCounts(student_cases=0), "学生个案", 0, 1, False),
        (duties.MemberCounts(articles=2), "德育论文/文章投稿", 2, 2, True),
        (duties.MemberCounts(reflections=1), "读书心得", 1, 2, False),
    ],
)
def test_it_counts_record_duties_against_their_requirement(counts, label, done, required, met):
    d = by_label(duties.member_duties(counts, RULES))[label]
    assert (d.done, d.required, d.met) == (done, required, met)


def test_it_counts_awarded_results_of_the_workroom():
    d = by_label(duties.workroom_duties(duties.WorkroomCounts(awarded_results=1), RULES))["区级以上获奖成果"]
    assert (d.done, d.required, d.met) == (1, 1, True)


def test_it_follows_changed_settings():
    stricter = replace(RULES, training_hours_per_year=40, progress_meetings=1, regular_meetings_per_month=2)
    member = by_label(duties.member_duties(duties.MemberCounts(training_hours=Decimal("30")), stricter))["培训课时"]
    assert (member.required, member.met) == (40, False)
    room = by_label(duties.workroom_duties(duties.WorkroomCounts(progress_meetings=1, regular_meetings=5, group_study_months=FIVE_MONTHS), stricter))
    assert room["阶段汇报会"].met is True
    assert room["例会（每月）"].required == 10


def test_it_multiplies_requirements_for_workroom_totals():
    total = duties.MemberCounts(training_hours=Decimal("20")) + duties.MemberCounts(training_hours=Decimal("40"))
    d = by_label(duties.member_duties(total, RULES, members=2))["培训课时"]
    assert (d.done, d.required, d.met) == (60, 60, True)


def test_it_treats_a_zero_requirement_as_met():
    d = by_label(duties.workroom_duties(duties.WorkroomCounts(), replace(RULES, exchanges_per_semester=0)))["跨工作室交流"]
    assert d.met and d.percent == 100


def test_it_reads_requirements_from_the_ruleset(db):
    from workrooms.models import RuleSet

    rs = RuleSet.objects.create(version=7, duty_training_hours_per_year=20, absence_limit_numerator=1, absence_limit_denominator=4, duty_warning_days=14)
    rules = duties.duty_rules_from(rs)
    assert (rules.ruleset_version, rules.training_hours_per_year, rules.absence_limit_denominator, rules.warning_days) == (7, 20, 4, 14)
    assert rules.host_observations_per_year == rs.duty_host_observations_per_year


@pytest.mark.parametrize(
    "absent, held, flagged",
    [(0, 0, False), (1, 3, False), (2, 6, False), (3, 9, False), (4, 9, True), (2, 5, True), (1, 2, True), (10, 30, False), (11, 30, True)],
)
def test_it_flags_absence_above_one_third_only(absent, held, flagged):
    assert duties.flagged_for_absence(absent=absent, held=held, rules=RULES) is flagged


def test_it_flags_absence_with_a_changed_limit():
    quarter = replace(RULES, absence_limit_numerator=1, absence_limit_denominator=4)
    assert duties.flagged_for_absence(absent=1, held=4, rules=quarter) is False
    assert duties.flagged_for_absence(absent=3, held=9, rules=quarter) is True


def test_it_names_lagging_duties_against_time_passed():
    on_track = duties.MemberCounts(recommended_books=1, papers_read=3, narratives=1, student_cases=1, articles=1, reflections=1)
    progress = duties.member_duties(on_track + duties.MemberCounts(training_hours=Decimal("10"), demo_classes=1), RULES)
    assert duties.is_behind(progress, semester_share=Decimal("0.5"), year_share=Decimal("0.5")) == ["培训课时", "市级以上专家讲座"]
    unread = duties.member_duties(duties.MemberCounts(papers_read=2), RULES)
    assert "阅读论文" in duties.is_behind(unread, semester_share=Decimal("0.5"), year_share=Decimal("0.5"))
    assert duties.is_behind(progress, semester_share=Decimal(0), year_share=Decimal(0)) == []


@pytest.mark.parametrize(
    "today, days, warn",
    [
        (date(2026, 12, 31), 30, False),  # 31 days left
        (date(2027, 1, 1), 30, True),  # exactly 30 days left
        (date(2027, 1, 31), 30, True),
        (date(2027, 2, 1), 30, False),  # after the end
        (date(2027, 1, 1), 14, False),  # a school that warns later
    ],
)
def test_it_warns_when_the_term_ends_within_the_warning_days(today, days, warn):
    rules = replace(RULES, warning_days=days)
    assert duties.term_ends_soon(semester_of(date(2026, 10, 1)), today, rules) is warn
