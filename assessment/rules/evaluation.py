"""§9.5 workroom evaluation (工作室考核): the three-level rubric of 004 附件2."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules, round_score

# (first level, ((second level, (third-level items, ...)), ...)), from 004 附件2.
RUBRIC = (
    ("总体要求", (
        ("领导有力", ("领导小组定期听取汇报，组织领导有力，建设机制健全有效",)),
        ("定位准确", ("围绕班主任工作定位为交流、学习、研究、实践、成长的共同体",)),
        ("方案周密", ("建设方案系统科学、目标合理，举措有力，预期成果丰富",)),
    )),
    ("工作室成员", (
        ("人员组成", ("以本校班主任及培育对象为主体，专家等为补充", "规模适宜，结构合理")),
        ("人员要求", ("以德立身，师德高尚，热爱班主任工作", "党员教师发挥先锋模范作用", "主持人政治坚定、能力过硬、实绩突出")),
    )),
    ("建设实践", (
        ("建设模式", ("结合本校实际科学确定建设模式", "模式与主持人情况相适应")),
        ("工作载体", ("各项任务均有对应的工作载体", "载体形式多样、针对性强、参与面广", "有可推广的示范性品牌和活动载体")),
        ("组织实施", ("年度计划、任务台账、有序推进、年终总结", "建有成员成长档案，记录详细", "目标、问题、成果导向，实绩明显")),
        ("资源建设", ("协同建设并共享育人资源", "建设公众号、短视频号等网络阵地")),
        ("建班育人", ("成员担任班主任，把建设成果融入育人实践",)),
    )),
    ("建设成效", (
        ("育人理念", ("形成有特色的工作室文化和育人理念载体",)),
        ("工作团队", ("成员建班育人能力普遍提升", "培养合格、优秀、专家型班主任", "开展展示交流，形成比学赶超氛围")),
        ("工作研究", ("形成工作室建设方面的研究成果", "形成班级建设管理方面的研究成果")),
        ("育人资源", ("编制班主任工作手册，汇编优秀案例，建成资源库", "建成各类案例库")),
        ("班级建设质量", ("班风学风明显提升，家长满意度和社会美誉度提高",)),
    )),
)

RUBRIC_RULE_TEXT = (
    "每位专家对每个三级指标独立打分（0–100）；各指标取专家平均分。二级指标得分为其三级指标的平均，"
    "一级指标得分为其二级指标的平均，总分为四个一级指标按学校设置的权重（合计 100 分，默认各 25 分）加权。"
    "总分保留一位小数，四舍五入。"
)


@dataclass(frozen=True)
class RubricItem:
    code: str  # "1.2.3"
    first: str
    second: str
    text: str


def rubric_items() -> list[RubricItem]:
    """Every third-level item of the rubric (DOMAIN.md §9.5, 004 附件2) with its code, in order."""
    items = []
    for i, (first, seconds) in enumerate(RUBRIC, start=1):
        for j, (second, thirds) in enumerate(seconds, start=1):
            for k, text in enumerate(thirds, start=1):
                items.append(RubricItem(code=f"{i}.{j}.{k}", first=first, second=second, text=text))
    return items


def rubric_shares(rules: Rules) -> list[tuple[str, Decimal]]:
    """The share of the total each first- and second-level indicator has
    under ``rules`` (DOMAIN.md §9.5: the weights are settings), for the page."""
    out = []
    firsts = [_weight(first, rules) for first, _ in RUBRIC]
    whole = sum(firsts, Decimal("0"))
    for (first, seconds), weight in zip(RUBRIC, firsts):
        share = weight / whole
        out.append((first, share))
        seconds_weights = [_weight(second, rules) for second, _ in seconds]
        seconds_whole = sum(seconds_weights, Decimal("0"))
        for (second, _), w in zip(seconds, seconds_weights):
            out.append((f"{first} · {second}", share * w / seconds_whole))
    return out


def _weight(name: str, rules: Rules) -> Decimal:
    return dict(rules.rubric_weights).get(name, Decimal("1"))


def _mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal:
    total_weight = sum((w for w, _ in pairs), Decimal("0"))
    return sum((w * v for w, v in pairs), Decimal("0")) / total_weight


@dataclass(frozen=True)
class EvaluationResult:
    item_means: dict  # code -> panel mean
    total: Decimal
    grade: str


def panel_means(scores_by_expert: dict) -> dict:
    """Per third-level item, the mean of every expert's score (§9.5)."""
    codes = [item.code for item in rubric_items()]
    experts = list(scores_by_expert.values())
    if not experts:
        raise ValueError("尚无专家评分")
    for sheet in experts:
        missing = [c for c in codes if c not in sheet]
        if missing:
            raise ValueError(f"有专家尚未给指标 {missing[0]} 打分")
    return {c: sum((Decimal(s[c]) for s in experts), Decimal("0")) / len(experts) for c in codes}


def evaluation_grade(total: Decimal, rules: Rules) -> str:
    """优秀 / 合格 / 不合格 from the settings' boundaries (§9.5); exactly the
    boundary reaches the grade."""
    if total >= rules.evaluation_excellent_min:
        return "优秀"
    if total >= rules.evaluation_pass_min:
        return "合格"
    return "不合格"


def workroom_evaluation(scores_by_expert: dict, rules: Rules) -> EvaluationResult:
    """工作室评估 (DOMAIN.md §9.5): every expert scores every third-level item
    (0–100) independently; the panel score of an item is the mean; the
    total is the weighted mean up the three levels (the four first-level
    indicators weigh what the settings give them out of 100; second-level
    ones equally unless the settings name a relative weight),
    one decimal place rounded half up; the grade follows the settings."""
    means = panel_means(scores_by_expert)
    firsts = []
    for i, (first, seconds) in enumerate(RUBRIC, start=1):
        second_scores = []
        for j, (second, thirds) in enumerate(seconds, start=1):
            third = [(Decimal("1"), means[f"{i}.{j}.{k}"]) for k in range(1, len(thirds) + 1)]
            second_scores.append((_weight(second, rules), _mean(third)))
        firsts.append((_weight(first, rules), _mean(second_scores)))
    total = round_score(_mean(firsts))
    return EvaluationResult(item_means=means, total=total, grade=evaluation_grade(total, rules))
