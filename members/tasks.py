"""Background tasks of the members app: thin adapters that take ids."""

import smtplib

from celery import shared_task

from . import notifications


@shared_task(
    bind=True, autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, retry_backoff_max=3600,
    max_retries=6, retry_jitter=True, soft_time_limit=60, time_limit=90,
)
def send_notification_email(self, notification_id: int) -> bool:
    """E-mail one notification; retried with backoff if the mail server fails."""
    return notifications.notification_email_send(notification_id=notification_id)


@shared_task(soft_time_limit=300, time_limit=360)
def send_reminders() -> int:
    """Daily reminders (deadline within 7 days etc.); scheduled by Celery beat,
    the schedule is a PeriodicTask editable in the admin."""
    return notifications.reminders_send()
