"""The scheduled reminder task and the e-mail task on a real Celery worker
(Redis broker), as the beat schedule runs them."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification, NotificationKind

pytestmark = pytest.mark.worker


@pytest.fixture
def real_worker(transactional_db, settings):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.loader.import_default_modules()
    # The worker process of the document tests (if the session started one)
    # stops taking tasks while this in-process worker runs, so the e-mails
    # are sent here, where the test reads the outbox.
    app.control.cancel_consumer("celery", reply=True, timeout=2)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.task_always_eager = True
        app.control.add_consumer("celery", reply=True, timeout=2)


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_the_worker_sends_the_reminders_and_their_emails(real_worker, workroom, host):
    from core.tasks import send_reminders

    host.email = "host@example.cn"
    host.save()
    workroom.cycle_end = timezone.localdate() + timedelta(days=3)
    workroom.save()
    send_reminders.delay()
    assert wait_for(lambda: Notification.objects.filter(user=host, kind=NotificationKind.DEADLINE).exists())
    assert wait_for(lambda: Notification.objects.filter(user=host, emailed_at__isnull=False).exists())
    assert [m.to for m in mail.outbox] == [["host@example.cn"]]
