"""Caps on places (DOMAIN.md §3, §5) at their boundaries. Pure: no database."""

from decimal import Decimal

import pytest

from workrooms.selection.caps import (
    CapRules,
    PlaceFacts,
    cap_refusals,
    own_school_cap,
    own_school_rule_text,
)

DEFAULT = CapRules(max_members=12, own_school_max_share=Decimal("0.20"), max_active_memberships=1)


def facts(members=0, own=0, from_own=False, mine=0):
    return PlaceFacts(
        members_now=members, own_school_now=own, candidate_from_own_school=from_own, candidate_memberships_now=mine
    )


@pytest.mark.parametrize(
    "max_members, share, cap",
    [(12, "0.20", 2), (10, "0.20", 2), (10, "0.30", 3), (14, "0.20", 2), (15, "0.20", 3), (4, "0.20", 0), (12, "0", 0)],
)
def test_it_rounds_the_own_school_cap_down(max_members, share, cap):
    assert own_school_cap(max_members, Decimal(share)) == cap


def test_it_states_the_own_school_rule_in_words():
    assert own_school_rule_text(DEFAULT) == "本校成员不超过成员上限的 20%（12 × 20% 向下取整），即最多 2 人。"


@pytest.mark.parametrize("members, refused", [(10, False), (11, False), (12, True), (13, True)])
def test_it_caps_members_per_workroom(members, refused):
    refusals = cap_refusals(facts(members=members), DEFAULT)
    assert bool(refusals) is refused
    if refused:
        assert refusals == [f"工作室成员已满：上限 12 人，目前已有 {members} 人。"]


@pytest.mark.parametrize("own, refused", [(0, False), (1, False), (2, True), (3, True)])
def test_it_caps_members_from_the_hosts_own_school(own, refused):
    refusals = cap_refusals(facts(members=5, own=own, from_own=True), DEFAULT)
    assert bool(refusals) is refused
    if refused:
        assert refusals[0].startswith("本校成员名额已满：")


def test_it_lets_a_candidate_from_another_school_in_when_the_own_school_share_is_full():
    assert cap_refusals(facts(members=5, own=2, from_own=False), DEFAULT) == []


def test_it_follows_changed_settings():
    rules = CapRules(max_members=10, own_school_max_share=Decimal("0.30"), max_active_memberships=1)
    assert cap_refusals(facts(members=9, own=2, from_own=True), rules) == []
    assert len(cap_refusals(facts(members=9, own=3, from_own=True), rules)) == 1
    assert cap_refusals(facts(members=10), rules) == ["工作室成员已满：上限 10 人，目前已有 10 人。"]


@pytest.mark.parametrize("allowed, mine, refused", [(1, 0, False), (1, 1, True), (2, 1, False), (2, 2, True)])
def test_it_limits_how_many_workrooms_a_teacher_joins(allowed, mine, refused):
    rules = CapRules(max_members=12, own_school_max_share=Decimal("0.20"), max_active_memberships=allowed)
    refusals = cap_refusals(facts(mine=mine), rules)
    assert bool(refusals) is refused
    if refused:
        assert refusals == [f"该教师已在 {mine} 个工作室任职，学校规定每位教师最多同时参加 {allowed} 个工作室。"]


def test_it_lists_every_broken_cap():
    assert len(cap_refusals(facts(members=12, own=2, from_own=True, mine=1), DEFAULT)) == 3
