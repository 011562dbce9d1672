"""§9.3 bonus points (加分) and the semester composite, as §9.4a reads them."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import LEVEL_LABELS, LEVELS, Rules

# The five countable items of §9.3: (code, label, lowest level that counts).
CATEGORIES = (
    ("student_prize", "学生竞赛获奖（县级及以上等级奖）", "county"),
    ("class_prize", "班级集体获奖或表彰", "school"),
    ("student_publication", "学生作品发表", "school"),
    ("teacher_work", "班主任总结、论文、活动设计交流/获奖/发表", "school"),
    ("class_meeting", "主题班会比赛获奖", "school"),
)
CATEGORY_LABELS = {code: label for code, label, _ in CATEGORIES}
CATEGORY_MIN_LEVEL = {code: lowest for code, _, lowest in CATEGORIES}
RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Award:
    category: str
    event: str  # the competition, selection or publication it belongs to
    level: str  # one of LEVELS


def counted_awards(awards: list[Award]) -> dict[str, list[str]]:
    """Per category, the levels that count, highest first (DOMAIN.md §9.3,
    §9.4a; the rule is described at ``bonus_points``)."""
    best: dict[tuple[str, str], str] = {}
    for a in awards:
        if RANK[a.level] < RANK[CATEGORY_MIN_LEVEL[a.category]]:
            continue
        key = (a.category, a.event.strip())
        if key not in best or RANK[a.level] > RANK[best[key]]:
            best[key] = a.level
    levels: dict[str, set[str]] = defaultdict(set)
    for (category, _), level in best.items():
        levels[category].add(level)
    return {c: sorted(ls, key=RANK.__getitem__, reverse=True) for c, ls in levels.items()}


def bonus_points(awards: list[Award], rules: Rules) -> Decimal:
    """加分 (DOMAIN.md §9.3, §9.4a).

    Within an event only its highest level counts. Within a category each
    level counts once (several awards at the same level give that level's
    points once); different levels in a category add up; categories add
    up. Student prizes count from 县级 up. Example: 学生竞赛获奖 event X at
    县级 and 市级 plus event Y at 县级 → 3 + 2 = 5."""
    if not awards:
        return Decimal("0")
    return sum(
        (rules.bonus_points(level) for levels in counted_awards(awards).values() for level in levels),
        Decimal("0"),
    )


def bonus_formula(awards: list[Award], rules: Rules) -> str:
    """The bonus points of §9.3 with the counted levels written out."""
    if not awards:
        return "无加分项 → 共 0 分"
    counted = counted_awards(awards)
    parts = [
        f"{CATEGORY_LABELS[c]}：" + " + ".join(f"{LEVEL_LABELS[lv]} {rules.bonus_points(lv)}" for lv in levels)
        for c, levels in counted.items()
    ]
    total = sum((rules.bonus_points(lv) for levels in counted.values() for lv in levels), Decimal("0"))
    return ("；".join(parts) or "无可计分的加分项") + f" → 共 {total} 分"


def semester_composite(monthly_scores: list[Decimal], awards: list[Award], rules: Rules) -> Decimal:
    """学期综合得分 (DOMAIN.md §9.3): sum of the monthly scores + bonus points."""
    return sum(monthly_scores, Decimal("0")) + bonus_points(awards, rules)


def annual_composite(monthly_scores: list[Decimal], test_score: Decimal, award_bonus: Decimal) -> Decimal:
    """学年综合考核得分, alternative scheme (DOMAIN.md §9.2): sum of the monthly
    scores + the class's subject test score for the year + student award bonus."""
    return sum(monthly_scores, Decimal("0")) + Decimal(test_score) + Decimal(award_bonus)
