"""Property tests for the invariants of the ranking and allowance rules."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from assessment.rules import Rules
from assessment.rules.allowance import (
    AllowanceMonth,
    Cover,
    alt_monthly_allowance,
    semester_allowance,
)
from assessment.rules.tiers import prize_tiers

R = Rules()
scores = st.dictionaries(
    st.integers(0, 10_000), st.decimals(min_value=0, max_value=1200, places=1, allow_nan=False), max_size=60
)


@given(scores)
def test_it_puts_everyone_in_exactly_one_tier(people):
    tiers = prize_tiers(people, R).tiers
    assert set(tiers) == set(people)
    assert set(tiers.values()) <= {1, 2, 3}


@given(scores)
def test_it_never_puts_a_higher_composite_in_a_lower_tier(people):
    tiers = prize_tiers(people, R).tiers
    for a, sa in people.items():
        for b, sb in people.items():
            if sa > sb:
                assert tiers[a] <= tiers[b]
            if sa == sb:
                assert tiers[a] == tiers[b]


@given(scores)
def test_it_fills_tier_one_at_least_to_its_share(people):
    t = prize_tiers(people, R)
    assert t.sizes()[0] >= t.cut1
    assert t.sizes()[0] + t.sizes()[1] >= t.cut12


months = st.lists(
    st.builds(
        AllowanceMonth,
        passed=st.booleans(),
        days_in_month=st.integers(28, 31),
        covers=st.lists(st.builds(Cover, substitute=st.sampled_from("xyz"), days=st.integers(-3, 40)), max_size=3).map(tuple),
    ),
    max_size=12,
)


@given(months, st.decimals(min_value=0, max_value=1000, places=2))
def test_it_keeps_every_allowance_between_zero_and_the_maximum(ms, monthly):
    rules = replace(R, monthly_allowance=monthly)
    r = semester_allowance(ms, rules)
    maximum = monthly * min(len(ms), rules.allowance_months_per_year)
    assert D("0") <= r.head_teacher <= maximum
    assert all(D("0") <= amount <= maximum for _, amount in r.substitutes)
    assert D("0") <= r.total <= maximum
    assert r.head_teacher + sum(a for _, a in r.substitutes) == r.total


@given(st.decimals(min_value=-50, max_value=200, places=1))
def test_it_keeps_the_post_allowance_between_zero_and_the_maximum(score):
    amount = alt_monthly_allowance(score, R)
    assert D("0") <= amount <= R.alt_base_allowance * R.alt_monthly_weight


@given(scores, st.integers(0, 8))
def test_it_takes_at_least_n_and_never_skips_a_higher_score(people, n):
    from assessment.rules.tiers import top_n_with_ties

    top = top_n_with_ties(people, n)
    assert len(top) >= min(n, len(people))
    if top:
        line = min(people[k] for k in top)
        assert all(people[other] < line for other in people if other not in top)


@given(st.lists(st.tuples(st.sampled_from("ab"), st.decimals(0, 600, places=1), st.booleans(), st.integers(0, 4)), max_size=20))
def test_it_gives_titles_only_to_passed_classes_and_model_only_to_excellent(rows):
    from assessment.rules.titles import ClassInput, class_titles

    classes = {i: ClassInput(g, 1, c, passed, cond, D(1), D("0.95"), D(1)) for i, (g, c, passed, cond) in enumerate(rows)}
    titles = class_titles(classes, R)
    for key, c in classes.items():
        assert (titles[key] == "") == (not c.passed)
        if titles[key] in ("优秀班队", "标兵班队"):
            assert c.conditions >= R.excellent_min_conditions
