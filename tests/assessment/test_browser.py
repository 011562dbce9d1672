"""The main path in a real browser: the office fills a 年级部's month by the
grid (keyboard and a block pasted from Excel), publishes, and a teacher
reads their result with the computation explained."""

from decimal import Decimal as D

import pytest

from assessment.models import MonthlyScore
from members.choices import DepartmentKind
from tests import factories as f
from tests.assessment.factories import MonthPeriodFactory

pytestmark = pytest.mark.browser

PASTE = """
(text) => {
  const input = document.activeElement;
  const data = new DataTransfer();
  data.setData("text/plain", text);
  input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}
"""


@pytest.fixture
def grade_month(transactional_db, office):
    school = f.SchoolFactory()
    dept = f.DepartmentFactory(school=school, name="一年级部", kind=DepartmentKind.GRADE, grade=1)
    teachers = [
        f.TeacherFactory(school=school, department=dept, name=name, staff_no=f"G{i}")
        for i, name in enumerate(["李堃", "周敏", "陈晨"])
    ]
    month = MonthPeriodFactory(school=school, school_year=2025, month=10)
    for t, score in zip(teachers, ["80", "70", "50"], strict=True):
        MonthlyScore.objects.create(period=month, teacher=t, department=dept, dept_score=D(score))
    return month, dept, teachers


def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_it_enters_publishes_and_explains_a_month(page, login, office, grade_month):
    month, dept, teachers = grade_month
    login(office)
    page.goto(f"/assessment/periods/{month.pk}/grid/{dept.pk}/")
    first = page.locator(f"input[name=office_{teachers[0].pk}]")
    assert page.locator(f"input[name=dept_{teachers[0].pk}]").is_disabled()  # the 年级部's half

    # keyboard: Enter moves down a row, arrow up comes back
    first.click()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == f"office_{teachers[1].pk}"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == f"office_{teachers[0].pk}"

    # a column copied from Excel fills the grid downwards; one bad cell saves nothing
    page.evaluate(PASTE, "90\r\n85\r\nabc\r\n")
    _go(page, "#score-grid button[type=submit]")
    assert page.locator(".invalid-feedback").inner_text() == "请输入数字。"
    assert "所有成绩均未保存" in page.content()
    assert not MonthlyScore.objects.filter(office_score__isnull=False).exists()

    page.locator(f"input[name=office_{teachers[2].pk}]").fill("60")
    _go(page, "#score-grid button[type=submit]")
    assert "3 位班主任的成绩有更新" in page.inner_text("main")

    _go(page, f"h1 a:has-text('{month}')")
    _go(page, "button:has-text('计算结果')")
    assert "计算 3 条结果" in page.inner_text("main")
    _go(page, "button:has-text('公示结果')")
    assert "现为公示中" in page.inner_text("main")

    login(teachers[0].user)
    page.goto("/assessment/mine/")
    _go(page, f"a:has-text('{month}')")
    explanation = page.locator("#explanation").inner_text()
    assert "80.0 × 50% + 90.0 × 50% = 85.0" in explanation
    assert "合格" in page.content()
