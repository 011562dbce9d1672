"""Pages of activities, sign-in, funding, duty progress and the workroom
dashboard. Thin: parse, fetch through the access path, call one service or
selector, render or redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.calendar import WEEKDAY_NAMES, school_today
from core.files import file_response, wants_preview
from core.forms import add_service_errors, require_valid
from core.lists import paginate
from core.qr import qr_svg_data_uri
from core.workflow import TransitionRefused
from members.models import Teacher
from members.roles import roles_of
from workrooms.access import (
    can_approve_expense,
    can_export_workroom_ledgers,
    can_manage_activity,
    can_manage_workroom,
    can_see_duty_overview,
    can_see_member_progress,
    can_take_attendance,
    evidence_since,
    get_activity_for_user,
    get_evidence_workroom_for_user,
    get_expense_for_user,
    get_ops_workroom_for_user,
    is_evaluating_expert,
)
from workrooms.activities import duties, selectors
from workrooms.activities import services as activity_services
from workrooms.activities.filters import ActivityFilter, ExpenseFilter, LessonObservationFilter, OverviewFilter
from workrooms.activities.forms import (
    ActivityFileForm,
    ActivityForm,
    AttendanceSheetForm,
    DecisionForm,
    ExpenseForm,
    LedgerDateForm,
    LessonObservationForm,
    SignInForm,
)
from workrooms.funding import services as funding
from workrooms.models import ActivityFile, LessonObservation, RuleSet
from workrooms.outreach.showcase import PUBLISH_DENIED, can_mark_public
from workrooms.outreach.showcase_views import publish_toggle

# --- activities ----------------------------------------------------------------


@login_required
def activity_list(request, pk):
    workroom = get_evidence_workroom_for_user(request.user, pk)
    activities = selectors.activity_list(workroom)
    if since := evidence_since(request.user, workroom):
        activities = activities.filter(starts_at__date__gte=since)
    filterset = ActivityFilter(request.GET, queryset=activities)
    return render(
        request, "workrooms/ops/activity_list.html",
        {
            "workroom": workroom, "filter": filterset, "page_obj": paginate(request, filterset.qs),
            "can_manage": can_manage_workroom(request.user, workroom),
        },
    )


@login_required
def activity_create(request, pk):
    workroom = get_evidence_workroom_for_user(request.user, pk)
    if not can_manage_workroom(request.user, workroom):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, workroom=workroom)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_services.activity_create(workroom=workroom, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "活动已创建。")
            return redirect("workrooms:activity_detail", pk=activity.pk)
    return render(request, "workrooms/ops/activity_form.html", {"workroom": workroom, "form": form})


@login_required
def activity_update(request, pk):
    activity = get_activity_for_user(request.user, pk)
    if not can_manage_activity(request.user, activity):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity, workroom=activity.workroom)
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.activity_update(activity=activity, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "活动已保存。")
            return redirect("workrooms:activity_detail", pk=activity.pk)
    return render(
        request, "workrooms/ops/activity_form.html", {"workroom": activity.workroom, "form": form, "activity": activity}
    )


@login_required
def activity_detail(request, pk):
    activity = get_activity_for_user(request.user, pk)
    r = roles_of(request.user)
    can_attend = can_take_attendance(request.user, activity)
    is_participant = r.teacher is not None and activity.workroom_id in (r.member_workroom_ids | r.hosted_workroom_ids)
    own = activity.attendances.filter(teacher=r.teacher).first() if is_participant else None
    code = selectors.active_code(activity) if can_attend else None
    return render(
        request, "workrooms/ops/activity_detail.html",
        {
            "activity": activity, "workroom": activity.workroom,
            "files": activity.files.select_related("file"),
            "can_mark_public": can_mark_public(request.user, activity.workroom),
            "sheet": selectors.attendance_sheet(activity),
            "can_manage": can_manage_activity(request.user, activity),
            "can_attend": can_attend,
            "code": code,
            "signin_qr": qr_svg_data_uri(signin_url(request, activity, code.code)) if code else None,
            "file_form": ActivityFileForm(),
            "signin_form": SignInForm(),
            "is_participant": is_participant,
            "own_attendance": own,
        },
    )


@login_required
@require_POST
def activity_file_upload(request, pk):
    activity = get_activity_for_user(request.user, pk)
    if not can_take_attendance(request.user, activity):
        raise PermissionDenied
    form = ActivityFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            activity_services.activity_attach_file(
                activity=activity, actor=request.user, upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as e:
            form.add_error("file", e)
    if form.errors:
        for errs in form.errors.values():
            for err in errs:
                messages.error(request, err)
    else:
        messages.success(request, "附件已上传。")
    return redirect("workrooms:activity_detail", pk=activity.pk)


@login_required
def activity_file_download(request, pk):
    attached = get_object_or_404(ActivityFile.objects.select_related("file"), pk=pk)
    get_activity_for_user(request.user, attached.activity_id)
    return file_response(attached.file, inline=attached.file.content_type.startswith("image/") or wants_preview(request))


@login_required
@require_POST
def activity_photo_publish(request, pk):
    attached = get_object_or_404(ActivityFile.objects.select_related("file"), pk=pk)
    activity = get_activity_for_user(request.user, attached.activity_id)
    if not can_mark_public(request.user, activity.workroom):
        raise PermissionDenied(PUBLISH_DENIED)
    attached.activity = activity
    publish_toggle(request, label=attached.description or attached.file.original_name,
                   write=lambda **kw: activity_services.activity_photo_set_public(actor=request.user, photo=attached, **kw))
    return redirect("workrooms:activity_detail", pk=activity.pk)


@login_required
def attendance_sheet(request, pk):
    activity = get_activity_for_user(request.user, pk)
    if not can_take_attendance(request.user, activity):
        raise PermissionDenied
    form = AttendanceSheetForm(request.POST or None, rows=selectors.attendance_sheet(activity))
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.attendance_record(activity=activity, actor=request.user, statuses=form.statuses())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "签到表已保存。")
            return redirect("workrooms:activity_detail", pk=activity.pk)
    return render(request, "workrooms/ops/attendance_sheet.html", {"activity": activity, "form": form})


@login_required
@require_POST
def signin_code_start(request, pk):
    activity = get_activity_for_user(request.user, pk)
    if not can_take_attendance(request.user, activity):
        raise PermissionDenied
    try:
        activity_services.signin_code_start(activity=activity, actor=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("workrooms:activity_detail", pk=activity.pk)


def signin_url(request, activity, code: str) -> str:
    """The sign-in page of ``activity`` with ``code`` filled in: what the QR
    code shown at the event opens, at the address the host's page was
    opened with (the one the members' phones reach)."""
    path = reverse("workrooms:signin", args=[activity.pk])
    return request.build_absolute_uri(f"{path}?{urlencode({'code': code})}")


@login_required
def signin(request, pk):
    """A member signs in with the code shown at the event, typed or brought
    in by scanning the QR code (the form comes filled in; signing in is
    still the member's own press of 签到)."""
    activity = get_activity_for_user(request.user, pk)
    r = roles_of(request.user)
    if r.teacher is None or activity.workroom_id not in (r.member_workroom_ids | r.hosted_workroom_ids):
        raise PermissionDenied
    form = SignInForm(request.POST or None, initial={"code": request.GET.get("code", "")[:12]})
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.signin_with_code(
                activity=activity, user=request.user, teacher=r.teacher, code=form.cleaned_data["code"]
            )
        except activity_services.SignInRefused as e:
            form.add_error("code", str(e))
        else:
            messages.success(request, f"签到成功：{activity.theme}。")
            return redirect("workrooms:activity_detail", pk=activity.pk)
    return render(request, "workrooms/ops/signin.html", {"activity": activity, "form": form})


# --- funding -------------------------------------------------------------------


@login_required
def ledger(request, pk):
    workroom = get_ops_workroom_for_user(request.user, pk)
    dates = LedgerDateForm(request.GET or None)
    year, as_of = dates.period()
    summary = selectors.ledger_summary(workroom, year=year, as_of=as_of)
    entries = selectors.ledger_entries(workroom, year=year, allocation=summary.allocation)
    filterset = ExpenseFilter(request.GET, queryset=entries)
    return render(
        request, "workrooms/ops/ledger.html",
        {
            "workroom": workroom, "filter": filterset, "dates": dates, "summary": summary,
            "page_obj": paginate(request, filterset.qs),
            "can_manage": can_manage_workroom(request.user, workroom),
            "can_approve": roles_of(request.user).is_office,
            "changes": selectors.expense_changes(workroom),
        },
    )


@login_required
def expense_create(request, pk):
    workroom = get_ops_workroom_for_user(request.user, pk)
    if not can_manage_workroom(request.user, workroom):
        raise PermissionDenied
    form = ExpenseForm(request.POST or None, request.FILES or None, workroom=workroom)
    if request.method == "POST" and form.is_valid():
        try:
            funding.expense_record(workroom=workroom, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "支出已登记，等待德育处审核。")
            return redirect("workrooms:ledger", pk=workroom.pk)
    return render(request, "workrooms/ops/expense_form.html", {"workroom": workroom, "form": form})


@login_required
@require_POST
def expense_decide(request, pk, action):
    expense = get_expense_for_user(request.user, pk)
    if not can_approve_expense(request.user, expense):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    try:
        require_valid(form)
        funding.expense_decide(expense=expense, action=action, actor=request.user, comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"支出「{expense.description}」：{expense.get_status_display()}。")
    return redirect("workrooms:ledger", pk=expense.workroom_id)


@login_required
def expense_receipt(request, pk):
    expense = get_expense_for_user(request.user, pk)
    return file_response(expense.receipt, inline=expense.receipt.content_type.startswith("image/") or wants_preview(request))


# --- duties and dashboard ---------------------------------------------------------


@login_required
def duty_progress(request, pk):
    workroom = get_evidence_workroom_for_user(request.user, pk)
    progress = selectors.workroom_progress(workroom)
    weekday = WEEKDAY_NAMES[progress.rules.regular_meeting_weekday]
    return render(
        request, "workrooms/ops/duty_progress.html",
        {
            "workroom": workroom, "progress": progress, "meeting_weekday": weekday,
            "meeting_rule": f"第{progress.rules.regular_meeting_week}个{weekday}",
            "can_export": can_export_workroom_ledgers(request.user, workroom),
            "sees_members": can_manage_workroom(request.user, workroom) or roles_of(request.user).is_leader
            or is_evaluating_expert(request.user, workroom),
        },
    )


@login_required
def member_progress(request, pk, teacher_pk):
    workroom = get_evidence_workroom_for_user(request.user, pk)
    teacher = get_object_or_404(Teacher, pk=teacher_pk)
    if not can_see_member_progress(request.user, workroom, teacher):
        raise PermissionDenied
    row, progress = selectors.member_progress(workroom, teacher)
    if row is None:
        raise Http404
    return render(
        request, "workrooms/ops/member_progress.html",
        {"workroom": workroom, "teacher": teacher, "row": row, "progress": progress},
    )


@login_required
def my_progress(request):
    """A member's own progress; a host's workroom progress."""
    r = roles_of(request.user)
    if r.hosted_workroom_ids:
        return redirect("workrooms:duty_progress", pk=min(r.hosted_workroom_ids))
    if r.teacher is None or not r.member_workroom_ids:
        raise Http404
    return redirect("workrooms:member_progress", pk=min(r.member_workroom_ids), teacher_pk=r.teacher.pk)


@login_required
def duty_overview(request):
    if not can_see_duty_overview(request.user):
        raise PermissionDenied
    filterset = OverviewFilter(request.GET, queryset=selectors.overview_workrooms())
    page_obj = paginate(request, filterset.qs.only("pk"))
    rules = duties.duty_rules_from(RuleSet.objects.current())
    return render(
        request, "workrooms/ops/duty_overview.html",
        {
            "filter": filterset, "page_obj": page_obj, "rows": selectors.overview_page(page_obj, rules),
            "semester": selectors.semester_of(school_today()), "rules": rules,
        },
    )


@login_required
def dashboard(request, pk):
    workroom = get_ops_workroom_for_user(request.user, pk)
    semester, duty_list = selectors.workroom_duties_now(workroom)
    return render(
        request, "workrooms/ops/dashboard.html",
        {"workroom": workroom, "data": selectors.dashboard(workroom), "semester": semester, "duty_list": duty_list},
    )


# --- 听课记录 (the host's lesson observations) -------------------------------------


@login_required
def observation_list(request, pk):
    workroom = get_evidence_workroom_for_user(request.user, pk)
    filterset = LessonObservationFilter(request.GET, queryset=selectors.observations_of(workroom))
    return render(request, "workrooms/ops/observation_list.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "workroom": workroom,
        "can_manage": activity_services.can_record_observations(request.user, workroom),
    })


@login_required
def observation_edit(request, pk=None, record_pk=None):
    if record_pk:
        record = get_object_or_404(LessonObservation.objects.select_related("workroom"), pk=record_pk)
        workroom = get_evidence_workroom_for_user(request.user, record.workroom_id)
    else:
        workroom = get_evidence_workroom_for_user(request.user, pk)
        record = LessonObservation(workroom=workroom)
    if not activity_services.can_record_observations(request.user, workroom):
        raise PermissionDenied
    form = LessonObservationForm(request.POST or None, instance=record, workroom=workroom)
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.observation_save(record=form.instance, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "听课记录已保存。")
            return redirect("workrooms:observations", workroom.pk)
    return render(request, "workrooms/ops/observation_form.html", {"form": form, "workroom": workroom, "record": record})


@login_required
@require_POST
def observation_delete(request, record_pk):
    record = get_object_or_404(LessonObservation.objects.select_related("workroom"), pk=record_pk)
    get_evidence_workroom_for_user(request.user, record.workroom_id)
    activity_services.observation_delete(record=record, actor=request.user)
    messages.success(request, "听课记录已删除。")
    return redirect("workrooms:observations", record.workroom_id)
