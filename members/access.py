"""One access path for people and memberships: who may see or change what.

Outsiders get 404 (the object is not visible to them); a visible object that
the user may only read gives 403 on change."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from members.models import ProfileItem, Teacher
from members.roles import roles_of


def teachers_visible_to(user, qs):
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    cond = Q(user=user)
    if r.reviewed_department_ids:
        cond |= Q(department_id__in=r.reviewed_department_ids)
    if r.hosted_workroom_ids:
        cond |= Q(memberships__workroom_id__in=r.hosted_workroom_ids)
    return qs.filter(cond).distinct()


def can_edit_teacher(user, teacher) -> bool:
    return roles_of(user).is_office


def can_see_contact(user, teacher) -> bool:
    """Phone and email: the office (and administrators) and the teacher themself."""
    return roles_of(user).is_office or teacher.user_id == user.pk


def can_see_ethics(user) -> bool:
    """师德记录: the office, administrators and school leaders only."""
    return roles_of(user).sees_everything


def get_teacher_for_user(user, pk):
    return get_object_or_404(Teacher.objects.visible_to(user).select_related("school", "department", "user"), pk=pk)


def roster_imports_visible_to(user, qs):
    """Roster imports (导入教师名册) are seen by the office and leaders."""
    return qs if roles_of(user).sees_everything else qs.none()


def can_import_roster(user) -> bool:
    return roles_of(user).is_office


def can_issue_password_code(user, teacher) -> bool:
    """一次性设置密码码: the office and administrators, for any teacher they see."""
    return roles_of(user).is_office


# --- profile items (档案条目, DOMAIN.md §2) ------------------------------------


def profile_items_visible_to(user, qs):
    """A teacher's honours, class awards, research and publications: the
    teacher themself, the office and leaders; nobody else."""
    if not user.is_authenticated:
        return qs.none()
    if roles_of(user).sees_everything:
        return qs
    return qs.filter(teacher__user=user)


def can_enter_profile_items(user) -> bool:
    """Every teacher enters their own items; leaders only read."""
    r = roles_of(user)
    return r.teacher is not None and not r.is_leader


def can_edit_profile_item(user, item) -> bool:
    """Only the teacher who entered it (a verified item is locked by the service)."""
    return user.is_authenticated and item.teacher.user_id == user.pk


def can_verify_profile_item(user, item=None) -> bool:
    return roles_of(user).is_office


def get_profile_item_for_user(user, pk):
    qs = ProfileItem.objects.visible_to(user).select_related("teacher__user", "evidence", "verified_by")
    return get_object_or_404(qs, pk=pk)
