"""Reads of the two-way selection (DOMAIN.md §5): one query each, then plain Python."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When

from core.calendar import school_today
from members.eligibility import MemberRules, facts_of, member_eligibility
from members.models import EthicsRecord
from workrooms.selection.caps import PlaceFacts
from workrooms.selection.models import JoinRequest, Membership, MembershipChange


def place_facts(*, workroom, teacher) -> PlaceFacts:
    """The counts the caps read (``workrooms.selection.caps``), in one query."""
    member = Q(workroom_id=workroom.pk, role=Membership.Role.MEMBER)
    counts = Membership.objects.current().aggregate(
        members=Count("pk", filter=member),
        own=Count("pk", filter=member & Q(teacher__school_id=workroom.school_id)),
        mine=Count("pk", filter=Q(teacher_id=teacher.pk)),
    )
    return PlaceFacts(
        members_now=counts["members"],
        own_school_now=counts["own"],
        candidate_from_own_school=teacher.school_id == workroom.school_id,
        candidate_memberships_now=counts["mine"],
    )


def _violation():
    return Exists(EthicsRecord.objects.filter(teacher_id=OuterRef("teacher_id"), confirmed=True))


@dataclass
class Roster:
    """The host's member-management page (成员管理) of one workroom."""

    pending_requests: list  # (JoinRequest, Eligibility)
    pending_agreement: list
    active: list
    decided_requests: list
    open_changes: list


def roster_memberships(workroom):
    """花名册: everyone who has held a place in ``workroom`` (host first, then
    current members, then former ones, each by joining date). The roster
    table of the member-management page and its export both filter this
    with ``workrooms.selection.filters.RosterFilter``, so the download is the page."""
    current_first = Case(When(status__in=Membership.CURRENT_STATUSES, then=Value(0)), default=Value(1))
    return (
        Membership.objects.filter(workroom=workroom)
        .select_related("teacher__school", "teacher__department")
        .order_by("role", current_first, "joined_on", "pk")
    )


def workroom_roster(workroom, ruleset) -> Roster:
    """The workflow parts of the member-management page, in three queries
    (the roster table itself is ``roster_memberships``)."""
    memberships = list(
        Membership.objects.current()
        .filter(workroom=workroom, role=Membership.Role.MEMBER)
        .select_related("teacher__school", "teacher__department")
        .order_by("joined_on", "pk")
    )
    requests = list(
        JoinRequest.objects.filter(workroom=workroom)
        .select_related("teacher__school", "teacher__department", "decided_by")
        .annotate(has_violation=_violation())
        .order_by("-created_at")
    )
    changes = list(
        MembershipChange.objects.filter(membership__workroom=workroom, status__in=MembershipChange.OPEN_STATUSES)
        .select_related("membership__teacher")
    )
    rules = MemberRules.from_ruleset(ruleset)
    today = school_today()
    pending = [
        (r, member_eligibility(facts_of(r.teacher, on=today, has_ethics_violation=r.has_violation), rules))
        for r in requests
        if r.status == JoinRequest.Status.PENDING
    ]
    return Roster(
        pending_requests=pending,
        pending_agreement=[m for m in memberships if m.status == Membership.Status.PENDING_AGREEMENT],
        active=[m for m in memberships if m.status == Membership.Status.ACTIVE],
        decided_requests=[r for r in requests if r.status != JoinRequest.Status.PENDING],
        open_changes=changes,
    )


@dataclass
class MyWorkrooms:
    """A teacher's page 我的工作室: memberships, requests and their answers."""

    memberships: list
    requests: list
    changes: list


def my_workrooms(teacher) -> MyWorkrooms:
    return MyWorkrooms(
        memberships=list(
            Membership.objects.filter(teacher=teacher).select_related("workroom__host").order_by("-joined_on", "-pk")
        ),
        requests=list(JoinRequest.objects.filter(teacher=teacher).select_related("workroom")),
        changes=list(
            MembershipChange.objects.filter(membership__teacher=teacher).select_related("membership__workroom")
        ),
    )


def open_join_request(*, workroom, teacher):
    return JoinRequest.objects.filter(workroom=workroom, teacher=teacher, status=JoinRequest.Status.PENDING).first()


def workroom_host_users(workroom_id: int):
    return get_user_model().objects.filter(
        teacher__memberships__workroom_id=workroom_id,
        teacher__memberships__role=Membership.Role.HOST,
        teacher__memberships__status__in=Membership.CURRENT_STATUSES,
    ).distinct()
