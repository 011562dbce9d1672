"""Writes about people: two-way selection, the agreement, withdrawal and
removal (DOMAIN.md §5). Every status change goes through a machine of
``workrooms.workflow``, which checks the actor and records the step."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.calendar import school_today
from core.workflow import TransitionRefused
from members.models import Teacher
from members.roles import roles_of
from members.selectors import member_eligibility_of
from workrooms.appointments import appointment_ended, appointment_started
from workrooms.models import RuleSet, Workroom
from workrooms.selection.caps import CapRules, cap_refusals
from workrooms.selection.models import JoinRequest, Membership, MembershipChange
from workrooms.selection.notifications import join_request_created_notify
from workrooms.selection.selectors import place_facts
from workrooms.selection.workflow import JOIN_REQUEST, MEMBERSHIP, MEMBERSHIP_CHANGE


class SelectionRefused(TransitionRefused):
    """Acceptance or a request refused by the rules; ``messages`` lists each reason."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


def _eligibility_refusals(teacher, ruleset) -> list[str]:
    return [f"{c.label}：{c.explanation}" for c in member_eligibility_of(teacher, ruleset).failed]


def join_request_create(*, teacher: Teacher, workroom: Workroom, message: str = "", actor) -> JoinRequest:
    """A teacher asks to join a running workroom (双向选择). Refused while a
    member criterion fails, while a request is pending, or when the teacher
    already holds a place in the workroom."""
    if actor.pk != teacher.user_id:
        raise PermissionDenied("只能以本人名义申请加入工作室。")
    if workroom.status != Workroom.Status.RUNNING:
        raise SelectionRefused([f"该工作室当前为「{workroom.get_status_display()}」，不接受加入申请。"])
    refusals = _eligibility_refusals(teacher, RuleSet.objects.current())
    if Membership.objects.current().filter(workroom=workroom, teacher=teacher).exists():
        refusals.append("您已是该工作室的主持人或成员。")
    if JoinRequest.objects.filter(workroom=workroom, teacher=teacher, status=JoinRequest.Status.PENDING).exists():
        refusals.append("您已有一份待主持人答复的申请，请勿重复提交。")
    if refusals:
        raise SelectionRefused(refusals)
    request = JoinRequest(workroom=workroom, teacher=teacher, message=message.strip())
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
            JOIN_REQUEST.record(request, actor=actor, comment=request.message)
            join_request_created_notify(join_request=request)
    except IntegrityError:  # a second submission raced the first
        raise SelectionRefused(["您已有一份待主持人答复的申请，请勿重复提交。"]) from None
    return request


def join_request_cancel(*, join_request: JoinRequest, actor) -> None:
    """The teacher withdraws a request that still waits for the host."""
    JOIN_REQUEST.apply(join_request, "cancel", actor=actor)


def join_request_decline(*, join_request: JoinRequest, actor, comment: str) -> None:
    """The host declines, giving the teacher a reason."""
    join_request.decision_comment = comment.strip()
    JOIN_REQUEST.apply(join_request, "decline", actor=actor, comment=comment)


def join_request_accept(*, join_request: JoinRequest, actor, comment: str = "") -> Membership:
    """The host accepts: the teacher gets a place pending the agreement.

    One transaction locks the workroom row, then the teacher row (always in
    this order, so two acceptances cannot deadlock), then re-checks member
    eligibility and the caps of ``workrooms.selection.caps`` against the counts as they
    are under the locks. Two hosts or two requests racing for the last place
    are serialised by the workroom lock; one teacher accepted by two
    workrooms at once is serialised by the teacher lock. Any refusal raises
    ``SelectionRefused`` and changes nothing."""
    if not JOIN_REQUEST.get("accept").allowed(actor, join_request):
        raise PermissionDenied("您无权答复该申请。")
    with transaction.atomic():
        workroom = Workroom.objects.select_for_update().get(pk=join_request.workroom_id)
        teacher = Teacher.objects.select_for_update().get(pk=join_request.teacher_id)
        status = JoinRequest.objects.values_list("status", flat=True).get(pk=join_request.pk)
        if status != JoinRequest.Status.PENDING:
            raise TransitionRefused(f"该申请当前为「{JoinRequest.Status(status).label}」，不能再接受。")
        ruleset = RuleSet.objects.current()
        refusals = []
        if workroom.status != Workroom.Status.RUNNING:
            refusals.append(f"该工作室当前为「{workroom.get_status_display()}」，不能接收新成员。")
        refusals += _eligibility_refusals(teacher, ruleset)
        facts = place_facts(workroom=workroom, teacher=teacher)
        if Membership.objects.current().filter(workroom=workroom, teacher=teacher).exists():
            refusals.append(f"{teacher.name}已是本工作室的成员。")
        else:
            refusals += cap_refusals(facts, CapRules.from_ruleset(ruleset))
        if refusals:
            raise SelectionRefused(refusals)
        join_request.decision_comment = comment.strip()
        JOIN_REQUEST.apply(join_request, "accept", actor=actor, comment=comment)
        membership = Membership(
            workroom=workroom,
            teacher=teacher,
            role=Membership.Role.MEMBER,
            status=Membership.Status.PENDING_AGREEMENT,
            agreement_ruleset=ruleset,
        )
        membership.full_clean(validate_constraints=False)
        membership.save()
        MEMBERSHIP.record(membership, actor=actor, action="accept", comment=comment)
        return membership


def membership_sign_agreement(*, membership: Membership, actor) -> Membership:
    """The host or the member signs the agreement (协议, DOMAIN.md §5). When
    both have signed, the agreement is filed and the membership is active."""
    r = roles_of(actor)
    as_host = membership.workroom_id in r.hosted_workroom_ids
    as_member = r.teacher is not None and r.teacher.pk == membership.teacher_id
    if not (as_host or as_member):
        raise PermissionDenied("只有主持人和成员本人可以签署协议。")
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status != Membership.Status.PENDING_AGREEMENT:
            raise TransitionRefused(f"当前状态为「{locked.get_status_display()}」，无需签署协议。")
        field = "host_signed_at" if as_host else "member_signed_at"
        if getattr(locked, field):
            raise TransitionRefused("您已签署过该协议。")
        setattr(locked, field, timezone.now())
        locked.save(update_fields=[field])
        MEMBERSHIP.record(locked, actor=actor, action=field.removesuffix("_at"), from_status=locked.status)
        if locked.host_signed_at and locked.member_signed_at:
            MEMBERSHIP.apply(locked, "file_agreement", actor=actor)
            appointment_started(membership=locked, actor=actor)  # the 成员聘书 (archives)
    membership.refresh_from_db()
    return membership


def membership_change_create(
    *, membership: Membership, kind: str, actor, text: str, reason: str = MembershipChange.Reason.WITHDRAW
) -> MembershipChange:
    """A member applies to withdraw (goes to the host first), or the host (or
    the office itself) asks to remove a member (goes to the office), DOMAIN.md §5."""
    r = roles_of(actor)
    if kind == MembershipChange.Kind.WITHDRAW:
        if r.teacher is None or r.teacher.pk != membership.teacher_id:
            raise PermissionDenied("只有成员本人可以申请退出。")
        reason, status = MembershipChange.Reason.WITHDRAW, MembershipChange.Status.PENDING_HOST
    else:
        # The office may file it too: an absence over the limit or a failed
        # annual assessment is flagged to the office as well (DOMAIN.md §11).
        if membership.workroom_id not in r.hosted_workroom_ids and not r.is_office:
            raise PermissionDenied("只有本工作室主持人或德育处可以申请调整成员。")
        if reason == MembershipChange.Reason.WITHDRAW:
            raise ValidationError({"reason": "请选择调整原因。"})
        status = MembershipChange.Status.PENDING_OFFICE
    if membership.role != Membership.Role.MEMBER or membership.status not in Membership.CURRENT_STATUSES:
        raise TransitionRefused("该成员当前不在册，不能申请退出或调整。")
    change = MembershipChange(
        membership=membership, kind=kind, reason=reason, text=text.strip(), status=status, requested_by=actor
    )
    change.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            change.save()
            MEMBERSHIP_CHANGE.record(change, actor=actor, comment=change.text)
    except IntegrityError:
        raise TransitionRefused("该成员已有一份待处理的退出/调整申请。") from None
    return change


def membership_change_forward(*, change: MembershipChange, actor, comment: str = "") -> None:
    """The host forwards a member's withdrawal request to the office."""
    MEMBERSHIP_CHANGE.apply(change, "forward", actor=actor, comment=comment)


def membership_change_refuse(*, change: MembershipChange, actor, comment: str) -> None:
    """The office refuses; the membership stays as it is."""
    MEMBERSHIP_CHANGE.apply(change, "refuse", actor=actor, comment=comment)


def membership_change_approve(*, change: MembershipChange, actor, comment: str = "") -> None:
    """The office approves: the membership ends as withdrawn or removed, with
    the day and the reason recorded."""
    with transaction.atomic():
        MEMBERSHIP_CHANGE.apply(change, "approve", actor=actor, comment=comment)
        membership = Membership.objects.select_for_update().get(pk=change.membership_id)
        membership.left_reason = f"{change.get_reason_display()}：{change.text}"
        action = "withdraw" if change.kind == MembershipChange.Kind.WITHDRAW else "remove"
        MEMBERSHIP.apply(membership, action, actor=actor, comment=comment, save_fields=("left_reason",))
        appointment_ended(membership=membership, actor=actor, reason=membership.left_reason)  # revokes the 成员聘书


# --- Cycle end and renewal (DOMAIN.md §11) -------------------------------------

def workroom_terms_end(*, workroom: Workroom, revoked: bool, actor) -> str:
    """Completion or revocation (``revoked``) of a workroom ends the host's
    term and every membership in it, each through the membership machine, so
    each keeps its end date, its reason and the step in its history
    (DOMAIN.md §11). At completion an active term ends as 已结业; a place
    whose agreement was never filed, and every term of a revoked workroom,
    as 已终止. Returns a note for the workroom's own history."""
    current = list(Membership.objects.current().filter(workroom=workroom).order_by("role", "pk"))
    for membership in current:
        if revoked:
            action, reason = "end", "工作室被撤销"
        elif membership.status == Membership.Status.ACTIVE:
            action, reason = "complete", "工作室结题，聘期届满"
        else:
            action, reason = "end", "工作室结题时协议尚未备案"
        membership.left_reason = reason
        MEMBERSHIP.apply(membership, action, actor=actor, comment=reason, save_fields=("left_reason",))
    if not current:
        return ""
    members = sum(m.role == Membership.Role.MEMBER for m in current)
    return f"主持人任期与 {members} 名成员的聘期随之结束。"


def workroom_terms_renew(*, workroom: Workroom, actor) -> str:
    """Renewal (a new cycle after an extension, DOMAIN.md §11): the host
    starts a new term, and the members whose term ended with the completion
    stay on in a new term, unless they have since joined another workroom.
    The new term carries the filed agreement on; the ended row stays as the
    history of the previous term. Returns a note for the workroom's history."""
    ended = Membership.objects.filter(workroom=workroom, status=Membership.Status.COMPLETED)
    last_day = ended.order_by("-left_on").values_list("left_on", flat=True).first()
    if last_day is None:
        return ""
    placed_elsewhere = set(Membership.objects.current().values_list("teacher_id", flat=True))
    today = school_today()
    stayed = 0
    for old in ended.filter(left_on=last_day).order_by("role", "pk"):
        if old.teacher_id in placed_elsewhere:
            continue
        term = Membership(
            workroom=workroom, teacher_id=old.teacher_id, role=old.role, status=Membership.Status.ACTIVE,
            joined_on=today, is_archivist=old.is_archivist, host_signed_at=old.host_signed_at,
            member_signed_at=old.member_signed_at, agreement_filed_at=old.agreement_filed_at,
            agreement_ruleset_id=old.agreement_ruleset_id,
        )
        term.full_clean(validate_constraints=False)
        term.save()
        MEMBERSHIP.record(term, actor=actor, action="renew", comment=f"建设周期延长，续聘（上一聘期至 {last_day:%Y-%m-%d}）")
        placed_elsewhere.add(old.teacher_id)
        stayed += old.role == Membership.Role.MEMBER
    return f"主持人开始新的任期，{stayed} 名成员续聘。"
