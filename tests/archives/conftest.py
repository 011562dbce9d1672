"""Fixtures for documents: a completed workroom with its people, a real
Celery worker on Redis for the ``worker`` tests."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories as f
from workrooms.models import Workroom
from workrooms.selection.models import Membership

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def completed_workroom(workroom, member):
    """王喆's workroom, completed: 张昇 active, 李堃 completed, 钱退 withdrawn;
    张昇 and 李堃 attended the 30 training hours a 培训合格证书 asks for."""
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    workroom.refresh_from_db()
    li = f.MembershipFactory(
        workroom=workroom, teacher=f.TeacherFactory(name="李堃", school=workroom.school), status=Membership.Status.COMPLETED
    )
    f.MembershipFactory(
        workroom=workroom, teacher=f.TeacherFactory(name="钱退", school=workroom.school), status=Membership.Status.WITHDRAWN
    )
    f.attended(workroom, [member.teacher, li.teacher])
    return workroom


def wait_for(predicate, *, timeout=60.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def _database_url(db: dict) -> str:
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def running_worker(*, redis_url: str, log: Path, purge: bool = True, **env_overrides):
    """A real worker (``celery -A config worker``) on the test database, the
    test media folder and the Redis at ``redis_url``; the app (which sends
    the tasks) must already use that broker."""
    from django.db import connection

    from config.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": settings.SITE_URL,
        "DATABASE_CONN_MAX_AGE": "60",  # as in production: connections outlive a task
        **env_overrides,
    }
    if purge:  # tasks left over from earlier tests
        app.control.purge()
    cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=2",
           "--without-mingle", "--without-gossip", "-l", "warning", "-n", f"test-{os.getpid()}-{log.parent.name}@%h"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: proc.poll() is not None or app.control.ping(timeout=0.5), timeout=60, message="worker ping")
        if proc.poll() is not None:
            raise RuntimeError("worker did not start:\n" + log.read_text())
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker on the configured Redis for this test; tasks go to it
    (rows must be committed). One worker per test: a worker keeps the ids
    of content types it has read, and the flush after each transactional
    test creates them again under new ids."""
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        with running_worker(redis_url=settings.REDIS_URL, log=tmp_path / "worker.log") as proc:
            yield proc
    finally:
        app.conf.task_always_eager = True
