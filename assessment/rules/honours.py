"""Honours as pure rules: who may be named what, and when not (DOMAIN.md
§9.1, §9.4, §9.5). Each refusal rule returns ``None`` when the naming may
go ahead, or the reason in words (Chinese, shown to the user as it is)."""

from dataclasses import dataclass
from datetime import date, timedelta

EXCELLENT_CLASS, WINDOW_CLASS = "excellent", "window"
CLASS_TITLE_LABELS = {EXCELLENT_CLASS: "优秀班级", WINDOW_CLASS: "窗口班级"}
EXCELLENT = "优秀"


# --- weeks and months of the class titles (§9.1) ----------------------------------------


def period_start(kind: str, day: date) -> date:
    """The day a class title's period starts: the Monday of ``day``'s week
    for the weekly 优秀班级, the first of its month for the monthly 窗口班级."""
    if kind == EXCELLENT_CLASS:
        return day - timedelta(days=day.weekday())
    if kind == WINDOW_CLASS:
        return day.replace(day=1)
    raise ValueError(f"unknown class title {kind!r}")


def period_end(kind: str, start: date) -> date:
    if kind == EXCELLENT_CLASS:
        return start + timedelta(days=6)
    next_month = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return next_month - timedelta(days=1)


def period_label(kind: str, start: date) -> str:
    """「2025年10月20日—10月26日」 for a week, 「2025年10月」 for a month."""
    if kind == WINDOW_CLASS:
        return f"{start.year}年{start.month}月"
    end = period_end(kind, start)
    tail = f"{end.year}年{end.month}月{end.day}日" if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日—{tail}"


# --- 优秀班级 / 窗口班级 (§9.1) ---------------------------------------------------------------


@dataclass(frozen=True)
class ClassTitleCase:
    """One proposed class title with the facts the rule reads."""

    kind: str  # EXCELLENT_CLASS (weekly) or WINDOW_CLASS (monthly)
    period: str  # the week or month in words
    department: str  # the grade department naming it
    head_teacher: str
    class_name: str
    is_head_teacher: bool
    in_department: bool  # the class belongs to this grade department
    starts_in_future: bool
    already_named: bool  # this class already holds this title for the period
    named_so_far: int  # titles of this kind the department has named for the period
    limit: int  # the school setting
    veto: str = ""  # why the head teacher is vetoed from honours, if they are


def class_title_refusal(c: ClassTitleCase) -> str | None:
    """优秀班级 / 窗口班级 (DOMAIN.md §9.1): each week a grade department names
    up to ``limit`` (default 3) 优秀班级, each month up to ``limit``
    (default 1) 窗口班级, among its own head teachers' classes; not for a
    week or month that has not begun, not twice for the same class, and
    not for the class of a head teacher vetoed from honours (§9.5)."""
    title = CLASS_TITLE_LABELS[c.kind]
    unit = "周" if c.kind == EXCELLENT_CLASS else "月"
    if not c.is_head_teacher or not c.class_name:
        return f"{c.head_teacher}不是在岗班主任，没有可评选的班级。"
    if not c.in_department:
        return f"{c.class_name}（班主任{c.head_teacher}）不属于{c.department}，只能评选本年级部的班级。"
    if c.starts_in_future:
        return f"{c.period}尚未开始，不能提前评选{title}。"
    if c.veto:
        return f"{c.head_teacher}已被荣誉一票否决（{c.veto}），其班级不能评为{title}。"
    if c.already_named:
        return f"{c.class_name}已是{c.period}的{title}。"
    if c.named_so_far >= c.limit:
        return f"{c.department}{c.period}已评出 {c.named_so_far} 个{title}，每{unit}最多 {c.limit} 个。"
    return None


# --- 优秀工作室成员 (§9.4) --------------------------------------------------------------------


@dataclass(frozen=True)
class OutstandingCase:
    member: str
    semester: str  # e.g. 2025–2026学年第一学期
    grade: str  # the member's assessment grade of that semester
    is_current_member: bool
    named_already: str = ""  # who the workroom named for the semester, if anyone
    veto: str = ""


def outstanding_member_refusal(c: OutstandingCase) -> str | None:
    """优秀工作室成员 (DOMAIN.md §9.4): one member per workroom and semester,
    chosen among the members graded 优秀 that semester who are still in the
    workroom, and never someone vetoed from honours (§9.5)."""
    if c.named_already:
        return f"本工作室{c.semester}已评出优秀工作室成员（{c.named_already}），每学期只能评选一名。"
    if c.grade != EXCELLENT:
        return f"{c.member}{c.semester}成员考核为{c.grade or '未考核'}，优秀工作室成员只能从考核优秀的成员中评选。"
    if not c.is_current_member:
        return f"{c.member}已不在本工作室，不能评为优秀工作室成员。"
    if c.veto:
        return f"{c.member}已被荣誉一票否决（{c.veto}），不能评为优秀工作室成员。"
    return None


# --- extending the construction cycle (§9.5) --------------------------------------------


def cycle_extension_refusal(*, final_grade: str | None, already_extended: bool) -> str | None:
    """Only a workroom whose final evaluation is 优秀 may extend its
    construction cycle (DOMAIN.md §9.5), once per final evaluation."""
    if final_grade is None:
        return "该工作室尚无终期评估结果；只有终期评估为优秀的工作室可以延长建设周期。"
    if final_grade != EXCELLENT:
        return f"该工作室终期评估为{final_grade}；只有终期评估为优秀的工作室可以延长建设周期。"
    if already_extended:
        return "已依据本次终期评估延长过建设周期；每次终期评估只能延长一次。"
    return None
