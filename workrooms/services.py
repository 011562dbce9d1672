"""Writes about workrooms, host applications and school settings. Every
status change goes through the machines in ``workrooms.workflow``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.files import store_upload
from core.models import StatusChange
from core.workflow import TransitionRefused
from members.roles import EXPERT
from workrooms.access import (
    can_answer_objection,
    can_edit_settings,
    can_raise_objection,
)
from workrooms.models import (
    ApplicationAttachment,
    ExpertReview,
    HostApplication,
    Objection,
    RuleSet,
)
from workrooms.notifications import (
    expert_reviews_complete_notify,
    objection_answered_notify,
    objection_raised_notify,
)
from workrooms.selectors import (
    host_eligibility_for,
    notice_is_open,
    pending_application_of,
)
from workrooms.workflow import HOST_APPLICATION, WORKROOM, hosts_open_workroom

A = HostApplication.Status


def _eligibility_or_refuse(teacher, *, ruleset, commits_future_years: bool):
    eligibility = host_eligibility_for(teacher, ruleset=ruleset, commits_future_years=commits_future_years)
    if not eligibility.ok:
        failed = "；".join(f"{c.label}：{c.explanation}" for c in eligibility.failed)
        raise ValidationError(f"不符合主持人申报条件，不能提交。{failed}")
    return eligibility


def _attach(application, uploads, *, user):
    for upload in uploads:
        ApplicationAttachment.objects.create(application=application, file=store_upload(upload, user=user))


def application_submit(
    *,
    applicant,
    actor,
    research_direction: str,
    plan_summary: str,
    achievements_summary: str = "",
    commits_future_years: bool,
    uploads=(),
) -> HostApplication:
    """个人申报 (DOMAIN.md §4): refused while a hard criterion fails, while the
    teacher has another application in progress, or hosts an open workroom.
    Stores the eligibility found and the settings version it was judged by."""
    if actor.pk != applicant.user_id:
        raise PermissionDenied("只能本人申报。")
    if pending_application_of(applicant) is not None:
        raise ValidationError("您已有一份进行中的主持人申报，不能重复申报。")
    if hosts_open_workroom(applicant):
        raise ValidationError("您已主持一个未结题的工作室，不能再申报。")
    ruleset = RuleSet.objects.current()
    eligibility = _eligibility_or_refuse(applicant, ruleset=ruleset, commits_future_years=commits_future_years)
    application = HostApplication(
        applicant=applicant,
        research_direction=research_direction,
        plan_summary=plan_summary,
        achievements_summary=achievements_summary,
        commits_future_years=commits_future_years,
        eligibility=eligibility.as_json(),
        ruleset=ruleset,
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
            _attach(application, uploads, user=actor)
            # The submission opens the history that the machine continues.
            HOST_APPLICATION.record(application, actor=actor, action="submit", comment="提交申报")
    except IntegrityError:  # a concurrent submission won the one-pending constraint
        raise ValidationError("您已有一份进行中的主持人申报，不能重复申报。") from None
    return application


def application_resubmit(
    *,
    application: HostApplication,
    actor,
    research_direction: str,
    plan_summary: str,
    achievements_summary: str = "",
    commits_future_years: bool,
    uploads=(),
) -> HostApplication:
    """退回 → the applicant edits and resubmits; eligibility is checked again
    against the settings now in force, and the earlier expert assignment and
    reviews are cleared because they judged the earlier text."""
    if not HOST_APPLICATION.get("resubmit").allowed(actor, application):
        raise PermissionDenied("只有申报人本人可以修改申报。")
    if application.status != A.RETURNED:
        raise ValidationError(f"当前状态为「{application.get_status_display()}」，不能修改申报。")
    ruleset = RuleSet.objects.current()
    eligibility = _eligibility_or_refuse(
        application.applicant, ruleset=ruleset, commits_future_years=commits_future_years
    )
    application.research_direction = research_direction
    application.plan_summary = plan_summary
    application.achievements_summary = achievements_summary
    application.commits_future_years = commits_future_years
    application.eligibility = eligibility.as_json()
    application.ruleset = ruleset
    application.notice_starts_at = application.notice_ends_at = None
    application.full_clean(validate_constraints=False)
    with transaction.atomic():
        HOST_APPLICATION.apply(
            application,
            "resubmit",
            actor=actor,
            comment="修改后重新提交",
            save_fields=(
                "research_direction", "plan_summary", "achievements_summary", "commits_future_years",
                "eligibility", "ruleset", "notice_starts_at", "notice_ends_at", "updated_at",
            ),
        )
        application.experts.clear()
        application.expert_reviews.all().delete()
        _attach(application, uploads, user=actor)
    return application


def application_transition(
    *, application: HostApplication, action: str, actor, comment: str = "", experts=()
) -> StatusChange:
    """One review step of DOMAIN.md §4 (see ``workflow.HOST_APPLICATION``).
    德育处审核通过 assigns the expert reviewers in the same transaction."""
    if action == "resubmit":
        raise TransitionRefused("请通过修改申报页面重新提交。")
    try:
        with transaction.atomic():
            change = HOST_APPLICATION.apply(application, action, actor=actor, comment=comment)
            if action == "office_pass":
                experts = list(experts)
                if not experts:
                    raise TransitionRefused("请至少分配一位评审专家。")
                qualified = get_user_model().objects.filter(pk__in=[e.pk for e in experts], groups__name=EXPERT)
                if qualified.count() != len({e.pk for e in experts}):
                    raise TransitionRefused("评审专家须为「专家」组的用户。")
                if any(e.pk == application.applicant.user_id for e in experts):
                    raise TransitionRefused("申报人不能评审自己的申报。")
                application.experts.set(experts)
    except TransitionRefused:
        application.refresh_from_db()
        raise
    return change


def expert_review_submit(*, application: HostApplication, expert, score, recommend: bool, comment: str) -> ExpertReview:
    """专家评审: each assigned expert scores the application once (0–100)."""
    with transaction.atomic():
        locked = HostApplication.objects.select_for_update().get(pk=application.pk)
        if not locked.experts.filter(pk=expert.pk).exists():
            raise PermissionDenied("您不是该申报的评审专家。")
        if locked.status != A.EXPERT_REVIEW:
            raise ValidationError(f"当前状态为「{locked.get_status_display()}」，不在专家评审阶段。")
        if locked.expert_reviews.filter(expert=expert).exists():
            raise ValidationError("您已提交过评审意见，每位专家只能提交一次。")
        review = ExpertReview(application=locked, expert=expert, score=score, recommend=recommend, comment=comment)
        review.full_clean()
        review.save()
        if locked.expert_reviews.count() >= locked.experts.count():
            expert_reviews_complete_notify(application=locked)
    return review


def objection_raise(*, application: HostApplication, actor, text: str) -> Objection:
    """公示期异议: any teacher but the applicant, while the notice runs."""
    if not can_raise_objection(actor, application):
        raise PermissionDenied("您不能对该申报提出异议。")
    with transaction.atomic():
        locked = HostApplication.objects.select_for_update().get(pk=application.pk)
        if not notice_is_open(locked):
            raise ValidationError("该申报不在公示期内，不能提出异议。")
        objection = Objection(application=locked, raised_by=actor, text=text.strip())
        objection.full_clean()
        objection.save()
        objection_raised_notify(about=f"{locked.applicant.name}的主持人申报公示",
                                url=reverse("workrooms:application_detail", args=[locked.pk]))
    return objection


def objection_answer(*, objection: Objection, actor, answer: str) -> Objection:
    """德育处答复异议; every objection must be answered before 审批."""
    if not can_answer_objection(actor, objection.application):
        raise PermissionDenied("只有德育处可以答复异议。")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.answered_at is None and locked.application.status != A.PUBLIC_NOTICE:
            raise ValidationError("该申报已不在公示阶段。")
        locked.record_answer(answer=answer, actor=actor)
        transaction.on_commit(lambda: objection_answered_notify(
            objection=locked, about=f"{locked.application.applicant.name}的主持人申报公示",
            url=reverse("workrooms:application_detail", args=[locked.application_id]),
        ))
    return locked


def workroom_transition(*, workroom, action: str, actor, comment: str = "") -> StatusChange:
    """A step of the workroom lifecycle (DOMAIN.md §3), e.g. 挂牌运行."""
    try:
        return WORKROOM.apply(workroom, action, actor=actor, comment=comment)
    except TransitionRefused:
        workroom.refresh_from_db()
        raise


def ruleset_create_version(*, values: dict, actor, change_note: str) -> RuleSet:
    """学校设置: a change never edits a version; it saves the next one with
    ``values`` over the current settings."""
    if not can_edit_settings(actor):
        raise PermissionDenied("只有管理员可以修改学校设置。")
    return _next_version(values=values, actor=actor, change_note=change_note)


def ruleset_carry_forward(*, actor, change_note: str) -> RuleSet:
    """The settings in force, saved unchanged as the next version: a new
    school year starts from them (DOMAIN.md §11); the office may do this,
    changing settings stays with the administrator."""
    return _next_version(values={}, actor=actor, change_note=change_note)


def _next_version(*, values: dict, actor, change_note: str) -> RuleSet:
    if not change_note.strip():
        raise ValidationError("请填写修改说明。")
    with transaction.atomic():
        current = RuleSet.objects.select_for_update().order_by("-version").first() or RuleSet.objects.current()
        new = RuleSet.objects.get(pk=current.pk)
        new.pk = None
        new._state.adding = True
        for name, value in values.items():
            setattr(new, name, value)
        new.version = current.version + 1
        new.created_by = actor
        new.change_note = change_note.strip()
        new.full_clean()
        new.save()
    return new
