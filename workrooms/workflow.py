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


# --- Plans -----------------------------------------------------------------

from .models import WorkroomPlan  # noqa: E402


def _plan_host(user, plan) -> bool:
    return plan.workroom_id in roles_of(user).hosted_workroom_ids


P = WorkroomPlan.Status

# 计划备案 (DOMAIN.md §3): the host submits, the office files (备案) or returns
# it with comments; a resubmission (a new version) goes back to the office.
PLAN = Machine(
    "plan",
    [
        Transition("file", "备案", (P.SUBMITTED,), P.FILED, _office),
        Transition("return", "退回修改", (P.SUBMITTED,), P.RETURNED, _office, needs_comment=True, button="warning"),
        Transition("resubmit", "提交新版本", (P.RETURNED, P.FILED), P.SUBMITTED, _plan_host),
    ],
)
