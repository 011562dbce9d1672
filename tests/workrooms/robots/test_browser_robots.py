"""In a real browser: the host connects a DingTalk robot, presses
发送测试消息 and sees it delivered to the (local) endpoint; a teacher copies
their calendar address. Both pages pass the axe check."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.ical import feed_token
from core.models import GroupRobot
from tests.workrooms.robots.conftest import SECRET

pytestmark = pytest.mark.browser


def test_the_host_connects_a_robot_and_the_test_message_arrives(page, login, axe, host, workroom, endpoint):
    login(host)
    page.goto(f"/workrooms/{workroom.pk}/")
    page.get_by_role("link", name="群机器人").click()
    page.get_by_role("link", name="连接群机器人").click()
    page.get_by_label("名称").fill("工作室成员钉钉群")
    page.get_by_label("平台").select_option("dingtalk")
    page.get_by_label("Webhook 地址").fill(f"{endpoint.dingtalk}browser-token-123456")
    page.get_by_label("加签密钥（仅钉钉）").fill(SECRET)
    page.get_by_label("明日活动").check()
    page.get_by_label("签到开始").check()
    assert axe() == []
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("群机器人已连接")).to_be_visible()
    expect(page.get_by_role("cell", name="工作室成员钉钉群")).to_be_visible()
    assert SECRET not in page.content() and "browser-token-123456" not in page.content()
    page.get_by_role("button", name="发送测试消息").click()

    expect(page.locator("[data-delivery-status=sent]")).to_have_text("已送达")
    assert axe() == []
    (req,) = endpoint.requests
    assert req["query"]["access_token"] == ["browser-token-123456"] and req["query"]["sign"]
    assert GroupRobot.objects.get().owner == workroom


def test_a_teacher_copies_their_calendar_address(page, login, axe, teacher, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(teacher.user)
    page.goto(reverse("members:notifications"))
    page.get_by_role("link", name="我的日历订阅").click()
    address = page.get_by_label("订阅地址")
    expect(address).to_have_value(live_server.url + reverse("members:calendar_feed", args=[feed_token(teacher.user)]))
    page.get_by_role("button", name="复制地址").click()
    expect(page.get_by_text("已复制订阅地址。")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    assert axe() == []


@pytest.mark.worker
def test_with_the_real_worker_the_page_follows_the_retry_to_delivery(page, login, host, workroom, dingtalk_robot,
                                                                      endpoint, robot_worker):
    endpoint.script = [(500, {})]
    login(host)
    page.goto(reverse("workrooms:robots", args=["workroom", workroom.pk]))
    page.get_by_role("button", name="发送测试消息").click()

    # the page updates itself: no reload by the person
    expect(page.locator("[data-delivery-status=sent]")).to_have_text("已送达", timeout=45_000)
    expect(page.locator("#deliveries tbody tr").first.locator("td").nth(5)).to_have_text("2")
    assert len(endpoint.requests) == 2
