"""§9.3 class titles per grade department and semester: 合格班队 / 优秀班队 / 标兵班队."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules
from assessment.rules.tiers import top_n_with_ties

# The four conditions of 优秀班队 (DOMAIN.md §9.3).
EXCELLENT_CONDITIONS = (
    ("student_commended", "学生受县级及以上表彰"),
    ("urgent_tasks", "完成学校交办的急、难任务"),
    ("student_prizes", "学生获等级奖"),
    ("class_team_prize", "班级获团体奖"),
)

# The grade bands of 标兵班队 and their excellence rates are school settings
# (``Rules.grade_bands``). Grades above the last band use the last band's rate.
CORE_PASS_RATE = Decimal("1")
OTHER_PASS_RATE = Decimal("0.98")

TITLE_QUALIFIED, TITLE_EXCELLENT, TITLE_MODEL = "合格班队", "优秀班队", "标兵班队"


@dataclass(frozen=True)
class ClassInput:
    group: object  # the grade department
    grade: int | None
    composite: Decimal
    passed: bool  # no failed month in the semester
    conditions: int  # how many of EXCELLENT_CONDITIONS hold
    core_pass_rate: Decimal | None = None  # lowest pass rate of 语文/数学/外语
    core_excellence_rate: Decimal | None = None  # lowest excellence rate of 语文/数学/外语
    other_pass_rate: Decimal | None = None  # lowest pass rate of the other subjects


def band_excellence_rate(grade: int | None, rules: Rules) -> Decimal:
    """The excellence rate a 标兵班队 needs in its grade band (DOMAIN.md §9.3)."""
    for first, last, rate in rules.grade_bands:
        if grade is not None and first <= grade <= last:
            return rate
    return rules.grade_bands[-1][2]


def meets_grade_band(c: ClassInput, rules: Rules) -> bool:
    """标兵班队 rates (DOMAIN.md §9.3): 语文/数学/外语 pass rate 100% and
    excellence rate ≥ the grade band's setting (defaults ≥ 90% for grades
    1–2, ≥ 80% for 3–4, ≥ 70% for 5–6 and above); other subjects pass rate
    ≥ 98%. Exactly the rate meets it; a missing rate does not."""
    if None in (c.core_pass_rate, c.core_excellence_rate, c.other_pass_rate):
        return False
    return (
        c.core_pass_rate >= CORE_PASS_RATE
        and c.core_excellence_rate >= band_excellence_rate(c.grade, rules)
        and c.other_pass_rate >= OTHER_PASS_RATE
    )


def class_titles(classes: dict, rules: Rules) -> dict:
    """班队称号 (DOMAIN.md §9.3, §9.4a), per grade department.

    合格班队: no failed month. 优秀班队: 合格, among the top 4 composites of
    the 合格 classes of its grade department (everyone tied with 4th place
    included) and meeting at least 2 of the 4 conditions. 标兵班队: among
    the 优秀班队 that meet the grade-band rates, the top 2 (ties included).
    Returns key -> title or "" (no title)."""
    groups: dict = defaultdict(dict)
    for key, c in classes.items():
        if c.passed:
            groups[c.group][key] = c
    titles = {key: "" for key in classes}
    for members in groups.values():
        for key in members:
            titles[key] = TITLE_QUALIFIED
        top = top_n_with_ties({k: c.composite for k, c in members.items()}, rules.excellent_top_n)
        excellent = {k for k in top if members[k].conditions >= rules.excellent_min_conditions}
        for key in excellent:
            titles[key] = TITLE_EXCELLENT
        banded = {k: members[k].composite for k in excellent if meets_grade_band(members[k], rules)}
        for key in top_n_with_ties(banded, rules.model_top_n):
            titles[key] = TITLE_MODEL
    return titles
