"""Documents when the broker (Redis) is down: asking for one answers with
the job page, never a 500; the job is shown failed with a retry button, and
the retry is run by the worker once Redis is back. This test owns its Redis
server (started on a free port, stopped and started again), so the shared
one and the session's worker are not disturbed."""

import contextlib
import socket
import subprocess

import kombu.pools
import pytest
import redis

from archives.models import Job
from tests.archives.conftest import running_worker, wait_for
from tests.conftest import pdftotext

pytestmark = pytest.mark.worker


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on loopback, without persistence."""

    def __init__(self, directory):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.proc = None

    def _ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._ping, timeout=20, message="redis-server up")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)
        assert not self._ping()


@contextlib.contextmanager
def _app_broker(url: str):
    """Send this test's tasks to ``url`` (the app's connection pools are
    dropped so that they reconnect there), and back afterwards."""
    from config.celery import app

    def switch(to):
        kombu.pools.reset()  # closes and forgets every pooled connection
        app.conf.broker_url = to
        app._after_fork()  # the app forgets its pools too: new ones connect to ``to``

    before = app.conf.broker_url
    switch(url)
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        switch(before)


@pytest.fixture(scope="module")
def module_redis(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


@pytest.fixture(scope="module")
def own_worker(module_redis, django_db_setup, django_db_blocker, tmp_path_factory):
    log = tmp_path_factory.mktemp("outage-worker") / "worker.log"
    with _app_broker(module_redis.url), running_worker(redis_url=module_redis.url, log=log) as proc:
        yield proc


@pytest.fixture
def redis_server(module_redis, own_worker, transactional_db):
    """The test's Redis, running again after the test whatever it did."""
    yield module_redis
    if module_redis.proc.poll() is not None:
        module_redis.start()


def test_a_handbook_asked_for_while_redis_is_down_can_be_retried_once_it_is_back(
    redis_server, client, member
):
    client.force_login(member)
    redis_server.stop()

    r = client.post(f"/archives/people/{member.teacher.pk}/handbook/", follow=True)

    assert r.status_code == 200
    job = Job.objects.get()
    assert r.redirect_chain == [(f"/archives/jobs/{job.pk}/", 302)]
    body = r.content.decode()
    assert job.status == Job.Status.FAILED
    assert "后台任务服务暂时不可用，任务未能开始" in body and 'id="job-retry"' in body

    redis_server.start()
    r = client.post(f"/archives/jobs/{job.pk}/retry/", follow=True)
    assert "已重新提交" in r.content.decode()

    def finished():
        job.refresh_from_db()
        return job.status in (Job.Status.DONE, Job.Status.FAILED)

    wait_for(finished, timeout=120, message="handbook job")
    assert job.status == Job.Status.DONE, job.error
    assert job.attempts == 1
    text = pdftotext(job.result.file.path)
    assert "个人信息" in text and member.teacher.name in text


def test_a_retry_asked_for_while_redis_is_still_down_says_so(redis_server, client, member):
    client.force_login(member)
    redis_server.stop()
    r = client.post(f"/archives/people/{member.teacher.pk}/handbook/", follow=True)
    job = Job.objects.get()

    r = client.post(f"/archives/jobs/{job.pk}/retry/", follow=True)

    assert r.status_code == 200
    assert "后台任务服务暂时不可用" in r.content.decode() and "已重新提交" not in r.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 0
