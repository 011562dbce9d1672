"""The annual member grade (DOMAIN.md §9.4, §11) at its boundaries (no database)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from assessment.rules import Rules
from assessment.rules.member import AnnualInput, annual_member_grade

R = Rules()


def _year(totals, grades=None, held=10, attended=10, duties=(9, 9)):
    grades = grades or tuple("合格" for _ in totals)
    return AnnualInput(
        semester_totals=tuple(D(t) for t in totals), semester_grades=tuple(grades),
        activities_total=held, activities_attended=attended, duties_total=duties[0], duties_met=duties[1],
    )


@pytest.mark.parametrize(
    "totals, grades, attended, duties, total, grade",
    [
        (("92", "88"), ("优秀", "合格"), 10, (9, 9), D("90.0"), "优秀"),  # mean exactly the excellent mark
        (("89.9", "90"), ("合格", "优秀"), 10, (9, 9), D("90.0"), "优秀"),  # 89.95 rounds half up to 90.0
        (("89.8", "90"), ("合格", "优秀"), 10, (9, 9), D("89.9"), "合格"),
        (("60", "60"), ("合格", "合格"), 10, (9, 9), D("60.0"), "合格"),  # exactly the pass mark
        (("59.9", "60"), ("不合格", "合格"), 10, (9, 9), D("60.0"), "合格"),  # 59.95 → 60.0
        (("59.8", "60"), ("不合格", "合格"), 10, (9, 9), D("59.9"), "不合格"),
        (("100", "100"), ("优秀", "优秀"), 6, (9, 9), D("100.0"), "不合格"),  # absent 4/10: over a third
        (("100", "100"), ("优秀", "优秀"), 7, (9, 9), D("100.0"), "优秀"),  # absent 3/10: not over
        (("100", "40"), ("优秀", "不合格"), 10, (9, 9), D("70.0"), "合格"),
        (("100", "85"), ("优秀", "不合格"), 10, (9, 9), D("92.5"), "合格"),  # a failed semester: no 优秀
        (("95", "95"), ("优秀", "优秀"), 10, (9, 8), D("95.0"), "合格"),  # a duty unmet: no 优秀
        (("95",), ("优秀",), 10, (9, 9), D("95.0"), "优秀"),  # joined in the second semester
    ],
)
def test_the_annual_grade_at_its_boundaries(totals, grades, attended, duties, total, grade):
    result = annual_member_grade(_year(totals, grades, attended=attended, duties=duties), R)
    assert (result.total, result.grade) == (total, grade)


def test_it_explains_why_a_high_score_is_not_excellent():
    result = annual_member_grade(_year(("100", "85"), ("优秀", "不合格"), duties=(9, 7)), R)
    assert result.reasons == ("有学期考核不合格，不能评为优秀", "本学年职责完成 7/9 项，未全部完成，不能评为优秀")


def test_absence_over_the_year_forces_a_fail_and_says_so():
    result = annual_member_grade(_year(("100", "100"), held=9, attended=5), R)
    assert (result.grade, result.attendance_forced, result.reasons) == ("不合格", True, ("全年缺席活动 4/9 次，超过规定比例",))


def test_the_good_variant_names_the_middle_grade_良好():
    assert annual_member_grade(_year(("75", "75")), replace(R, member_grades="good")).grade == "良好"


def test_it_follows_the_schools_marks():
    rules = replace(R, member_excellent_min=D("85"), member_pass_min=D("70"))
    assert [annual_member_grade(_year((t, t)), rules).grade for t in ("85", "84.9", "70", "69.9")] == [
        "优秀", "合格", "合格", "不合格"
    ]


def test_it_refuses_a_year_without_any_semester_assessment():
    with pytest.raises(ValueError, match="本学年尚无学期成员考核"):
        annual_member_grade(_year(()), R)
