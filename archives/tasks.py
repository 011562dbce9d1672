"""Celery tasks: thin adapters that take ids and call ``archives.jobs``.

Acknowledged late (a message whose worker dies is delivered again), retried
with exponential backoff up to ``JOB_MAX_RETRIES`` (2, 4, 8 … seconds, at
most ``JOB_RETRY_BACKOFF_MAX``: together longer than a short outage of the
database), bounded by time limits. The job row says what happened; the user
never sees a traceback."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from archives import jobs, services
from archives.errors import JobError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    if isinstance(exc, JobError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return "生成超时，请缩小范围后重试。"
    return f"生成失败（{type(exc).__name__}），请稍后重试；多次失败请联系管理员。"


class JobTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (Exception,)
    dont_autoretry_for = (JobError,)
    max_retries = settings.JOB_MAX_RETRIES
    retry_backoff = 2
    retry_backoff_max = settings.JOB_RETRY_BACKOFF_MAX
    retry_jitter = False
    soft_time_limit = 300
    time_limit = 360

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        error = f"第{self.request.retries + 1}次尝试未成功：{describe(exc)} 将自动重试。"
        log.warning("job %s: attempt %s failed, retrying", args[0], self.request.retries + 1, exc_info=exc)
        self._record(services.job_waiting_retry, job_id=args[0], error=error)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        log.error("job %s failed", args[0], exc_info=exc)
        self._record(services.job_fail, job_id=args[0], error=describe(exc))

    def _record(self, write, **kwargs) -> None:
        """Write what happened to the job row. When the attempt failed
        because the database went away, its connection is broken: drop it
        first (in a worker; a task run in-process leaves its caller's
        connection alone). If the database is still down the row keeps its
        last status (the retry that follows, or a user's retry of a stale
        job, moves it on); the retry itself must not be lost to a failing write."""
        if not getattr(self.request, "is_eager", False) and not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        try:
            with transaction.atomic():
                write(**kwargs)
        except DatabaseError:
            log.warning("could not record the state of job %s", kwargs["job_id"], exc_info=True)


@shared_task(base=JobTask, bind=True)
def job_run(self, job_id: int) -> None:
    """Run (or resume) the job ``job_id``."""
    jobs.job_execute(job_id=job_id)


@shared_task(base=JobTask, bind=True)
def certificates_render(self, job_id: int, teacher_ids: list[int]) -> None:
    """Issue and render one chunk of a certificate batch."""
    jobs.render_certificates(job_id=job_id, teacher_ids=teacher_ids)
