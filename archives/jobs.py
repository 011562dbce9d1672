"""What a job does, by kind. Tasks (``archives.tasks``) only pass ids here.

Every step can run twice without harm: a certificate is issued once per
natural key, its PDF is written once per serial, and a job's output is
written to a temporary file and renamed into place. What a batch finished is
in the database, so a batch cut off by a lost worker resumes where it stopped."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from archives import documents, exports, services, tasks
from archives.errors import JobError
from archives.models import Certificate, Job
from assessment.honours.services import with_veto
from assessment.models import Result
from core.calendar import school_today, school_year_start
from core.files import copy_stored
from core.pdf import render_document
from core.xlsx import XLSX_TYPE, page_query, write_xlsx
from members.models import Teacher
from workrooms.archive.filters import ArchiveEntryFilter
from workrooms.archive.models import ArchiveEntry
from workrooms.models import Workroom

ZIP_TYPE = "application/zip"


def job_execute(*, job_id: int) -> None:
    """Run one attempt of a job (DOMAIN.md §10 documents)."""
    job = services.job_claim(job_id=job_id)
    if job is None:
        return
    handler = HANDLERS.get(job.kind)
    if handler is None:
        raise JobError("未知的任务类型。")
    handler(job)


# --- certificates ----------------------------------------------------------------


def _batch_certificates(job: Job):
    p = job.params
    ids = p["teacher_ids"]
    qs = Certificate.objects.valid().filter(
        workroom_id=p["workroom_id"], kind=p["kind"], honour=p.get("honour", ""), recipient_id__in=ids
    )
    return qs.select_related("file").order_by("recipient_id")


def run_certificates(job: Job) -> None:
    """Issue and render every certificate of the batch that is not rendered
    yet: inline for a small batch, in chunks that several workers share for a
    large one. The chunk that completes the batch builds the zip."""
    pending = sorted(set(job.params["teacher_ids"]))
    size = settings.CERTIFICATE_CHUNK_SIZE
    if len(pending) > size:  # a small batch skips what is rendered as it goes
        rendered = set(_batch_certificates(job).filter(file__isnull=False).values_list("recipient_id", flat=True))
        pending = [pk for pk in pending if pk not in rendered]
    if len(pending) <= size:
        render_certificates(job_id=job.pk, teacher_ids=pending, job=job)
        return
    for start in range(0, len(pending), size):
        tasks.certificates_render.delay(job.pk, pending[start : start + size])


def certificate_render(*, cert: Certificate) -> None:
    """Render one certificate's PDF once, at a path named by its serial. The
    run that holds the certificate's row renders it, files it and tells the
    recipient; a duplicated run waits for that row and finds it rendered."""
    if cert.file_id:
        return
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).select_related("file").get(pk=cert.pk)
        if locked.file_id:
            cert.file = locked.file
            return
        rendered = render_document(documents.certificate_template(cert), documents.certificate_context(cert))
        cert.file = services.store_generated(
            key=f"certificates/{cert.serial}.{rendered.extension}",
            filename=f"{cert.get_kind_display()}-{cert.recipient_name}-{cert.serial}.{rendered.extension}",
            content_type=rendered.content_type,
            user=cert.issued_by,
            write=lambda out: out.write(rendered.content),
        )
        Certificate.objects.filter(pk=cert.pk).update(file=cert.file)
        services.certificate_delivered(certificate=cert)


def render_certificates(*, job_id: int, teacher_ids: list[int], job: Job | None = None) -> None:
    """Issue (once per natural key) and render the certificates of a chunk of
    recipients, then see whether the whole batch is finished."""
    if job is None:
        job = Job.objects.select_related("requested_by").get(pk=job_id)
        if job.status == Job.Status.DONE:
            return
    p = job.params
    try:
        workroom = Workroom.objects.select_related("school").get(pk=p["workroom_id"])
    except Workroom.DoesNotExist:
        raise JobError("工作室不存在。") from None
    chunk = []
    for teacher in with_veto(Teacher.objects.filter(pk__in=teacher_ids)).order_by("pk"):
        try:
            cert, _ = services.certificate_issue(
                kind=p["kind"], recipient=teacher, workroom=workroom, honour=p.get("honour", ""), actor=job.requested_by
            )
        except ValidationError as exc:  # e.g. vetoed from honours since the batch was asked for: no use retrying
            raise JobError("；".join(exc.messages)) from exc
        certificate_render(cert=cert)
        chunk.append(cert)
        if job.total > 1:
            services.job_progress(job=job, done=_batch_certificates(job).filter(file__isnull=False).count())
    _finish_certificates(job, chunk)


def _finish_certificates(job: Job, chunk: list[Certificate]) -> None:
    expected = len(set(job.params["teacher_ids"]))
    if expected == len(chunk) == 1:  # a single certificate is its own download
        services.job_finish(job=job, stored=chunk[0].file)
        return
    rendered = _batch_certificates(job).filter(file__isnull=False)
    if expected > 1 and rendered.count() < expected:  # other chunks are still at work
        return
    certs = list(rendered)
    if len(certs) < expected:
        return
    with transaction.atomic():
        # Only the one chunk that takes this lock first while the job is not
        # done builds the zip; the others find it done.
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status == Job.Status.DONE:
            return
        stored = services.store_generated(
            key=f"jobs/{job.pk}/certificates.zip",
            filename=f"{job.title}.zip",
            content_type=ZIP_TYPE,
            user=job.requested_by,
            write=lambda out: _zip(out, certs),
        )
        services.job_finish(job=locked, stored=stored)


def _zip(out, certs) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for cert in certs:
            with zf.open(cert.file.original_name, "w", force_zip64=True) as member:
                copy_stored(cert.file, member)


# --- spreadsheets ----------------------------------------------------------------


def run_export(job: Job) -> None:
    export = exports.export_for_job(job)
    services.job_progress(job=job, done=0, total=export.count())

    def progress(done: int) -> None:
        services.job_progress(job=job, done=done)

    stored = services.store_generated(
        key=f"jobs/{job.pk}/export.xlsx",
        filename=export.filename,
        content_type=XLSX_TYPE,
        user=job.requested_by,
        write=lambda out: write_xlsx(export, out, progress=progress),
    )
    services.job_finish(job=job, stored=stored)


# --- reports ---------------------------------------------------------------------------


def _store_pdf(job: Job, template: str, context: dict, filename: str) -> None:
    services.job_progress(job=job, done=0, total=1)
    rendered = render_document(template, context)
    stored = services.store_generated(
        key=f"jobs/{job.pk}/document.{rendered.extension}",
        filename=f"{filename}.{rendered.extension}",
        content_type=rendered.content_type,
        user=job.requested_by,
        write=lambda out: out.write(rendered.content),
    )
    services.job_finish(job=job, stored=stored)


def run_workroom_report(job: Job) -> None:
    try:
        workroom = Workroom.objects.select_related("host__department", "school").get(pk=job.params["workroom_id"])
    except Workroom.DoesNotExist:
        raise JobError("工作室不存在。") from None
    year = int(job.params.get("year") or school_year_start(school_today()))
    context = documents.workroom_report_context(workroom, year)
    _store_pdf(job, "pdf/workroom_report.html", context, context["title"])


def run_handbook(job: Job) -> None:
    try:
        teacher = Teacher.objects.get(pk=job.params["teacher_id"])
    except Teacher.DoesNotExist:
        raise JobError("教师不存在。") from None
    _store_pdf(job, "pdf/handbook.html", documents.handbook_context(teacher), f"{teacher.name}成长手册")


def run_assessment_notice(job: Job) -> None:
    try:
        result = Result.objects.select_related("period__school", "teacher", "department", "ruleset").get(
            pk=job.params["result_id"]
        )
    except Result.DoesNotExist:
        raise JobError("考核结果不存在（可能已重新计算），请从结果页重新生成。") from None
    name = f"{result.teacher.name}考核结果通知单-{result.period}".replace(" ", "")
    _store_pdf(job, "pdf/assessment_notice.html", documents.assessment_notice_context(result), name)


def _bundle_names(entries) -> dict[int, str]:
    """entry id -> its file's path in the zip: category folder, number, name."""
    labels = dict(ArchiveEntry.Category.choices)
    return {
        e.pk: f"{labels.get(e.category, e.category)}/{n:03d}-{e.file.original_name}"
        for n, e in enumerate(entries, start=1)
        if e.file_id
    }


def run_archive_bundle(job: Job) -> None:
    """工作室档案打包: a PDF list of the archive entries (as filtered on the
    archive page) and every entry's file, in one zip. Progress counts the
    summary and each file."""
    try:
        workroom = Workroom.objects.select_related("host", "school").get(pk=job.params["workroom_id"])
    except Workroom.DoesNotExist:
        raise JobError("工作室不存在。") from None
    query = page_query(job.params)
    qs = ArchiveEntry.objects.filter(workroom=workroom).select_related("member", "file")
    order = {code: n for n, (code, _) in enumerate(ArchiveEntry.Category.choices)}
    entries = sorted(
        ArchiveEntryFilter(query, queryset=qs, workroom=workroom).qs,
        key=lambda e: (order.get(e.category, len(order)), e.filed_on, e.pk),
    )
    names = _bundle_names(entries)
    services.job_progress(job=job, done=0, total=len(names) + 1)
    summary = render_document("pdf/archive_summary.html", documents.archive_summary_context(workroom, entries, names))

    def write(out) -> None:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"档案目录.{summary.extension}", summary.content)
            services.job_progress(job=job, done=1)
            for done, entry in enumerate((e for e in entries if e.pk in names), start=2):
                try:
                    with zf.open(names[entry.pk], "w", force_zip64=True) as member:
                        copy_stored(entry.file, member)
                except FileNotFoundError:
                    raise JobError(f"档案「{entry.title}」的文件缺失，请联系管理员。") from None
                services.job_progress(job=job, done=done)

    stored = services.store_generated(
        key=f"jobs/{job.pk}/archive.zip", filename=f"{workroom.name}档案.zip", content_type=ZIP_TYPE,
        user=job.requested_by, write=write,
    )
    services.job_finish(job=job, stored=stored)


HANDLERS = {
    Job.Kind.CERTIFICATES: run_certificates,
    Job.Kind.EXPORT: run_export,
    Job.Kind.WORKROOM_REPORT: run_workroom_report,
    Job.Kind.HANDBOOK: run_handbook,
    Job.Kind.ASSESSMENT_NOTICE: run_assessment_notice,
    Job.Kind.ARCHIVE_BUNDLE: run_archive_bundle,
}
