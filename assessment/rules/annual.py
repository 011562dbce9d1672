"""§9.2 alternative scheme: the annual award and the veto list."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules
from assessment.rules.tiers import prize_tiers, tier_amount

# 一票否决 (no annual award), DOMAIN.md §9.2.
ANNUAL_VETO_CASES = (
    "不深入班级、不关心学生，学生、家长意见较大",
    "因失职、渎职造成班级较大事故或对违纪处理不力",
    "工作不负责导致班风差或不服从学校安排",
    "体罚或变相体罚学生",
)


@dataclass(frozen=True)
class AnnualPerson:
    composite: Decimal
    vetoed: bool = False


@dataclass(frozen=True)
class AnnualAward:
    tier: int | None  # None: vetoed, no award
    amount: Decimal


def annual_awards(people: dict, rules: Rules) -> dict:
    """学年综合考核奖 (DOMAIN.md §9.2, §9.4a).

    Everyone not vetoed is ranked into tiers by ``prize_tiers``; a confirmed
    veto case removes the annual award (no tier, 0 元) and the vetoed person
    is left out of the ranking, so they take no one's place."""
    ranked = {k: p.composite for k, p in people.items() if not p.vetoed}
    tiers = prize_tiers(ranked, rules).tiers
    out = {}
    for key, person in people.items():
        tier = tiers.get(key)
        out[key] = AnnualAward(tier=tier, amount=tier_amount(tier, rules) if tier else Decimal("0"))
    return out
