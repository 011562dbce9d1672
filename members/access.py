"""One access path for people and memberships: who may see or change what.

Outsiders get 404 (the object is not visible to them); a visible object that
the user may only read gives 403 on change."""

from django.db.models import Q

from .roles import roles_of


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


def memberships_visible_to(user, qs):
    """Rosters are open to every signed-in teacher (who is in which workroom
    is public within the school); private details stay on the profile."""
    if not user.is_authenticated:
        return qs.none()
    return qs


def can_edit_teacher(user, teacher) -> bool:
    return roles_of(user).is_office


def roster_imports_visible_to(user, qs):
    """Roster imports (导入教师名册) are seen by the office and leaders."""
    return qs if roles_of(user).sees_everything else qs.none()


def can_import_roster(user) -> bool:
    return roles_of(user).is_office
