"""Write operations of the archives app: jobs, generated files, certificates.

Every function takes keyword arguments, runs in one transaction and leaves
side effects (queueing a task) to ``transaction.on_commit``."""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from archives import tasks
from archives.access import can_issue_certificates
from archives.models import Certificate, Job, SerialCounter
from archives.rules import HONOURS, training_hours_reached
from archives.selectors import cycle_training_hours
from assessment.honours.services import veto_reasons, veto_text, vetoed_teacher_ids
from core import files
from core.calendar import school_today
from core.models import NotificationKind, StoredFile
from core.notify import notify
from members.models import Teacher
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file
from workrooms.models import RuleSet, Workroom

log = logging.getLogger(__name__)

# --- jobs -----------------------------------------------------------------

NOT_SENT = "后台任务服务暂时不可用，任务未能开始。请稍后点击“重试”。"


def job_send(*, job_id: int) -> bool:
    """Hand the job to the worker; False when the broker cannot be reached.

    Called once the job's row is committed. A job whose task was not sent is
    marked failed at once, so that its page offers a retry instead of the
    request failing or the row waiting for a task that never comes."""
    try:
        tasks.job_run.delay(job_id)
    except BrokerError:
        log.exception("could not queue job %s", job_id)
        job_fail(job_id=job_id, error=NOT_SENT)
        return False
    return True


def _enqueue(job: Job) -> None:
    transaction.on_commit(lambda: job_send(job_id=job.pk))


def job_stale_before():
    """A job still queued since before this moment waits for a task that was
    lost (or is stuck behind a dead worker): it may be sent again."""
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER)


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
    """Queue a failed job again, or send again a job queued for longer than
    ``JOB_STALE_AFTER``; what it finished before is kept (every step of a
    job can run twice without harm, see ``archives.jobs``)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.can_retry(stale_before=job_stale_before()):
        raise ValidationError("只有失败的任务或排队过久的任务可以重试。")
    job.status = Job.Status.QUEUED
    job.error = ""
    job.finished_at = None
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "queued_at"])
    _enqueue(job)
    return job


def job_claim(*, job_id: int) -> Job | None:
    """Mark a job running for one attempt; ``None`` when it is already done
    (a duplicated or late-retried task has nothing to do). One conditional
    UPDATE: two deliveries of the same task cannot both see it undone and
    then overwrite each other's status."""
    claimed = (
        Job.objects.filter(pk=job_id)
        .exclude(status=Job.Status.DONE)
        .update(
            status=Job.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Value(timezone.now())),
            error="",
        )
    )
    if not claimed:
        if not Job.objects.filter(pk=job_id).exists():
            raise Job.DoesNotExist(f"Job {job_id} does not exist.")
        return None
    return Job.objects.select_related("requested_by").get(pk=job_id)


def job_progress(*, job: Job, done: int, total: int | None = None) -> None:
    """Record how far a job got. Progress is only shown, never relied on
    (what a batch finished is read from its output), so a database that
    cannot take the update just now does not fail the step that made it."""
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).exclude(status=Job.Status.DONE).update(**fields)
    except DatabaseError:
        log.warning("could not record the progress of job %s", job.pk, exc_info=True)
    job.done = done
    if total is not None:
        job.total = total


def job_finish(*, job: Job, stored: StoredFile | None) -> None:
    """Mark the job done with its file, in one UPDATE; the first file a job
    finished with stays its result (a duplicated run changes nothing)."""
    Job.objects.filter(pk=job.pk).update(
        result=Coalesce(F("result"), Value(stored.pk if stored else None, output_field=models.BigIntegerField())),
        status=Job.Status.DONE,
        done=Greatest(F("done"), F("total")),
        finished_at=timezone.now(),
    )


def job_waiting_retry(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.QUEUED, error=error, queued_at=timezone.now()
    )


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


# --- generated files -----------------------------------------------------------

# One home for generated files: core.files (through the storage API).
store_generated = files.store_generated


# --- certificates -------------------------------------------------------------


def serial_allocate(*, kind: str, year: int) -> str:
    """The next serial such as ``2026-PX-000123``; call inside a transaction.

    The counter is incremented in the database and the new value read back
    in the same statement, which locks the row until the transaction ends:
    two workers never get the same number, and numbers only go up, so a
    revoked certificate's serial is never reused."""
    prefix = f"{year}-{Certificate.SERIAL_CODES[kind]}"
    sql = f"UPDATE {SerialCounter._meta.db_table} SET last = last + 1 WHERE prefix = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix])
        row = cursor.fetchone()
        if row is None:  # the first serial of the year: create the row, then take from it
            SerialCounter.objects.get_or_create(prefix=prefix)
            cursor.execute(sql, [prefix])
            row = cursor.fetchone()
    return f"{prefix}-{row[0]:06d}"


def _period(workroom: Workroom, kind: str, issued_on: date) -> tuple[date | None, date | None]:
    """The period a certificate prints: the workroom's cycle; a 聘书 issued
    within the cycle (a member who joins later, a host added later) runs
    from its day of issue to the end of the cycle (DOMAIN.md §3)."""
    start = workroom.cycle_start
    if kind in (Certificate.Kind.HOST_APPOINTMENT, Certificate.Kind.MEMBER_APPOINTMENT) and start:
        start = max(start, issued_on)
    return start, workroom.cycle_end


def _refuse_vetoed(*, kind: str, teachers) -> None:
    """No title or honour certificate for anyone vetoed from honours
    (DOMAIN.md §9.5 荣誉一票否决, §3 师德一票否决); one query, none for
    teachers read with ``assessment.honours.with_veto``."""
    if kind not in HONOURS:
        return
    teachers = list(teachers)
    if all(hasattr(t, "honours_vetoed") for t in teachers):  # read with assessment.honours.with_veto
        vetoed = {t.pk for t in teachers if t.honours_vetoed}
    else:
        vetoed = vetoed_teacher_ids(t.pk for t in teachers)
    if vetoed:
        reasons = veto_reasons(vetoed)
        names = "、".join(f"{t.name}（{veto_text(reasons.get(t.pk, []))}）" for t in teachers if t.pk in vetoed)
        raise ValidationError(f"{names}已被荣誉一票否决，不能颁发{Certificate.Kind(kind).label}。")


def _hours(value) -> str:
    return f"{Decimal(value).normalize():f}"


def _refuse_untrained(*, kind: str, workroom: Workroom, teachers) -> None:
    """No 培训合格证书 for anyone whose training hours in the workroom's
    cycle fall short of the school's requirement (DOMAIN.md §10, see
    ``rules.training_hours_reached``); two queries."""
    if kind != Certificate.Kind.TRAINING:
        return
    teachers = list(teachers)
    required = Decimal(RuleSet.objects.current().certificate_training_hours)
    hours = cycle_training_hours(workroom, teacher_ids=[t.pk for t in teachers])
    short = [(t, hours.get(t.pk, Decimal(0))) for t in teachers if not training_hours_reached(hours.get(t.pk, Decimal(0)), required)]
    if short:
        names = "、".join(f"{t.name}（{_hours(had)} 学时）" for t, had in short)
        raise ValidationError(
            f"{names}在本工作室建设周期内出席活动的培训学时不足 {_hours(required)} 学时，不能颁发培训合格证书。"
        )


def certificate_issue(
    *, kind: str, recipient: Teacher, workroom: Workroom, honour: str = "", actor, issued_on: date | None = None
) -> tuple[Certificate, bool]:
    """Issue one certificate, or return the valid one that already exists for
    this recipient, kind, workroom and honour (the natural key of an issue).

    The database keeps one valid certificate per natural key
    (``certificate_one_valid_per_issue``), so the new certificate is simply
    inserted: when it exists already (a retried batch, or a duplicated one
    at the same moment) the insert fails, its transaction and the serial it
    took are rolled back, and the existing certificate is returned. No
    serial is ever taken twice for one issue."""
    if kind == Certificate.Kind.HONOUR and not honour.strip():
        raise ValidationError({"honour": "荣誉证书须填写荣誉称号。"})
    _refuse_vetoed(kind=kind, teachers=[recipient])
    honour = honour.strip() if kind == Certificate.Kind.HONOUR else ""
    natural_key = {"kind": kind, "recipient": recipient, "workroom": workroom, "honour": honour}
    issued_on = issued_on or school_today()
    start, end = _period(workroom, kind, issued_on)
    cert = Certificate(
        **natural_key,
        recipient_name=recipient.name,
        workroom_name=workroom.name,
        school_name=workroom.school.name,
        period_start=start,
        period_end=end,
        issued_on=issued_on,
        issued_by=actor,
    )
    # The related rows are loaded and the serial is taken under lock:
    # validate the fields without querying them again.
    cert.full_clean(
        exclude=["recipient", "workroom", "issued_by", "serial"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            cert.serial = serial_allocate(kind=kind, year=issued_on.year)
            cert.save()
    except IntegrityError:
        existing = Certificate.objects.valid().filter(**natural_key).first()
        if existing is None:
            raise
        return existing, False
    return cert, True


def certificate_delivered(*, certificate: Certificate) -> None:
    """A rendered certificate is filed in its workroom's archive (各类成果类,
    DOMAIN.md §8) and its recipient is told where to download it. Called
    once, in the transaction that attaches the certificate's PDF."""
    cert = certificate
    archive_file(
        workroom=cert.workroom, category=ArchiveEntry.Category.ACHIEVEMENTS, source=cert, member=cert.recipient,
        title=f"{cert.get_kind_display()}（{cert.recipient_name}{'，' + cert.honour if cert.honour else ''}，{cert.serial}）",
        file=cert.file, kind="证书", filed_on=cert.issued_on, actor=cert.issued_by,
    )
    notify(
        users=[cert.recipient.user_id], kind=NotificationKind.CERTIFICATE_ISSUED,
        title=f"您获颁{cert.get_kind_display()}（{cert.workroom_name}）",
        body=f"证书编号 {cert.serial}，可在「文档与证书 → 我的证书」中查看和下载。",
        url=reverse("archives:certificate_detail", args=[cert.pk]), key=f"certificate:{cert.pk}",
    )


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


def title_certificates_revoke(*, teacher, workroom_id: int | None, reason: str, actor) -> int:
    """A 名班主任 title taken back (an honours veto, DOMAIN.md §9.5) revokes
    the valid title certificates of ``teacher`` (of one workroom, or all)."""
    certificates = Certificate.objects.valid().filter(recipient=teacher, kind=Certificate.Kind.TITLE)
    if workroom_id is not None:
        certificates = certificates.filter(workroom_id=workroom_id)
    revoked = 0
    for cert in certificates.select_for_update():
        certificate_revoke(certificate=cert, actor=actor, reason=reason)
        revoked += 1
    return revoked


# --- appointment papers (DOMAIN.md §3, §4, §5) -----------------------------------

APPOINTMENT_LETTERS = {"host": Certificate.Kind.HOST_APPOINTMENT, "member": Certificate.Kind.MEMBER_APPOINTMENT}


@transaction.atomic
def appointment_issue(*, workroom: Workroom, recipient: Teacher, kinds, actor) -> list[Certificate]:
    """Issue the appointment papers ``kinds`` of ``recipient`` in ``workroom``
    now (their serials are taken in the caller's transaction) and render each
    new one in the background like every other certificate, which files it
    in the archive and tells its recipient (``certificate_delivered``).

    Issued by the appointment itself, so no permission is checked here: the
    workroom service that calls it has checked its actor. Calling it again
    for the same appointment returns the certificates it issued before and
    queues nothing."""
    certs = []
    for kind in kinds:
        cert, created = certificate_issue(kind=kind, recipient=recipient, workroom=workroom, actor=actor)
        certs.append(cert)
        if created:
            job_create(
                kind=Job.Kind.CERTIFICATES, title=f"{cert.get_kind_display()} {cert.recipient_name}", requested_by=actor,
                params={"workroom_id": workroom.pk, "kind": kind, "honour": "", "teacher_ids": [recipient.pk]}, total=1,
            )
    return certs


def workroom_approved(*, workroom: Workroom, actor) -> list[Certificate]:
    """审批 (DOMAIN.md §4): the host's 聘书 as 主持人 for the cycle and the
    workroom's 挂牌证书."""
    return appointment_issue(
        workroom=workroom, recipient=workroom.host, actor=actor,
        kinds=(Certificate.Kind.HOST_APPOINTMENT, Certificate.Kind.PLAQUE),
    )


def appointment_started(*, membership, actor) -> list[Certificate]:
    """A member whose agreement is filed gets the 成员聘书 (DOMAIN.md §5); a
    host added later (副主持人, successor) the 主持人聘书 (§3)."""
    return appointment_issue(
        workroom=membership.workroom, recipient=membership.teacher, actor=actor,
        kinds=(APPOINTMENT_LETTERS[membership.role],),
    )


def plaque_exchange(*, workroom: Workroom, actor, reason: str) -> list[Certificate]:
    """The workroom has a new 领衔人 (主持人变更): the 挂牌证书 naming the old
    lead is revoked and one naming the new lead, under the workroom's
    current name, is issued. A workroom that never had one gets none."""
    plaques = list(Certificate.objects.valid().filter(kind=Certificate.Kind.PLAQUE, workroom=workroom).select_for_update())
    if not plaques:
        return []
    for cert in plaques:
        certificate_revoke(certificate=cert, actor=actor, reason=f"领衔主持人变更，换发挂牌证书：{reason}")
    return appointment_issue(workroom=workroom, recipient=workroom.host, actor=actor, kinds=(Certificate.Kind.PLAQUE,))


def appointment_ended(*, membership, actor, reason: str) -> int:
    """A host removed before the cycle ends (主持人变更), or a member who
    withdrew or was removed, loses the 聘书: its verification page shows it
    revoked from now on."""
    kind = APPOINTMENT_LETTERS[membership.role]
    letters = Certificate.objects.valid().filter(kind=kind, recipient_id=membership.teacher_id,
                                                 workroom_id=membership.workroom_id)
    revoked = 0
    for cert in letters.select_for_update():
        certificate_revoke(certificate=cert, actor=actor, reason=reason)
        revoked += 1
    return revoked


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
        title=f"补发{old.get_kind_display()} {old.recipient_name}", check_hours=False,
    )
    return new, job


def certificates_batch_request(
    *, workroom: Workroom, kind: str, teachers, honour: str = "", actor, title: str | None = None,
    check_hours: bool = True,
) -> Job:
    """Ask the worker to issue and render the certificates of ``teachers``
    (who qualify, see ``selectors.certificate_candidates``) and zip them.
    A training certificate for someone short of the training hours is
    refused; ``check_hours=False`` only for a reissue (补发), which replaces
    a certificate already earned."""
    if not can_issue_certificates(actor):
        raise PermissionDenied
    teachers = list(teachers)
    teacher_ids = sorted({t.pk for t in teachers})
    if not teacher_ids:
        raise ValidationError("没有可颁发证书的人员。")
    if kind == Certificate.Kind.HONOUR and not honour.strip():
        raise ValidationError({"honour": "荣誉证书须填写荣誉称号。"})
    _refuse_vetoed(kind=kind, teachers=teachers)
    if check_hours:
        _refuse_untrained(kind=kind, workroom=workroom, teachers=teachers)
    label = Certificate.Kind(kind).label
    return job_create(
        kind=Job.Kind.CERTIFICATES,
        title=title or f"{workroom.name} {label}（{len(teacher_ids)}人）",
        requested_by=actor,
        params={"workroom_id": workroom.pk, "kind": kind, "honour": honour.strip(), "teacher_ids": teacher_ids},
        total=len(teacher_ids),
    )
