"""The host selection round in a real browser: a teacher applies, each
review step is taken by its role, and the office launches the workroom."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from workrooms.models import HostApplication, Workroom

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def end_notice_now():
    """The notice window (at least one day) has passed."""
    HostApplication.objects.update(notice_ends_at=timezone.now() - timedelta(minutes=1))


def _step(page, button, comment=""):
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.get_by_role("button", name=button, exact=True).click()


def test_it_runs_a_host_application_from_submission_to_a_running_workroom(
    page, login, teacher, reviewer, office, expert, admin, ruleset
):

    # 个人申报
    login(teacher.user)
    page.get_by_role("link", name="主持人申报").first.click()
    page.get_by_role("link", name="申报工作室主持人").click()
    expect(page.get_by_text("须担任班主任满 6 年，档案记载 8 年")).to_be_visible()
    page.fill("input[name=research_direction]", "班级文化与家校共育")
    page.fill("textarea[name=plan_summary]", "三年内形成家校共育课程体系。")
    page.check("input[name=commits_future_years]")
    page.set_input_files(
        "input[name=attachments]", files=[{"name": "获奖证书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator("#status")).to_have_text("待系部审核")
    expect(page.get_by_role("link", name="获奖证书.pdf")).to_be_visible()
    detail_url = page.url
    application = HostApplication.objects.get()

    # 系部审核: from the reviewer's home page
    login(reviewer)
    page.get_by_role("link", name=re.compile("李堃：班级文化与家校共育")).click()
    _step(page, "系部审核通过", "同意推荐")
    expect(page.locator("#status")).to_have_text("待德育处审核")

    # 德育处审核, assigning the expert
    login(office)
    page.goto(detail_url)
    page.check(f"input[name=experts][value='{expert.pk}']")
    _step(page, "德育处审核通过并分配专家", "材料齐全")
    expect(page.locator("#status")).to_have_text("专家评审中")

    # 专家评审
    login(expert)
    page.get_by_role("link", name=re.compile("李堃：班级文化与家校共育")).click()
    page.get_by_role("link", name="提交评审意见").click()
    page.fill("input[name=score]", "92")
    page.fill("textarea[name=comment]", "定位清晰，建议立项。")
    page.get_by_role("button", name="提交评审意见").click()
    expect(page.get_by_text("定位清晰，建议立项。")).to_be_visible()

    # 德育处作结论 → 公示
    login(office)
    page.goto(detail_url)
    expect(page.get_by_text("定位清晰，建议立项。")).to_be_visible()
    _step(page, "评审通过，开始公示")
    expect(page.locator("#status")).to_have_text("公示中")
    end_notice_now()

    # 审批 (the notice window is over)
    login(admin)
    page.get_by_role("link", name=re.compile("李堃：班级文化与家校共育")).click()
    _step(page, "批准立项", "同意立项")
    expect(page.locator("#status")).to_have_text("已批准")
    page.get_by_role("link", name="李堃名班主任工作室").click()
    expect(page.get_by_text("已立项").first).to_be_visible()

    # 挂牌运行
    login(office)
    page.goto(f"/workrooms/{Workroom.objects.get().pk}/")
    _step(page, "挂牌运行")
    expect(page.locator("h1 .badge")).to_have_text("运行中")
    expect(page.get_by_role("cell", name="挂牌运行")).to_be_visible()

    application.refresh_from_db()
    workroom = application.workroom
    assert (workroom.name, workroom.status, workroom.host) == ("李堃名班主任工作室", Workroom.Status.RUNNING, teacher)
    assert workroom.memberships.get().teacher == teacher
