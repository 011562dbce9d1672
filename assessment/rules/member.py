"""§9.4 member assessment (成员考核) as §9.4a reads it."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules

DIMENSIONS = (
    ("ethics", "师德表现"),
    ("attitude", "工作态度"),
    ("theory", "理论水平"),
    ("management", "管理能力"),
    ("research", "科研能力"),
)
DIMENSION_MAX = Decimal("20")
EXCELLENT, PASS, GOOD, FAIL = "优秀", "合格", "良好", "不合格"


@dataclass(frozen=True)
class MemberInput:
    scores: tuple[Decimal, ...]  # the five dimensions in DIMENSIONS order, each 0–20
    activities_total: int = 0  # activities the member was expected at
    activities_attended: int = 0


@dataclass(frozen=True)
class MemberGrade:
    total: Decimal
    grade: str
    attendance_forced: bool


def absence_over_limit(total: int, attended: int, rules: Rules) -> bool:
    """Absence over the limit (default one third, DOMAIN.md §5, §9.4a), i.e.
    attendance below two thirds. No activities → no absence."""
    if total <= 0:
        return False
    absent = total - attended
    return absent * rules.absence_limit_denominator > total * rules.absence_limit_numerator


def member_grade(m: MemberInput, rules: Rules) -> MemberGrade:
    """成员考核等级 (DOMAIN.md §9.4, §9.4a): the five dimensions add up to
    0–100; ≥ 90 优秀, ≥ 60 合格 (良好 in the 优秀/良好 variant), else 不合格;
    attendance below two thirds forces 不合格."""
    if len(m.scores) != len(DIMENSIONS):
        raise ValueError("需要五个维度的分数")
    for s in m.scores:
        if not Decimal("0") <= Decimal(s) <= DIMENSION_MAX:
            raise ValueError("每个维度的分数须在 0–20 之间")
    total = sum((Decimal(s) for s in m.scores), Decimal("0"))
    forced = absence_over_limit(m.activities_total, m.activities_attended, rules)
    if forced or total < rules.member_pass_min:
        grade = FAIL
    elif total >= rules.member_excellent_min:
        grade = EXCELLENT
    else:
        grade = GOOD if rules.member_grades == "good" else PASS
    return MemberGrade(total=total, grade=grade, attendance_forced=forced)
