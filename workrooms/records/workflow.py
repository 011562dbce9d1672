"""The state machines of members' records (DOMAIN.md §7): host review,
office verification of achievements, research project stages."""

from django.utils import timezone

from core.workflow import Machine, Transition, TransitionRefused
from workrooms.records.access import (
    can_manage_project,
    can_review_record,
    can_verify_achievement,
)
from workrooms.records.models import StageDocument
from workrooms.records.notifications import (
    achievement_event_notify,
    record_review_event_notify,
)
from workrooms.records.rules import ResearchStatus, missing_documents


def _record_reviewer(user, record) -> bool:
    return can_review_record(user, record)


def _record_owner(user, record) -> bool:
    return user.is_authenticated and record.teacher.user_id == user.pk


def _mark_reviewed(record, actor):
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
    on_change=record_review_event_notify,
)


def _achievement_verifier(user, achievement) -> bool:
    return can_verify_achievement(user, achievement)


def _mark_verified(achievement, actor):
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
    on_change=achievement_event_notify,
)


def _project_manager(user, project) -> bool:
    return can_manage_project(user, project)


def _stage_documents_on_file(project, actor):
    """A stage closes only with its required documents (课题管理制度)."""
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
