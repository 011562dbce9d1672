"""The 主持人 page of a workroom: its hosts and the office's changes (DOMAIN.md §1, §3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.history import change_rows
from workrooms.hosts import services
from workrooms.hosts.access import can_change_hosts, get_hosts_workroom_for_user
from workrooms.hosts.forms import CohostForm, HostChangeForm
from workrooms.models import RuleSet


def _page(request, workroom, *, cohost_form=None, change_form=None, status=200):
    hosts = services.current_hosts(workroom)
    ruleset = RuleSet.objects.current()
    may_change = can_change_hosts(request.user)
    context = {
        "workroom": workroom,
        "hosts": hosts,
        "max_hosts": ruleset.max_hosts,
        "can_change": may_change,
        "cohost_form": cohost_form or (
            CohostForm(workroom=workroom) if may_change and len(hosts) < ruleset.max_hosts else None
        ),
        "change_form": (change_form or HostChangeForm(workroom=workroom, hosts=hosts)) if may_change else None,
        "changes": workroom.host_changes.select_related("outgoing", "incoming", "decided_by__teacher"),
        "lead_history": change_rows(
            workroom.history.select_related("history_user__teacher"),
            skip={"status", "cycle_start", "cycle_end", "funding_stopped", "ruleset", "school", "description",
                  "research_direction", "created_at"},
        ),
    }
    return render(request, "workrooms/hosts/hosts.html", context, status=status)


@login_required
def hosts(request, pk):
    return _page(request, get_hosts_workroom_for_user(request.user, pk))


@login_required
@require_POST
def cohost_add(request, pk):
    workroom = get_hosts_workroom_for_user(request.user, pk, change=True)
    form = CohostForm(request.POST, workroom=workroom)
    if form.is_valid():
        try:
            services.cohost_add(workroom=workroom, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已增设{form.cleaned_data['teacher'].name}为主持人。")
            return redirect("workrooms:hosts", pk=workroom.pk)
    return _page(request, workroom, cohost_form=form, status=400)


@login_required
@require_POST
def host_change(request, pk):
    workroom = get_hosts_workroom_for_user(request.user, pk, change=True)
    form = HostChangeForm(request.POST, workroom=workroom, hosts=services.current_hosts(workroom))
    if form.is_valid():
        try:
            change = services.host_change(workroom=workroom, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已{change.get_kind_display()}：{change.outgoing.name}不再担任主持人。")
            return redirect("workrooms:hosts", pk=workroom.pk)
    return _page(request, workroom, change_form=form, status=400)
