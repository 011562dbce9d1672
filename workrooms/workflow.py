"""Explicit state machines: every allowed transition in one table.

A transition names the states it leaves from, the state it reaches, and a
predicate saying who may perform it. ``Machine.apply`` is the only way a
status changes: it checks the actor and the source state, runs the
transition's guard (which raises ``TransitionRefused`` with a Chinese
message), saves the new status and records a ``StatusChange``. Anything
refused leaves the object exactly as it was."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from members.models import JoinRequest, Membership, MembershipChange
from members.roles import roles_of

from .models import HostApplication, RuleSet, StatusChange, Workroom


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
    # (obj, actor) -> None or a note, sets fields listed in effect_fields; a
    # note (what the effect did, e.g. the new dates) is recorded with the comment.
    effect: Callable | None = None
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
            note = t.effect(obj, actor) if t.effect else None
            obj.save(update_fields=["status", *t.effect_fields, *save_fields])
            comment = "\n".join(part for part in (comment.strip(), note) if part)
            return StatusChange.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                action=t.action,
                from_status=from_status,
                to_status=t.target,
                actor=actor,
                comment=comment,
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


def _final_excellent(workroom, actor):
    """Only a workroom whose final evaluation is 优秀 extends its cycle, once
    per final evaluation (DOMAIN.md §9.5)."""
    from assessment.honours import final_evaluation_of
    from assessment.rules.honours import cycle_extension_refusal

    final = final_evaluation_of(workroom)
    refusal = cycle_extension_refusal(
        final_grade=final.grade if final else None, already_extended=bool(final and final.cycle_extended_at)
    )
    if refusal:
        raise TransitionRefused(refusal)


def _extend_cycle(workroom, actor) -> str:
    """New cycle end = old end + the cycle length of the settings in force;
    the final evaluation it rests on is marked as used."""
    from assessment.honours import final_evaluation_of

    final = final_evaluation_of(workroom, lock=True)
    ruleset = RuleSet.objects.current()
    old_end = Workroom.objects.values_list("cycle_end", flat=True).get(pk=workroom.pk)
    workroom.cycle_end = add_years(old_end, ruleset.cycle_years)
    final.cycle_extended_at = timezone.now()
    final.save(update_fields=["cycle_extended_at"])
    concluded = timezone.localtime(final.concluded_at).date() if final.concluded_at else None
    return (
        f"建设周期由 {old_end:%Y-%m-%d} 延长至 {workroom.cycle_end:%Y-%m-%d}"
        f"（{ruleset.cycle_years} 年，学校设置第 {ruleset.version} 版），"
        f"依据{f'{concluded:%Y-%m-%d} ' if concluded else ''}终期评估{final.grade}（{final.total} 分）。"
    )


W = Workroom.Status

# 工作室状态 (DOMAIN.md §3): 申报中 → 已立项 → 运行中 → 中期评估 → 终期评估 → 已结题 | 已撤销.
# A mid-term failure revokes the workroom and stops its funding; a workroom
# whose final evaluation is 优秀 may extend its cycle and run on (§9.5).
WORKROOM = Machine(
    "workroom",
    [
        Transition("launch", "挂牌运行", (W.APPROVED,), W.RUNNING, _office),
        Transition("start_midterm", "启动中期评估", (W.RUNNING,), W.MIDTERM, _office),
        Transition("pass_midterm", "中期评估通过", (W.MIDTERM,), W.RUNNING, _office),
        Transition("start_final", "启动终期评估", (W.RUNNING,), W.FINAL, _office),
        Transition("complete", "结题", (W.FINAL,), W.COMPLETED, _office),
        Transition(
            "extend", "延长建设周期", (W.COMPLETED,), W.RUNNING, _office, needs_comment=True,
            guard=_final_excellent, effect=_extend_cycle, effect_fields=("cycle_end",), button="success",
        ),
        Transition(
            "revoke", "撤销工作室", (W.APPROVED, W.RUNNING, W.MIDTERM, W.FINAL), W.REVOKED, _office,
            needs_comment=True, effect=_stop_funding, effect_fields=("funding_stopped",), button="danger",
        ),
    ],
)


# --- 主持人申报 (DOMAIN.md §4) -------------------------------------------------


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _dept_reviewer(user, app) -> bool:
    # A reviewer never reviews their own application.
    r = roles_of(user)
    return app.applicant.department_id in r.reviewed_department_ids and app.applicant.user_id != user.pk


def _applicant(user, app) -> bool:
    return user.is_authenticated and app.applicant.user_id == user.pk


def _admin(user, obj) -> bool:
    return roles_of(user).is_admin


def _reviews_complete(app, actor):
    assigned = set(app.experts.values_list("id", flat=True))
    if not assigned:
        raise TransitionRefused("尚未分配评审专家。")
    missing = assigned - set(app.expert_reviews.values_list("expert_id", flat=True))
    if missing:
        raise TransitionRefused(f"还有 {len(missing)} 位评审专家未提交评审意见，不能作出结论。")


def _open_notice(app, actor):
    now = timezone.now()
    app.notice_starts_at = now
    app.notice_ends_at = now + timedelta(days=app.ruleset.public_notice_days)


def hosts_open_workroom(teacher) -> bool:
    return Membership.objects.current().filter(
        teacher=teacher, role=Membership.Role.HOST, workroom__status__in=Workroom.OPEN_STATUSES
    ).exists()


def _ready_for_approval(app, actor):
    if app.notice_ends_at is None or timezone.now() < app.notice_ends_at:
        ends = timezone.localtime(app.notice_ends_at).strftime("%Y-%m-%d %H:%M") if app.notice_ends_at else "—"
        raise TransitionRefused(f"公示期尚未结束（至 {ends}），公示期满后才能审批。")
    unanswered = app.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise TransitionRefused(f"还有 {unanswered} 条公示异议未答复，德育处答复后才能审批。")
    if hosts_open_workroom(app.applicant):
        raise TransitionRefused("申报人已主持一个未结题的工作室，不能再批准。")


def _create_workroom(app, actor):
    """审批: the workroom is created, named after its host, with its cycle
    from the settings in force on the day of approval (DOMAIN.md §3, §4)."""
    ruleset = RuleSet.objects.current()
    today = timezone.localdate()
    workroom = Workroom(
        name=Workroom.name_for(app.applicant.name),
        host=app.applicant,
        school_id=app.applicant.school_id,
        status=Workroom.Status.APPROVED,
        research_direction=app.research_direction,
        description=app.plan_summary,
        cycle_start=today,
        cycle_end=add_years(today, ruleset.cycle_years),
        ruleset=ruleset,
    )
    workroom.full_clean()
    workroom.save()
    host = Membership(
        workroom=workroom, teacher=app.applicant, role=Membership.Role.HOST, status=Membership.Status.ACTIVE, joined_on=today
    )
    host.full_clean()
    host.save()
    app.workroom = workroom


A = HostApplication.Status
PENDING_APPLICATION_STATUSES = (A.DEPT_REVIEW, A.OFFICE_REVIEW, A.EXPERT_REVIEW, A.PUBLIC_NOTICE, A.RETURNED)

# 个人申报 → 系部审核 → 德育处审核 → 专家评审 → 公示 → 审批 (DOMAIN.md §4).
# Every review step may return the application to the applicant, who edits
# and resubmits it (``resubmit`` is performed by the edit form, not a button).
HOST_APPLICATION = Machine(
    "host_application",
    [
        Transition("dept_pass", "系部审核通过", (A.DEPT_REVIEW,), A.OFFICE_REVIEW, _dept_reviewer),
        Transition("dept_return", "退回申报人", (A.DEPT_REVIEW,), A.RETURNED, _dept_reviewer, needs_comment=True, button="warning"),
        # Assigning the experts is part of this step (see services.application_transition).
        Transition("office_pass", "德育处审核通过并分配专家", (A.OFFICE_REVIEW,), A.EXPERT_REVIEW, _office),
        Transition("office_return", "退回申报人", (A.OFFICE_REVIEW,), A.RETURNED, _office, needs_comment=True, button="warning"),
        Transition(
            "start_notice", "评审通过，开始公示", (A.EXPERT_REVIEW,), A.PUBLIC_NOTICE, _office,
            guard=_reviews_complete, effect=_open_notice, effect_fields=("notice_starts_at", "notice_ends_at"),
        ),
        Transition("expert_return", "退回申报人", (A.EXPERT_REVIEW,), A.RETURNED, _office, needs_comment=True, button="warning"),
        Transition(
            "not_established", "不予立项", (A.EXPERT_REVIEW,), A.REJECTED, _office,
            needs_comment=True, guard=_reviews_complete, button="danger",
        ),
        Transition(
            "approve", "批准立项", (A.PUBLIC_NOTICE,), A.APPROVED, _admin,
            guard=_ready_for_approval, effect=_create_workroom, effect_fields=("workroom",), button="success",
        ),
        Transition("reject", "不予批准", (A.PUBLIC_NOTICE,), A.REJECTED, _admin, needs_comment=True, button="danger"),
        Transition("resubmit", "修改后重新提交", (A.RETURNED,), A.DEPT_REVIEW, _applicant),
        Transition("withdraw", "撤回申报", PENDING_APPLICATION_STATUSES, A.WITHDRAWN, _applicant, button="danger"),
    ],
)


# --- Membership changes ----------------------------------------------------
# Two-way selection, the agreement and withdrawal/removal (DOMAIN.md §5).


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


# --- Assessment periods ---------------------------------------------------------
# 考核周期 (DOMAIN.md §9): 录入中 → 公示中 → 已定稿. Publishing needs computed
# results; freezing needs every objection answered; after freezing nothing
# changes unless an administrator reopens the period with a recorded reason.


def _has_results(period, actor):
    if not period.results.exists():
        raise TransitionRefused("尚未计算结果，不能公示。请先计算结果。")


def _set_notice_end(period, actor):
    from datetime import timedelta

    from django.utils import timezone

    from .models import RuleSet

    days = (period.ruleset or RuleSet.objects.current()).public_notice_days
    period.notice_ends_on = timezone.localdate() + timedelta(days=days)


def _objections_answered(period, actor):
    open_count = period.objections.filter(answered_at__isnull=True).count()
    if open_count:
        raise TransitionRefused(f"还有 {open_count} 条异议未答复，不能定稿。")


ASSESSMENT_PERIOD = Machine(
    "assessment_period",
    [
        Transition(
            "publish", "公示结果", ("open",), "publicized", _office,
            guard=_has_results, effect=_set_notice_end, effect_fields=("notice_ends_on",),
        ),
        Transition("freeze", "定稿", ("publicized",), "frozen", _office, guard=_objections_answered),
        Transition("reopen", "重新开放修改", ("publicized", "frozen"), "open", _admin, needs_comment=True, button="danger"),
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
