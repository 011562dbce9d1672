"""Documents when something they depend on fails: the broker cannot take a
task (the job is shown failed with a retry, never a 500), a job queued too
long can be sent again, the database refuses progress updates (the batch
goes on), the verification page without Redis. The same against a real
worker and a stopped Redis: ``test_outages``."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from archives import jobs, services, tasks
from archives.models import Certificate, Job
from archives.selectors import certificate_candidates
from tests.conftest import pdftotext

ANON = "anonymous"
NOT_SENT = "后台任务服务暂时不可用，任务未能开始"


@pytest.fixture
def broker_down():
    """Publishing a task fails as it does when Redis cannot be reached."""
    error = BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(tasks.job_run, "delay", side_effect=error) as delay:
        yield delay


def _requests(member, workroom, completed_workroom):
    teachers = [m.teacher.pk for m in certificate_candidates(workroom=completed_workroom, kind="training")]
    return {
        "handbook": (f"/archives/people/{member.teacher.pk}/handbook/", {}),
        "report": (f"/archives/workrooms/{workroom.pk}/report/", {"year": "2025"}),
        "certificates": (
            f"/archives/certificates/issue/?workroom={completed_workroom.pk}&kind=training",
            {"recipients": teachers},
        ),
    }


@pytest.mark.parametrize("what", ["handbook", "report", "certificates"])
def test_a_document_asked_for_while_the_broker_is_down_is_shown_failed_with_a_retry(
    client, office, member, completed_workroom, broker_down, what, django_capture_on_commit_callbacks
):
    url, data = _requests(member, completed_workroom, completed_workroom)[what]
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, data)
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    assert broker_down.call_count == 1
    assert job.status == Job.Status.FAILED and NOT_SENT in job.error and job.finished_at
    body = client.get(r["Location"]).content.decode()
    assert NOT_SENT in body and 'id="job-retry"' in body


def test_a_retry_while_the_broker_is_still_down_keeps_the_job_failed_with_its_retry(
    client, member, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/archives/people/{member.teacher.pk}/handbook/")
    job = Job.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/archives/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and NOT_SENT in job.error and broker_down.call_count == 2
    body = client.get(f"/archives/jobs/{job.pk}/").content.decode()
    assert NOT_SENT in body and 'id="job-retry"' in body


def test_once_the_broker_is_back_the_retry_runs_the_job(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with mock.patch.object(tasks.job_run, "delay", side_effect=BrokerError("down")):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/archives/people/{member.teacher.pk}/handbook/")
    job = Job.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process here
        r = client.post(f"/archives/jobs/{job.pk}/retry/", follow=True)
    assert "已重新提交" in r.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.error == ""
    assert member.teacher.name in pdftotext(job.result.file.path)


# --- jobs queued too long ---------------------------------------------------------------


@pytest.fixture
def queued_job(teacher):
    return Job.objects.create(kind=Job.Kind.HANDBOOK, title="李堃成长手册", requested_by=teacher.user,
                              params={"teacher_id": teacher.pk}, total=1)


def _age(job, seconds):
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(seconds=seconds))


@pytest.fixture
def persona(request, admin, office, leader, teacher, host, member, outsider):
    if request.param == ANON:
        return None
    return {"office": office, "leader": leader, "teacher": teacher.user, "host": host, "member": member,
            "outsider": outsider, "admin": admin}[request.param]


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 404), ("leader", 404), ("member", 404), ("teacher", 302), ("office", 302)],
    indirect=["persona"],
)
def test_only_the_requester_and_the_office_send_a_stale_job_again(
    client, queued_job, persona, code, django_capture_on_commit_callbacks
):
    _age(queued_job, settings.JOB_STALE_AFTER + 60)
    if persona is not None:
        client.force_login(persona)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(f"/archives/jobs/{queued_job.pk}/retry/")
    before = queued_job.queued_at
    queued_job.refresh_from_db()
    if code == "login":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    else:
        assert r.status_code == code
    if code == 302 and persona is not None:
        assert len(callbacks) == 1 and queued_job.status == Job.Status.QUEUED
        assert queued_job.queued_at > before
    else:
        assert not callbacks and queued_job.queued_at < timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER)


def test_the_page_of_a_job_queued_too_long_offers_a_retry(client, teacher, queued_job):
    client.force_login(teacher.user)
    assert 'id="job-retry"' not in client.get(f"/archives/jobs/{queued_job.pk}/").content.decode()
    assert client.get(f"/archives/jobs/{queued_job.pk}/status/").json()["can_retry"] is False
    _age(queued_job, settings.JOB_STALE_AFTER + 1)
    body = client.get(f"/archives/jobs/{queued_job.pk}/").content.decode()
    assert 'id="job-retry"' in body and "排队已久" in body
    assert client.get(f"/archives/jobs/{queued_job.pk}/status/").json()["can_retry"] is True


def test_a_job_queued_a_moment_ago_cannot_be_sent_twice(client, teacher, queued_job, django_capture_on_commit_callbacks):
    _age(queued_job, settings.JOB_STALE_AFTER - 30)
    client.force_login(teacher.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(f"/archives/jobs/{queued_job.pk}/retry/", follow=True)
    assert "只有失败的任务或排队过久的任务可以重试" in r.content.decode()
    assert not callbacks


# --- the database refusing writes for a while ----------------------------------------------


class RefuseJobUpdates:
    """``connection.execute_wrapper``: UPDATEs of a job row that begin
    with ``SET "<field>"`` fail as they do while PostgreSQL is unreachable."""

    def __init__(self, *fields):
        self.prefixes = tuple(f'UPDATE "{Job._meta.db_table}" SET "{field}"' for field in fields)
        self.refused = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith(self.prefixes):
            self.refused += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_a_batch_goes_on_when_its_progress_cannot_be_recorded(completed_workroom, office, settings):
    settings.CERTIFICATE_CHUNK_SIZE = 10
    teachers = [m.teacher for m in certificate_candidates(workroom=completed_workroom, kind="training")]
    with mock.patch.object(tasks.job_run, "delay"):
        job = services.certificates_batch_request(workroom=completed_workroom, kind="training", teachers=teachers,
                                                  actor=office)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    refuse = RefuseJobUpdates("done")  # progress
    with connection.execute_wrapper(refuse):
        jobs.render_certificates(job_id=job.pk, teacher_ids=[t.pk for t in teachers])
    assert refuse.refused == 2  # one progress update per certificate
    assert Certificate.objects.filter(file__isnull=False).count() == 2
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result.original_name.endswith(".zip")


def test_a_retry_is_not_lost_when_its_bookkeeping_cannot_be_written(member):
    job = Job.objects.create(kind=Job.Kind.HANDBOOK, title="张昇成长手册", requested_by=member, status=Job.Status.RUNNING,
                             params={"teacher_id": member.teacher.pk}, total=1)
    refuse = RefuseJobUpdates("status")  # what job_waiting_retry and job_fail write
    with connection.execute_wrapper(refuse):
        tasks.job_run.on_retry(OperationalError("down"), "task-id", (job.pk,), {}, None)  # raises nothing
        tasks.job_run.on_failure(OperationalError("down"), "task-id", (job.pk,), {}, None)
    assert refuse.refused == 2
    tasks.job_run.on_retry(OperationalError("down"), "task-id", (job.pk,), {}, None)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "将自动重试" in job.error


def test_automatic_retries_outlast_a_short_database_outage():
    task = tasks.job_run
    countdowns = [
        get_exponential_backoff_interval(task.retry_backoff, n, task.retry_backoff_max, task.retry_jitter)
        for n in range(task.max_retries)
    ]
    assert countdowns[:3] == [2, 4, 8]
    assert sum(countdowns) >= 120  # a 20-second outage ends well before the last retry
    # a retry waits out its countdown in the worker before it runs: together
    # less than the time after which Redis hands the message to another worker
    assert max(countdowns) + task.time_limit <= settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


# --- the verification page without Redis ------------------------------------------------------


def test_the_verification_page_answers_while_redis_is_down(client, completed_workroom, office, member, settings):
    cert, _ = services.certificate_issue(kind="training", recipient=member.teacher, workroom=completed_workroom,
                                         actor=office)
    # a Redis nobody listens on: port 1 of loopback refuses at once
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    r = client.get(f"/archives/verify/{cert.serial}/{cert.check_code}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "证书真实有效" in body and member.teacher.name in body
    assert client.get(f"/archives/verify/2099-PX-123456/{cert.check_code}/").status_code == 404
