"""Signed-in pages for plans on record, the public-page settings, visitor
message moderation and outreach records (DOMAIN.md §3, §6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from archives.files import file_response
from config.forms import add_service_errors
from config.lists import paginate

from . import plans as plan_services
from . import selectors, showcase
from .access import get_insider_workroom
from .models import OutreachRecord, VisitorMessage, WorkroomPlan
from .outreach_forms import (
    OutreachFilter, OutreachRecordForm, PlanDecisionForm, PlanFilter, PlanSubmitForm, ShowcaseSettingsForm,
    VisitorMessageFilter,
)
from .showcase_views import publish_toggle
from .workflow import PLAN, TransitionRefused, history


# --- plans -----------------------------------------------------------------


@login_required
def plan_list(request):
    qs = WorkroomPlan.objects.visible_to(request.user).select_related("workroom").order_by("-updated_at")
    filterset = PlanFilter(request.GET, queryset=qs)
    return render(request, "outreach/plan_list.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "workroom": None,
    })


@login_required
def workroom_plans(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    qs = WorkroomPlan.objects.visible_to(request.user).filter(workroom=workroom).select_related("workroom")
    filterset = PlanFilter(request.GET, queryset=qs)
    return render(request, "outreach/plan_list.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "workroom": workroom,
        "can_submit": plan_services.can_submit_plan(request.user, workroom),
    })


@login_required
def plan_submit(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    if not plan_services.can_submit_plan(request.user, workroom):
        raise PermissionDenied
    initial = {k: request.GET[k] for k in ("kind", "year") if k in request.GET}
    form = PlanSubmitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = plan_services.plan_submit(
                workroom=workroom, kind=d["kind"], year=d["year"], body=d["body"], upload=d["file"], actor=request.user
            )
        except (ValidationError, TransitionRefused) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, f"已提交第{version.number}版，等待德育处备案。")
            return redirect("workrooms:plan_detail", version.plan_id)
    return render(request, "outreach/plan_submit.html", {"form": form, "workroom": workroom})


@login_required
def plan_detail(request, pk, number=None):
    plan = plan_services.get_plan_for_user(request.user, pk)
    versions = list(plan.versions.select_related("file", "submitted_by__teacher"))
    shown = next((v for v in versions if v.number == number), None) if number else (versions[0] if versions else None)
    if number and shown is None:
        raise Http404
    return render(request, "outreach/plan_detail.html", {
        "plan": plan, "versions": versions, "shown": shown,
        "history": [(c, PLAN.get(c.action).label, WorkroomPlan.Status(c.to_status).label) for c in history(plan)],
        "actions": [t for t in PLAN.available(request.user, plan) if t.action != "resubmit"], "decision_form": PlanDecisionForm(),
        "can_submit": plan_services.can_submit_plan(request.user, plan.workroom),
    })


@login_required
def plan_version_file(request, pk, number):
    plan = plan_services.get_plan_for_user(request.user, pk)
    version = get_object_or_404(plan.versions.select_related("file"), number=number, file__isnull=False)
    return file_response(version.file)


@login_required
@require_POST
def plan_transition(request, pk, action):
    plan = plan_services.get_plan_for_user(request.user, pk)
    if action not in ("file", "return"):
        raise Http404
    form = PlanDecisionForm(request.POST)
    form.is_valid()
    try:
        plan_services.plan_decide(plan=plan, action=action, actor=request.user, comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已备案。" if action == "file" else "已退回，主持人将收到通知。")
    return redirect("workrooms:plan_detail", plan.pk)


@login_required
@require_POST
def plan_publish(request, pk):
    plan = plan_services.get_plan_for_user(request.user, pk)
    publish_toggle(request, label=f"{plan.year}年{plan.get_kind_display()}",
                   write=lambda **kw: plan_services.plan_set_public(plan=plan, actor=request.user, **kw))
    return redirect("workrooms:plan_detail", plan.pk)


# --- public page settings and messages ------------------------------------


@login_required
def showcase_settings(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    if not showcase.can_manage_showcase(request.user, workroom):
        raise PermissionDenied
    form = ShowcaseSettingsForm(request.POST or None, instance=showcase.showcase_settings_for(workroom))
    if request.method == "POST" and form.is_valid():
        showcase.showcase_update(workroom=workroom, actor=request.user, **form.cleaned_data)
        messages.success(request, "工作室主页设置已保存。")
        return redirect("workrooms:showcase_settings", workroom.pk)
    return render(request, "outreach/showcase_settings.html", {
        "form": form, "workroom": workroom, "kinds": showcase.PUBLIC_KINDS.values(),
    })


@login_required
def message_list(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    qs = VisitorMessage.objects.filter(workroom=workroom).select_related("decided_by__teacher")
    filterset = VisitorMessageFilter(request.GET or {"status": VisitorMessage.Status.PENDING}, queryset=qs)
    return render(request, "outreach/message_list.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "workroom": workroom,
        "can_moderate": showcase.can_manage_showcase(request.user, workroom),
    })


@login_required
@require_POST
def message_decide(request, pk, decision):
    if decision not in ("approve", "reject"):
        raise Http404
    message = get_object_or_404(VisitorMessage.objects.select_related("workroom"), pk=pk)
    get_insider_workroom(request.user, message.workroom_id)
    showcase.visitor_message_decide(message=message, approve=decision == "approve", actor=request.user)
    messages.success(request, "留言已通过，将显示在工作室主页。" if decision == "approve" else "留言已不予显示。")
    return redirect("workrooms:messages", message.workroom_id)


# --- outreach records ------------------------------------------------------


@login_required
def outreach_list(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    filterset = OutreachFilter(request.GET, queryset=selectors.outreach_records_of(workroom))
    return render(request, "outreach/outreach_list.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "workroom": workroom,
        "can_manage": showcase.can_manage_showcase(request.user, workroom),
    })


@login_required
def outreach_edit(request, pk=None, record_pk=None):
    if record_pk:
        record = get_object_or_404(OutreachRecord.objects.select_related("workroom"), pk=record_pk)
        workroom = get_insider_workroom(request.user, record.workroom_id)
    else:
        workroom = get_insider_workroom(request.user, pk)
        record = OutreachRecord(workroom=workroom)
    if not showcase.can_manage_showcase(request.user, workroom):
        raise PermissionDenied
    form = OutreachRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            showcase.outreach_record_save(record=form.instance, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "辐射引领记录已保存。")
            return redirect("workrooms:outreach", workroom.pk)
    return render(request, "outreach/outreach_form.html", {"form": form, "workroom": workroom, "record": record})


@login_required
@require_POST
def outreach_delete(request, record_pk):
    record = get_object_or_404(OutreachRecord.objects.select_related("workroom"), pk=record_pk)
    get_insider_workroom(request.user, record.workroom_id)
    showcase.outreach_record_delete(record=record, actor=request.user)
    messages.success(request, "记录已删除。")
    return redirect("workrooms:outreach", record.workroom_id)
