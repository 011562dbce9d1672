"""Ranking into prize tiers and top-N with ties (DOMAIN.md §9.2, §9.3, §9.4a)."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules, round_count

TIER_LABELS = {1: "一等奖", 2: "二等奖", 3: "三等奖"}

TIE_RULE_TEXT = (
    "一等奖人数 = 总人数 × 30%（四舍五入取整）；一、二等奖合计人数 = 总人数 × 70%（四舍五入取整），其余为三等奖。"
    "分数与分界线上最后一人相同者一律进入较高奖次，该奖次人数因此可能增加（如 7 人为 2/3/2，10 人为 3/4/3，2 人为 1/0/1）。"
)


@dataclass(frozen=True)
class Tiering:
    tiers: dict  # key -> 1 | 2 | 3
    cut1: int  # nominal size of tier 1
    cut12: int  # nominal size of tiers 1 and 2 together

    def sizes(self) -> tuple[int, int, int]:
        values = list(self.tiers.values())
        return values.count(1), values.count(2), values.count(3)


def prize_tiers(scores: dict, rules: Rules) -> Tiering:
    """一、二、三等奖 (DOMAIN.md §9.2, §9.4a).

    Over n people ranked by score: tier 1 = the first round(n × 30%), tiers
    1+2 = the first round(n × 70%), rounding half up; the rest tier 3. A
    person whose score equals the last one inside a cut goes to the better
    tier too, so ties are never split and tiers can grow."""
    n = len(scores)
    cut1 = round_count(n * rules.tier1_share)
    cut12 = max(round_count(n * (rules.tier1_share + rules.tier2_share)), cut1)
    ranked = sorted(scores.values(), reverse=True)
    line1 = ranked[cut1 - 1] if cut1 else None
    line2 = ranked[cut12 - 1] if cut12 else None
    tiers = {}
    for key, score in scores.items():
        if line1 is not None and score >= line1:
            tiers[key] = 1
        elif line2 is not None and score >= line2:
            tiers[key] = 2
        else:
            tiers[key] = 3
    return Tiering(tiers=tiers, cut1=cut1, cut12=cut12)


def tier_amount(tier: int, rules: Rules) -> Decimal:
    """Prize amount (DOMAIN.md §9.2, §9.4a): tier 3 the base amount, tier 2
    base + step, tier 1 base + 2 × step."""
    return rules.tier_base_amount + rules.tier_step * (3 - tier)


def top_n_with_ties(scores: dict, n: int) -> set:
    """The keys among the top ``n`` scores, including everyone tied with the
    n-th place (DOMAIN.md §9.4a: "top 4" / "top 2")."""
    if n <= 0 or not scores:
        return set()
    ranked = sorted(scores.values(), reverse=True)
    line = ranked[min(n, len(ranked)) - 1]
    return {k for k, s in scores.items() if s >= line}


def rank_positions(scores: dict) -> dict:
    """名次 (DOMAIN.md §9.4a): competition ranking (1, 2, 2, 4), equal scores
    share a place."""
    ranked = sorted(scores.values(), reverse=True)
    first = {}
    for i, s in enumerate(ranked, start=1):
        first.setdefault(s, i)
    return {k: first[s] for k, s in scores.items()}
