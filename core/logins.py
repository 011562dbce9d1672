"""The record of sign-ins, failed sign-ins and sign-outs: django-axes' access
logs (with the address from ``core.client``), shown in the admin and kept
for ``LOGIN_RECORD_RETENTION_DAYS``."""

from datetime import timedelta

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone


def login_records_purge(*, now=None) -> int:
    """Delete sign-in records older than LOGIN_RECORD_RETENTION_DAYS; returns
    how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
    deleted, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failed, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted + failed
