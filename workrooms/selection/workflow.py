"""The state machines of the two-way selection (DOMAIN.md §5): join
requests, memberships and withdrawals or removals."""

from django.utils import timezone

from core.calendar import school_today
from core.workflow import Machine, Transition, TransitionRefused
from members.roles import office as _office
from members.roles import roles_of
from workrooms.models import JoinRequest, Membership, MembershipChange
from workrooms.selection.notifications import (
    join_request_event_notify,
    membership_change_event_notify,
)


def _hosts(user, workroom_id) -> bool:
    return workroom_id in roles_of(user).hosted_workroom_ids


def _is_teacher(user, teacher_id) -> bool:
    teacher = roles_of(user).teacher
    return teacher is not None and teacher.pk == teacher_id


def _host_of_request(user, join_request) -> bool:
    return _hosts(user, join_request.workroom_id)


def _requester(user, join_request) -> bool:
    return _is_teacher(user, join_request.teacher_id)


def _stamp_decision(join_request, actor):
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()


J = JoinRequest.Status


# 加入申请: the teacher asks, the host accepts or declines (with a reason), or
# the teacher withdraws the request while it waits. Acceptance is wrapped by
# ``workrooms.selection.services.join_request_accept``, which checks eligibility and caps.
JOIN_REQUEST = Machine(
    "join_request",
    [
        Transition(
            "accept", "接受", (J.PENDING,), J.ACCEPTED, _host_of_request,
            effect=_stamp_decision, effect_fields=("decided_by", "decided_at", "decision_comment"), button="success",
        ),
        Transition(
            "decline", "婉拒", (J.PENDING,), J.DECLINED, _host_of_request, needs_comment=True,
            effect=_stamp_decision, effect_fields=("decided_by", "decided_at", "decision_comment"), button="danger",
        ),
        Transition("cancel", "撤回申请", (J.PENDING,), J.CANCELLED, _requester, button="secondary"),
    ],
    on_change=join_request_event_notify,
)


def _signer(user, membership) -> bool:
    return _hosts(user, membership.workroom_id) or _is_teacher(user, membership.teacher_id)


def _both_signed(membership, actor):
    if not (membership.host_signed_at and membership.member_signed_at):
        raise TransitionRefused("协议须由主持人和成员双方签署后方可备案。")


def _file_agreement(membership, actor):
    membership.agreement_filed_at = timezone.now()


def _leave(membership, actor):
    membership.left_on = school_today()


M = Membership.Status


# 成员身份: a place held pending the agreement becomes active once both have
# signed (the agreement is then filed with the office); the office's approval
# of a withdrawal or removal ends it, and so does the end of the workroom's
# cycle (DOMAIN.md §11): completion ends every active term as 已结业 (a place
# whose agreement was never filed as 已终止), revocation every term as 已终止.
# Renewal starts a new term (a new row), so each term keeps its history.
MEMBERSHIP = Machine(
    "membership",
    [
        Transition(
            "file_agreement", "协议备案", (M.PENDING_AGREEMENT,), M.ACTIVE, _signer,
            guard=_both_signed, effect=_file_agreement, effect_fields=("agreement_filed_at",),
        ),
        Transition(
            "withdraw", "退出工作室", (M.PENDING_AGREEMENT, M.ACTIVE), M.WITHDRAWN, _office,
            effect=_leave, effect_fields=("left_on",),
        ),
        Transition(
            "remove", "调整出工作室", (M.PENDING_AGREEMENT, M.ACTIVE), M.REMOVED, _office,
            effect=_leave, effect_fields=("left_on",),
        ),
        Transition(
            "complete", "期满结业", (M.PENDING_AGREEMENT, M.ACTIVE), M.COMPLETED, _office,
            effect=_leave, effect_fields=("left_on",),
        ),
        Transition(
            "end", "聘期终止", (M.PENDING_AGREEMENT, M.ACTIVE), M.ENDED, _office,
            effect=_leave, effect_fields=("left_on",),
        ),
    ],
)


def _host_of_change(user, change) -> bool:
    return _hosts(user, change.membership.workroom_id)


def _stamp_change(change, actor):
    change.decided_at = timezone.now()


C = MembershipChange.Status


# 退出/调整: a member's withdrawal goes to the host, who forwards it to the
# office; a host's removal request goes straight to the office. Only the
# office approves or refuses; approval ends the membership (``MEMBERSHIP``).
MEMBERSHIP_CHANGE = Machine(
    "membership_change",
    [
        Transition("forward", "转报德育处", (C.PENDING_HOST,), C.PENDING_OFFICE, _host_of_change),
        Transition(
            "approve", "批准", (C.PENDING_OFFICE,), C.APPROVED, _office,
            effect=_stamp_change, effect_fields=("decided_at",), button="success",
        ),
        Transition(
            "refuse", "不予批准", (C.PENDING_OFFICE,), C.REFUSED, _office, needs_comment=True,
            effect=_stamp_change, effect_fields=("decided_at",), button="danger",
        ),
    ],
    on_change=membership_change_event_notify,
)
