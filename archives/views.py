"""Views of the archives app: documents, jobs, certificates and exports."""

import logging
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from archives import access, documents, selectors, services
from archives.documents import report_title
from archives.filters import CertificateFilter, CreditFilter, JobFilter
from archives.forms import (
    IssueConfirmForm,
    IssueStartForm,
    ReasonForm,
    ReportYearForm,
    VerifyForm,
)
from archives.models import Certificate, Job
from archives.services import job_create
from assessment.access import get_notice_for_user, get_period_for_user, get_result_for_user, notice_results_visible_to
from assessment.models import Period, Result
from assessment.notices.kinds import parse_topic
from assessment.workflow import period_publication
from core.files import file_response
from core.lists import paginate
from core.pdf import document_response
from core.publicity import publication_current
from core.xlsx import EXPORT_KINDS, XLSX_TYPE, Export, write_xlsx
from members.models import Teacher
from workrooms.access import (
    can_manage_activity,
    can_see_application_dossier,
    get_activity_for_user,
    get_application_for_user,
    get_workroom_for_user,
)
from workrooms.models import RuleSet, Workroom
from workrooms.records.access import (
    can_bundle_archive,
    get_archive_workroom_for_user,
)
from workrooms.selection.access import get_membership_for_user
from workrooms.selection.agreement import agreement_terms
from workrooms.selection.models import Membership

log = logging.getLogger(__name__)


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
def index(request):
    """文档与证书: what each role may generate here."""
    recent = Job.objects.visible_to(request.user).filter(requested_by=request.user).select_related("result")[:5]
    return render(request, "archives/index.html", {"recent": recent})


# --- jobs --------------------------------------------------------------------------


@login_required
def job_list(request):
    qs = Job.objects.visible_to(request.user).select_related("requested_by__teacher", "result")
    filterset = JobFilter(request.GET, queryset=qs)
    return render(request, "archives/job_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)})


@login_required
def job_detail(request, pk):
    job = access.get_job_for_user(request.user, pk)
    can_retry = job.can_retry(stale_before=services.job_stale_before())
    return render(request, "archives/job_detail.html", {"job": job, "can_retry": can_retry})


def _status(job: Job) -> dict:
    return {
        "can_retry": job.can_retry(stale_before=services.job_stale_before()),
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "error": job.error,
        "download_url": reverse("archives:job_download", args=[job.pk]) if job.result_id else "",
    }


@login_required
def job_status(request, pk):
    job = access.get_job_for_user(request.user, pk)
    return JsonResponse(_status(job))


@login_required
def job_download(request, pk):
    job = access.get_job_for_user(request.user, pk)
    if job.result is None:
        raise Http404
    return file_response(job.result)


@login_required
@require_POST
def job_retry(request, pk):
    job = access.get_job_for_user(request.user, pk)
    try:
        services.job_retry(job=job, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        job.refresh_from_db(fields=["status", "error"])
        if job.status == Job.Status.FAILED:  # the broker is still unreachable
            messages.error(request, job.error)
        else:
            messages.success(request, "已重新提交，已完成的部分不会重复生成。")
    return redirect("archives:job_detail", pk=job.pk)


# --- certificates --------------------------------------------------------------------


@login_required
def certificate_list(request):
    filterset = CertificateFilter(request.GET, queryset=selectors.certificates_for_list(request.user))
    return render(
        request, "archives/certificate_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)}
    )


@login_required
def certificate_detail(request, pk):
    cert = access.get_certificate_for_user(request.user, pk)
    return render(
        request,
        "archives/certificate_detail.html",
        {"cert": cert, "reissues": cert.reissues.all(), "form": ReasonForm(), "can_issue": access.can_issue_certificates(request.user)},
    )


@login_required
def certificate_download(request, pk):
    cert = access.get_certificate_for_user(request.user, pk)
    if cert.file is None:
        raise Http404
    return file_response(cert.file)


@login_required
@require_POST
def certificate_revoke(request, pk):
    cert = access.get_certificate_for_user(request.user, pk)
    if not access.can_issue_certificates(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(certificate=cert, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"证书 {cert.serial} 已撤销。")
            return redirect("archives:certificate_detail", pk=cert.pk)
    return render(
        request, "archives/certificate_detail.html",
        {"cert": cert, "reissues": cert.reissues.all(), "form": form, "can_issue": True}, status=400,
    )


@login_required
@require_POST
def certificate_reissue(request, pk):
    cert = access.get_certificate_for_user(request.user, pk)
    if not access.can_issue_certificates(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            _, job = services.certificate_reissue(certificate=cert, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("archives:certificate_detail", pk=cert.pk)
        messages.success(request, "已补发新证书，正在生成。")
        return redirect("archives:job_detail", pk=job.pk)
    return render(
        request, "archives/certificate_detail.html",
        {"cert": cert, "reissues": cert.reissues.all(), "form": form, "can_issue": True}, status=400,
    )


@login_required
def certificate_issue(request):
    """批量颁发: pick a workroom and a kind, confirm who gets one, queue the job."""
    if not access.can_issue_certificates(request.user):
        raise PermissionDenied
    start = IssueStartForm(request.GET or None)
    if not start.is_valid():
        return render(request, "archives/certificate_issue.html", {"start": start})
    workroom, kind = start.cleaned_data["workroom"], start.cleaned_data["kind"]
    candidates = selectors.certificate_candidates(workroom=workroom, kind=kind)
    form = IssueConfirmForm(request.POST or None, candidates=candidates, kind=kind)
    if request.method == "POST" and form.is_valid():
        teachers = Teacher.objects.filter(pk__in=form.cleaned_data["recipients"])
        try:
            job = services.certificates_batch_request(
                workroom=workroom, kind=kind, teachers=teachers, honour=form.cleaned_data.get("honour", ""),
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("archives:job_detail", pk=job.pk)
    context = {"start": start, "form": form, "workroom": workroom, "kind": Certificate.Kind(kind), "candidates": candidates}
    context["vetoed"] = selectors.vetoed_certificate_candidates(workroom=workroom, kind=kind)
    context["short_of_hours"], context["required_hours"] = selectors.short_of_training_hours(workroom=workroom, kind=kind)
    return render(request, "archives/certificate_issue.html", context, status=400 if form.errors else 200)


@login_required
def credit_list(request):
    """继续教育学分台账 (DOMAIN.md §6, §10): per person and school year, the
    training hours attended, the credits they make and the 培训合格证书 held."""
    if not access.can_see_credits(request.user):
        raise Http404
    filterset = CreditFilter(request.GET, queryset=selectors.credit_memberships(request.user), user=request.user)
    page_obj = paginate(request, filterset.qs)
    per_credit = RuleSet.objects.current().training_hours_per_credit
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "rows": selectors.credit_rows(page_obj.object_list, year=filterset.period, hours_per_credit=per_credit),
        "year": filterset.period,
        "hours_per_credit": per_credit,
        "can_export": access.can_export_credits(request.user),
    }
    return render(request, "archives/credit_list.html", context)


def _rate_limited(request) -> bool:
    """At most VERIFY_RATE_LIMIT look-ups per address per window (the
    check code already makes serials useless to walk through; this keeps
    anyone from guessing codes). Without Redis, where the counter lives, the
    look-up is answered: a certificate that cannot be verified helps no one."""
    rate = f"{settings.VERIFY_RATE_LIMIT}/{settings.VERIFY_RATE_WINDOW}s"
    try:
        return is_ratelimited(request, group="certificate-verify", key="ip", rate=rate, increment=True)
    except RedisError:
        log.warning("verification rate limit unavailable", exc_info=True)
        return False


def verify(request, serial=None, code=None):
    """证书验证 (public): genuine, revoked or not found, and only what the
    certificate prints. A certificate is found by its serial *and* check
    code; the serial alone finds nothing."""
    form = VerifyForm(request.GET or None)
    if serial is None and form.is_valid():
        return redirect("archives:verify", serial=form.cleaned_data["serial"], code=form.cleaned_data["code"])
    if serial is None:
        return render(request, "archives/verify.html", {"form": form}, status=400 if form.errors else 200)
    if _rate_limited(request):
        return render(request, "archives/verify.html", {"form": form, "limited": True}, status=429)
    cert = None
    if code is not None:
        candidate = Certificate.objects.filter(serial=serial).first()
        if candidate is not None and constant_time_compare(candidate.check_code, code.upper()):
            cert = candidate
    initial = {"serial": serial, "code": code or ""}
    return render(
        request, "archives/verify.html", {"form": VerifyForm(initial=initial), "serial": serial, "cert": cert},
        status=200 if cert else 404,
    )


# --- spreadsheets and reports -------------------------------------------------------


def _deliver(request, export: Export, *, params: dict, title: str):
    """Small exports download at once; large ones become a job with progress."""
    if export.count() > settings.EXPORT_JOB_THRESHOLD:
        job = services.job_create(kind=Job.Kind.EXPORT, title=title, requested_by=request.user, params=params)
        messages.info(request, "数据较多，已转为后台生成，完成后可在此下载。")
        return redirect("archives:job_detail", pk=job.pk)
    tmp = tempfile.TemporaryFile()
    write_xlsx(export, tmp)
    tmp.seek(0)
    response = FileResponse(tmp, as_attachment=True, filename=export.filename, content_type=XLSX_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _query(request) -> dict:
    return {k: v for k, v in request.GET.lists()}


@login_required
def download(request, kind: str, pk: int | None = None):
    """A list's spreadsheet (``EXPORT_KINDS[kind]``) for the page's
    query string: for whoever may see that page, refused as the page
    refuses; a large one becomes a job that rebuilds it the same way."""
    spec = EXPORT_KINDS[kind]
    export = spec.build(request.user, request.GET, pk)
    params = {"export": kind, "query": _query(request)}
    if spec.pk_param:
        params[spec.pk_param] = pk
    return _deliver(request, export, params=params, title=f"导出{export.title}")


@login_required
@require_POST
def assessment_notice(request, pk):
    """考核结果通知单 of one stored result, rendered by the worker."""
    result = get_result_for_user(request.user, pk)
    if not access.can_download_notice(request.user, result):
        raise PermissionDenied
    job = services.job_create(
        kind=Job.Kind.ASSESSMENT_NOTICE, title=f"{result.teacher.name}考核结果通知单（{result.period}）",
        requested_by=request.user, params={"result_id": result.pk}, total=1,
    )
    return redirect("archives:job_detail", pk=job.pk)


@login_required
def workroom_documents(request, pk):
    workroom = get_workroom_for_user(request.user, pk)
    if not access.can_export_roster(request.user, workroom):
        raise PermissionDenied
    return render(
        request, "archives/workroom_documents.html",
        {"workroom": workroom, "year_form": ReportYearForm()},
    )


@login_required
@require_POST
def workroom_report(request, pk):
    workroom = get_workroom_for_user(request.user, pk)
    if not access.can_generate_workroom_report(request.user, workroom):
        raise PermissionDenied
    form = ReportYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的学年（起始年份）。")
        return redirect("archives:workroom_documents", pk=workroom.pk)
    year = form.cleaned_data["year"]
    job = services.job_create(
        kind=Job.Kind.WORKROOM_REPORT, title=report_title(workroom, year), requested_by=request.user,
        params={"workroom_id": workroom.pk, "year": year}, total=1,
    )
    return redirect("archives:job_detail", pk=job.pk)


@login_required
@require_POST
def handbook(request, pk):
    teacher = get_object_or_404(Teacher.objects.visible_to(request.user), pk=pk)
    if not access.can_generate_handbook(request.user, teacher):
        raise PermissionDenied
    job = services.job_create(
        kind=Job.Kind.HANDBOOK, title=f"{teacher.name}成长手册", requested_by=request.user,
        params={"teacher_id": teacher.pk}, total=1,
    )
    return redirect("archives:job_detail", pk=job.pk)


@login_required
@require_POST
def archive_bundle(request, workroom_pk):
    """档案打包: queue the zip of the entries the archive page shows."""
    workroom = get_archive_workroom_for_user(request.user, workroom_pk)
    if not can_bundle_archive(request.user, workroom):
        raise PermissionDenied
    query = {k: v for k, v in request.GET.lists()}
    job = job_create(
        kind=Job.Kind.ARCHIVE_BUNDLE, title=f"{workroom.name}档案打包", requested_by=request.user,
        params={"workroom_id": workroom.pk, "query": query},
    )
    return redirect("archives:job_detail", pk=job.pk)


# --- printables: small forms rendered in the request ----------------------------------


@login_required
def application_form(request, pk):
    """主持人申报表 (004 附件3): for whoever reads the application's dossier
    (the applicant, the reviewers, the office and leaders); a notice board
    shows no more than name, department and direction (§12), so 404 to others."""
    application = get_application_for_user(request.user, pk)
    if not can_see_application_dossier(request.user, application):
        raise Http404
    context = documents.application_form_context(application)
    return document_response("pdf/application_form.html", context, filename=f"{application.applicant.name}主持人申报表")


@login_required
def agreement_form(request, pk):
    """成员协议书 of a membership: the member, the workroom's host, the office
    and leaders, as the agreement page."""
    membership = get_membership_for_user(request.user, pk)
    if membership.role != Membership.Role.MEMBER:
        raise Http404  # a host's own term has no agreement
    ruleset = membership.agreement_ruleset or RuleSet.objects.current()
    context = documents.agreement_context(membership, agreement_terms(ruleset), ruleset)
    return document_response(
        "pdf/agreement.html", context, filename=f"{membership.workroom.name}成员协议书-{membership.teacher.name}"
    )


@login_required
def sign_in_sheet(request, pk):
    """A paper 签到表 of an activity, for those who manage it (the host and
    the office); the workroom's members and leaders only read the activity."""
    activity = get_activity_for_user(request.user, pk)
    if not can_manage_activity(request.user, activity):
        raise PermissionDenied("只有主持人和德育处可以打印签到表。")
    context = documents.sign_in_sheet_context(activity)
    return document_response(
        "pdf/sign_in_sheet.html", context, filename=f"签到表-{context['starts']:%Y%m%d}-{activity.theme}"
    )


@login_required
def notice_sheet(request, pk):
    """公示名单 of a notice's latest round, for the notice board: for whoever
    may see the notice; refused while the result is being corrected."""
    publication = get_notice_for_user(request.user, pk)
    kind, params = parse_topic(publication.topic)
    subject = publication.subject
    latest = publication_current(subject, publication.topic)
    if not latest.stands:
        messages.error(request, "结果已重新开放更正，重新公示后才能打印公示名单。")
        return redirect("assessment:notice_detail", pk=publication.pk)
    workroom = Workroom.objects.select_related("school").get(pk=kind.workroom_id(subject))
    context = documents.notice_list_context(latest, kind=kind, rows=kind.rows(subject, params), school=workroom.school)
    return document_response("pdf/notice_list.html", context, filename=f"{latest.title}公示名单")


@login_required
def period_notice_sheet(request, pk):
    """公示名单 of a head-teacher period in 公示: the list as the period page
    shows it to this person (the whole list for the office and leaders,
    the department's or the school's for the staff concerned)."""
    period = get_period_for_user(request.user, pk)
    publication = period_publication(period)
    if period.status != Period.Status.PUBLICIZED or publication is None:
        messages.error(request, "该考核周期不在公示期，没有可打印的公示名单。")
        return redirect("assessment:period_detail", pk=period.pk)
    results = notice_results_visible_to(
        request.user, period, Result.objects.filter(period=period).select_related("teacher", "department")
    ).order_by("department__grade", "department__name", "-score", "teacher__name")
    title = f"{period}班主任考核结果"
    context = documents.notice_list_context(
        publication, rows=documents.period_notice_rows(results), school=period.school, title=title
    )
    return document_response("pdf/notice_list.html", context, filename=f"{context['title']}公示名单")
