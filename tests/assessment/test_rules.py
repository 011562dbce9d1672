"""Table tests for the rules of DOMAIN.md §9 at their boundaries (no database)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from assessment.rules import Rules
from assessment.rules.allowance import (
    AllowanceMonth,
    Cover,
    alt_monthly_allowance,
    semester_allowance,
)
from assessment.rules.annual import AnnualPerson, annual_awards
from assessment.rules.bonus import (
    Award,
    annual_composite,
    bonus_points,
    semester_composite,
)
from assessment.rules.evaluation import rubric_items, workroom_evaluation
from assessment.rules.member import (
    EXCELLENT,
    FAIL,
    GOOD,
    PASS,
    MemberInput,
    member_grade,
)
from assessment.rules.monthly import (
    MonthInput,
    monthly_formula,
    monthly_result,
    monthly_score,
)
from assessment.rules.params import rules_from_ruleset
from assessment.rules.school_year import MonthIn, TeacherIn, YearInputs, semester_lines
from assessment.rules.tiers import (
    prize_tiers,
    rank_positions,
    tier_amount,
    top_n_with_ties,
)
from assessment.rules.titles import ClassInput, class_titles, meets_grade_band

R = Rules()


# --- §9.1 monthly ---------------------------------------------------------


@pytest.mark.parametrize(
    "dept, office, vetoes, score, passed",
    [
        ("60", "60", 0, "60.0", True),  # exactly the pass mark passes
        ("59.9", "60", 0, "60.0", True),  # 59.95 rounds half up to 60.0
        ("59.8", "60", 0, "59.9", False),
        ("100", "100", 1, "100.0", False),  # one veto in an otherwise perfect month
        ("80", "70", 0, "75.0", True),
        ("0", "0", 0, "0.0", False),
    ],
)
def test_it_scores_a_month_at_its_boundaries(dept, office, vetoes, score, passed):
    r = monthly_result(MonthInput(D(dept), D(office), vetoes), R)
    assert (r.score, r.passed) == (D(score), passed)


def test_it_uses_the_weights_and_pass_mark_of_the_settings():
    rules = replace(R, dept_weight=D("0.6"), office_weight=D("0.4"), pass_mark=D("70"))
    assert monthly_score(D("80"), D("50"), rules) == D("68.0")
    assert not monthly_result(MonthInput(D("80"), D("50")), rules).passed


def test_it_explains_a_vetoed_month_with_the_numbers():
    text = monthly_formula(MonthInput(D("90"), D("80"), 1), R)
    assert "90 × 50% + 80 × 50% = 85.0" in text and "一票否决" in text and text.endswith("不合格")


# --- §9.1 allowance ---------------------------------------------------------


@pytest.mark.parametrize(
    "passes, total, halved",
    [
        ([True] * 5, "1000.00", False),
        ([True, True, False, True, True], "400.00", True),  # one failed month among five: 4 × 200 ÷ 2
        ([False] * 5, "0.00", True),
        ([], "0.00", False),
    ],
)
def test_it_computes_the_semester_allowance(passes, total, halved):
    r = semester_allowance([AllowanceMonth(passed=p) for p in passes], R)
    assert (r.total, r.halved, r.head_teacher) == (D(total), halved, D(total))


def test_it_gives_the_substitute_the_days_they_covered():
    months = [AllowanceMonth(passed=True, days_in_month=31, covers=(Cover("sub", 10),))] + [AllowanceMonth(passed=True)] * 4
    r = semester_allowance(months, R)
    # 200 × 10 / 31 = 64.516… → 64.52; the head teacher keeps 135.48 of that month
    assert r.substitutes == (("sub", D("64.52")),)
    assert r.head_teacher == D("935.48")
    assert r.total == D("1000.00")


def test_it_halves_the_substitute_share_too_when_a_month_failed():
    months = [AllowanceMonth(passed=True, days_in_month=30, covers=(Cover("sub", 30),)), AllowanceMonth(passed=False)]
    r = semester_allowance(months, R)
    assert r.substitutes == (("sub", D("100.00")),) and r.head_teacher == D("0.00")


def test_it_pays_no_more_months_than_a_year_has():
    r = semester_allowance([AllowanceMonth(passed=True)] * 12, R)
    assert r.total == D("2000.00")


@pytest.mark.parametrize("score, amount", [("100", "210.00"), ("0", "0.00"), ("85.5", "179.55"), ("33.3", "69.93")])
def test_it_computes_the_alternative_monthly_post_allowance(score, amount):
    assert alt_monthly_allowance(D(score), R) == D(amount)


# --- §9.3 bonus -------------------------------------------------------------


@pytest.mark.parametrize(
    "awards, points",
    [
        # the same event at two levels: only the highest counts
        ([("class_prize", "X", "county"), ("class_prize", "X", "municipal")], "3"),
        # two events at the same level in one category: that level once
        ([("class_prize", "X", "municipal"), ("class_prize", "Y", "municipal")], "3"),
        # DOMAIN's example: X at 县级 and 市级, Y at 县级 → 3 + 2
        ([("student_prize", "X", "county"), ("student_prize", "X", "municipal"), ("student_prize", "Y", "county")], "5"),
        # categories add up
        ([("class_prize", "X", "national"), ("teacher_work", "P", "school")], "6"),
        # student prizes count from 县级 up
        ([("student_prize", "X", "school")], "0"),
        ([], "0"),
    ],
)
def test_it_counts_bonus_points(awards, points):
    assert bonus_points([Award(*a) for a in awards], R) == D(points)


def test_it_adds_the_bonus_to_the_monthly_scores():
    assert semester_composite([D("80.5"), D("90")], [Award("class_prize", "X", "provincial")], R) == D("174.5")
    assert annual_composite([D("80"), D("70")], D("20"), D("3")) == D("173")


# --- tiers ------------------------------------------------------------------


@pytest.mark.parametrize("n, sizes", [(1, (0, 1, 0)), (2, (1, 0, 1)), (3, (1, 1, 1)), (7, (2, 3, 2)), (10, (3, 4, 3))])
def test_it_sizes_tiers_for_small_groups(n, sizes):
    scores = {i: D(100 - i) for i in range(n)}
    assert prize_tiers(scores, R).sizes() == sizes


def test_it_puts_ties_at_the_30_percent_line_in_the_better_tier():
    scores = dict(enumerate(map(D, [99, 98, 97, 97, 90, 80, 70, 60, 50, 40])))
    t = prize_tiers(scores, R)
    assert t.tiers[2] == t.tiers[3] == 1
    assert t.sizes() == (4, 3, 3)


def test_it_puts_ties_at_the_70_percent_line_in_the_better_tier():
    scores = dict(enumerate(map(D, [99, 98, 97, 90, 80, 70, 60, 60, 60, 40])))
    assert prize_tiers(scores, R).sizes() == (3, 6, 1)


def test_it_gives_amounts_fifty_apart():
    assert [tier_amount(t, R) for t in (1, 2, 3)] == [D("600"), D("550"), D("500")]


def test_it_removes_the_annual_award_of_a_vetoed_teacher_without_taking_a_place():
    people = {"a": AnnualPerson(D("900"), vetoed=True), "b": AnnualPerson(D("800")), "c": AnnualPerson(D("700"))}
    awards = annual_awards(people, R)
    assert (awards["a"].tier, awards["a"].amount) == (None, D("0"))
    assert (awards["b"].tier, awards["c"].tier) == (1, 3)


def test_it_ranks_equal_scores_at_the_same_place():
    assert rank_positions({"a": 3, "b": 5, "c": 5, "d": 1}) == {"b": 1, "c": 1, "a": 3, "d": 4}


# --- §9.3 class titles --------------------------------------------------------


@pytest.mark.parametrize(
    "scores, top",
    [
        ([90, 80, 70, 60, 50], {0, 1, 2, 3}),
        ([90, 80, 70, 60, 60, 50], {0, 1, 2, 3, 4}),  # tied with 4th place: included
        ([90, 90, 90, 90, 90], {0, 1, 2, 3, 4}),
        ([90, 80], {0, 1}),
        ([], set()),
    ],
)
def test_it_takes_the_top_four_with_ties(scores, top):
    assert top_n_with_ties(dict(enumerate(map(D, scores))), 4) == top


def _class(composite, conditions=2, grade=1, passed=True, rates=("1", "0.90", "0.98"), group="g"):
    core_pass, core_exc, other = (D(x) if x is not None else None for x in rates)
    return ClassInput(group, grade, D(composite), passed, conditions, core_pass, core_exc, other)


def test_it_titles_classes_within_each_grade_department():
    classes = {
        "a": _class(500), "b": _class(490), "c": _class(480, conditions=1), "d": _class(470),
        "e": _class(460), "f": _class(900, passed=False), "x": _class(100, group="other"),
    }
    titles = class_titles(classes, R)
    assert titles == {
        "a": "标兵班队", "b": "标兵班队", "c": "合格班队", "d": "优秀班队",
        "e": "合格班队", "f": "", "x": "标兵班队",
    }


def test_it_gives_the_model_title_to_banded_excellent_classes_only():
    classes = {"a": _class(500, rates=("0.99", "0.95", "1")), "b": _class(490), "c": _class(480), "d": _class(470)}
    titles = class_titles(classes, R)
    assert (titles["a"], titles["b"], titles["c"], titles["d"]) == ("优秀班队", "标兵班队", "标兵班队", "优秀班队")


@pytest.mark.parametrize(
    "grade, core_exc, other, meets",
    [
        (1, "0.90", "0.98", True), (2, "0.899", "0.98", False),
        (3, "0.80", "0.98", True), (4, "0.799", "0.98", False),
        (5, "0.70", "0.98", True), (6, "0.699", "0.98", False),
        (9, "0.70", "0.98", True),  # above the bands: the last band's rate
        (1, "0.95", "0.979", False),
    ],
)
def test_it_checks_the_grade_band_rates_at_their_edges(grade, core_exc, other, meets):
    assert meets_grade_band(_class(1, grade=grade, rates=("1", core_exc, other)), R) is meets


def test_it_titles_model_classes_by_the_grade_band_rates_the_school_set():
    # Two 优秀班队 of grade 3 with 语数外 excellence rates 75% and 85%.
    classes = {"a": _class(500, grade=3, rates=("1", "0.75", "1")), "b": _class(490, grade=3, rates=("1", "0.85", "1"))}
    assert class_titles(classes, R) == {"a": "优秀班队", "b": "标兵班队"}  # default: 80% for grades 3–4
    lowered = Rules(model_rate_grades_3_4=D("0.75"))
    assert class_titles(classes, lowered) == {"a": "标兵班队", "b": "标兵班队"}
    raised = Rules(model_rate_grades_3_4=D("0.90"))
    assert class_titles(classes, raised) == {"a": "优秀班队", "b": "优秀班队"}
    # Grade 7 is above the bands: it uses the last band's (5–6) setting.
    senior = {"c": _class(500, grade=7, rates=("1", "0.65", "1"))}
    assert class_titles(senior, R) == {"c": "优秀班队"}
    assert class_titles(senior, Rules(model_rate_grades_5_6=D("0.60"))) == {"c": "标兵班队"}


# --- §9.4 member --------------------------------------------------------------


@pytest.mark.parametrize(
    "scores, variant, attended, grade",
    [
        ((18, 18, 18, 18, 18), "pass", 9, EXCELLENT),  # 90 exactly
        ((18, 18, 18, 18, 17.9), "pass", 9, PASS),
        ((12, 12, 12, 12, 12), "pass", 9, PASS),  # 60 exactly
        ((12, 12, 12, 12, 11.9), "pass", 9, FAIL),
        ((12, 12, 12, 12, 12), "good", 9, GOOD),
        ((20, 20, 20, 20, 20), "pass", 5, FAIL),  # 5 of 9 attended: below two thirds
        ((20, 20, 20, 20, 20), "pass", 6, EXCELLENT),  # 6 of 9: exactly two thirds
    ],
)
def test_it_grades_a_member(scores, variant, attended, grade):
    rules = replace(R, member_grades=variant)
    result = member_grade(MemberInput(tuple(D(str(s)) for s in scores), 9, attended), rules)
    assert result.grade == grade


def test_it_refuses_a_dimension_out_of_range():
    with pytest.raises(ValueError, match="0–20"):
        member_grade(MemberInput((D(21), D(0), D(0), D(0), D(0))), R)


# --- §9.5 workroom evaluation -------------------------------------------------


def _sheet(value, **overrides):
    return {item.code: D(overrides.get(item.code.replace(".", "_"), value)) for item in rubric_items()}


@pytest.mark.parametrize(
    "a, b, total, grade",
    [
        ("90", "90", "90.0", "优秀"),
        ("89.9", "90", "90.0", "优秀"),  # panel mean 89.95 rounds half up to 90.0
        ("89.8", "90", "89.9", "合格"),
        ("60", "60", "60.0", "合格"),
        ("59.9", "59.9", "59.9", "不合格"),
    ],
)
def test_it_grades_a_workroom_at_the_boundaries(a, b, total, grade):
    result = workroom_evaluation({"e1": _sheet(a), "e2": _sheet(b)}, R)
    assert (result.total, result.grade) == (D(total), grade)


def test_it_weights_levels_equally_by_default():
    # one first-level indicator (of four) at 0, the others at 100 → 75
    sheet = {item.code: D(0) if item.first == "总体要求" else D(100) for item in rubric_items()}
    assert workroom_evaluation({"e": sheet}, R).total == D("75.0")
    weights = (("总体要求", D("40")), ("工作室成员", D("20")), ("建设实践", D("20")), ("建设成效", D("20")))
    assert workroom_evaluation({"e": sheet}, replace(R, rubric_weights=weights)).total == D("60.0")


def test_it_refuses_a_panel_with_a_missing_score():
    sheet = _sheet("80")
    del sheet["1.1.1"]
    with pytest.raises(ValueError, match="1.1.1"):
        workroom_evaluation({"e": sheet}, R)


# --- settings -------------------------------------------------------------------


def test_it_reads_every_parameter_from_the_settings():
    from workrooms.models import RuleSet

    rs = RuleSet(
        version=7, monthly_pass_mark=D("65"), alt_tier_step=D("80"), evaluation_weight_overall=D("40"),
        evaluation_weight_results=D("10"), evaluation_rubric={"建设成效": 2, "工作载体": 3},
    )
    rules = rules_from_ruleset(rs)
    assert (rules.version, rules.pass_mark, rules.tier_step) == (7, D("65"), D("80"))
    # the first-level weights come from their own settings; the old rubric field names second-level ones only
    assert rules.rubric_weights == (
        ("总体要求", D("40")), ("工作室成员", D("25")), ("建设实践", D("25")), ("建设成效", D("10")), ("工作载体", D("3")),
    )
    assert rules.as_dict()["pass_mark"] == "65"


def test_it_reads_the_grade_band_rates_from_the_settings_in_percent():
    from workrooms.models import RuleSet

    rules = rules_from_ruleset(RuleSet(version=2, model_rate_grades_1_2=D("95"), model_rate_grades_5_6=D("65.5")))
    assert rules.grade_bands == ((1, 2, D("0.95")), (3, 4, D("0.8")), (5, 6, D("0.655")))
    assert rules_from_ruleset(RuleSet(version=1)).grade_bands == Rules().grade_bands


def _year_of(passed_per_semester):
    """A school year of one teacher: ``passed_per_semester`` = (n1, n2) passed months."""
    data = YearInputs(teachers={1: TeacherIn(1, 10, 10)})
    pid = 0
    for semester, n in enumerate(passed_per_semester, start=1):
        for _ in range(n):
            pid += 1
            data.months.append(MonthIn(pid, semester, 30, f"第{pid}月"))
            data.scores[1, pid] = (D("90"), D("90"))
    return data


def test_it_pays_at_most_ten_months_across_both_semesters_of_a_school_year():
    data = _year_of((5, 7))
    first = semester_lines(data, 1, R)[0]
    second = semester_lines(data, 2, R)[0]
    assert first.amount == D("1000.00")
    assert second.amount == D("1000.00")  # 5 more months, not 7: 2,000 元 in the year, not 2,400
    formula = dict((x[0], x[2]) for x in second.lines)["学期津贴"]
    assert "至多发放 10 个月" in formula and "已发 5 个月" in formula and "2 个不再发放" in formula


def test_it_pays_every_passed_month_when_the_year_stays_within_the_limit():
    second = semester_lines(_year_of((4, 5)), 2, R)[0]
    assert second.amount == D("1000.00")
    assert "此前已发 4 个月" in dict((x[0], x[2]) for x in second.lines)["学期津贴"]


def test_it_pays_nothing_more_once_the_first_semester_used_the_year():
    r = semester_allowance([AllowanceMonth(passed=True)] * 3, R, paid_before=10)
    assert r.total == D("0.00") and r.paid_months == 0
