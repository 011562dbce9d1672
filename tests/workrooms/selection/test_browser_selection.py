"""Two-way selection in a real browser: a teacher asks to join a running
workroom, the host accepts, both sign the agreement, and the member shows
as 在册 on the host's page."""

import pytest

pytestmark = pytest.mark.browser


def test_it_takes_a_teacher_from_request_to_active_member(page, login, workroom, teacher, host):
    page.on("dialog", lambda dialog: dialog.accept())

    login(teacher.user)
    page.goto(f"/people/workrooms/{workroom.pk}/join/")
    assert "年龄须不超过 40 周岁" in page.content()
    page.fill("textarea[name=message]", "希望在工作室学习班级文化建设。")
    page.click("text=提交申请")
    page.wait_for_url("**/people/mine/")
    assert "待主持人答复" in page.inner_text("main")

    login(host)
    page.click("text=李堃 申请加入王喆名班主任工作室")
    page.wait_for_url(f"**/people/workrooms/{workroom.pk}/members/")
    page.click("#pending-requests button:has-text('接受')")
    page.wait_for_selector("text=已接受李堃的申请")
    page.click("#pending-agreement >> text=查看协议")
    assert "考核办法" in page.inner_text("main")
    page.click("text=确认签署协议")
    page.wait_for_selector("text=已签署协议。")

    login(teacher.user)
    page.click(f"text={workroom.name} 成员协议")
    page.click("text=确认签署协议")
    page.wait_for_selector("text=双方已签署，协议已备案。")

    login(host)
    page.goto(f"/people/workrooms/{workroom.pk}/members/")
    row = page.locator("#roster tr", has_text="李堃")
    assert "在册" in row.inner_text()
