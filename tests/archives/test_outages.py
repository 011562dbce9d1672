"""Documents when what they depend on fails, against a real worker: Redis
down when a report is asked for, PostgreSQL stopped in the middle of a
certificate batch, the whole worker killed in the middle of a batch.

The tests own the servers they stop: a redis-server and a PostgreSQL
cluster of their own on free loopback ports (``owned_servers``); this
process's tasks and default database point at them for the module, so the
shared servers and the session's worker are not disturbed. Every wait has a
deadline and waits for what the test checks."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from archives import services
from archives.models import Certificate, Job, SerialCounter
from archives.selectors import certificate_candidates
from core.models import StoredFile
from tests import factories as f
from tests.archives.conftest import _database_url, running_worker, wait_for
from tests.archives.owned_servers import PostgresCluster, RedisServer, app_broker, default_database_at
from tests.conftest import pdftotext

pytestmark = pytest.mark.worker


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


@pytest.fixture(scope="module")
def own_postgres(django_db_setup):
    """A cluster of the module's own with a copy of the test database, which
    this process's default connection uses meanwhile."""
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.copy_database(_database_url(connection.settings_dict), "faults")
        with default_database_at(cluster.settings("faults")):
            yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def own_broker(own_redis):
    with app_broker(own_redis.url):
        yield own_redis


@pytest.fixture
def servers(own_postgres, own_broker, transactional_db):
    """Both servers, running again after the test whatever it did."""
    yield own_postgres, own_broker
    if own_broker.proc.poll() is not None:
        own_broker.start()
    if not own_postgres.ready():
        own_postgres.start()
    connection.close()


@pytest.fixture
def start_worker(servers, tmp_path):
    """``start_worker(**env)`` starts a real worker on the owned servers;
    every worker started is stopped after the test."""
    stack = []

    def start(**env):
        cm = running_worker(redis_url=servers[1].url, log=tmp_path / f"worker-{len(stack)}.log", **env)
        proc = cm.__enter__()
        stack.append(cm)
        return proc

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


def _refreshed(obj) -> bool:
    """Read ``obj`` again; False while the database cannot be reached."""
    try:
        obj.refresh_from_db()
        return True
    except OperationalError:
        connection.close()
        return False


def _worker_answers() -> bool:
    from kombu.exceptions import OperationalError as BrokerError

    from config.celery import app

    try:
        return bool(app.control.ping(timeout=0.5))
    except BrokerError:
        return False


def _finished(job) -> bool:
    return _refreshed(job) and job.status in (Job.Status.DONE, Job.Status.FAILED)


def _batch(workroom, office, size):
    joined = [f.MembershipFactory(workroom=workroom).teacher for _ in range(size - 2)]
    f.attended(workroom, joined)  # the hours a 培训合格证书 asks for
    teachers = [m.teacher for m in certificate_candidates(workroom=workroom, kind="training")]
    assert len(teachers) == size
    return services.certificates_batch_request(workroom=workroom, kind="training", teachers=teachers, actor=office)


def _each_recipient_once(job, size):
    assert job.status == Job.Status.DONE, job.error
    assert (job.done, job.total) == (size, size)
    assert Certificate.objects.count() == size
    assert Certificate.objects.values("recipient").distinct().count() == size
    assert not Certificate.objects.filter(file__isnull=True).exists()
    assert SerialCounter.objects.get(prefix=f"{timezone.localdate().year}-PX").last == size, "no serial taken twice"
    assert StoredFile.objects.count() == size + 1  # one PDF per certificate and the zip
    assert job.result.original_name.endswith(".zip")


# --- Redis down when a document is asked for ---------------------------------------------


def _ask(client, what, member, workroom):
    if what == "report":
        return client.post(f"/archives/workrooms/{workroom.pk}/report/", {"year": "2025"}, follow=True)
    return client.post(f"/archives/people/{member.teacher.pk}/handbook/", follow=True)


@pytest.mark.parametrize("what", ["report", "handbook"])
def test_a_document_asked_for_while_redis_is_down_is_sent_again_once_it_is_back(
    servers, start_worker, client, office, member, completed_workroom, settings, what
):
    pg, redis_server = servers
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_server.url}}
    cert, _ = services.certificate_issue(kind="training", recipient=member.teacher, workroom=completed_workroom,
                                         actor=office)
    start_worker()
    client.force_login(office)
    redis_server.stop()

    r = _ask(client, what, member, completed_workroom)

    assert r.status_code == 200
    job = Job.objects.get()
    assert r.redirect_chain == [(f"/archives/jobs/{job.pk}/", 302)]
    body = r.content.decode()
    assert job.status == Job.Status.FAILED
    assert "后台任务服务暂时不可用，任务未能开始" in body and 'id="job-retry"' in body
    # the public verification page answers meanwhile (its rate limit lives in Redis)
    r = client.get(f"/archives/verify/{cert.serial}/{cert.check_code}/")
    assert r.status_code == 200 and "证书真实有效" in r.content.decode()

    # a retry while Redis is still down says so and keeps the retry
    r = client.post(f"/archives/jobs/{job.pk}/retry/", follow=True)
    assert r.status_code == 200
    assert "后台任务服务暂时不可用" in r.content.decode() and "已重新提交" not in r.content.decode()

    redis_server.start()
    # the worker reconnects on its own schedule (2, 4, 6 … s) and declares its
    # queue again in the new, empty Redis; a task sent before that has no route
    wait_for(_worker_answers, timeout=60, message="the worker back on Redis")
    r = client.post(f"/archives/jobs/{job.pk}/retry/", follow=True)
    assert "已重新提交" in r.content.decode()
    wait_for(lambda: _finished(job), timeout=60, message=f"{what} job")
    assert job.status == Job.Status.DONE, job.error
    assert job.attempts == 1
    text = pdftotext(job.result.file.path)
    assert (completed_workroom.name if what == "report" else member.teacher.name) in text.replace(" ", "")


# --- PostgreSQL stopped in the middle of a batch -------------------------------------------

OUTAGE = 20  # seconds


def test_a_batch_resumes_after_the_database_was_stopped_and_finishes_each_recipient_once(
    servers, start_worker, completed_workroom, office
):
    pg, _ = servers
    size = 40
    # chunks of 5 shared by the pool; retries 2, 4, 8, 8, 8, 8 s apart (38 s in all)
    start_worker(CERTIFICATE_CHUNK_SIZE="5", JOB_RETRY_BACKOFF_MAX="8")
    job = _batch(completed_workroom, office, size)
    wait_for(lambda: _refreshed(job) and job.done >= 3, timeout=60, interval=0.05, message="first certificates")

    pg.stop()
    stopped = time.monotonic()
    assert job.status != Job.Status.DONE and job.done < size, "the outage began before the batch ended"
    wait_for(lambda: time.monotonic() - stopped >= OUTAGE, timeout=OUTAGE + 5, message="the outage")
    pg.start()

    wait_for(lambda: _finished(job), timeout=90, message="the batch after the outage")
    _each_recipient_once(job, size)
    assert job.attempts >= 1


# --- the whole worker killed in the middle of a batch ---------------------------------------


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def test_the_chunks_of_a_killed_worker_come_back_and_finish_once(servers, start_worker, completed_workroom, office):
    size = 20
    # Redis hands a message taken by a worker that vanished to another one
    # after the visibility timeout (in production the longest task plus the
    # longest retry wait; here 10 s)
    options = {"CERTIFICATE_CHUNK_SIZE": "5", "CELERY_VISIBILITY_TIMEOUT": "10"}
    first = start_worker(**options)
    job = _batch(completed_workroom, office, size)
    wait_for(lambda: _refreshed(job) and job.done >= 3, timeout=60, interval=0.05, message="first certificates")

    pool = _children(first.pid)
    os.kill(first.pid, signal.SIGKILL)  # the whole worker, as when its machine is lost
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    first.wait(10)
    job.refresh_from_db()
    assert job.status != Job.Status.DONE and job.done < size, "the worker died before the batch ended"

    start_worker(purge=False, **options)  # what the queue holds is the batch's
    wait_for(lambda: _finished(job), timeout=90, message="the batch after the worker was killed")
    _each_recipient_once(job, size)
