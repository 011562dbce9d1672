"""Allowances (津贴): §9.1 default scheme and §9.2 alternative scheme."""

from dataclasses import dataclass, field
from decimal import Decimal

from assessment.rules.params import Rules, round_money


@dataclass(frozen=True)
class Cover:
    """A substitute (代班主任) covering ``days`` of a month for the head teacher."""

    substitute: object  # any key: the substitute teacher's id
    days: int


@dataclass(frozen=True)
class AllowanceMonth:
    passed: bool
    days_in_month: int = 30
    covers: tuple[Cover, ...] = field(default=())


@dataclass(frozen=True)
class SemesterAllowance:
    total: Decimal  # the class's allowance for the semester, before sharing
    halved: bool
    head_teacher: Decimal  # what the head teacher receives
    substitutes: tuple  # ((substitute key, amount), ...) in first-cover order
    paid_months: int = 0  # passed months paid this semester (within the year's limit)
    paid_before: int = 0  # passed months already paid earlier in the school year


def semester_allowance(months: list[AllowanceMonth], rules: Rules, *, paid_before: int = 0) -> SemesterAllowance:
    """学期津贴, default scheme (DOMAIN.md §9.1, §9.4a).

    Allowance × months passed; if any month of the semester failed, the
    whole semester's allowance is halved (five months, one failed →
    4 × 200 ÷ 2 = 400 元); a halved month is rounded half up to 0.01 元.
    At most ``allowance_months_per_year`` passed months are paid in a school
    year, counted in calendar order over both semesters (§9.4a):
    ``paid_before`` is how many the earlier semester of the year paid, and
    passed months beyond the limit are not paid.

    Substitutes (§9.1: the allowance for the days covered goes to the
    substitute): each month's amount (after halving) is shared pro rata by
    days of the month; a substitute gets amount × days ÷ days in month,
    rounded half up to 0.01 元, and the head teacher keeps the rest, so the
    shares always add up to the month's amount."""
    months = list(months)
    halved = any(not m.passed for m in months)
    factor = Decimal("0.5") if halved else Decimal("1")
    allowed = max(rules.allowance_months_per_year - paid_before, 0)
    head = Decimal("0")
    subs: dict = {}
    paid = 0
    for m in months:
        pays = m.passed and paid < allowed
        paid += pays
        amount = round_money(rules.monthly_allowance * factor) if pays else Decimal("0")
        given = Decimal("0")
        for cover in m.covers:
            days = min(max(cover.days, 0), m.days_in_month)
            share = round_money(amount * days / m.days_in_month)
            share = min(share, amount - given)
            given += share
            subs[cover.substitute] = subs.get(cover.substitute, Decimal("0")) + share
        head += amount - given
    total = head + sum(subs.values(), Decimal("0"))
    return SemesterAllowance(
        total=total,
        halved=halved,
        head_teacher=round_money(head),
        substitutes=tuple((k, round_money(v)) for k, v in subs.items()),
        paid_months=paid,
        paid_before=paid_before,
    )


def semester_allowance_formula(months: list[AllowanceMonth], rules: Rules, result: SemesterAllowance | None = None) -> str:
    """The §9.1 semester allowance with the teacher's numbers filled in."""
    r = result or semester_allowance(months, rules)
    passed = sum(1 for m in months if m.passed)
    text = f"{rules.monthly_allowance} 元 × {r.paid_months} 个合格月"
    if r.paid_months < passed:
        text += (
            f"（本学年至多发放 {rules.allowance_months_per_year} 个月，本学期之前已发 {r.paid_before} 个月，"
            f"本学期 {passed} 个合格月中 {passed - r.paid_months} 个不再发放）"
        )
    elif r.paid_before:
        text += f"（本学年此前已发 {r.paid_before} 个月，全年至多 {rules.allowance_months_per_year} 个月）"
    if r.halved:
        text += " ÷ 2（本学期有不合格月，减半）"
    text += f" = {r.total} 元"
    if r.substitutes:
        text += f"；代班天数按当月天数折算给代班主任，本人 {r.head_teacher} 元"
    return text


def alt_monthly_allowance(score: Decimal, rules: Rules) -> Decimal:
    """学月岗位津贴, alternative scheme (DOMAIN.md §9.2, §9.4a):
    base × 70% × score ÷ 100, rounded half up to 0.01 元; never negative and
    never above base × 70% (scores are clamped to 0–full mark)."""
    score = min(max(Decimal(score), Decimal("0")), rules.full_mark)
    return round_money(rules.alt_base_allowance * rules.alt_monthly_weight * score / rules.full_mark)


def alt_monthly_allowance_formula(score: Decimal, rules: Rules) -> str:
    """The §9.2 monthly post allowance with the teacher's numbers filled in."""
    return (
        f"{rules.alt_base_allowance} 元 × {rules.alt_monthly_percent} × {score} ÷ {rules.full_mark}"
        f" = {alt_monthly_allowance(score, rules)} 元（保留到分，四舍五入）"
    )
