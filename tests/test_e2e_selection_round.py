"""The selection round end to end in a real browser (issue: foundation): a
teacher applies to host a workroom, every review step is taken by its role,
the office launches the workroom, another teacher asks to join, the new host
accepts, both sign the agreement and the member shows as 在册."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from workrooms.models import HostApplication, Workroom
from workrooms.selection.models import JoinRequest, Membership

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICATION_LINK = re.compile("李堃：班级文化与家校共育")


def end_notice_now():
    """The notice window (at least one day) has passed."""
    HostApplication.objects.update(notice_ends_at=timezone.now() - timedelta(minutes=1))


def _step(page, button, comment=""):
    """Take a workflow step from the detail page: the form of that button."""
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.get_by_role("button", name=button, exact=True).click()


def test_it_runs_the_selection_round_from_an_application_to_a_member_on_the_roll(
    page, login, teacher, reviewer, office, expert, admin, ruleset
):
    page.on("dialog", lambda dialog: dialog.accept())
    joiner = f.TeacherFactory(name="张昇", school=f.SchoolFactory(name="实验小学"))

    # 1. 个人申报: the eligibility is shown, then the application waits for the department
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
    detail_url = page.url

    # 2. 系部审核, reached from the reviewer's home page
    login(reviewer)
    page.get_by_role("link", name=APPLICATION_LINK).click()
    _step(page, "系部审核通过", "同意推荐")
    expect(page.locator("#status")).to_have_text("待德育处审核")
    expect(page.get_by_text("同意推荐")).to_be_visible()

    # 3. 德育处审核, assigning the expert
    login(office)
    page.goto(detail_url)
    page.check(f"input[name=experts][value='{expert.pk}']")
    _step(page, "德育处审核通过并分配专家", "材料齐全")
    expect(page.locator("#status")).to_have_text("专家评审中")

    # 4. 专家评审
    login(expert)
    page.get_by_role("link", name=APPLICATION_LINK).click()
    page.get_by_role("link", name="提交评审意见").click()
    page.fill("input[name=score]", "92")
    page.fill("textarea[name=comment]", "定位清晰，建议立项。")
    page.get_by_role("button", name="提交评审意见").click()
    expect(page.get_by_text("定位清晰，建议立项。")).to_be_visible()

    # 5. 公示, started by the office (then the notice window ends)
    login(office)
    page.goto(detail_url)
    _step(page, "评审通过，开始公示")
    expect(page.locator("#status")).to_have_text("公示中")
    end_notice_now()

    # 6. 审批 by the administrator: the workroom is created, named after the host
    login(admin)
    page.get_by_role("link", name=APPLICATION_LINK).click()
    _step(page, "批准立项", "同意立项")
    expect(page.locator("#status")).to_have_text("已批准")
    page.get_by_role("link", name="李堃名班主任工作室").click()
    expect(page.locator("h1 .badge")).to_have_text("已立项")

    # 7. 挂牌运行 by the office
    workroom = Workroom.objects.get()
    login(office)
    page.goto(f"/workrooms/{workroom.pk}/")
    _step(page, "挂牌运行")
    expect(page.locator("h1 .badge")).to_have_text("运行中")

    # 8. Another teacher asks to join from the workroom's page
    login(joiner.user)
    page.goto(f"/workrooms/{workroom.pk}/")
    page.get_by_role("link", name="申请加入").click()
    expect(page.get_by_role("heading", name="申请加入李堃名班主任工作室")).to_be_visible()
    expect(page.get_by_text("年龄须不超过 40 周岁")).to_be_visible()
    page.fill("textarea[name=message]", "希望在工作室学习家校共育。")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/people/mine/")
    expect(page.locator("main")).to_contain_text("待主持人答复")

    # 9. The new host accepts from their home page and signs the agreement
    login(teacher.user)
    page.get_by_role("link", name="张昇 申请加入李堃名班主任工作室").click()
    page.wait_for_url(f"**/people/workrooms/{workroom.pk}/members/")
    page.locator("#pending-requests").get_by_role("button", name="接受").click()
    expect(page.get_by_text("已接受张昇的申请")).to_be_visible()
    page.locator("#pending-agreement").get_by_role("link", name="查看协议").click()
    expect(page.locator("main")).to_contain_text("考核办法")
    page.get_by_role("button", name="确认签署协议").click()
    expect(page.get_by_text("已签署协议。")).to_be_visible()

    # 10. The member signs too
    login(joiner.user)
    page.get_by_role("link", name="李堃名班主任工作室 成员协议").click()
    page.get_by_role("button", name="确认签署协议").click()
    expect(page.get_by_text("双方已签署，协议已备案。")).to_be_visible()

    # 11. The member is 在册 on the host's member page
    login(teacher.user)
    page.goto(f"/people/workrooms/{workroom.pk}/members/")
    expect(page.locator("#roster tr", has_text="张昇")).to_contain_text("在册")

    application = HostApplication.objects.get()
    assert application.status == HostApplication.Status.APPROVED and application.workroom == workroom
    assert (workroom.name, workroom.host) == ("李堃名班主任工作室", teacher)
    membership = Membership.objects.get(workroom=workroom, teacher=joiner)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.host_signed_at and membership.member_signed_at
    assert JoinRequest.objects.get(teacher=joiner).status == JoinRequest.Status.ACCEPTED
