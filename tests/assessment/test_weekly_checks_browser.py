"""The main path of the weekly 年级部检查 in a real browser: the grade
department's reviewer opens the weeks from the month's grid, enters two
weeks and sees the month's figure; the page passes the axe check."""

from decimal import Decimal as D

import pytest

from assessment.models import MonthlyScore
from members.choices import DepartmentKind
from tests import factories as f
from tests.assessment.factories import MonthPeriodFactory

pytestmark = pytest.mark.browser


def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_reviewer_enters_two_weeks_and_sees_the_months_figure(page, login, axe, transactional_db):
    school = f.SchoolFactory()
    dept = f.DepartmentFactory(school=school, name="一年级部", kind=DepartmentKind.GRADE, grade=1)
    head = f.TeacherFactory(school=school, department=dept, name="系部主任", staff_no="G0", is_head_teacher=False)
    dept.reviewers.add(head.user)
    teacher = f.TeacherFactory(school=school, department=dept, name="李堃", staff_no="G1")
    month = MonthPeriodFactory(school=school, school_year=2025, month=10)

    login(head.user)
    page.goto(f"/assessment/periods/{month.pk}/grid/{dept.pk}/")
    _go(page, "#weekly-link")
    assert page.locator("th", has_text="9月29日—10月5日").count() == 1  # reported on Friday 3 October
    assert axe() == []

    page.locator(f"input[name=w_{teacher.pk}_20250929]").fill("19.5")
    page.locator(f"input[name=w_{teacher.pk}_20251006]").fill("18")
    _go(page, "#weekly-grid button[type=submit]")
    assert "1 位班主任的月成绩（年级部检查）有更新" in page.inner_text("main")
    assert page.locator(f"[data-month-total='{teacher.pk}']").inner_text() == "37.5"
    assert page.locator(f"input[name=w_{teacher.pk}_20251006]").input_value() == "18.0"
    assert axe() == []
    assert MonthlyScore.objects.get(teacher=teacher, period=month).dept_score == D("37.5")

    page.goto(f"/assessment/periods/{month.pk}/grid/{dept.pk}/")
    assert page.locator(f"input[name=dept_{teacher.pk}]").input_value() == "37.5"
