"""Group robots of 企业微信 (WeCom) and 钉钉 (DingTalk): how one message
reaches a group's phones.

A message is a title, a time and a link to the system, never private data;
``core.notify.announce`` decides which robots hear an event and queues one
delivery each; the background task posts it here and retries what may pass
(the endpoint's 5xx, rate limits, a network failure) with backoff.

Request formats, as the platforms document them:

* WeCom group robot: ``POST <webhook>?key=…`` with JSON
  ``{"msgtype": "markdown", "markdown": {"content": …}}`` or
  ``{"msgtype": "text", "text": {"content": …}}``; answers
  ``{"errcode": 0, "errmsg": "ok"}``. The key in the address is the only
  credential (no signing).
* DingTalk custom robot with 加签: ``POST <webhook>?access_token=…&timestamp=…&sign=…``,
  ``timestamp`` in milliseconds, ``sign`` = url-encoded base64 of
  HMAC-SHA256(key=secret, message="timestamp\\nsecret"); JSON
  ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`` or
  ``{"msgtype": "text", "text": {"content": …}}``; answers ``errcode`` 0."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import GroupRobot, RobotDelivery, RobotEvent

# Codes that mean "too many messages, try later" (WeCom: at most 20 a
# minute per robot; DingTalk: 20 a minute, then throttled).
RATE_LIMIT_CODES = {45009, 130101}
TIMEOUT_SECONDS = 10
HIDDEN = "••••••"


class DeliveryFailed(Exception):
    """The endpoint refused the message for good (wrong key or signature,
    a robot removed from the group): retrying cannot help."""


class DeliveryRetry(Exception):
    """A failure that may pass (5xx, rate limit, network): retried later."""


# --- addresses and secrets -------------------------------------------------


def allowed_prefixes(platform: str) -> tuple[str, ...]:
    """Webhook addresses must start with one of these (``ROBOT_WEBHOOK_PREFIXES``:
    the platform's own address unless a school runs a private deployment),
    so that a robot cannot make the server call arbitrary addresses."""
    return tuple(settings.ROBOT_WEBHOOK_PREFIXES.get(platform, ()))


def webhook_url_error(platform: str, url: str) -> str:
    """The reason a webhook address is refused, or ''."""
    prefixes = allowed_prefixes(platform)
    label = GroupRobot.Platform(platform).label
    if not prefixes:
        return f"本系统未开放{label}（管理员未设置允许的 Webhook 地址）。"
    if not any(url.startswith(p) and len(url) > len(p) for p in prefixes):
        return f"{label}的 Webhook 地址应以 {prefixes[0]} 开头，后接机器人的密钥（在群设置的机器人详情中复制）。"
    if any(c.isspace() for c in url):
        return "Webhook 地址中不能有空格或换行。"
    return ""


def masked(value: str, *, keep: int = 4) -> str:
    """A saved credential as it is shown again: only its last characters."""
    if not value:
        return ""
    return f"{HIDDEN}{value[-keep:]}" if len(value) > keep * 2 else HIDDEN


def masked_url(url: str) -> str:
    """The webhook address with its key or access token hidden (the key is
    what lets anyone post to the group)."""
    head, sep, query = url.partition("?")
    if not sep:
        return masked(url)
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        parts.append(f"{name}{eq}{masked(value)}" if eq else pair)
    return f"{head}?{'&'.join(parts)}"


# --- the request -------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), before url-encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def request_url(robot: GroupRobot, *, timestamp_ms: int | None = None) -> str:
    if robot.platform != GroupRobot.Platform.DINGTALK or not robot.secret:
        return robot.webhook_url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(robot.secret, timestamp_ms)})
    return f"{robot.webhook_url}&{query}"


@dataclass(frozen=True)
class Message:
    title: str
    when: str  # formatted in the school's time zone, or ''
    link: str  # absolute


def message_of(delivery: RobotDelivery) -> Message:
    when = ""
    if delivery.when is not None:
        when = f"{timezone.localtime(delivery.when):%Y-%m-%d %H:%M}"
    link = f"{settings.SITE_URL}{delivery.url}" if delivery.url.startswith("/") else delivery.url
    return Message(title=delivery.title, when=when, link=link or settings.SITE_URL)


def payload(robot: GroupRobot, message: Message) -> dict:
    """The JSON body in the platform's documented format."""
    head = f"【{settings.SITE_NAME}】{message.title}"
    if robot.msgtype == GroupRobot.Format.TEXT:
        lines = [head, f"时间：{message.when}" if message.when else "", message.link]
        return {"msgtype": "text", "text": {"content": "\n".join(line for line in lines if line)}}
    when = f"\n\n时间：{message.when}" if message.when else ""
    text = f"**{head}**{when}\n\n[在系统中查看]({message.link})"
    if robot.platform == GroupRobot.Platform.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": message.title[:60], "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def robot_post(robot: GroupRobot, body: dict) -> None:
    """POST one message; raises ``DeliveryRetry`` or ``DeliveryFailed``
    with a reason a person can read."""
    data = json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(
        request_url(robot), data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310 (prefix-checked address)
            raw = resp.read(64_000)
    except urllib.error.HTTPError as exc:
        reason = f"对方服务器返回 HTTP {exc.code}"
        if exc.code >= 500 or exc.code == 429:
            raise DeliveryRetry(reason) from exc
        raise DeliveryFailed(reason) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryRetry(f"无法连接对方服务器：{getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise DeliveryFailed("对方服务器的回答不是 JSON") from exc
    code = answer.get("errcode", 0)
    if code in RATE_LIMIT_CODES:
        raise DeliveryRetry(f"发送过于频繁（errcode {code}）")
    if code != 0:
        raise DeliveryFailed(f"平台拒绝：errcode {code} {answer.get('errmsg', '')}".strip())


# --- one delivery ------------------------------------------------------------


def delivery_send(*, delivery_id: int, final: bool) -> bool:
    """Send one queued delivery; True when it reached the group now.

    A failure that may pass raises ``DeliveryRetry`` (recorded as 重试中)
    unless this is the ``final`` attempt, which records it as failed; a
    permanent refusal is recorded as failed at once. Never raises anything
    else for the endpoint's sake."""
    d = RobotDelivery.objects.select_related("robot").filter(pk=delivery_id).first()
    if d is None or d.status in (RobotDelivery.Status.SENT, RobotDelivery.Status.FAILED):
        return False
    attempts = d.attempts + 1
    rows = RobotDelivery.objects.filter(pk=d.pk)
    if not d.robot.is_active:
        rows.update(status=RobotDelivery.Status.FAILED, attempts=attempts, error="机器人已停用")
        return False
    try:
        robot_post(d.robot, payload(d.robot, message_of(d)))
    except DeliveryRetry as exc:
        status = RobotDelivery.Status.FAILED if final else RobotDelivery.Status.RETRYING
        rows.update(status=status, attempts=attempts, error=str(exc)[:300])
        if not final:
            raise
        return False
    except DeliveryFailed as exc:
        rows.update(status=RobotDelivery.Status.FAILED, attempts=attempts, error=str(exc)[:300])
        return False
    rows.update(status=RobotDelivery.Status.SENT, attempts=attempts, error="", sent_at=timezone.now())
    return True


def retry_countdown(retries: int) -> int:
    """Exponential backoff: 10, 20, 40, 80, 160 seconds by default
    (``ROBOT_RETRY_BASE_SECONDS``), at most the broker-safe maximum (a
    longer wait would outlast the visibility timeout)."""
    return min(settings.ROBOT_RETRY_BASE_SECONDS * 2**retries, settings.CELERY_RETRY_COUNTDOWN_MAX)


# --- connecting a robot --------------------------------------------------------

ROBOT_FIELDS = ("name", "platform", "msgtype", "events", "is_active")


def _check(robot: GroupRobot) -> None:
    errors = {}
    url_error = webhook_url_error(robot.platform, robot.webhook_url)
    if url_error:
        errors["webhook_url"] = url_error
    if robot.platform == GroupRobot.Platform.WECOM and robot.secret:
        errors["secret"] = "企业微信群机器人没有加签密钥（地址中的 key 就是凭据），请留空。"
    if robot.platform == GroupRobot.Platform.DINGTALK and not robot.secret.startswith("SEC"):
        errors["secret"] = "请填写钉钉机器人安全设置中“加签”一栏以 SEC 开头的密钥。"
    twin = GroupRobot.objects.filter(owner_type=robot.owner_type, owner_id=robot.owner_id, webhook_url=robot.webhook_url)
    if robot.webhook_url and twin.exclude(pk=robot.pk).exists():
        errors["webhook_url"] = "这个群机器人已经连接过了。"
    unknown = set(robot.events) - set(RobotEvent.values)
    if unknown or not robot.events:
        errors["events"] = "请至少选择一种要发送的事件。"
    if errors:
        raise ValidationError(errors)
    robot.full_clean(exclude=["owner_type", "owner_id"])


@transaction.atomic
def robot_connect(*, owner, actor, webhook_url: str, secret: str = "", **data) -> GroupRobot:
    """Connect a group robot for ``owner`` (a workroom or a department)."""
    robot = GroupRobot(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk, created_by=actor,
        webhook_url=webhook_url.strip(), secret=secret.strip(), **{k: data[k] for k in ROBOT_FIELDS if k in data},
    )
    _check(robot)
    try:
        with transaction.atomic():
            robot.save()
    except IntegrityError as exc:  # the same form sent twice at once
        raise ValidationError({"webhook_url": "这个群机器人已经连接过了。"}) from exc
    return robot


@transaction.atomic
def robot_update(*, robot: GroupRobot, webhook_url: str = "", secret: str = "", **data) -> GroupRobot:
    """Change a robot. The saved address and secret are never shown again:
    a blank field keeps what is saved, a filled one replaces it."""
    robot = GroupRobot.objects.select_for_update().get(pk=robot.pk)
    for key in ROBOT_FIELDS:
        if key in data:
            setattr(robot, key, data[key])
    if webhook_url.strip():
        robot.webhook_url = webhook_url.strip()
    if secret.strip():
        robot.secret = secret.strip()
    if robot.platform == GroupRobot.Platform.WECOM and not secret.strip():
        robot.secret = ""
    _check(robot)
    robot.save()
    return robot


def robots_connected(owner):
    """Every robot ``owner`` connected, active or not."""
    return GroupRobot.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
