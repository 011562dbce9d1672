"""The job system against a real Celery worker on Redis (transactional: the
worker reads what the test committed)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from archives import services
from archives.models import Certificate, Job, SerialCounter
from archives.selectors import certificate_candidates
from archives.tasks import job_run
from core.models import StoredFile
from tests.archives.conftest import wait_for
from tests.conftest import pdftotext

pytestmark = pytest.mark.worker


def _statuses_until_finished(job, timeout=90):
    seen = []

    def finished():
        job.refresh_from_db()
        if not seen or seen[-1] != job.status:
            seen.append(job.status)
        return job.status in (Job.Status.DONE, Job.Status.FAILED)

    wait_for(finished, timeout=timeout, interval=0.05, message=f"job {job.pk}")
    return seen


def _worker_idle() -> bool:
    from config.celery import app

    with app.connection_for_write() as conn:
        queued = conn.default_channel.client.llen("celery")
    inspect = app.control.inspect(timeout=0.5)
    busy = [t for tasks in (inspect.active() or {}).values() for t in tasks]
    busy += [t for tasks in (inspect.reserved() or {}).values() for t in tasks]
    return queued == 0 and not busy


def _batch(workroom, kind, office):
    teachers = [m.teacher for m in certificate_candidates(workroom=workroom, kind=kind)]
    return services.certificates_batch_request(workroom=workroom, kind=kind, teachers=teachers, actor=office)


def test_a_job_goes_from_queued_through_running_to_done(worker, completed_workroom, office):
    job = _batch(completed_workroom, "training", office)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    seen = _statuses_until_finished(job)
    assert seen[-1] == Job.Status.DONE, job.error
    assert set(seen) <= {Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.DONE}
    assert job.attempts == 1 and job.started_at and job.finished_at and (job.done, job.total) == (2, 2)
    assert job.result.original_name.endswith(".zip")
    for cert in Certificate.objects.all():
        assert cert.serial in pdftotext(cert.file.file.path)


def test_a_task_that_fails_once_succeeds_on_retry(worker, completed_workroom, office):
    # The certificate's file cannot be written on the first attempt: a
    # directory stands where the PDF goes (as a full or broken disk would).
    serial = f"{timezone.localdate().year}-MB-000001"
    blocker = Path(settings.MEDIA_ROOT) / "generated" / "certificates" / f"{serial}.pdf"
    blocker.unlink(missing_ok=True)  # left by an earlier test on a database since emptied
    blocker.mkdir(parents=True)
    (blocker / "keep").write_bytes(b"")  # not empty: the storage cannot remove it either
    try:
        job = _batch(completed_workroom, "title", office)

        def failed_once():
            job.refresh_from_db()
            return job.attempts >= 1 and "将自动重试" in job.error

        wait_for(failed_once, timeout=60, interval=0.05, message="first failure")
        assert job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
    finally:
        shutil.rmtree(blocker)
    seen = _statuses_until_finished(job)
    assert seen[-1] == Job.Status.DONE
    assert job.attempts == 2 and job.error == ""
    cert = Certificate.objects.get()
    assert cert.serial == serial and cert.file_id == job.result_id
    assert "王喆" in pdftotext(job.result.file.path)


def test_duplicated_tasks_do_not_duplicate_serials(worker, completed_workroom, office):
    job = _batch(completed_workroom, "training", office)
    for _ in range(3):  # the same message delivered again, as after a lost ack
        job_run.delay(job.pk)
    _statuses_until_finished(job)
    wait_for(_worker_idle, timeout=30, message="duplicates consumed")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    certs = Certificate.objects.all()
    assert certs.count() == 2
    year = timezone.localdate().year
    assert SerialCounter.objects.get(prefix=f"{year}-PX").last == 2
    # one stored file per certificate plus the zip, each written once
    assert StoredFile.objects.count() == 3
    assert sorted(StoredFile.objects.values_list("file", flat=True)) == sorted(
        [f"generated/certificates/{c.serial}.pdf" for c in certs] + [f"generated/jobs/{job.pk}/certificates.zip"]
    )
    assert not list(Path(settings.MEDIA_ROOT, "generated").rglob(".tmp-*"))


def test_a_large_batch_is_shared_in_chunks_and_finishes_once(worker, completed_workroom, office, settings):
    from tests import factories as f

    joined = [f.MembershipFactory(workroom=completed_workroom).teacher for _ in range(11)]
    f.attended(completed_workroom, joined)  # the hours a 培训合格证书 asks for
    job = _batch(completed_workroom, "training", office)
    assert job.total == 13
    _statuses_until_finished(job, timeout=120)
    assert job.status == Job.Status.DONE and job.done == 13
    assert Certificate.objects.filter(file__isnull=False).count() == 13


def test_a_failed_job_resumes_without_redoing_finished_work(worker, completed_workroom, office):
    job = _batch(completed_workroom, "training", office)
    _statuses_until_finished(job)
    first = dict(Certificate.objects.values_list("serial", "file_id"))
    # as if the worker had died before zipping: the job failed, its files stay
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="生成失败", result=None)
    job.refresh_from_db()
    services.job_retry(job=job, actor=office)
    _statuses_until_finished(job)
    assert job.status == Job.Status.DONE and job.result is not None
    assert dict(Certificate.objects.values_list("serial", "file_id")) == first


def test_the_verification_page_for_certificates_the_worker_issued(worker, client, completed_workroom, office):
    job = _batch(completed_workroom, "training", office)
    _statuses_until_finished(job)
    genuine, revoked = Certificate.objects.order_by("serial")
    services.certificate_revoke(certificate=revoked, actor=office, reason="信息有误")
    body = client.get(f"/archives/verify/{genuine.serial}/{genuine.check_code}/").content.decode()
    assert "证书真实有效" in body and genuine.recipient_name in body
    body = client.get(f"/archives/verify/{revoked.serial}/{revoked.check_code}/").content.decode()
    assert "撤销" in body and "证书真实有效" not in body
    r = client.get("/archives/verify/2099-PX-123456/ABCDEFGHJK/")
    assert r.status_code == 404 and "未找到" in r.content.decode()


def _worker_children(pid: int) -> list[int]:
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


def test_a_worker_killed_mid_batch_leaves_the_batch_to_resume(worker, completed_workroom, office):
    import os
    import signal

    from tests import factories as f

    joined = [f.MembershipFactory(workroom=completed_workroom).teacher for _ in range(28)]
    f.attended(completed_workroom, joined)  # the hours a 培训合格证书 asks for
    job = _batch(completed_workroom, "training", office)
    assert job.total == 30

    def some_done():
        job.refresh_from_db()
        return job.done >= 3

    wait_for(some_done, timeout=90, interval=0.05, message="first certificates")
    for child in _worker_children(worker.pid):
        os.kill(child, signal.SIGKILL)  # the pool replaces them; their messages go back to the queue
    _statuses_until_finished(job, timeout=180)
    assert job.status == Job.Status.DONE, job.error
    year = timezone.localdate().year
    assert Certificate.objects.count() == 30
    assert Certificate.objects.filter(file__isnull=True).count() == 0
    assert SerialCounter.objects.get(prefix=f"{year}-PX").last == 30, "no serial taken twice"


def _worker_backends() -> set[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def test_the_worker_keeps_its_database_connections_between_tasks(worker, completed_workroom, office):
    def run(kind):
        job = _batch(completed_workroom, kind, office)
        assert _statuses_until_finished(job)[-1] == Job.Status.DONE

    run("training")
    wait_for(_worker_idle, timeout=30, message="worker idle")
    first = _worker_backends()
    run("title")
    run("training")
    wait_for(_worker_idle, timeout=30, message="worker idle")

    assert first, "a worker process that finished a task still has its connection"
    assert first <= _worker_backends(), "the same connections served the later tasks"
