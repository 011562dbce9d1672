"""§9.1 monthly head-teacher assessment (班主任月考核) as §9.4a reads it."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules, round_score


@dataclass(frozen=True)
class MonthInput:
    dept_score: Decimal  # 年级部检查, 0–full mark
    office_score: Decimal  # 德育处抽查, 0–full mark
    vetoes: int = 0  # confirmed veto cases (§9.1 cases 1–4) in the month


# The two outcomes of a month (a substitute's line reads 代班).
PASS, FAIL = "合格", "不合格"


@dataclass(frozen=True)
class MonthResult:
    score: Decimal
    passed: bool
    vetoed: bool

    @property
    def label(self) -> str:
        return PASS if self.passed else FAIL


def weekly_checks_total(weekly: list) -> Decimal | None:
    """The month's 年级部检查 from its weekly checks (DOMAIN.md §9.1; 001: the
    grade department reports its daily checks every Friday): the sum of the
    weeks entered; ``None`` when no week is entered."""
    entered = [w for w in weekly if w is not None]
    return sum(entered, Decimal("0")) if entered else None


def monthly_score(dept_score: Decimal, office_score: Decimal, rules: Rules) -> Decimal:
    """月考核得分 (DOMAIN.md §9.1, §9.4a): dept × weight + office × weight,
    one decimal place, rounded half up."""
    return round_score(dept_score * rules.dept_weight + office_score * rules.office_weight)


def monthly_result(month: MonthInput, rules: Rules) -> MonthResult:
    """月考核结果 (DOMAIN.md §9.1, §9.4a): 合格 when the score reaches the pass
    mark (exactly the pass mark passes) and no veto case was confirmed; a
    confirmed veto makes the month 不合格 whatever the score."""
    score = monthly_score(month.dept_score, month.office_score, rules)
    vetoed = month.vetoes > 0
    return MonthResult(score=score, passed=score >= rules.pass_mark and not vetoed, vetoed=vetoed)


def monthly_formula(month: MonthInput, rules: Rules, result: MonthResult | None = None) -> str:
    """The §9.1 computation with the teacher's numbers filled in."""
    r = result or monthly_result(month, rules)
    text = (
        f"{month.dept_score} × {rules.dept_percent} + {month.office_score} × {rules.office_percent}"
        f" = {r.score}（保留一位小数，四舍五入）；合格分 {rules.pass_mark}"
    )
    if r.vetoed:
        text += f"；有 {month.vetoes} 项已查实的一票否决情形，本月不合格"
    return text + f" → {r.label}"
