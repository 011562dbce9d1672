"""The agreement signed by both sides, and withdrawal and removal through the
office (DOMAIN.md §5). Refusals leave everything as it was."""

import pytest
from django.core.exceptions import PermissionDenied

from core.workflow import TransitionRefused, history
from tests.factories import MembershipFactory
from workrooms.models import RuleSet
from workrooms.selection import services
from workrooms.selection.agreement import agreement_terms
from workrooms.selection.models import Membership, MembershipChange


@pytest.fixture
def place(join_request, host):
    """李堃 accepted by the host, the agreement not yet signed."""
    return services.join_request_accept(join_request=join_request, actor=host)


def test_it_activates_the_membership_once_both_have_signed(place, host, teacher):
    services.membership_sign_agreement(membership=place, actor=host)
    place.refresh_from_db()
    assert place.host_signed_at is not None
    assert (place.status, place.agreement_filed_at) == (Membership.Status.PENDING_AGREEMENT, None)

    services.membership_sign_agreement(membership=place, actor=teacher.user)
    place.refresh_from_db()
    assert place.status == Membership.Status.ACTIVE
    assert place.member_signed_at is not None and place.agreement_filed_at is not None
    assert [(s.action, s.from_status, s.to_status) for s in history(place)] == [
        ("accept", "", "pending_agreement"),
        ("host_signed", "pending_agreement", "pending_agreement"),
        ("member_signed", "pending_agreement", "pending_agreement"),
        ("file_agreement", "pending_agreement", "active"),
    ]


def test_it_works_in_either_order(place, host, teacher):
    services.membership_sign_agreement(membership=place, actor=teacher.user)
    services.membership_sign_agreement(membership=place, actor=host)
    place.refresh_from_db()
    assert place.status == Membership.Status.ACTIVE


def test_it_refuses_to_sign_twice(place, teacher):
    services.membership_sign_agreement(membership=place, actor=teacher.user)
    signed_at = Membership.objects.get(pk=place.pk).member_signed_at
    with pytest.raises(TransitionRefused, match="已签署过"):
        services.membership_sign_agreement(membership=place, actor=teacher.user)
    assert Membership.objects.get(pk=place.pk).member_signed_at == signed_at


@pytest.mark.parametrize("persona", ["office", "leader", "member", "outsider"])
def test_it_lets_only_host_and_member_sign(request, place, persona):
    with pytest.raises(PermissionDenied):
        services.membership_sign_agreement(membership=place, actor=request.getfixturevalue(persona))
    place.refresh_from_db()
    assert (place.host_signed_at, place.member_signed_at, place.status) == (None, None, "pending_agreement")


def test_it_words_the_agreement_from_the_settings(db):
    rs = RuleSet.objects.create(version=2, duty_training_hours_per_year=40, member_excellent_min=85)
    terms = agreement_terms(rs)
    assert any("每年参加培训不少于 40 课时" in t for t in terms.member_duties)
    assert any("总分 85 分及以上为优秀" in t for t in terms.assessment)


# --- withdrawal -----------------------------------------------------------------


@pytest.fixture
def membership(workroom, member):
    return Membership.objects.get(workroom=workroom, teacher__user=member)


def test_it_ends_a_membership_after_withdrawal_is_forwarded_and_approved(membership, member, host, office):
    change = services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="调往外地"
    )
    assert change.status == MembershipChange.Status.PENDING_HOST
    services.membership_change_forward(change=change, actor=host, comment="同意")
    services.membership_change_approve(change=change, actor=office, comment="准予退出")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.WITHDRAWN
    assert membership.left_on is not None
    assert membership.left_reason == "本人申请退出：调往外地"
    steps = [(s.action, s.actor) for s in history(change)]
    assert steps == [("create", member), ("forward", host), ("approve", office)]
    assert [s.action for s in history(membership)] == ["withdraw"]


def test_it_keeps_the_member_when_the_office_refuses(membership, member, host, office):
    change = services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="太忙"
    )
    services.membership_change_forward(change=change, actor=host)
    services.membership_change_refuse(change=change, actor=office, comment="请完成本学期任务")
    change.refresh_from_db()
    membership.refresh_from_db()
    assert change.status == MembershipChange.Status.REFUSED
    assert (membership.status, membership.left_on) == (Membership.Status.ACTIVE, None)


def test_it_requires_a_reason_to_refuse(membership, member, host, office):
    change = services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="太忙"
    )
    services.membership_change_forward(change=change, actor=host)
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        services.membership_change_refuse(change=change, actor=office, comment="")
    change.refresh_from_db()
    assert change.status == MembershipChange.Status.PENDING_OFFICE


@pytest.mark.parametrize("persona", ["host", "office", "teacher"])
def test_it_lets_only_the_member_apply_to_withdraw(request, membership, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    with pytest.raises(PermissionDenied):
        services.membership_change_create(
            membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=user, text="x"
        )
    assert not MembershipChange.objects.exists()


def test_it_refuses_approval_before_the_host_forwards(membership, member, office):
    change = services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="x"
    )
    with pytest.raises(TransitionRefused, match="待主持人转报"):
        services.membership_change_approve(change=change, actor=office)
    change.refresh_from_db()
    membership.refresh_from_db()
    assert (change.status, membership.status) == ("pending_host", "active")


@pytest.mark.parametrize("persona, action", [("member", "forward"), ("office", "forward"), ("leader", "forward"),
                                             ("host", "approve"), ("leader", "approve"), ("member", "refuse")])
def test_it_refuses_each_step_by_the_wrong_role(request, membership, member, host, persona, action):
    change = services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="x"
    )
    if action != "forward":
        services.membership_change_forward(change=change, actor=host)
    before = MembershipChange.objects.get(pk=change.pk).status
    service = getattr(services, f"membership_change_{action}")
    with pytest.raises(PermissionDenied):
        service(change=change, actor=request.getfixturevalue(persona), comment="理由")
    assert MembershipChange.objects.get(pk=change.pk).status == before
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE


def test_it_allows_one_open_request_per_member(membership, member, host):
    services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="x"
    )
    with pytest.raises(TransitionRefused, match="已有一份待处理"):
        services.membership_change_create(
            membership=membership, kind=MembershipChange.Kind.REMOVE, actor=host, text="缺席", reason="absence"
        )
    assert MembershipChange.objects.count() == 1


# --- removal --------------------------------------------------------------------


def test_it_removes_a_member_on_the_hosts_request_once_the_office_approves(membership, host, office):
    change = services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.REMOVE, actor=host, reason="absence", text="缺席 5 次"
    )
    assert change.status == MembershipChange.Status.PENDING_OFFICE
    services.membership_change_approve(change=change, actor=office)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REMOVED
    assert membership.left_reason == "缺席活动超过三分之一：缺席 5 次"


@pytest.mark.parametrize("persona", ["member", "leader", "teacher"])
def test_it_lets_only_the_host_or_the_office_ask_for_removal(request, membership, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    with pytest.raises(PermissionDenied):
        services.membership_change_create(
            membership=membership, kind=MembershipChange.Kind.REMOVE, actor=user, reason="failed", text="x"
        )
    assert not MembershipChange.objects.exists()


def test_it_refuses_to_remove_someone_who_already_left(workroom, host):
    gone = MembershipFactory(workroom=workroom, status=Membership.Status.WITHDRAWN)
    with pytest.raises(TransitionRefused, match="不在册"):
        services.membership_change_create(
            membership=gone, kind=MembershipChange.Kind.REMOVE, actor=host, reason="other", text="x"
        )
    assert not MembershipChange.objects.exists()
