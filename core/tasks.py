"""Background tasks of notifications: thin adapters that take ids. Their
names stay the ones the beat schedule and queued messages already use."""

import smtplib

from celery import shared_task
from django.conf import settings

from core import logins, notify, robots


# Backoff at most settings.CELERY_RETRY_COUNTDOWN_MAX: a longer countdown would
# outlast the broker's visibility timeout and the e-mail be delivered twice.
@shared_task(
    name="members.tasks.send_notification_email", bind=True, autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30,
    retry_backoff_max=settings.CELERY_RETRY_COUNTDOWN_MAX,
    max_retries=6, retry_jitter=True, soft_time_limit=60, time_limit=90,
)
def send_notification_email(self, notification_id: int) -> bool:
    """E-mail one notification; retried with backoff if the mail server fails."""
    return notify.notification_email_send(notification_id=notification_id)


@shared_task(name="members.tasks.send_reminders", soft_time_limit=300, time_limit=360)
def send_reminders() -> int:
    """Daily reminders (deadline within 7 days etc.); scheduled by Celery beat,
    the schedule is a PeriodicTask editable in the admin."""
    return notify.reminders_send()


@shared_task(name="core.tasks.send_robot_message", bind=True, max_retries=5, soft_time_limit=30, time_limit=60)
def send_robot_message(self, delivery_id: int) -> bool:
    """Post one group-robot message; what may pass (5xx, rate limit, network)
    is retried with exponential backoff, and the last failure is recorded
    with its reason on the delivery."""
    try:
        return robots.delivery_send(delivery_id=delivery_id, final=self.request.retries >= self.max_retries)
    except robots.DeliveryRetry as exc:
        raise self.retry(exc=exc, countdown=robots.retry_countdown(self.request.retries)) from exc


@shared_task(name="core.tasks.purge_login_records", soft_time_limit=300, time_limit=360)
def purge_login_records() -> int:
    """Delete sign-in records older than LOGIN_RECORD_RETENTION_DAYS;
    scheduled daily by Celery beat (a PeriodicTask editable in the admin)."""
    return logins.login_records_purge()
