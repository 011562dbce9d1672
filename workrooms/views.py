"""Views of the workrooms app: workrooms, host applications (DOMAIN.md §3, §4)
and the school settings. Each view parses its form, gets the object through
``workrooms.access``, calls one service and renders or redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.files import preview_response
from core.forms import add_service_errors, require_valid
from core.lists import paginate
from core.workflow import TransitionRefused
from members.roles import roles_of
from workrooms import selectors, services
from workrooms.access import (
    can_answer_objection,
    can_edit_application,
    can_edit_settings,
    can_export_roster,
    can_manage_workroom,
    can_raise_objection,
    can_see_application_dossier,
    can_see_workroom_ops,
    can_view_settings,
    get_application_for_user,
    get_workroom_for_user,
    is_assigned_expert,
    is_workroom_member,
)
from workrooms.filters import ApplicationFilter, RuleSetFilter, WorkroomFilter
from workrooms.forms import (
    ApplicationForm,
    ExpertReviewForm,
    ObjectionAnswerForm,
    ObjectionForm,
    RuleSetForm,
    SettingsCompareForm,
    TransitionForm,
)
from workrooms.models import HostApplication, RuleSet, Workroom
from workrooms.records.access import can_read_archive
from workrooms.selection.models import Membership
from workrooms.workflow import HOST_APPLICATION, WORKROOM

A = HostApplication.Status


# --- workrooms ------------------------------------------------------------------


@login_required
def workroom_list(request):
    filterset = WorkroomFilter(request.GET, queryset=selectors.workrooms_for_list(request.user))
    page_obj = paginate(request, filterset.qs)
    return render(request, "workrooms/workroom_list.html", {"filter": filterset, "page_obj": page_obj})


@login_required
def workroom_detail(request, pk):
    workroom = get_workroom_for_user(request.user, pk)
    r = roles_of(request.user)
    roster = selectors.workroom_roster(workroom)
    context = {
        "workroom": workroom,
        "roster": roster,
        # 领衔人 first, then 副主持人 (DOMAIN.md §3: up to max_hosts hosts).
        "hosts": sorted(
            (m for m in roster if m.role == Membership.Role.HOST and m.status in Membership.CURRENT_STATUSES),
            key=lambda m: m.teacher_id != workroom.host_id,
        ),
        "can_see_hosts": r.sees_everything or workroom.pk in r.hosted_workroom_ids,
        "can_change_hosts": r.is_office,
        "application": HostApplication.objects.visible_to(request.user).filter(workroom=workroom).first(),
        "history": selectors.history_rows(workroom, WORKROOM),
        "transitions": WORKROOM.options(request.user, workroom),
        "can_manage": can_manage_workroom(request.user, workroom),
        # The workroom's other pages, each linked only for those it opens to.
        "can_see_ops": can_see_workroom_ops(request.user, workroom),
        "can_read_archive": can_read_archive(request.user, workroom),
        "can_documents": can_export_roster(request.user, workroom),
        "can_join": (
            r.teacher is not None
            and workroom.status in (Workroom.Status.APPROVED, Workroom.Status.RUNNING)
            and not is_workroom_member(request.user, workroom)
        ),
    }
    return render(request, "workrooms/workroom_detail.html", context)


@login_required
@require_POST
def workroom_transition(request, pk, action):
    workroom = get_workroom_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    try:
        require_valid(form)
        services.workroom_transition(
            workroom=workroom, action=action, actor=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except TransitionRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已{WORKROOM.get(action).label}。")
    return redirect("workrooms:detail", pk=workroom.pk)


# --- host applications ---------------------------------------------------------


@login_required
def application_list(request):
    filterset = ApplicationFilter(request.GET, queryset=selectors.applications_for_list(request.user))
    page_obj = paginate(request, filterset.qs)
    return render(request, "workrooms/application_list.html", {"filter": filterset, "page_obj": page_obj})


def _applicant_or_403(request):
    teacher = roles_of(request.user).teacher
    if teacher is None or roles_of(request.user).is_leader:
        raise PermissionDenied("只有教师本人可以申报工作室主持人。")
    return teacher


@login_required
def application_create(request):
    teacher = _applicant_or_403(request)
    ruleset = RuleSet.objects.current()
    pending = selectors.pending_application_of(teacher)
    form = ApplicationForm(request.POST or None, request.FILES or None, ruleset=ruleset)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                applicant=teacher, actor=request.user, uploads=form.cleaned_data["attachments"],
                **{k: form.cleaned_data[k] for k in ApplicationForm.Meta.fields},
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "申报已提交，等待系部审核。")
            return redirect("workrooms:application_detail", pk=application.pk)
    context = {
        "form": form,
        "ruleset": ruleset,
        "pending": pending,
        "eligibility": selectors.host_eligibility_for(teacher, ruleset=ruleset),
        "preferred": selectors.preferred_criteria_for(teacher),
    }
    return render(request, "workrooms/application_form.html", context)


@login_required
def application_edit(request, pk):
    application = get_application_for_user(request.user, pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied("只有申报人本人可以修改申报。")
    if application.status != A.RETURNED:
        messages.error(request, "只有被退回的申报可以修改后重新提交。")
        return redirect("workrooms:application_detail", pk=application.pk)
    ruleset = RuleSet.objects.current()
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application, ruleset=ruleset)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_resubmit(
                application=application, actor=request.user, uploads=form.cleaned_data["attachments"],
                **{k: form.cleaned_data[k] for k in ApplicationForm.Meta.fields},
            )
        except ValidationError as e:
            application.refresh_from_db()
            add_service_errors(form, e)
        else:
            messages.success(request, "申报已重新提交，等待系部审核。")
            return redirect("workrooms:application_detail", pk=application.pk)
    context = {
        "form": form,
        "application": application,
        "ruleset": ruleset,
        "eligibility": selectors.host_eligibility_for(application.applicant, ruleset=ruleset),
        "preferred": selectors.preferred_criteria_for(application.applicant),
    }
    return render(request, "workrooms/application_form.html", context)


def _application_page(request, application, *, failed_action=None, failed_form=None, status=200):
    user = request.user
    transitions = HOST_APPLICATION.options(user, application, exclude=("resubmit",))
    objections = selectors.objections_of(application, user)
    assigned = is_assigned_expert(user, application)
    reviews = selectors.reviews_visible_to(user, application)
    dossier = can_see_application_dossier(user, application)
    context = {
        "application": application,
        "dossier": dossier,
        "preferred": selectors.preferred_criteria_for(application.applicant) if dossier else [],
        "attachments": application.attachments.select_related("file") if dossier else [],
        "reviews": reviews,
        "experts": [selectors.user_display(e) for e in application.experts.select_related("teacher")] if dossier else [],
        "objections": objections,
        "history": selectors.history_rows(application, HOST_APPLICATION) if dossier else [],
        "transitions": transitions,
        "failed_action": failed_action,
        "transition_form": failed_form or TransitionForm(),
        "can_edit": can_edit_application(user, application) and application.status == A.RETURNED,
        "can_object": can_raise_objection(user, application) and selectors.notice_is_open(application),
        "can_answer": can_answer_objection(user, application) and application.status == A.PUBLIC_NOTICE,
        "can_review": assigned and application.status == A.EXPERT_REVIEW and not any(r.expert_id == user.pk for r in reviews),
        "sees_objector": roles_of(user).sees_everything,
    }
    return render(request, "workrooms/application_detail.html", context, status=status)


@login_required
def application_detail(request, pk):
    return _application_page(request, get_application_for_user(request.user, pk))


@login_required
@require_POST
def application_transition(request, pk, action):
    application = get_application_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.application_transition(
                application=application, action=action, actor=request.user,
                comment=form.cleaned_data["comment"], experts=form.cleaned_data["experts"],
            )
        except TransitionRefused as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"已{HOST_APPLICATION.get(action).label}。")
            return redirect("workrooms:application_detail", pk=application.pk)
    # Refused: show the page again with what was typed.
    return _application_page(request, application, failed_action=action, failed_form=form, status=400)


@login_required
def attachment_download(request, pk, attachment_pk):
    application = get_application_for_user(request.user, pk)
    if not can_see_application_dossier(request.user, application):
        raise Http404  # a notice board shows no attachments (§12)
    attachment = get_object_or_404(application.attachments.select_related("file"), pk=attachment_pk)
    return preview_response(request, attachment.file)


@login_required
def objection_create(request, pk):
    application = get_application_for_user(request.user, pk)
    if not can_raise_objection(request.user, application):
        raise PermissionDenied("您不能对该申报提出异议。")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_raise(application=application, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "异议已提交，德育处将予以答复。")
            return redirect("workrooms:application_detail", pk=application.pk)
    return render(request, "workrooms/objection_form.html", {"form": form, "application": application})


@login_required
def objection_answer(request, pk, objection_pk):
    application = get_application_for_user(request.user, pk)
    objection = get_object_or_404(application.objections, pk=objection_pk)
    if not can_answer_objection(request.user, application):
        raise PermissionDenied("只有德育处可以答复异议。")
    form = ObjectionAnswerForm(request.POST or None, instance=objection)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(objection=objection, actor=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "异议已答复。")
            return redirect("workrooms:application_detail", pk=application.pk)
    return render(
        request, "workrooms/objection_answer.html", {"form": form, "application": application, "objection": objection}
    )


@login_required
def expert_review_create(request, pk):
    application = get_application_for_user(request.user, pk)
    if not is_assigned_expert(request.user, application):
        raise PermissionDenied("您不是该申报的评审专家。")
    form = ExpertReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_review_submit(application=application, expert=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "评审意见已提交。")
            return redirect("workrooms:application_detail", pk=application.pk)
    return render(request, "workrooms/expert_review_form.html", {"form": form, "application": application})


# --- 学校设置 ---------------------------------------------------------------------


@login_required
def settings_edit(request):
    if not can_view_settings(request.user):
        raise PermissionDenied("只有管理员、德育处和校领导可以查看学校设置。")
    editable = can_edit_settings(request.user)
    if request.method == "POST" and not editable:
        raise PermissionDenied("只有管理员可以修改学校设置。")
    current = RuleSet.objects.current()
    form = RuleSetForm(request.POST or None, instance=current, read_only=not editable)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            new = services.ruleset_create_version(
                values=values, actor=request.user, change_note=form.cleaned_data["change_note"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"学校设置已保存为第 {new.version} 版。")
            return redirect("workrooms:settings")
    return render(request, "workrooms/settings.html", {"form": form, "current": current, "editable": editable})


@login_required
def settings_versions(request):
    if not can_view_settings(request.user):
        raise PermissionDenied("只有管理员、德育处和校领导可以查看学校设置。")
    filterset = RuleSetFilter(request.GET, queryset=RuleSet.objects.select_related("created_by__teacher"))
    page_obj = paginate(request, filterset.qs)
    return render(request, "workrooms/settings_versions.html", {"filter": filterset, "page_obj": page_obj})


@login_required
def settings_compare(request):
    """Two settings versions side by side, field by field (by default the
    newest against the one before it)."""
    if not can_view_settings(request.user):
        raise PermissionDenied("只有管理员、德育处和校领导可以查看学校设置。")
    data = request.GET
    if "old" not in data and "new" not in data:
        newest = list(RuleSet.objects.order_by("-version").values_list("version", flat=True)[:2])
        data = {"new": newest[0], "old": newest[-1]} if newest else {}
    form = SettingsCompareForm(data or None)
    rows = form.rows() if form.is_valid() else []
    return render(request, "workrooms/settings_compare.html", {"form": form, "sections": rows})
