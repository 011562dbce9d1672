"""Write operations of the archives app: jobs, generated files, certificates.

Every function takes keyword arguments, runs in one transaction and leaves
side effects (queueing a task) to ``transaction.on_commit``."""

import os
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import Teacher
from workrooms.models import Workroom

from .access import can_issue_certificates
from .models import Certificate, Job, SerialCounter, StoredFile


class JobError(Exception):
    """A job that cannot succeed however often it is retried; the message is
    shown to the user as it is (Chinese)."""


# --- jobs -----------------------------------------------------------------


def _enqueue(job: Job) -> None:
    from .tasks import job_run

    transaction.on_commit(lambda: job_run.delay(job.pk))


@transaction.atomic
def job_create(*, kind: str, title: str, requested_by, params: dict, total: int = 0) -> Job:
    """Record a request for a document and queue its task once committed."""
    job = Job(kind=kind, title=title[:200], requested_by=requested_by, params=params, total=total)
    job.full_clean(exclude=["requested_by"])  # the signed-in user: no need to look it up again
    job.save()
    _enqueue(job)
    return job


@transaction.atomic
def job_retry(*, job: Job, actor) -> Job:
    """Queue a failed job again; what it finished before is kept."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.FAILED:
        raise ValidationError("只有失败的任务可以重试。")
    job.status = Job.Status.QUEUED
    job.error = ""
    job.finished_at = None
    job.save(update_fields=["status", "error", "finished_at"])
    _enqueue(job)
    return job


def job_claim(*, job_id: int) -> Job | None:
    """Mark a job running for one attempt; ``None`` when it is already done
    (a duplicated or late-retried task has nothing to do)."""
    with transaction.atomic():
        job = Job.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=job_id)
        if job.status == Job.Status.DONE:
            return None
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "error"])
    return job


def job_progress(*, job: Job, done: int, total: int | None = None) -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)
    job.done = done
    if total is not None:
        job.total = total


def job_finish(*, job: Job, stored: StoredFile | None) -> Job:
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.result_id is None and stored is not None:
            locked.result = stored
        locked.status = Job.Status.DONE
        locked.done = max(locked.done, locked.total)
        locked.finished_at = timezone.now()
        locked.save(update_fields=["result", "status", "done", "finished_at"])
    return locked


def job_waiting_retry(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(status=Job.Status.QUEUED, error=error)


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


# --- generated files -----------------------------------------------------------


def store_generated(*, key: str, filename: str, content_type: str, user, write) -> StoredFile:
    """Write a generated file at a path fixed by ``key`` and return its row.

    ``write(path)`` writes to a temporary file in the same directory, which
    then replaces the final file in one rename: a retried or duplicated task
    writes the same path, so there is always exactly one complete file."""
    relative = f"generated/{key}"
    final = Path(settings.MEDIA_ROOT) / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    stored = StoredFile.objects.filter(file=relative).first()
    if stored is None:
        stored = StoredFile(original_name=filename, content_type=content_type, uploaded_by=user)
        stored.file.name = relative
    stored.size = final.stat().st_size
    stored.save()
    return stored


# --- certificates -------------------------------------------------------------


def serial_allocate(*, kind: str, year: int) -> str:
    """The next serial such as ``2026-PX-000123``; call inside a transaction.

    The counter row is locked, so two workers never get the same number, and
    numbers only go up: a revoked certificate's serial is never reused."""
    prefix = f"{year}-{Certificate.SERIAL_CODES[kind]}"
    counter = SerialCounter.objects.select_for_update().filter(prefix=prefix).first()
    if counter is None:  # the first serial of the year: create the row, then lock it
        SerialCounter.objects.get_or_create(prefix=prefix)
        counter = SerialCounter.objects.select_for_update().get(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{counter.last:06d}"


def _period(workroom: Workroom, kind: str) -> tuple[date | None, date | None]:
    return workroom.cycle_start, workroom.cycle_end


def certificate_issue(
    *, kind: str, recipient: Teacher, workroom: Workroom, honour: str = "", actor, issued_on: date | None = None
) -> tuple[Certificate, bool]:
    """Issue one certificate, or return the valid one that already exists for
    this recipient, kind, workroom and honour (the natural key of an issue).

    The workroom row is locked while looking and creating, so a duplicated or
    retried batch never takes a second serial for the same issue."""
    if kind == Certificate.Kind.HONOUR and not honour.strip():
        raise ValidationError({"honour": "荣誉证书须填写荣誉称号。"})
    if kind != Certificate.Kind.HONOUR:
        honour = ""
    with transaction.atomic():
        Workroom.objects.select_for_update().filter(pk=workroom.pk).first()
        existing = Certificate.objects.valid().filter(
            kind=kind, recipient=recipient, workroom=workroom, honour=honour.strip()
        ).first()
        if existing:
            return existing, False
        issued_on = issued_on or timezone.localdate()
        start, end = _period(workroom, kind)
        cert = Certificate(
            serial=serial_allocate(kind=kind, year=issued_on.year),
            kind=kind,
            honour=honour.strip(),
            recipient=recipient,
            workroom=workroom,
            recipient_name=recipient.name,
            workroom_name=workroom.name,
            school_name=workroom.school.name,
            period_start=start,
            period_end=end,
            issued_on=issued_on,
            issued_by=actor,
        )
        # The related rows were just loaded and the serial was just taken
        # under lock: validate the fields without querying them again.
        cert.full_clean(
            exclude=["recipient", "workroom", "issued_by", "serial"], validate_unique=False, validate_constraints=False
        )
        cert.save()
    return cert, True


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate: the verification page shows it as revoked from now on."""
    if not can_issue_certificates(actor):
        raise PermissionDenied
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.revoked_at:
        raise ValidationError("该证书已撤销。")
    if not reason.strip():
        raise ValidationError({"revoke_reason": "请填写撤销原因。"})
    cert.revoked_at = timezone.now()
    cert.revoked_by = actor
    cert.revoke_reason = reason.strip()
    cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return cert


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor, reason: str) -> tuple[Certificate, Job]:
    """补发: revoke the old certificate (if still valid), issue a new one with
    a new serial that records what it replaces, and render it in the background."""
    if not can_issue_certificates(actor):
        raise PermissionDenied
    old = Certificate.objects.select_for_update().select_related("recipient", "workroom__school").get(pk=certificate.pk)
    if old.reissues.exists():
        raise ValidationError("该证书已补发过，请对新证书操作。")
    if not old.revoked_at:
        old = certificate_revoke(certificate=old, actor=actor, reason=reason or "补发")
    new, _ = certificate_issue(
        kind=old.kind, recipient=old.recipient, workroom=old.workroom, honour=old.honour, actor=actor
    )
    new.reissue_of = old
    new.save(update_fields=["reissue_of"])
    job = certificates_batch_request(
        workroom=old.workroom, kind=old.kind, teachers=[old.recipient], honour=old.honour, actor=actor,
        title=f"补发{old.get_kind_display()} {old.recipient_name}",
    )
    return new, job


def certificates_batch_request(
    *, workroom: Workroom, kind: str, teachers, honour: str = "", actor, title: str | None = None
) -> Job:
    """Ask the worker to issue and render the certificates of ``teachers``
    (who qualify, see ``selectors.certificate_candidates``) and zip them."""
    if not can_issue_certificates(actor):
        raise PermissionDenied
    teacher_ids = sorted({t.pk for t in teachers})
    if not teacher_ids:
        raise ValidationError("没有可颁发证书的人员。")
    if kind == Certificate.Kind.HONOUR and not honour.strip():
        raise ValidationError({"honour": "荣誉证书须填写荣誉称号。"})
    label = Certificate.Kind(kind).label
    return job_create(
        kind=Job.Kind.CERTIFICATES,
        title=title or f"{workroom.name} {label}（{len(teacher_ids)}人）",
        requested_by=actor,
        params={"workroom_id": workroom.pk, "kind": kind, "honour": honour.strip(), "teacher_ids": teacher_ids},
        total=len(teacher_ids),
    )
