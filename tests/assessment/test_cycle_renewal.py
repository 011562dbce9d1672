"""Renewal (DOMAIN.md §11): extending the cycle of an excellent workroom
starts a new term for its host and keeps the members who stay."""

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.rules.evaluation import rubric_items
from core.workflow import history
from members import roles
from members.roles import roles_of
from tests import factories as f
from tests.assessment.factories import evaluation_made_final
from workrooms.selection.models import Membership
from workrooms.workflow import WORKROOM

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(db):
    return [f.UserFactory(username=f"expert{i}", groups=[roles.EXPERT]) for i in range(2)]


def test_the_extension_starts_new_terms_for_the_host_and_the_members_who_stay(workroom, office, experts, host, member):
    stays = Membership.objects.get(workroom=workroom, teacher__user=member)
    leaves = f.MembershipFactory(workroom=workroom)
    evaluation = services.evaluation_open(workroom=workroom, kind="final", experts=experts, actor=office)
    for expert in experts:
        services.evaluation_scores_save(evaluation=evaluation, scores={i.code: D("95") for i in rubric_items()}, actor=expert)
    services.evaluation_conclude(evaluation=evaluation, actor=office)
    evaluation_made_final(evaluation, office)
    # Between completion and extension one member joins another workroom.
    f.MembershipFactory(teacher=leaves.teacher)

    change = WORKROOM.apply(workroom, "extend", actor=office, comment="续建")

    current = Membership.objects.current().filter(workroom=workroom).order_by("role")
    assert [(m.teacher_id, m.role, m.status) for m in current] == [
        (workroom.host_id, "host", "active"), (stays.teacher_id, "member", "active")
    ]
    # The previous terms stay as they ended.
    assert Membership.objects.filter(workroom=workroom, status="completed").count() == 3
    renewed = current.get(role="member")
    assert renewed.agreement_filed_at == stays.agreement_filed_at
    assert history(renewed).last().action == "renew"
    assert "主持人开始新的任期，1 名成员续聘。" in change.comment
    assert workroom.pk in roles_of(type(host).objects.get(pk=host.pk)).hosted_workroom_ids
