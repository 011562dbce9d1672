"""§9.4 member assessment (成员考核) as §9.4a reads it."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.rules.params import Rules, round_score

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


# --- the annual member assessment (DOMAIN.md §9.4 "each semester (and year)", §11) ---


@dataclass(frozen=True)
class AnnualInput:
    """A member's school year: the totals and grades of the semester
    assessments made in it (one or two), attendance over the whole year and
    the §6 duties of the year's record."""

    semester_totals: tuple[Decimal, ...]
    semester_grades: tuple[str, ...]
    activities_total: int = 0
    activities_attended: int = 0
    duties_total: int = 0
    duties_met: int = 0


@dataclass(frozen=True)
class AnnualGrade:
    total: Decimal
    grade: str
    attendance_forced: bool
    reasons: tuple[str, ...]  # why the grade is what it is, in words for the page


def annual_member_grade(a: AnnualInput, rules: Rules) -> AnnualGrade:
    """成员年度考核 (DOMAIN.md §9.4, read as §9.4a reads the semester grade):
    the year's total is the mean of its semester totals, rounded half up to
    one place; absence over the limit across the year forces 不合格 (§5);
    below the pass mark 不合格; at or above the excellent mark 优秀 only if no
    semester was 不合格 and every duty of the year was met, else 合格 (良好
    in the 优秀/良好 variant). Refused without any semester assessment."""
    if not a.semester_totals:
        raise ValueError("本学年尚无学期成员考核，请先完成学期考核。")
    total = round_score(sum((Decimal(t) for t in a.semester_totals), Decimal("0")) / len(a.semester_totals))
    forced = absence_over_limit(a.activities_total, a.activities_attended, rules)
    passed = GOOD if rules.member_grades == "good" else PASS
    reasons = []
    if forced:
        absent = a.activities_total - a.activities_attended
        reasons.append(f"全年缺席活动 {absent}/{a.activities_total} 次，超过规定比例")
        grade = FAIL
    elif total < rules.member_pass_min:
        reasons.append(f"学期考核平均分 {total} 低于合格线 {rules.member_pass_min}")
        grade = FAIL
    elif total >= rules.member_excellent_min:
        if FAIL in a.semester_grades:
            reasons.append("有学期考核不合格，不能评为优秀")
        if a.duties_met < a.duties_total:
            reasons.append(f"本学年职责完成 {a.duties_met}/{a.duties_total} 项，未全部完成，不能评为优秀")
        grade = passed if reasons else EXCELLENT
    else:
        grade = passed
    return AnnualGrade(total=total, grade=grade, attendance_forced=forced, reasons=tuple(reasons))
