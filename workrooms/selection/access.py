"""One access path for memberships and the two-way selection (DOMAIN.md §5). Outsiders get 404; a visible object the user may only read gives 403 on change."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.roles import roles_of
from workrooms.access import get_workroom_for_user, is_workroom_member
from workrooms.selection.models import JoinRequest, Membership, MembershipChange


def memberships_visible_to(user, qs):
    """Rosters are open to every signed-in teacher (who is in which workroom
    is public within the school); private details stay on the profile."""
    if not user.is_authenticated:
        return qs.none()
    return qs


def concerning_teacher_visible_to(user, qs, *, via: str = ""):
    """Rows about one teacher in one workroom (a join request, an agreement, a
    withdrawal): seen by that teacher, the workroom's host, the office and
    leaders. ``via`` is the path to the membership-like fields, e.g.
    ``"membership__"``."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    cond = Q(**{f"{via}workroom_id__in": r.hosted_workroom_ids})
    if r.teacher is not None:
        cond |= Q(**{f"{via}teacher": r.teacher})
    return qs.filter(cond)


def join_requests_visible_to(user, qs):
    """A request is seen by the teacher who made it, the host it is addressed
    to, and the office and leaders."""
    return concerning_teacher_visible_to(user, qs)


def get_join_request_for_user(user, pk):
    qs = join_requests_visible_to(user, JoinRequest.objects.select_related("workroom", "teacher"))
    return get_object_or_404(qs, pk=pk)


def agreements_visible_to(user, qs):
    """A membership's agreement: the member, the workroom's host, the office and leaders."""
    return concerning_teacher_visible_to(user, qs)


def get_membership_for_user(user, pk):
    qs = agreements_visible_to(
        user, Membership.objects.select_related("teacher__school", "workroom__host", "agreement_ruleset")
    )
    return get_object_or_404(qs, pk=pk)


def membership_changes_visible_to(user, qs):
    """Withdrawal and removal requests: the member concerned, the host of the
    workroom, the office and leaders."""
    return concerning_teacher_visible_to(user, qs, via="membership__")


def get_membership_change_for_user(user, pk):
    qs = MembershipChange.objects.visible_to(user).select_related(
        "membership__teacher", "membership__workroom", "requested_by"
    )
    return get_object_or_404(qs, pk=pk)


def get_roster_workroom_for_user(user, pk, *, change: bool = False):
    """The workroom whose members a user manages (成员管理): its host changes,
    the office and leaders read; the workroom's own members know it but may
    not manage it (403); anyone else gets 404."""
    workroom = get_workroom_for_user(user, pk)
    r = roles_of(user)
    if workroom.pk in r.hosted_workroom_ids:
        return workroom
    if r.sees_everything and not change:
        return workroom
    if r.sees_everything or is_workroom_member(user, workroom):
        raise PermissionDenied("您无权管理该工作室的成员。")
    raise Http404("工作室不存在。")
