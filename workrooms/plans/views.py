"""Pages of plans (DOMAIN.md §3, §5): the workroom's plans on record and each member's development plan, semester plans and summaries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.files import preview_response
from core.forms import add_service_errors, require_valid
from core.lists import paginate
from core.workflow import TransitionRefused, history
from workrooms.access import get_insider_workroom
from workrooms.outreach.showcase_views import publish_toggle
from workrooms.plans import services as plan_services
from workrooms.plans.forms import (
    DevelopmentPlanFilter,
    DevelopmentPlanForm,
    HostCommentForm,
    PlanDecisionForm,
    PlanFilter,
    PlanSubmitForm,
    SemesterRecordFilter,
    SemesterRecordForm,
)
from workrooms.plans.models import DevelopmentPlan, SemesterRecord, WorkroomPlan
from workrooms.plans.workflow import PLAN

RECORD_KINDS = {
    "development": (DevelopmentPlan, DevelopmentPlanForm, DevelopmentPlanFilter, "plans:development_plan"),
    "semester": (SemesterRecord, SemesterRecordForm, SemesterRecordFilter, "plans:semester_record"),
}


def _record_list(request, kind):
    model, _, filter_class, _ = RECORD_KINDS[kind]
    qs = plan_services.member_records_visible_to(
        request.user, model.objects.select_related("membership__teacher", "membership__workroom")
    )
    filterset = filter_class(request.GET, queryset=qs)
    return render(request, "outreach/member_record_list.html", {
        "kind": kind, "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "membership": plan_services.writable_membership(request.user),
    })


@login_required
def development_plans(request):
    return _record_list(request, "development")


@login_required
def semester_records(request):
    return _record_list(request, "semester")


def _record_edit(request, kind, pk=None):
    model, form_class, _, detail = RECORD_KINDS[kind]
    if pk is None:
        membership = plan_services.writable_membership(request.user)
        if membership is None:
            raise PermissionDenied("只有在册成员可以填写。")
        if kind == "development" and DevelopmentPlan.objects.filter(membership=membership).exists():
            return redirect("plans:development_plan_edit", membership.development_plan.pk)
        record = model(membership=membership)
    else:
        record = plan_services.get_member_record_for_user(request.user, model, pk)
        if not plan_services.can_edit_member_record(request.user, record):
            raise PermissionDenied
    form = form_class(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.member_record_save(record=form.instance, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存，主持人将收到点评提醒。" if pk is None else "已保存。")
            return redirect(detail, record.pk)
    return render(request, "outreach/member_record_form.html", {"form": form, "kind": kind, "record": record})


@login_required
def development_plan_new(request):
    return _record_edit(request, "development")


@login_required
def development_plan_edit(request, pk):
    return _record_edit(request, "development", pk)


@login_required
def semester_record_new(request):
    return _record_edit(request, "semester")


@login_required
def semester_record_edit(request, pk):
    return _record_edit(request, "semester", pk)


def _record_detail(request, kind, pk):
    model, *_ = RECORD_KINDS[kind]
    record = plan_services.get_member_record_for_user(request.user, model, pk)
    can_comment = plan_services.can_comment_member_record(request.user, record)
    form = HostCommentForm(request.POST or None, initial={"host_comment": record.host_comment})
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        if form.is_valid():
            plan_services.member_record_comment(record=record, actor=request.user, comment=form.cleaned_data["host_comment"])
            messages.success(request, "点评已保存，成员将收到通知。")
            return redirect(RECORD_KINDS[kind][3], record.pk)
    return render(request, "outreach/member_record_detail.html", {
        "kind": kind, "record": record, "comment_form": form, "can_comment": can_comment,
        "can_edit": plan_services.can_edit_member_record(request.user, record),
    })


@login_required
def development_plan(request, pk):
    return _record_detail(request, "development", pk)


@login_required
def semester_record(request, pk):
    return _record_detail(request, "semester", pk)


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
            return redirect("plans:plan_detail", version.plan_id)
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
        "actions": PLAN.options(request.user, plan, exclude=("resubmit",)), "decision_form": PlanDecisionForm(),
        "can_submit": plan_services.can_submit_plan(request.user, plan.workroom),
    })


@login_required
def plan_version_file(request, pk, number):
    plan = plan_services.get_plan_for_user(request.user, pk)
    version = get_object_or_404(plan.versions.select_related("file"), number=number, file__isnull=False)
    return preview_response(request, version.file)


@login_required
@require_POST
def plan_transition(request, pk, action):
    plan = plan_services.get_plan_for_user(request.user, pk)
    if action not in ("file", "return"):
        raise Http404
    form = PlanDecisionForm(request.POST)
    try:
        require_valid(form)
        plan_services.plan_decide(plan=plan, action=action, actor=request.user, comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已备案。" if action == "file" else "已退回，主持人将收到通知。")
    return redirect("plans:plan_detail", plan.pk)


@login_required
@require_POST
def plan_publish(request, pk):
    plan = plan_services.get_plan_for_user(request.user, pk)
    publish_toggle(request, label=f"{plan.year}年{plan.get_kind_display()}",
                   write=lambda **kw: plan_services.plan_set_public(plan=plan, actor=request.user, **kw))
    return redirect("plans:plan_detail", plan.pk)
