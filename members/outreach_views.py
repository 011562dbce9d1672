"""Signed-in pages for a member's plans and summaries, mentoring (导师制) and
the notification centre (DOMAIN.md §5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from config.forms import add_service_errors
from config.lists import paginate
from workrooms.outreach_views import get_insider_workroom

from . import mentoring, notifications
from . import plans as member_plans
from .models import DevelopmentPlan, MentorPair, Notification, SemesterRecord
from .outreach_forms import (
    DevelopmentPlanFilter, DevelopmentPlanForm, GuidanceRecordForm, HostCommentForm, MentorCommentForm,
    MentorPairFilter, MentorPairForm, NotificationFilter, PreferencesForm, SemesterRecordFilter, SemesterRecordForm,
)

RECORD_KINDS = {
    "development": (DevelopmentPlan, DevelopmentPlanForm, DevelopmentPlanFilter, "members:development_plan"),
    "semester": (SemesterRecord, SemesterRecordForm, SemesterRecordFilter, "members:semester_record"),
}


# --- development plans and semester records ----------------------------------


def _record_list(request, kind):
    model, _, filter_class, _ = RECORD_KINDS[kind]
    qs = member_plans.member_records_visible_to(
        request.user, model.objects.select_related("membership__teacher", "membership__workroom")
    )
    filterset = filter_class(request.GET, queryset=qs)
    return render(request, "outreach/member_record_list.html", {
        "kind": kind, "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "membership": member_plans.writable_membership(request.user),
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
        membership = member_plans.writable_membership(request.user)
        if membership is None:
            raise PermissionDenied("只有在册成员可以填写。")
        if kind == "development" and DevelopmentPlan.objects.filter(membership=membership).exists():
            return redirect("members:development_plan_edit", membership.development_plan.pk)
        record = model(membership=membership)
    else:
        record = member_plans.get_member_record_for_user(request.user, model, pk)
        if not member_plans.can_edit_member_record(request.user, record):
            raise PermissionDenied
    form = form_class(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            member_plans.member_record_save(record=form.instance, actor=request.user)
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
    record = member_plans.get_member_record_for_user(request.user, model, pk)
    can_comment = member_plans.can_comment_member_record(request.user, record)
    form = HostCommentForm(request.POST or None, initial={"host_comment": record.host_comment})
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        if form.is_valid():
            member_plans.member_record_comment(record=record, actor=request.user, comment=form.cleaned_data["host_comment"])
            messages.success(request, "点评已保存，成员将收到通知。")
            return redirect(RECORD_KINDS[kind][3], record.pk)
    return render(request, "outreach/member_record_detail.html", {
        "kind": kind, "record": record, "comment_form": form, "can_comment": can_comment,
        "can_edit": member_plans.can_edit_member_record(request.user, record),
    })


@login_required
def development_plan(request, pk):
    return _record_detail(request, "development", pk)


@login_required
def semester_record(request, pk):
    return _record_detail(request, "semester", pk)


# --- mentoring ---------------------------------------------------------------


@login_required
def workroom_mentoring(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    qs = mentoring.workroom_pairs(mentoring.pairs_visible_to(request.user, MentorPair.objects.filter(workroom=workroom)))
    filterset = MentorPairFilter(request.GET, queryset=qs)
    return render(request, "outreach/mentoring_list.html", {
        "workroom": workroom, "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "can_manage": mentoring.can_manage_pairs(request.user, workroom),
    })


@login_required
def mentor_pair_new(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    if not mentoring.can_manage_pairs(request.user, workroom):
        raise PermissionDenied
    form = MentorPairForm(
        request.POST or None, mentors=mentoring.mentor_candidates(workroom), trainees=mentoring.trainee_candidates(workroom)
    )
    if request.method == "POST" and form.is_valid():
        try:
            pair = mentoring.mentor_pair_create(workroom=workroom, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已结对：{pair.mentor.name}（导师）与{pair.trainee.name}（学员）。")
            return redirect("members:workroom_mentoring", workroom.pk)
    return render(request, "outreach/mentor_pair_form.html", {"form": form, "workroom": workroom})


@login_required
def mentor_pair(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    return render(request, "outreach/mentor_pair.html", {
        "pair": pair, "guidance": pair.guidance_records.all(), "comments": pair.comments.all(),
        "is_mentor": mentoring.is_mentor(request.user, pair),
        "can_manage": mentoring.can_manage_pairs(request.user, pair.workroom),
        "guidance_form": GuidanceRecordForm(), "comment_form": MentorCommentForm(),
    })


@login_required
def guidance_new(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    if not mentoring.is_mentor(request.user, pair):
        raise PermissionDenied
    form = GuidanceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mentoring.guidance_record_create(pair=pair, actor=request.user, **form.cleaned_data)
        messages.success(request, "指导记录已保存。")
        return redirect("members:mentor_pair", pair.pk)
    return render(request, "outreach/simple_form.html", {"form": form, "title": "填写指导记录", "back": pair})


@login_required
def mentor_comment(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    if not mentoring.is_mentor(request.user, pair):
        raise PermissionDenied
    form = MentorCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mentoring.mentor_comment_save(pair=pair, actor=request.user, **form.cleaned_data)
        messages.success(request, "学期评语已保存。")
        return redirect("members:mentor_pair", pair.pk)
    return render(request, "outreach/simple_form.html", {"form": form, "title": "填写学期评语", "back": pair})


@login_required
@require_POST
def mentor_pair_end(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    try:
        mentoring.mentor_pair_end(pair=pair, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "结对已结束。")
    return redirect("members:mentor_pair", pair.pk)


@login_required
def my_mentoring(request):
    """导师制 on one's own page: pairs as mentor and as trainee."""
    teacher = getattr(request.user, "teacher", None)
    data = mentoring.mentoring_for_teacher(teacher.pk) if teacher else {"as_mentor": [], "as_trainee": []}
    return render(request, "outreach/my_mentoring.html", data)


# --- notifications -----------------------------------------------------------


@login_required
def notification_list(request):
    filterset = NotificationFilter(request.GET, queryset=Notification.objects.filter(user=request.user))
    return render(request, "outreach/notification_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)})


@login_required
@require_POST
def notification_read(request, pk):
    n = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.notification_mark_read(user=request.user, notification_id=n.pk)
    if request.POST.get("follow") and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None):
        return redirect(n.url)
    return redirect("members:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications.notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("members:notifications")


@login_required
def notification_preferences(request):
    chosen = notifications.email_preferences(request.user)
    form = PreferencesForm(request.POST or None, initial={"email_kinds": [k for k, on in chosen.items() if on]})
    if request.method == "POST" and form.is_valid():
        notifications.notification_preferences_set(user=request.user, email_kinds=form.cleaned_data["email_kinds"])
        messages.success(request, "通知偏好已保存。")
        return redirect("members:notification_preferences")
    return render(request, "outreach/notification_preferences.html", {
        "form": form, "email": notifications.email_address(request.user),
    })
