"""The main path of 优秀工作室成员 (DOMAIN.md §9.4) in a real browser: the
host names a member graded 优秀 from the member-assessment page, and the
member sees the title on their own page."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import services
from core.calendar import semester, term_of
from workrooms.selection.models import Membership

pytestmark = pytest.mark.browser


def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_the_host_names_a_member_and_the_member_sees_it(page, login, transactional_db, workroom, host, member):
    year, term = term_of(timezone.localdate())
    label = semester(year, term).label.replace("-", "–")
    zhang = Membership.objects.get(workroom=workroom, teacher__user=member)
    services.member_assessment_save(
        membership=zhang, school_year=year, semester=term,
        scores=dict.fromkeys(("ethics", "attitude", "theory", "management", "research"), D("19")), actor=host,
    )

    login(host)
    page.goto("/assessment/members/")
    assert "尚未评选" in page.inner_text("#outstanding-summary")
    _go(page, "a:has-text('查看/修改')")
    assert "总分 95.0，优秀" in page.inner_text("main")
    page.once("dialog", lambda d: d.accept())  # 「确定将张昇评为本学期优秀工作室成员吗？」
    _go(page, "#name-outstanding")
    assert f"已将张昇评为{label}优秀工作室成员" in page.inner_text("main")
    assert "撤回评选" in page.inner_text("#outstanding")

    # The member is told, and the notification leads to their own page.
    login(member)
    page.goto(reverse("members:notifications"))
    assert f"您被评为王喆名班主任工作室{label}优秀工作室成员" in page.inner_text("main")
    _go(page, "button:has-text('查看')")
    assert page.url.endswith(reverse("members:teacher_detail", args=[zhang.teacher_id]))
    assert f"优秀工作室成员 {label}（王喆名班主任工作室）" in page.inner_text("#honours")
