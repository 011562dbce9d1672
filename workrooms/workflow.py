"""The state machines of workrooms and host applications (DOMAIN.md §3, §4),
on the engine of ``core.workflow``."""

from datetime import timedelta

from django.utils import timezone

from core.calendar import add_years, school_today
from core.workflow import Machine, Transition, TransitionRefused
from members.roles import admin as _admin
from members.roles import office as _office
from members.roles import roles_of
from workrooms.appointments import workroom_approved
from workrooms.models import HostApplication, Membership, RuleSet, Workroom
from workrooms.notifications import application_event_notify, workroom_event_notify
from workrooms.selection.services import workroom_terms_end


def _complete(workroom, actor) -> str:
    """结题 ends the host's term and the members' (DOMAIN.md §11)."""
    return workroom_terms_end(workroom=workroom, revoked=False, actor=actor)


def _revoke(workroom, actor) -> str:
    """撤销 stops the funding and ends every term in the workroom (§3, §11)."""
    workroom.funding_stopped = True
    return workroom_terms_end(workroom=workroom, revoked=True, actor=actor)


W = Workroom.Status

# 工作室状态 (DOMAIN.md §3): 申报中 → 已立项 → 运行中 → 中期评估 → 终期评估 → 已结题 | 已撤销.
# A mid-term failure revokes the workroom and stops its funding; a workroom
# whose final evaluation is 优秀 may extend its cycle and run on (§9.5): the
# ``extend`` transition reads the evaluation, so ``assessment.workflow`` adds it.
WORKROOM = Machine(
    "workroom",
    [
        Transition("launch", "挂牌运行", (W.APPROVED,), W.RUNNING, _office),
        Transition("start_midterm", "启动中期评估", (W.RUNNING,), W.MIDTERM, _office),
        Transition("pass_midterm", "中期评估通过", (W.MIDTERM,), W.RUNNING, _office),
        Transition("start_final", "启动终期评估", (W.RUNNING,), W.FINAL, _office),
        Transition("complete", "结题", (W.FINAL,), W.COMPLETED, _office, effect=_complete),
        Transition(
            "revoke", "撤销工作室", (W.APPROVED, W.RUNNING, W.MIDTERM, W.FINAL), W.REVOKED, _office,
            needs_comment=True, effect=_revoke, effect_fields=("funding_stopped",), button="danger",
        ),
    ],
    on_change=workroom_event_notify,
)


# --- 主持人申报 (DOMAIN.md §4) -------------------------------------------------


def _dept_reviewer(user, app) -> bool:
    # A reviewer never reviews their own application.
    r = roles_of(user)
    return app.applicant.department_id in r.reviewed_department_ids and app.applicant.user_id != user.pk


def _applicant(user, app) -> bool:
    return user.is_authenticated and app.applicant.user_id == user.pk


def _reviews_complete(app, actor):
    assigned = set(app.experts.values_list("id", flat=True))
    if not assigned:
        raise TransitionRefused("尚未分配评审专家。")
    missing = assigned - set(app.expert_reviews.values_list("expert_id", flat=True))
    if missing:
        raise TransitionRefused(f"还有 {len(missing)} 份评审未提交，评审专家全部提交后才能作出结论。")


def _open_notice(app, actor):
    now = timezone.now()
    app.notice_starts_at = now
    app.notice_ends_at = now + timedelta(days=app.ruleset.public_notice_days)


def hosts_open_workroom(teacher) -> bool:
    return Membership.objects.current().filter(
        teacher=teacher, role=Membership.Role.HOST, workroom__status__in=Workroom.OPEN_STATUSES
    ).exists()


def _ready_for_approval(app, actor):
    if app.notice_ends_at is None:
        raise TransitionRefused("公示期尚未结束，公示期满后才能审批。")
    if timezone.now() < app.notice_ends_at:
        ends = timezone.localtime(app.notice_ends_at)
        raise TransitionRefused(f"公示期尚未结束：公示期至 {ends.month}月{ends.day}日 {ends:%H:%M} 结束，期满后才能审批。")
    unanswered = app.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise TransitionRefused(f"还有 {unanswered} 条公示异议未答复，德育处答复后才能审批。")
    if hosts_open_workroom(app.applicant):
        raise TransitionRefused("申报人已主持一个未结题的工作室，不能再批准。")


def _create_workroom(app, actor):
    """审批: the workroom is created, named after its host, with its cycle
    from the settings in force on the day of approval (DOMAIN.md §3, §4)."""
    ruleset = RuleSet.objects.current()
    today = school_today()
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
    workroom_approved(workroom=workroom, actor=actor)  # the 聘书 and the 挂牌证书 (archives)


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
    on_change=application_event_notify,
)


# --- Membership changes ----------------------------------------------------
# Two-way selection, the agreement and withdrawal/removal (DOMAIN.md §5).


# --- Assessment periods ---------------------------------------------------------
# 考核周期 (DOMAIN.md §9): 录入中 → 公示中 → 已定稿. Publishing needs computed
# results; freezing needs every objection answered; after freezing nothing
# changes unless an administrator reopens the period with a recorded reason.


# --- Member records: host review and office verification (DOMAIN.md §7) ---


# --- Research projects (DOMAIN.md §7) -----------------------------------


# --- Plans -----------------------------------------------------------------

