"""Member eligibility (DOMAIN.md §5) at and around each boundary, with the
school settings changed. Pure: no database."""

from dataclasses import replace

import pytest

from members.eligibility import MemberRules, TeacherFacts, member_eligibility

DEFAULT = MemberRules(require_current=True, max_age=40, min_years=3)
ELIGIBLE = TeacherFacts(is_head_teacher=True, head_teacher_years=3, title="junior", age=40, has_ethics_violation=False)


def failed_labels(facts, rules=DEFAULT):
    return [c.label for c in member_eligibility(facts, rules).failed]


@pytest.mark.parametrize(
    "changes, failed",
    [
        ({}, []),
        ({"age": 40}, []),
        ({"age": 41}, ["年龄"]),
        ({"age": None}, ["年龄"]),
        ({"head_teacher_years": 3}, []),
        ({"head_teacher_years": 2}, ["班主任年限"]),
        ({"is_head_teacher": False}, ["在岗班主任"]),
        ({"is_head_teacher": False, "age": 41, "head_teacher_years": 0}, ["在岗班主任", "年龄", "班主任年限"]),
    ],
)
def test_it_checks_each_member_criterion_at_its_boundary(changes, failed):
    assert failed_labels(replace(ELIGIBLE, **changes)) == failed


def test_it_explains_each_failed_criterion_in_words():
    result = member_eligibility(replace(ELIGIBLE, age=41, head_teacher_years=2, is_head_teacher=False), DEFAULT)
    assert not result.ok
    explanations = [c.explanation for c in result.failed]
    assert explanations == [
        "须为在岗班主任，档案显示目前未担任班主任。",
        "年龄须不超过 40 周岁，档案记载 41 周岁。",
        "须担任班主任满 3 年，档案记载 2 年。",
    ]


@pytest.mark.parametrize(
    "rules, facts, failed",
    [
        (MemberRules(True, 45, 3), replace(ELIGIBLE, age=45), []),
        (MemberRules(True, 45, 3), replace(ELIGIBLE, age=46), ["年龄"]),
        (MemberRules(True, 40, 5), replace(ELIGIBLE, head_teacher_years=4), ["班主任年限"]),
        (MemberRules(True, 40, 5), replace(ELIGIBLE, head_teacher_years=5), []),
        (MemberRules(False, 40, 3), replace(ELIGIBLE, is_head_teacher=False), []),
    ],
)
def test_it_follows_the_school_settings(rules, facts, failed):
    assert failed_labels(facts, rules) == failed


def test_it_reads_the_rules_from_the_current_ruleset(db):
    from workrooms.models import RuleSet

    RuleSet.objects.create(version=2, member_max_age=35, member_min_years=1, member_require_current=False)
    rules = MemberRules.from_ruleset(RuleSet.objects.current())
    assert rules == MemberRules(require_current=False, max_age=35, min_years=1)
    assert failed_labels(replace(ELIGIBLE, age=36, head_teacher_years=1, is_head_teacher=False), rules) == ["年龄"]
