"""Views of the roster import (导入教师名册): upload, preview, confirm,
error report and the template. Office and administrators import; leaders
may look but not change (403); other users have no access."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from members.access import can_import_roster
from members.models import RosterImport
from members.roles import roles_of
from members.roster.forms import RosterConfirmForm, RosterUploadForm
from members.roster.services import (
    XLSX_TYPE,
    build_template,
    error_report,
    error_text,
    roster_import_confirm,
    roster_import_create,
    roster_import_fail,
    roster_plan,
)
from members.tasks import roster_read

NOT_STARTED = "后台读取暂时无法开始（任务队列不可用），请稍后重新上传。"

log = logging.getLogger(__name__)

PREVIEW_LIMIT = 200  # rows listed per section; the counts and the xlsx error report cover all


@dataclass(frozen=True)
class Shown:
    rows: list
    hidden: int


def _first(rows) -> Shown:
    return Shown(list(rows[:PREVIEW_LIMIT]), max(0, len(rows) - PREVIEW_LIMIT))


def _require_reader(user):
    if not roles_of(user).sees_everything:
        raise PermissionDenied("只有德育处和管理员可以导入教师名册。")


def _require_importer(user):
    if not can_import_roster(user):
        raise PermissionDenied("您只能查看，不能导入教师名册。")


def _get_import_for_user(user, pk) -> RosterImport:
    return get_object_or_404(RosterImport.objects.visible_to(user).select_related("file", "created_by"), pk=pk)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def roster_upload(request):
    _require_reader(request.user)
    form = RosterUploadForm()
    if request.method == "POST":
        _require_importer(request.user)
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                roster_import = roster_import_create(upload=form.cleaned_data["file"], user=request.user)
            except ValidationError as e:
                form.add_error("file", e)
            else:
                if roster_import.status == RosterImport.Status.READING:
                    transaction.on_commit(lambda: _start_reading(roster_import.pk))
                return redirect("members:roster_preview", pk=roster_import.pk)
    return render(request, "members/roster/upload.html", {
        "form": form, "can_import": can_import_roster(request.user), "max_rows": settings.IMPORT_MAX_ROWS,
    })


def _start_reading(pk: int) -> None:
    try:
        roster_read.delay(pk)
    except Exception:  # the broker is down: the page says so instead of waiting forever
        log.exception("could not start reading roster import %s", pk)
        roster_import_fail(roster_import_id=pk, error=NOT_STARTED)


@login_required
def roster_template(request):
    _require_reader(request.user)
    return _xlsx(build_template(), "%E6%95%99%E5%B8%88%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx")  # 教师名册模板.xlsx


@login_required
def roster_preview(request, pk):
    roster_import = _get_import_for_user(request.user, pk)
    plan = roster_plan(roster_import) if roster_import.status == RosterImport.Status.PENDING else None
    errors = [error_text(row, err) for row in roster_import.error_rows for err in row["errors"]]
    result = roster_import.result
    shown = {
        "errors": _first(errors),
        "creates": _first(plan.creates if plan else []),
        "updates": _first(plan.updates if plan else []),
        "created": _first(result.get("created", [])),
        "updated": _first(result.get("updated", [])),
    }
    return render(request, "members/roster/preview.html", {
        "roster_import": roster_import, "plan": plan, "errors": errors, "shown": shown,
        "can_import": can_import_roster(request.user), "form": RosterConfirmForm(),
    })


@login_required
def roster_status(request, pk):
    """The progress of a background read, for the preview page's poller."""
    roster_import = _get_import_for_user(request.user, pk)
    reading = roster_import.status == RosterImport.Status.READING
    failed = roster_import.status == RosterImport.Status.FAILED
    return JsonResponse({
        "status": "running" if reading else "failed" if failed else "done",
        "status_label": roster_import.get_status_display(),
        "done": roster_import.rows_read, "total": roster_import.rows_total, "percent": roster_import.percent,
        "error": roster_import.error,
        "download_url": "" if reading or failed else reverse("members:roster_preview", args=[pk]),
        "can_retry": False,
    })


@login_required
@require_POST
def roster_confirm(request, pk):
    roster_import = _get_import_for_user(request.user, pk)
    _require_importer(request.user)
    form = RosterConfirmForm(request.POST)
    form.is_valid()
    try:
        done = roster_import_confirm(
            roster_import=roster_import, user=request.user, only_valid=form.cleaned_data.get("only_valid", False)
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, f"导入完成：新建教师 {len(done.result['created'])} 名，更新 {len(done.result['updated'])} 名。"
        )
    return redirect("members:roster_preview", pk=pk)


@login_required
def roster_errors(request, pk):
    roster_import = _get_import_for_user(request.user, pk)
    return _xlsx(error_report(roster_import), f"roster-errors-{roster_import.pk}.xlsx")
