"""One access path for workrooms and host applications.

``*_visible_to`` narrow a queryset for pages, filters, exports and tasks
alike; ``can_*`` predicates decide changes; ``get_*_for_user`` fetch one
object or raise 404 for someone who may not see it."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.registry import Hook
from members.roles import roles_of
from workrooms.models import Activity, Expense, HostApplication, Workroom

# 专家 assigned to a workroom evaluation read the workroom's records while the
# panel is scoring (DOMAIN.md §9.5: the panel "reads the records"). The
# assignment lives in assessment, above this layer; it registers a function
# ``(user) -> iterable of workroom ids`` here.
evaluation_readers = Hook("evaluation_readers")


def evaluated_workroom_ids(user) -> frozenset:
    """The workrooms ``user`` reads as an assigned expert (read-only); cached
    on the user object, so once per request."""
    # Only members of the 专家 group are ever assigned: everyone else is
    # spared the query.
    if not user.is_authenticated or not roles_of(user).is_expert:
        return frozenset()
    cached = getattr(user, "_evaluated_workroom_ids", None)
    if cached is None:
        cached = frozenset(pk for found in evaluation_readers(user) for pk in found)
        user._evaluated_workroom_ids = cached
    return cached


def is_evaluating_expert(user, workroom) -> bool:
    return workroom.pk in evaluated_workroom_ids(user)


def evidence_since(user, workroom):
    """The first day of the records ``user`` reads in ``workroom``: for an
    expert who reads it only as assigned to its evaluation, the start of the
    cycle under evaluation (DOMAIN.md §9.5); None (all of them) for its own
    people, the office and leaders."""
    if not is_evaluating_expert(user, workroom):
        return None
    if roles_of(user).sees_everything or is_workroom_member(user, workroom):
        return None
    return workroom.cycle_start


def workrooms_visible_to(user, qs):
    # Every signed-in teacher sees the list of workrooms (to apply to join).
    return qs if user.is_authenticated else qs.none()


def can_manage_workroom(user, workroom) -> bool:
    r = roles_of(user)
    return r.is_office or workroom.pk in r.hosted_workroom_ids


def is_workroom_member(user, workroom) -> bool:
    r = roles_of(user)
    return workroom.pk in r.member_workroom_ids or workroom.pk in r.hosted_workroom_ids


def applications_visible_to(user, qs):
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    cond = Q(status__in=[HostApplication.Status.PUBLIC_NOTICE, HostApplication.Status.APPROVED])
    if r.teacher is not None:
        cond |= Q(applicant=r.teacher)
    if r.reviewed_department_ids:
        cond |= Q(applicant__department_id__in=r.reviewed_department_ids)
    if r.is_expert:
        cond |= Q(experts=user)
    return qs.filter(cond).distinct()


def can_see_application_dossier(user, application) -> bool:
    """The dossier of a host application (its plan and achievements, the
    eligibility check, attachments, expert names, the reviewers' comments):
    the applicant, the department reviewer, the assigned experts, the office
    and leaders. Everyone else who sees the application during or after
    公示 sees what a notice board shows: name, department, research
    direction (DOMAIN.md §4, §12)."""
    r = roles_of(user)
    if not user.is_authenticated:
        return False
    if r.sees_everything:
        return True
    if r.teacher is not None and application.applicant_id == r.teacher.pk:
        return True
    if application.applicant.department_id in r.reviewed_department_ids:
        return True
    return is_assigned_expert(user, application)


def application_objections_visible_to(user, qs):
    """公示异议 on an application: the objector and the office only (§12)."""
    if not user.is_authenticated:
        return qs.none()
    return qs if roles_of(user).is_office else qs.filter(raised_by=user)


def get_application_for_user(user, pk) -> HostApplication:
    qs = HostApplication.objects.visible_to(user).select_related(
        "applicant__user", "applicant__department", "applicant__school", "ruleset", "workroom"
    )
    return get_object_or_404(qs, pk=pk)


def get_workroom_for_user(user, pk) -> Workroom:
    return get_object_or_404(Workroom.objects.visible_to(user).select_related("host", "school"), pk=pk)


def can_view_settings(user) -> bool:
    """学校设置: administrators change them; the office and leaders read them."""
    return roles_of(user).sees_everything


def can_edit_settings(user) -> bool:
    return roles_of(user).is_admin


def can_raise_objection(user, application) -> bool:
    """公示: any signed-in teacher but the applicant may object; leaders only read."""
    r = roles_of(user)
    return r.teacher is not None and not r.is_leader and application.applicant_id != r.teacher.pk


def can_answer_objection(user, application) -> bool:
    return roles_of(user).is_office


def is_assigned_expert(user, application) -> bool:
    return user.is_authenticated and application.experts.filter(pk=user.pk).exists()


def can_edit_application(user, application) -> bool:
    """Only the applicant edits, and only an application returned to them."""
    return user.is_authenticated and application.applicant.user_id == user.pk


# --- Activities, attendance, funding and duties ----------------------------
# Workroom operations are seen by the workroom's host and members and by
# those who see everything (office, leaders); changed by the host and the
# office; a member changes only their own sign-in.


def can_see_workroom_ops(user, workroom) -> bool:
    r = roles_of(user)
    return r.sees_everything or is_workroom_member(user, workroom)


def get_evidence_workroom_for_user(user, pk) -> Workroom:
    """The workroom whose activities and duty progress ``user`` may read: as
    for ``get_ops_workroom_for_user``, plus the experts assigned to its
    evaluation (read only: every change checks ``can_manage_*``); 404 otherwise."""
    workroom = get_workroom_for_user(user, pk)
    if not (can_see_workroom_ops(user, workroom) or is_evaluating_expert(user, workroom)):
        raise Http404
    return workroom


def get_ops_workroom_for_user(user, pk) -> Workroom:
    """The workroom whose activities, funds and duties ``user`` may see, or 404."""
    workroom = get_workroom_for_user(user, pk)
    if not can_see_workroom_ops(user, workroom):
        raise Http404
    return workroom


def activities_visible_to(user, qs):
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    return qs.filter(workroom_id__in=r.member_workroom_ids | r.hosted_workroom_ids | evaluated_workroom_ids(user))


def get_activity_for_user(user, pk):
    qs = Activity.objects.visible_to(user).select_related("workroom", "speaker", "recorder")
    activity = get_object_or_404(qs, pk=pk)
    since = evidence_since(user, activity.workroom)
    if since and timezone.localdate(activity.starts_at) < since:
        raise Http404
    return activity


def can_manage_activity(user, activity) -> bool:
    return can_manage_workroom(user, activity.workroom)


def can_take_attendance(user, activity) -> bool:
    """The host, the office, or the activity's recorder (记录人)."""
    r = roles_of(user)
    if can_manage_activity(user, activity):
        return True
    return r.teacher is not None and activity.recorder_id == r.teacher.pk


def can_approve_expense(user, expense) -> bool:
    return roles_of(user).is_office


def can_see_duty_overview(user) -> bool:
    """各工作室职责进度 (and its download): the office and school leaders."""
    return roles_of(user).sees_everything


def get_insider_workroom(user, pk) -> Workroom:
    """The workroom, for its host, members, the office and leaders; 404 for
    everyone else (its plans and outreach records are internal)."""
    workroom = get_workroom_for_user(user, pk)
    if not (roles_of(user).sees_everything or is_workroom_member(user, workroom)):
        raise Http404
    return workroom


def can_see_member_progress(user, workroom, teacher) -> bool:
    r = roles_of(user)
    if can_manage_workroom(user, workroom) or r.is_leader or is_evaluating_expert(user, workroom):
        return True
    return r.teacher is not None and r.teacher.pk == teacher.pk


def get_expense_for_user(user, pk):
    """An expense of a workroom whose funds ``user`` may see, or 404."""
    expense = get_object_or_404(Expense.objects.select_related("workroom", "receipt"), pk=pk)
    get_ops_workroom_for_user(user, expense.workroom_id)
    return expense


def can_export_school_lists(user) -> bool:
    """Whole-school spreadsheets: the office and school leaders (read only)."""
    return roles_of(user).sees_everything


def can_export_roster(user, workroom) -> bool:
    return roles_of(user).sees_everything or can_manage_workroom(user, workroom)


def can_export_workroom_ledgers(user, workroom) -> bool:
    """A workroom's activity, attendance, hours and funding ledgers: the
    host, the office and school leaders (read only), like its roster."""
    return can_export_roster(user, workroom)
