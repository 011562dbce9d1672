"""Host eligibility (DOMAIN.md §4): every hard criterion at and around its
boundary, with the school settings changed; the preferred (优先) criteria."""

from dataclasses import replace
from datetime import date

import pytest

from members.choices import Level, Title
from members.eligibility import (
    HostRules,
    TeacherFacts,
    host_eligibility,
    preferred_criteria,
)
from members.models import EthicsRecord, ProfileItem
from tests import factories as f
from workrooms.selectors import host_eligibility_for

DEFAULT_RULES = HostRules(require_current=True, min_years=6, min_title=Title.INTERMEDIATE, future_years=3)
ELIGIBLE = TeacherFacts(
    is_head_teacher=True, head_teacher_years=8, title=Title.INTERMEDIATE, age=40, has_ethics_violation=False
)


def _criterion(result, label):
    return next(c for c in result.criteria if c.label == label)


@pytest.mark.parametrize(
    "min_years, years, ok",
    [
        (6, 5, False),
        (6, 6, True),
        (6, 7, True),
        (9, 6, False),
        (9, 8, False),
        (9, 9, True),
        (9, 10, True),
    ],
)
def test_it_checks_years_as_head_teacher_at_the_boundary(min_years, years, ok):
    rules = replace(DEFAULT_RULES, min_years=min_years)
    result = host_eligibility(replace(ELIGIBLE, head_teacher_years=years), rules, commits_future_years=True)
    assert result.ok is ok
    years_criterion = _criterion(result, "班主任年限")
    assert years_criterion.ok is ok
    assert f"满 {min_years} 年" in years_criterion.explanation
    assert f"档案记载 {years} 年" in years_criterion.explanation


@pytest.mark.parametrize(
    "min_title, title, ok",
    [
        (Title.INTERMEDIATE, Title.NONE, False),
        (Title.INTERMEDIATE, Title.JUNIOR, False),
        (Title.INTERMEDIATE, Title.INTERMEDIATE, True),
        (Title.INTERMEDIATE, Title.SENIOR, True),
        (Title.INTERMEDIATE, Title.PROFESSOR, True),
        (Title.SENIOR, Title.NONE, False),
        (Title.SENIOR, Title.JUNIOR, False),
        (Title.SENIOR, Title.INTERMEDIATE, False),
        (Title.SENIOR, Title.SENIOR, True),
        (Title.SENIOR, Title.PROFESSOR, True),
    ],
)
def test_it_checks_the_title_against_the_minimum(min_title, title, ok):
    result = host_eligibility(replace(ELIGIBLE, title=title), replace(DEFAULT_RULES, min_title=min_title))
    assert result.ok is ok
    explanation = _criterion(result, "职称").explanation
    assert f"须具有{Title(min_title).label}及以上职称" in explanation
    assert f"档案记载为{Title(title).label}" in explanation


@pytest.mark.parametrize(
    "required, is_head_teacher, ok",
    [(True, True, True), (True, False, False), (False, False, True), (False, True, True)],
)
def test_it_requires_a_current_head_teacher_only_when_the_setting_says_so(required, is_head_teacher, ok):
    result = host_eligibility(
        replace(ELIGIBLE, is_head_teacher=is_head_teacher), replace(DEFAULT_RULES, require_current=required)
    )
    assert result.ok is ok
    if not ok:
        assert "目前未担任班主任" in _criterion(result, "在岗班主任").explanation


def test_it_vetoes_a_confirmed_ethics_violation_whatever_else_is_met():
    strong = replace(ELIGIBLE, head_teacher_years=20, title=Title.PROFESSOR, has_ethics_violation=True)
    result = host_eligibility(strong, DEFAULT_RULES, commits_future_years=True)
    assert result.ok is False
    assert [c.label for c in result.failed] == ["师德表现"]
    assert "一票否决" in result.failed[0].explanation


@pytest.mark.parametrize("commits, ok", [(True, True), (False, False)])
def test_it_requires_the_commitment_to_stay_a_head_teacher(commits, ok):
    result = host_eligibility(ELIGIBLE, replace(DEFAULT_RULES, future_years=4), commits_future_years=commits)
    assert result.ok is ok
    assert "不少于 4 年" in _criterion(result, "继续任职承诺").explanation


def test_it_leaves_the_commitment_out_before_the_form_is_filled():
    result = host_eligibility(ELIGIBLE, DEFAULT_RULES)
    assert "继续任职承诺" not in [c.label for c in result.criteria]
    assert result.ok


def test_it_lists_every_failed_criterion_in_words():
    weak = TeacherFacts(is_head_teacher=False, head_teacher_years=2, title=Title.JUNIOR, age=30, has_ethics_violation=True)
    result = host_eligibility(weak, DEFAULT_RULES, commits_future_years=False)
    assert [c.label for c in result.failed] == ["在岗班主任", "班主任年限", "职称", "师德表现", "继续任职承诺"]
    assert result.as_json()["ok"] is False


# --- from the profile, through the settings in force -------------------------


@pytest.mark.parametrize("days_short, ok", [(1, False), (0, True)])
def test_it_counts_six_full_years_from_the_profile_date(db, ruleset, days_short, ok):
    teacher = f.TeacherFactory(head_teacher_since=f.years_ago(6, days=-days_short))
    assert host_eligibility_for(teacher, ruleset=ruleset).ok is ok


def test_it_reads_the_minimum_years_from_the_school_settings(db, ruleset):
    teacher = f.TeacherFactory(head_teacher_since=f.years_ago(8))
    assert host_eligibility_for(teacher, ruleset=ruleset).ok
    ruleset.host_min_years = 9
    assert not host_eligibility_for(teacher, ruleset=ruleset).ok


def test_it_only_vetoes_confirmed_ethics_records(db, ruleset):
    teacher = f.TeacherFactory()
    EthicsRecord.objects.create(teacher=teacher, occurred_on=date(2024, 3, 1), description="待核实", confirmed=False)
    assert host_eligibility_for(teacher, ruleset=ruleset).ok
    EthicsRecord.objects.create(teacher=teacher, occurred_on=date(2024, 4, 1), description="已查实", confirmed=True)
    assert not host_eligibility_for(teacher, ruleset=ruleset).ok


# --- preferred criteria -------------------------------------------------------

TODAY = date(2026, 6, 1)


def item(kind, *, level=Level.SCHOOL, year=2025, is_leader=False, title="条目"):
    return ProfileItem(kind=kind, title=title, level=level, year=year, is_leader=is_leader)


def _preferred(items):
    return {c.label: c for c in preferred_criteria(items, today=TODAY)}


def test_it_shows_every_preferred_criterion_as_missing_for_an_empty_profile():
    result = _preferred([])
    assert list(result) == ["近5年竞赛获奖", "市级以上先进班集体/优秀团支部", "荣誉称号", "主持市级以上课题", "近5年论文发表"]
    assert not any(c.ok for c in result.values())
    assert result["近5年竞赛获奖"].explanation == "2022年以来无竞赛获奖记录。"


@pytest.mark.parametrize(
    "year, ok", [(2021, False), (2022, True), (2026, True)]
)
def test_it_counts_competitions_and_publications_of_the_last_five_years(year, ok):
    result = _preferred([item(ProfileItem.Kind.COMPETITION, year=year), item(ProfileItem.Kind.PUBLICATION, year=year)])
    assert result["近5年竞赛获奖"].ok is ok
    assert result["近5年论文发表"].ok is ok


@pytest.mark.parametrize(
    "level, ok", [(Level.SCHOOL, False), (Level.COUNTY, False), (Level.MUNICIPAL, True), (Level.NATIONAL, True)]
)
def test_it_counts_class_honours_from_municipal_level(level, ok):
    assert _preferred([item(ProfileItem.Kind.CLASS_AWARD, level=level, year=2010)])["市级以上先进班集体/优秀团支部"].ok is ok


@pytest.mark.parametrize(
    "level, is_leader, ok",
    [(Level.MUNICIPAL, True, True), (Level.PROVINCIAL, True, True), (Level.COUNTY, True, False), (Level.NATIONAL, False, False)],
)
def test_it_counts_research_projects_led_at_municipal_level_or_above(level, is_leader, ok):
    assert _preferred([item(ProfileItem.Kind.RESEARCH, level=level, is_leader=is_leader)])["主持市级以上课题"].ok is ok


def test_it_counts_honours_of_any_level_and_year_and_names_them():
    result = _preferred([item(ProfileItem.Kind.HONOUR, level=Level.SCHOOL, year=2005, title="优秀班主任")])
    assert result["荣誉称号"].ok
    assert result["荣誉称号"].explanation == "优秀班主任（校级，2005）"
    assert not result["近5年竞赛获奖"].ok


# --- the title rule by school stage (003方案3: 高级 for secondary, 中级 for primary) -------------

SPLIT_RULES = replace(DEFAULT_RULES, min_title=Title.SENIOR, min_title_primary=Title.INTERMEDIATE)


@pytest.mark.parametrize(
    "stage, title, ok",
    [
        ("secondary", Title.INTERMEDIATE, False),
        ("secondary", Title.SENIOR, True),
        ("primary", Title.JUNIOR, False),
        ("primary", Title.INTERMEDIATE, True),
        ("primary", Title.SENIOR, True),
    ],
)
def test_the_title_rule_follows_the_school_stage(stage, title, ok):
    facts = replace(ELIGIBLE, title=title, school_stage=stage)
    criterion = _criterion(host_eligibility(facts, SPLIT_RULES), "职称")
    assert criterion.ok is ok
    expected = "小学教师须具有中级及以上职称" if stage == "primary" else "中学教师须具有高级及以上职称"
    assert criterion.explanation.startswith(expected)


def test_one_title_rule_for_both_stages_names_no_stage():
    rules = replace(DEFAULT_RULES, min_title_primary=Title.INTERMEDIATE)
    facts = replace(ELIGIBLE, school_stage="primary")
    assert _criterion(host_eligibility(facts, rules), "职称").explanation == "须具有中级及以上职称，档案记载为中级。"


def test_the_profile_check_reads_the_teachers_school_stage(db, ruleset):
    ruleset.host_min_title = Title.SENIOR
    ruleset.host_min_title_primary = Title.INTERMEDIATE
    ruleset.save()
    primary = f.TeacherFactory(school=f.SchoolFactory(name="实验小学", stage="primary"))
    secondary = f.TeacherFactory(school=f.SchoolFactory(name="第一中学"))
    assert _criterion(host_eligibility_for(primary, ruleset=ruleset), "职称").ok
    assert not _criterion(host_eligibility_for(secondary, ruleset=ruleset), "职称").ok
