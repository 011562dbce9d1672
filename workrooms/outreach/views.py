"""Signed-in pages for plans on record, the public-page settings, visitor
message moderation and outreach records (DOMAIN.md §3, §6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.lists import paginate
from workrooms import selectors
from workrooms.access import get_insider_workroom
from workrooms.models import OutreachRecord, VisitorMessage
from workrooms.outreach import showcase
from workrooms.outreach.forms import (
    OutreachFilter,
    OutreachRecordForm,
    ShowcaseSettingsForm,
    VisitorMessageFilter,
)

# --- plans -----------------------------------------------------------------


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
