"""The whole 公示 loop in a real browser (DOMAIN.md §12): the office
publishes a month, a colleague reads the list, a teacher objects, the
office answers and the objector reads the answer, the office reopens with
a reason, corrects a score, recomputes and publishes again, and the page
shows the old and the new score. The pages pass axe (WCAG 2 A/AA)."""

from decimal import Decimal as D

import pytest

from assessment.models import MonthlyScore
from assessment.notices import services as notices
from assessment.notices.kinds import MEMBERS
from members.choices import DepartmentKind
from tests import factories as f
from tests.assessment.factories import MemberAssessmentFactory, MonthPeriodFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def month_scene(transactional_db, office):
    school = f.SchoolFactory()
    dept = f.DepartmentFactory(school=school, name="一年级部", kind=DepartmentKind.GRADE, grade=1)
    li = f.TeacherFactory(school=school, department=dept, name="李堃", staff_no="G1")
    zhou = f.TeacherFactory(school=school, department=dept, name="周敏", staff_no="G2")
    month = MonthPeriodFactory(school=school, school_year=2025, month=10)
    MonthlyScore.objects.create(period=month, teacher=li, department=dept, dept_score=D("80"), office_score=D("90"))
    MonthlyScore.objects.create(period=month, teacher=zhou, department=dept, dept_score=D("70"), office_score=D("70"))
    return month, dept, li, zhou


def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_publish_object_answer_reopen_correct_and_republish(page, login, axe, office, month_scene):
    month, dept, li, zhou = month_scene
    page.on("dialog", lambda dialog: dialog.accept())
    period_url = f"/assessment/periods/{month.pk}/"

    # The office computes and publishes; making it final waits for the window.
    login(office)
    page.goto(period_url)
    _go(page, "button:has-text('计算结果')")
    _go(page, "button:has-text('公示结果')")
    assert "现为公示中" in page.inner_text("main")
    assert page.locator("button:has-text('定稿')").is_disabled()
    assert "公示期满后才能定稿" in page.locator("#why-freeze").inner_text()
    assert axe() == []

    # A colleague of the department reads the list: names, scores, outcomes.
    login(zhou.user)
    page.goto(period_url)
    row = page.locator("#results tr", has_text="李堃")
    assert "85.0" in row.inner_text() and "合格" in row.inner_text()
    assert axe() == []

    # 李堃 objects inside the window.
    login(li.user)
    page.goto(period_url)
    page.fill("#id_text", "德育处抽查分应为 70 分，第三周检查记录有误")
    _go(page, "button:has-text('提出异议')")
    assert "异议已提交" in page.inner_text("main")

    # The office finds it on its home page and answers: upheld.
    login(office)
    page.goto("/")
    assert "德育处抽查分应为 70 分" in page.inner_text("main")
    page.goto(period_url)
    page.locator("#objections input[name=answer]").fill("经复核属实，予以更正。")
    page.locator("#objections input[name=upheld]").check()
    _go(page, "#objections button:has-text('答复')")
    assert "【异议成立】" in page.locator("#objections").inner_text()

    # The objector reads the answer (and has been notified).
    login(li.user)
    page.goto(period_url)
    assert "经复核属实，予以更正。" in page.locator("#objections").inner_text()

    # The office reopens with a reason, corrects the score, recomputes and publishes again.
    login(office)
    page.goto(period_url)
    page.fill("#comment-reopen", "异议成立：抽查分录入错误")
    _go(page, "button:has-text('重新开放更正')")
    assert "录入中" in page.inner_text("main")
    page.goto(f"/assessment/periods/{month.pk}/grid/{dept.pk}/")
    page.locator(f"input[name=office_{li.pk}]").fill("70")
    page.fill("input[name=reason]", "按异议复核更正")
    _go(page, "#score-grid button[type=submit]")
    assert "1 位班主任的成绩有更新" in page.inner_text("main")
    page.goto(period_url)
    _go(page, "button:has-text('计算结果')")
    _go(page, "button:has-text('公示结果')")
    changes = page.locator(".changes-between").inner_text()
    assert "第 2 次公示与第 1 次相比的变化" in changes and "李堃" in changes and "85.0 → 75.0" in changes
    assert "周敏" not in changes
    assert "异议成立：抽查分录入错误" in page.locator("#publications").inner_text()
    assert axe() == []

    # The colleague sees the correction too; the score's history keeps old → new and why.
    login(zhou.user)
    page.goto(period_url)
    assert "85.0 → 75.0" in page.locator(".changes-between").inner_text()
    login(office)
    page.goto(f"/assessment/periods/{month.pk}/grid/{dept.pk}/")
    assert "按异议复核更正" in page.inner_text("main")


def test_the_board_and_a_member_grade_notice_pass_axe(page, login, axe, office, transactional_db):
    host = f.TeacherFactory(name="王喆")
    workroom = f.WorkroomFactory(host=host)
    membership = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="张昇"))
    MemberAssessmentFactory(membership=membership)
    notice = notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, 1), actor=office)

    login(membership.teacher.user)
    page.goto(f"/assessment/notices/{notice.pk}/")
    assert "张昇" in page.locator("#notice-rows").inner_text()
    page.fill("#id_text", "出勤次数统计有误")
    _go(page, "button:has-text('提出异议')")
    assert "异议已提交" in page.inner_text("main")
    assert axe() == []

    login(office)
    page.goto("/assessment/notices/")
    assert notice.title in page.locator("#notices").inner_text()
    assert axe() == []
    page.goto(f"/assessment/notices/{notice.pk}/")
    assert page.locator("button:has-text('定稿')").is_disabled()
    assert axe() == []
