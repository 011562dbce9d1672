"""Who someone is (DOMAIN.md §1). Group membership is read once per request
and cached on the user object, so role checks cost no extra queries."""

from functools import cached_property

from members.choices import (
    CURRENT_MEMBERSHIP_STATUSES,
    MembershipRole,
    MembershipStatus,
)
from members.models import Teacher

ADMIN = "管理员"
OFFICE = "德育处"
LEADER = "校领导"
EXPERT = "专家"
ROLE_GROUPS = (ADMIN, OFFICE, LEADER, EXPERT)


class Roles:
    def __init__(self, user):
        self.user = user

    @cached_property
    def groups(self) -> frozenset[str]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.groups.values_list("name", flat=True))

    @cached_property
    def teacher(self):
        if not self.user.is_authenticated:
            return None
        return Teacher.objects.select_related("school", "department").filter(user=self.user).first()

    @property
    def is_admin(self) -> bool:
        return self.user.is_authenticated and (self.user.is_superuser or ADMIN in self.groups)

    @property
    def is_office(self) -> bool:
        """德育处/学工处 staff; administrators can do what the office does."""
        return self.is_admin or OFFICE in self.groups

    @property
    def is_leader(self) -> bool:
        """校领导: reads everything, changes nothing."""
        return LEADER in self.groups

    @property
    def sees_everything(self) -> bool:
        return self.is_office or self.is_leader

    @property
    def is_expert(self) -> bool:
        return EXPERT in self.groups

    @cached_property
    def reviewed_department_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.reviewed_departments.values_list("id", flat=True))

    @property
    def is_department_reviewer(self) -> bool:
        return bool(self.reviewed_department_ids)

    @cached_property
    def hosted_workroom_ids(self) -> frozenset[int]:
        if self.teacher is None:
            return frozenset()
        # Through the teacher's reverse relation: people sit below workrooms.
        return frozenset(
            self.teacher.memberships.filter(role=MembershipRole.HOST, status__in=CURRENT_MEMBERSHIP_STATUSES)
            .values_list("workroom_id", flat=True)
        )

    @cached_property
    def member_workroom_ids(self) -> frozenset[int]:
        if self.teacher is None:
            return frozenset()
        return frozenset(
            self.teacher.memberships.filter(role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE)
            .values_list("workroom_id", flat=True)
        )


def roles_of(user) -> Roles:
    """The cached ``Roles`` of a user (one per user object, so per request)."""
    cached = getattr(user, "_roles", None)
    if cached is None:
        cached = Roles(user)
        try:
            user._roles = cached
        except AttributeError:  # AnonymousUser instances are shared-safe too
            pass
    return cached


# Transition predicates ``(user, obj) -> bool`` shared by the apps' state machines.


def office(user, obj=None) -> bool:
    """德育处 (and administrators)."""
    return roles_of(user).is_office


def admin(user, obj=None) -> bool:
    """管理员 only."""
    return roles_of(user).is_admin


def office_users():
    """The active accounts of the office and the administrators."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name__in=[OFFICE, ADMIN]).distinct()
