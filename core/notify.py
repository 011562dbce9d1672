"""Notifications: the one way anything tells anyone that something waits
for them (DOMAIN.md §1 roles; reminders for the deadlines of §3–§9).

``notify`` writes the in-app rows inside the caller's transaction and, once
that transaction commits, queues one e-mail task per recipient who wants
this kind by e-mail. A broker or mail server that is down never blocks or
fails the action that caused the notification. Each app keeps the handlers
that decide who hears about its own events (its ``notifications`` module)."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.calendar import school_today
from core.models import GroupRobot, Notification, NotificationKind, NotificationPreference, RobotDelivery, RobotEvent
from core.registry import Hook
from core.tasks import send_notification_email, send_robot_message

log = logging.getLogger(__name__)


def notify(*, users: Iterable, kind: str, title: str, url: str = "", body: str = "", key: str = "") -> list[Notification]:
    """Create a notification of ``kind`` for each of ``users`` (users or ids).

    ``key`` makes a notification idempotent per user (scheduled reminders):
    a user who already has one with that key gets no second one."""
    kind = NotificationKind(kind)
    user_ids = sorted({getattr(u, "pk", u) for u in users if u is not None})
    if not user_ids:
        return []
    if key:
        already = set(Notification.objects.filter(dedupe_key=key, user_id__in=user_ids).values_list("user_id", flat=True))
        user_ids = [uid for uid in user_ids if uid not in already]
    rows = [
        Notification(user_id=uid, kind=kind, title=title[:200], url=url[:300], body=body, dedupe_key=key[:120])
        for uid in user_ids
    ]
    created = Notification.objects.bulk_create(rows)  # primary keys come back on PostgreSQL
    opted_out = set(
        NotificationPreference.objects.filter(kind=kind, email=False, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    to_email = [n.pk for n in created if n.user_id not in opted_out]
    if to_email:
        transaction.on_commit(lambda: _enqueue_emails(to_email))
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    for nid in notification_ids:
        try:
            send_notification_email.delay(nid)
        except Exception:  # broker down or a failing eager run: the action stands
            log.exception("could not queue e-mail for notification %s", nid)


def email_address(user) -> str:
    teacher = getattr(user, "teacher", None)
    return user.email or (teacher.email if teacher else "")


def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail of one notification once; True when sent now.

    Raises what the mail backend raises, so that the task retries."""
    from django.core.mail import send_mail

    n = Notification.objects.select_related("user__teacher").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None:
        return False
    address = email_address(n.user)
    if not address:
        return False
    link = f"{settings.SITE_URL}{n.url}" if n.url.startswith("/") else n.url
    text = "\n\n".join(part for part in (n.title, n.body, link) if part)
    send_mail(f"[{settings.SITE_NAME}] {n.title}", text, None, [address])
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return True


def unread_count(user) -> int:
    """One query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_notifications(request):
    """Context processor: the header's unread count, queried only if a
    template actually shows it (one query at most)."""
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(request.user))}


def notification_mark_read(*, user, notification_id: int) -> bool:
    return bool(
        Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def email_preferences(user) -> dict[str, bool]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in NotificationKind.values}


def notification_preferences_set(*, user, email_kinds: Iterable[str]) -> None:
    """Save which kinds reach ``user`` by e-mail (all others do not)."""
    wanted = set(email_kinds)
    with transaction.atomic():
        for kind in NotificationKind.values:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": kind in wanted})


REMINDER_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    user_ids: tuple[int, ...]
    kind: str
    title: str
    url: str
    key: str


@dataclass(frozen=True)
class Announcement:
    """A reminder for group robots rather than people (see ``announce``)."""

    owners: tuple
    event: str
    title: str
    url: str
    key: str
    when: datetime | None = None


# Each app registers the functions ``(today) -> [Reminder | Announcement]``
# that the daily run reads (``@reminders.register``): deadlines, duty
# progress, 公示 ending, tomorrow's activities.
reminders = Hook("reminders")


def reminders_send(*, today: date | None = None) -> int:
    """Run every reminder source for ``today``; returns notifications and
    group messages created. Safe to run more than once a day: each reminder
    carries a key."""
    today = today or school_today()
    created = 0
    for found in reminders(today):
        for r in found:
            if isinstance(r, Announcement):
                created += len(announce(owners=r.owners, event=r.event, title=r.title, url=r.url, when=r.when, key=r.key))
            else:
                created += len(notify(users=r.user_ids, kind=r.kind, title=r.title, url=r.url, key=r.key))
    return created


# --- group robots (企业微信, 钉钉) -------------------------------------------


def robots_of(owners: Iterable) -> list[GroupRobot]:
    """The active robots connected by any of ``owners`` (model instances:
    a workroom, a department). One query per model of owner."""
    by_type: dict = {}
    for owner in owners:
        if owner is not None:
            by_type.setdefault(ContentType.objects.get_for_model(owner), set()).add(owner.pk)
    found: list[GroupRobot] = []
    for ct, ids in by_type.items():
        found += GroupRobot.objects.filter(owner_type=ct, owner_id__in=ids, is_active=True)
    return found


def announce(*, owners: Iterable, event: str, title: str, url: str = "", when: datetime | None = None,
             key: str = "") -> list[RobotDelivery]:
    """Tell the group robots of ``owners`` that chose ``event``: one delivery
    each, sent by the background worker once the caller's transaction
    commits. Callers pass only what a group may read: a title without
    anyone's scores or objections, a time, a link into the system (which
    checks who may see what). ``key`` makes it idempotent per robot."""
    event = RobotEvent(event)
    robots = [r for r in robots_of(owners) if event in r.events]
    if key:
        already = set(RobotDelivery.objects.filter(dedupe_key=key, robot__in=robots).values_list("robot_id", flat=True))
        robots = [r for r in robots if r.pk not in already]
    if not robots:
        return []
    created = RobotDelivery.objects.bulk_create([
        RobotDelivery(robot=r, event=event, title=title[:200], url=url[:300], when=when, dedupe_key=key[:120])
        for r in robots
    ])
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: _enqueue_robot_messages(ids))
    return created


def robot_test_send(*, robot: GroupRobot) -> RobotDelivery:
    """发送测试消息: one delivery to ``robot`` whatever events it chose."""
    delivery = RobotDelivery.objects.create(
        robot=robot, event=RobotDelivery.TEST, title=f"{robot.name}：测试消息，收到即表示连接成功",
        when=timezone.now(), url="/",
    )
    transaction.on_commit(lambda: _enqueue_robot_messages([delivery.pk]))
    return delivery


def _enqueue_robot_messages(delivery_ids: list[int]) -> None:
    for did in delivery_ids:
        try:
            send_robot_message.delay(did)
        except Exception as exc:  # broker down: the delivery shows why, the action stands
            log.exception("could not queue robot message %s", did)
            RobotDelivery.objects.filter(pk=did, status=RobotDelivery.Status.QUEUED).update(
                status=RobotDelivery.Status.FAILED, error=f"无法加入发送队列：{exc}"[:300]
            )
