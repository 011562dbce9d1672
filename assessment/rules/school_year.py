"""A whole school year's head-teacher results from plain inputs (DOMAIN.md
§9.1–§9.3): the selector loads the year in a constant number of queries,
this module applies the rules to everyone and explains every figure."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.rules.allowance import (
    AllowanceMonth,
    Cover,
    alt_monthly_allowance,
    alt_monthly_allowance_formula,
    semester_allowance,
    semester_allowance_formula,
)
from assessment.rules.annual import AnnualPerson, annual_awards
from assessment.rules.bonus import Award, bonus_formula, bonus_points
from assessment.rules.monthly import MonthInput, monthly_formula, monthly_result
from assessment.rules.params import Rules
from assessment.rules.tiers import TIER_LABELS, prize_tiers, rank_positions, tier_amount
from assessment.rules.titles import ClassInput, class_titles

ZERO = Decimal("0")
NO_TITLE = "无称号"  # a class with a failed month in the semester


@dataclass(frozen=True)
class TeacherIn:
    id: int
    department_id: int | None
    grade: int | None


@dataclass(frozen=True)
class MonthIn:
    period_id: int
    semester: int
    days: int
    label: str


@dataclass(frozen=True)
class ConditionsIn:
    conditions: int = 0
    core_pass_rate: Decimal | None = None
    core_excellence_rate: Decimal | None = None
    other_pass_rate: Decimal | None = None
    test_score: Decimal = ZERO


@dataclass
class YearInputs:
    teachers: dict = field(default_factory=dict)  # id -> TeacherIn
    months: list = field(default_factory=list)  # [MonthIn] in calendar order
    scores: dict = field(default_factory=dict)  # (teacher, period) -> (dept, office)
    vetoes: dict = field(default_factory=dict)  # (teacher, period) -> confirmed cases
    covers: dict = field(default_factory=dict)  # (teacher, period) -> (Cover, ...)
    awards: dict = field(default_factory=dict)  # (teacher, semester) -> [Award]
    conditions: dict = field(default_factory=dict)  # (teacher, semester) -> ConditionsIn


@dataclass(slots=True)
class Line:
    """One computed result: what the page shows and what is stored."""

    teacher_id: int
    department_id: int | None
    score: Decimal | None = None
    outcome: str = ""
    rank: int | None = None
    amount: Decimal = ZERO
    inputs: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)  # [label, value, formula], the explanation shown
    # The named figures behind the explanation, as numbers, for spreadsheets
    # and pages that show them in columns (never read back from ``lines``).
    figures: dict = field(default_factory=dict)


def _month_results(data: YearInputs, rules: Rules) -> dict:
    """(teacher, period) -> MonthResult (§9.1) for every month with both halves entered."""
    out = {}
    for (tid, pid), (dept, office) in data.scores.items():
        if dept is not None and office is not None:
            out[tid, pid] = monthly_result(MonthInput(dept, office, data.vetoes.get((tid, pid), 0)), rules)
    return out


def month_lines(data: YearInputs, period_id: int, rules: Rules, results: dict | None = None) -> list[Line]:
    """月考核 of one month (§9.1; §9.2 post allowance in the alternative scheme)."""
    results = results if results is not None else _month_results(data, rules)
    out = []
    for tid in data.teachers:
        r = results.get((tid, period_id))
        if r is None:
            continue
        dept, office = data.scores[tid, period_id]
        month = MonthInput(dept, office, data.vetoes.get((tid, period_id), 0))
        line = Line(tid, data.teachers[tid].department_id, score=r.score, outcome=r.label)
        line.inputs = {"dept": str(dept), "office": str(office), "vetoes": month.vetoes}
        line.figures = {"dept": dept, "office": office}
        line.lines.append(["月考核得分", f"{r.score}", monthly_formula(month, rules, r)])
        if rules.scheme == "alternative":
            line.amount = alt_monthly_allowance(r.score, rules)
            line.lines.append(["学月岗位津贴", f"{line.amount} 元", alt_monthly_allowance_formula(r.score, rules)])
        out.append(line)
    return out


def _paid_before(data: YearInputs, tid: int, semester: int, results: dict, rules: Rules) -> int:
    """Passed months paid in the school year's earlier semester (§9.4a: the
    yearly limit counts both semesters in calendar order)."""
    if semester != 2:
        return 0
    earlier = [results.get((tid, m.period_id)) for m in data.months if m.semester == 1]
    passed = sum(1 for r in earlier if r and r.passed)
    return min(passed, rules.allowance_months_per_year)


def semester_lines(data: YearInputs, semester: int, rules: Rules, results: dict | None = None) -> list[Line]:
    """学期考核 (§9.1 allowance with halving and substitutes, §9.3 composite,
    bonus and class titles); ranks are within the grade department."""
    results = results if results is not None else _month_results(data, rules)
    months = [m for m in data.months if m.semester == semester]
    lines: dict[int, Line] = {}
    classes, substitute_pay = {}, defaultdict(lambda: ZERO)
    for tid, teacher in data.teachers.items():
        own = [(m, results.get((tid, m.period_id))) for m in months]
        if not any(r for _, r in own):
            continue
        scores = [r.score for _, r in own if r]
        awards = data.awards.get((tid, semester), [])
        bonus = bonus_points(awards, rules)
        composite = sum(scores, ZERO) + bonus
        cond = data.conditions.get((tid, semester), ConditionsIn())
        failed = any(r and not r.passed for _, r in own)
        classes[tid] = ClassInput(
            teacher.department_id, teacher.grade, composite, not failed, cond.conditions,
            cond.core_pass_rate, cond.core_excellence_rate, cond.other_pass_rate,
        )
        line = Line(tid, teacher.department_id, score=composite)
        line.inputs = {
            "months": [[m.label, str(r.score) if r else None, r.passed if r else None] for m, r in own],
            "awards": sorted([a.category, a.event, a.level] for a in awards),
            "conditions": [cond.conditions, *(str(x) for x in (cond.core_pass_rate, cond.core_excellence_rate, cond.other_pass_rate))],
        }
        monthly_text = " + ".join(str(s) for s in scores)
        line.figures = {"monthly_total": sum(scores, ZERO), "bonus": bonus}
        line.lines.append(["月考核得分合计", f"{sum(scores, ZERO)}", f"{monthly_text}（共 {len(scores)} 个月）"])
        line.lines.append(["加分", f"{bonus}", bonus_formula(awards, rules)])
        line.lines.append(["学期综合得分", f"{composite}", f"{sum(scores, ZERO)} + {bonus} = {composite}"])
        if rules.scheme == "default":
            allowance_months = [
                AllowanceMonth(passed=bool(r and r.passed), days_in_month=m.days, covers=data.covers.get((tid, m.period_id), ()))
                for m, r in own
                if r
            ]
            pay = semester_allowance(allowance_months, rules, paid_before=_paid_before(data, tid, semester, results, rules))
            line.amount = pay.head_teacher
            line.lines.append(["学期津贴", f"{pay.head_teacher} 元", semester_allowance_formula(allowance_months, rules, pay)])
            for sub, amount in pay.substitutes:
                substitute_pay[sub] += amount
        lines[tid] = line
    titles = class_titles(classes, rules)
    by_dept = defaultdict(dict)
    for tid, c in classes.items():
        by_dept[c.group][tid] = c.composite
    for group in by_dept.values():
        for tid, place in rank_positions(group).items():
            lines[tid].rank = place
    for tid, line in lines.items():
        line.outcome = titles[tid] or NO_TITLE
        line.lines.append(["班队称号", line.outcome, f"年级部内第 {line.rank} 名；满足优秀班队条件 {classes[tid].conditions} 项"])
    for sub, amount in substitute_pay.items():
        line = lines.get(sub)
        if line is None:
            teacher = data.teachers.get(sub)
            line = lines[sub] = Line(sub, teacher.department_id if teacher else None, outcome="代班")
        line.amount += amount
        line.inputs["substitute_pay"] = str(amount)
        line.lines.append(["代班津贴", f"{amount} 元", "按代班天数占当月天数的比例分得所代班级当月津贴（保留到分，四舍五入）"])
    return list(lines.values())


def year_lines(data: YearInputs, rules: Rules, results: dict | None = None, semesters: dict | None = None) -> list[Line]:
    """学年考核: default scheme — the two semesters' allowances and
    composites added, ranked school-wide; alternative scheme (§9.2) — the
    annual composite (monthly scores + test scores + award bonus) ranked
    into prize tiers, the veto list removing the award, plus the monthly post
    allowances."""
    results = results if results is not None else _month_results(data, rules)
    if rules.scheme == "default":
        totals: dict[int, Line] = {}
        semesters = semesters or {n: semester_lines(data, n, rules, results) for n in (1, 2)}
        for semester in (1, 2):
            for s in semesters[semester]:
                line = totals.setdefault(s.teacher_id, Line(s.teacher_id, s.department_id, score=ZERO))
                line.score += s.score or ZERO
                line.amount += s.amount
                line.inputs[str(semester)] = [str(s.score) if s.score is not None else None, str(s.amount)]
                line.lines.append([f"第{semester}学期", f"{s.score if s.score is not None else '—'} 分 / {s.amount} 元", s.outcome])
        for tid, place in rank_positions({t: line.score for t, line in totals.items()}).items():
            totals[tid].rank = place
        for line in totals.values():
            line.outcome = "已核算"
            line.lines.append(["学年津贴", f"{line.amount} 元", "两个学期津贴之和"])
        return list(totals.values())

    vetoed = {tid for (tid, _), n in data.vetoes.items() if n}
    people, out = {}, {}
    for tid, teacher in data.teachers.items():
        own = [results[tid, m.period_id] for m in data.months if (tid, m.period_id) in results]
        if not own:
            continue
        monthly = sum((r.score for r in own), ZERO)
        tests = sum((data.conditions.get((tid, s), ConditionsIn()).test_score for s in (1, 2)), ZERO)
        bonus = sum((bonus_points(data.awards.get((tid, s), []), rules) for s in (1, 2)), ZERO)
        composite = monthly + tests + bonus
        post = sum((alt_monthly_allowance(r.score, rules) for r in own), ZERO)
        people[tid] = AnnualPerson(composite, vetoed=tid in vetoed)
        line = out[tid] = Line(tid, teacher.department_id, score=composite, amount=post)
        line.inputs = {"monthly": [str(r.score) for r in own], "tests": str(tests), "bonus": str(bonus), "vetoed": tid in vetoed}
        line.lines.append([
            "学年综合考核得分", f"{composite}",
            f"月考核得分合计 {monthly} + 统测成绩 {tests} + 学生获奖加分 {bonus}（学年综合考核占 {rules.alt_annual_weight:%}，以奖次计发）",
        ])
        line.lines.append(["学月岗位津贴合计", f"{post} 元", f"{len(own)} 个月的学月岗位津贴之和（学月岗位考核占 {rules.alt_monthly_percent}）"])
    awards = annual_awards(people, rules)
    ranks = rank_positions({t: p.composite for t, p in people.items() if not p.vetoed})
    for tid, award in awards.items():
        line = out[tid]
        line.rank = ranks.get(tid)
        if award.tier is None:
            line.outcome = "一票否决"
            line.lines.append(["学年综合考核奖", "0 元", "有已查实的一票否决情形，不发学年综合考核奖"])
        else:
            line.outcome = TIER_LABELS[award.tier]
            line.amount += award.amount
            line.lines.append(["学年综合考核奖", f"{award.amount} 元", f"{line.outcome}：三等奖 {rules.tier_base_amount} 元，每高一个奖次加 {rules.tier_step} 元"])
    return list(out.values())


def whole_year(data: YearInputs, rules: Rules) -> dict:
    """Every period of the year at once (DOMAIN.md §9.1–§9.3): the months,
    both semesters and the year, sharing one pass over the monthly scores."""
    results = _month_results(data, rules)
    out = {("month", m.period_id): month_lines(data, m.period_id, rules, results) for m in data.months}
    semesters = {n: semester_lines(data, n, rules, results) for n in (1, 2)}
    for n, lines in semesters.items():
        out["semester", n] = lines
    out["year", None] = year_lines(data, rules, results, semesters)
    return out


__all__ = [
    "Award", "ConditionsIn", "Cover", "Line", "MonthIn", "TeacherIn", "YearInputs",
    "month_lines", "semester_lines", "year_lines", "whole_year", "tier_amount", "prize_tiers",
]
