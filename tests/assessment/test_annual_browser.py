"""The main path of the annual member assessment (DOMAIN.md §9.4, §11) in a
real browser: the host opens a member waiting for the year's assessment,
reads the grade computed from both semesters and the record, confirms it
with a comment; the office publishes; the member reads their result. Each
page passes the axe-core accessibility check (WCAG 2 A/AA)."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessment import services
from core.calendar import term_of
from workrooms.selection.models import Membership

pytestmark = pytest.mark.browser



def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_the_host_confirms_a_members_year_and_the_member_reads_it(page, login, axe, transactional_db, workroom, host, member, office):
    year = term_of(timezone.localdate())[0]
    zhang = Membership.objects.get(workroom=workroom, teacher__user=member)
    for term, value in ((1, "18"), (2, "15")):
        services.member_assessment_save(
            membership=zhang, school_year=year, semester=term,
            scores=dict.fromkeys(("ethics", "attitude", "theory", "management", "research"), D(value)), actor=host,
        )

    login(host)
    page.goto(f"/assessment/members/annual/?year={year}")
    assert "张昇" in page.inner_text("#awaiting-annual")
    assert axe() == []
    _go(page, "#awaiting-annual a:has-text('张昇')")
    assert "年度总分 82.5，等级 合格" in page.inner_text("#annual-proposal")
    assert axe() == []
    page.fill("textarea[name=comment]", "全年积极参加活动，班级管理稳步提高")
    _go(page, "#confirm-annual")
    assert "已确认：张昇" in page.inner_text("main")
    assert "82.5，合格（待公布）" in page.inner_text("#annual-result")

    login(office)
    page.goto(f"/assessment/members/annual/?year={year}")
    assert "待公布" in page.inner_text("#annual-results")
    page.once("dialog", lambda d: d.accept())  # 「确定公布…吗？」
    _go(page, "#publish-annual")
    assert "已公布 1 名成员的年度考核结果" in page.inner_text("main")
    assert "已公布" in page.inner_text("#annual-results")

    login(member)
    page.goto("/assessment/mine/")
    _go(page, "#my-annual a")
    assert "年度总分 82.5，合格" in page.inner_text("#annual-result")
    assert "全年积极参加活动，班级管理稳步提高" in page.inner_text("main")
    assert axe() == []
