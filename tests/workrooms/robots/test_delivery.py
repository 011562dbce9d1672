"""Group-robot messages reach a real local endpoint in the documented
format, signed as DingTalk requires, retried after the endpoint's 5xx, and
a failure is recorded with its reason (never a 500 for the user)."""

import base64
import hashlib
import hmac
import time

import pytest

from core.models import RobotDelivery
from core.notify import robot_test_send
from tests.workrooms.robots.conftest import SECRET

pytestmark = pytest.mark.django_db


def send_test(robot, capture):
    with capture(execute=True):
        delivery = robot_test_send(robot=robot)
    delivery.refresh_from_db()
    return delivery


def test_it_signs_dingtalk_messages_as_documented(dingtalk_robot, endpoint, django_capture_on_commit_callbacks):
    delivery = send_test(dingtalk_robot, django_capture_on_commit_callbacks)

    assert delivery.status == RobotDelivery.Status.SENT and delivery.attempts == 1
    (req,) = endpoint.requests
    assert req["path"] == "/robot/send" and req["query"]["access_token"] == ["tok123456789"]
    timestamp = req["query"]["timestamp"][0]
    assert abs(int(timestamp) - time.time() * 1000) < 60_000  # milliseconds, now
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert req["query"]["sign"] == [expected]
    # url-encoded on the wire: a base64 '+' or '/' never travels raw
    raw_sign = req["raw_query"].split("sign=")[1]
    assert "+" not in raw_sign and "/" not in raw_sign
    assert req["content_type"].startswith("application/json")
    body = req["body"]
    assert body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"title", "text"}
    assert "测试消息" in body["markdown"]["text"] and "http://" in body["markdown"]["text"]


def test_it_posts_wecom_text_with_the_key_in_the_address(wecom_robot, endpoint, django_capture_on_commit_callbacks):
    delivery = send_test(wecom_robot, django_capture_on_commit_callbacks)

    assert delivery.status == RobotDelivery.Status.SENT
    (req,) = endpoint.requests
    assert req["path"] == "/cgi-bin/webhook/send"
    assert req["query"] == {"key": ["693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"]}  # no timestamp/sign for WeCom
    assert req["body"]["msgtype"] == "text" and set(req["body"]["text"]) == {"content"}
    assert "测试消息" in req["body"]["text"]["content"]


def test_it_retries_after_the_endpoint_fails_with_500(dingtalk_robot, endpoint, django_capture_on_commit_callbacks):
    endpoint.script = [(500, {}), (502, {})]

    delivery = send_test(dingtalk_robot, django_capture_on_commit_callbacks)

    assert len(endpoint.requests) == 3
    assert delivery.status == RobotDelivery.Status.SENT and delivery.attempts == 3 and delivery.error == ""
    # each attempt is signed afresh
    assert all(r["query"]["sign"] for r in endpoint.requests)


def test_it_records_the_reason_when_every_attempt_fails(dingtalk_robot, endpoint, django_capture_on_commit_callbacks):
    endpoint.script = [(500, {})] * 10

    delivery = send_test(dingtalk_robot, django_capture_on_commit_callbacks)

    assert len(endpoint.requests) == 6  # the first try and five retries
    assert delivery.status == RobotDelivery.Status.FAILED and delivery.attempts == 6
    assert "HTTP 500" in delivery.error


def test_it_does_not_retry_a_refused_signature(dingtalk_robot, endpoint, django_capture_on_commit_callbacks):
    endpoint.script = [(200, {"errcode": 310000, "errmsg": "sign not match"})]

    delivery = send_test(dingtalk_robot, django_capture_on_commit_callbacks)

    assert len(endpoint.requests) == 1
    assert delivery.status == RobotDelivery.Status.FAILED
    assert "310000" in delivery.error and "sign not match" in delivery.error


def test_it_retries_a_rate_limit_answer(wecom_robot, endpoint, django_capture_on_commit_callbacks):
    endpoint.script = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]

    delivery = send_test(wecom_robot, django_capture_on_commit_callbacks)

    assert len(endpoint.requests) == 2 and delivery.status == RobotDelivery.Status.SENT


def test_it_records_an_unreachable_endpoint(dingtalk_robot, settings, django_capture_on_commit_callbacks):
    dingtalk_robot.webhook_url = "http://127.0.0.1:9/robot/send?access_token=x"  # discard port: nothing listens
    dingtalk_robot.save()

    delivery = send_test(dingtalk_robot, django_capture_on_commit_callbacks)

    assert delivery.status == RobotDelivery.Status.FAILED and "无法连接" in delivery.error
