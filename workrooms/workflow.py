"""Explicit state machines: every allowed transition in one table.

A transition names the states it leaves from, the state it reaches, and a
predicate saying who may perform it. ``Machine.apply`` is the only way a
status changes: it checks the actor and the source state, runs the
transition's guard (which raises ``TransitionRefused`` with a Chinese
message), saves the new status and records a ``StatusChange``. Anything
refused leaves the object exactly as it was."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from members.roles import roles_of

from .models import StatusChange, Workroom


class TransitionRefused(Exception):
    """A transition that is not allowed now; the message is for the user."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    allowed: Callable  # (user, obj) -> bool
    needs_comment: bool = False
    guard: Callable | None = None  # (obj, actor) -> None, raises TransitionRefused
    effect: Callable | None = None  # (obj, actor) -> None, sets fields listed in effect_fields
    effect_fields: tuple[str, ...] = ()
    button: str = "primary"


@dataclass
class Machine:
    name: str
    transitions: list[Transition] = field(default_factory=list)

    def get(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        raise TransitionRefused("未知的操作。")

    def available(self, user, obj) -> list[Transition]:
        return [t for t in self.transitions if obj.status in t.sources and t.allowed(user, obj)]

    def apply(self, obj, action: str, *, actor, comment: str = "", save_fields=()) -> StatusChange:
        """Perform ``action`` on ``obj`` as ``actor`` or refuse it unchanged.

        Raises ``PermissionDenied`` when the actor may not perform it and
        ``TransitionRefused`` when the object is not in a state that allows
        it (or its guard refuses)."""
        t = self.get(action)
        if not t.allowed(actor, obj):
            raise PermissionDenied("您无权执行此操作。")
        with transaction.atomic():
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            if locked.status not in t.sources:
                raise TransitionRefused(
                    f"当前状态为「{locked.get_status_display()}」，不能执行「{t.label}」。"
                )
            if t.needs_comment and not comment.strip():
                raise TransitionRefused(f"「{t.label}」需要填写意见。")
            if t.guard:
                t.guard(obj, actor)
            from_status = locked.status
            obj.status = t.target
            if t.effect:
                t.effect(obj, actor)
            obj.save(update_fields=["status", *t.effect_fields, *save_fields])
            return StatusChange.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                action=t.action,
                from_status=from_status,
                to_status=t.target,
                actor=actor,
                comment=comment.strip(),
            )


def history(obj):
    """The recorded transitions of ``obj``, oldest first, with their actors."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


def _office(user, obj) -> bool:
    return roles_of(user).is_office


def _stop_funding(workroom, actor):
    workroom.funding_stopped = True


W = Workroom.Status

# 工作室状态 (DOMAIN.md §3): 申报中 → 已立项 → 运行中 → 中期评估 → 终期评估 → 已结题 | 已撤销.
# A mid-term failure revokes the workroom and stops its funding.
WORKROOM = Machine(
    "workroom",
    [
        Transition("launch", "挂牌运行", (W.APPROVED,), W.RUNNING, _office),
        Transition("start_midterm", "启动中期评估", (W.RUNNING,), W.MIDTERM, _office),
        Transition("pass_midterm", "中期评估通过", (W.MIDTERM,), W.RUNNING, _office),
        Transition("start_final", "启动终期评估", (W.RUNNING,), W.FINAL, _office),
        Transition("complete", "结题", (W.FINAL,), W.COMPLETED, _office),
        Transition(
            "revoke", "撤销工作室", (W.APPROVED, W.RUNNING, W.MIDTERM, W.FINAL), W.REVOKED, _office,
            needs_comment=True, effect=_stop_funding, effect_fields=("funding_stopped",), button="danger",
        ),
    ],
)


# --- Membership changes ----------------------------------------------------
# Two-way selection, the agreement and withdrawal/removal (DOMAIN.md §5).

from django.utils import timezone  # noqa: E402

from members.models import JoinRequest, Membership, MembershipChange  # noqa: E402


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
# ``members.services.join_request_accept``, which checks eligibility and caps.
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
)


def _signer(user, membership) -> bool:
    return _hosts(user, membership.workroom_id) or _is_teacher(user, membership.teacher_id)


def _both_signed(membership, actor):
    if not (membership.host_signed_at and membership.member_signed_at):
        raise TransitionRefused("协议须由主持人和成员双方签署后方可备案。")


def _file_agreement(membership, actor):
    membership.agreement_filed_at = timezone.now()


def _leave(membership, actor):
    membership.left_on = timezone.localdate()


M = Membership.Status

# 成员身份: a place held pending the agreement becomes active once both have
# signed (the agreement is then filed with the office); the office's approval
# of a withdrawal or removal ends it.
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
)


def record_step(obj, *, actor, action: str = "create", from_status: str = "", comment: str = "") -> StatusChange:
    """Record a step that is not a status transition: the creation of an
    object in its initial state (who asked, when, why), or a signature on
    the way to the next transition."""
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        from_status=from_status,
        to_status=obj.status,
        actor=actor,
        comment=comment.strip(),
    )
