"""Factories for the selection models."""

import factory

from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    TeacherFactory,
    WorkroomFactory,
)
from workrooms.selection.models import JoinRequest, MembershipChange


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    workroom = factory.SubFactory(WorkroomFactory)
    teacher = factory.SubFactory(TeacherFactory)
    message = "希望加入工作室学习。"


class MembershipChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipChange

    membership = factory.SubFactory(MembershipFactory)
    kind = MembershipChange.Kind.WITHDRAW
    reason = MembershipChange.Reason.WITHDRAW
    text = "工作调动"
    status = MembershipChange.Status.PENDING_HOST
    requested_by = factory.SelfAttribute("membership.teacher.user")


def fill_workroom(workroom, n, *, school=None):
    """Give ``workroom`` ``n`` active members (from another school unless told)."""
    school = school or SchoolFactory(name="兄弟学校")
    return [MembershipFactory(workroom=workroom, teacher=TeacherFactory(school=school)) for _ in range(n)]
