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


# --- Member records: host review and office verification (DOMAIN.md §7) ---


def _record_reviewer(user, record) -> bool:
    from members.record_access import can_review_record

    return can_review_record(user, record)


def _record_owner(user, record) -> bool:
    return user.is_authenticated and record.teacher.user_id == user.pk


def _mark_reviewed(record, actor):
    from django.utils import timezone

    record.reviewed_by = actor
    record.reviewed_at = timezone.now()


# 读书记录 and writings: 待审阅 → 已通过 (locked) | 已退回 → (owner edits) 待审阅.
RECORD_REVIEW = Machine(
    "record_review",
    [
        Transition(
            "accept", "通过", ("submitted",), "accepted", _record_reviewer,
            effect=_mark_reviewed, effect_fields=("reviewed_by", "reviewed_at"), button="success",
        ),
        Transition(
            "return", "退回修改", ("submitted",), "returned", _record_reviewer, needs_comment=True,
            effect=_mark_reviewed, effect_fields=("reviewed_by", "reviewed_at"), button="warning",
        ),
        Transition("resubmit", "重新提交", ("returned",), "submitted", _record_owner),
    ],
)


def _achievement_verifier(user, achievement) -> bool:
    from members.record_access import can_verify_achievement

    return can_verify_achievement(user, achievement)


def _mark_verified(achievement, actor):
    from django.utils import timezone

    achievement.verified_by = actor
    achievement.verified_at = timezone.now()


# 成果/荣誉: 待认定 → 已认定 (counts, locked) | 未予认定 → (owner edits) 待认定.
ACHIEVEMENT = Machine(
    "achievement",
    [
        Transition(
            "verify", "认定", ("pending",), "verified", _achievement_verifier,
            effect=_mark_verified, effect_fields=("verified_by", "verified_at"), button="success",
        ),
        Transition(
            "reject", "不予认定", ("pending",), "rejected", _achievement_verifier, needs_comment=True,
            effect=_mark_verified, effect_fields=("verified_by", "verified_at"), button="warning",
        ),
        Transition("resubmit", "重新提交", ("rejected",), "pending", _record_owner),
    ],
)


# --- Research projects (DOMAIN.md §7) -----------------------------------


def _project_manager(user, project) -> bool:
    from members.record_access import can_manage_project

    return can_manage_project(user, project)


def _stage_documents_on_file(project, actor):
    """A stage closes only with its required documents (课题管理制度)."""
    from members.models import StageDocument
    from members.record_rules import ResearchStatus, missing_documents

    kinds = StageDocument.objects.filter(stage__project=project, stage__stage=project.status).values_list("kind", flat=True)
    missing = missing_documents(project.status, kinds)
    if missing:
        raise TransitionRefused(
            f"「{ResearchStatus(project.status).label}」阶段缺少必需材料：{'、'.join(missing)}。请先上传，再结束本阶段。"
        )


# 课题: 立项 → 开题 → 中期 → 结题 → 已结题; each step closes the current stage.
RESEARCH_PROJECT = Machine(
    "research_project",
    [
        Transition("close_approval", "完成立项，进入开题", ("approval",), "opening", _project_manager, guard=_stage_documents_on_file),
        Transition("close_opening", "完成开题，进入中期", ("opening",), "midterm", _project_manager, guard=_stage_documents_on_file),
        Transition("close_midterm", "完成中期，进入结题", ("midterm",), "conclusion", _project_manager, guard=_stage_documents_on_file),
        Transition("conclude", "结题", ("conclusion",), "completed", _project_manager, guard=_stage_documents_on_file, button="success"),
    ],
)
