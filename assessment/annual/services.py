"""Writes of the annual member assessment (DOMAIN.md §9.4, §11): the host
confirms the grade computed from the year, the office publishes it, and a
failed year becomes a proposal on the office's 调整 list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessment import access
from assessment.annual.selectors import annual_record
from assessment.models import AnnualMemberAssessment
from assessment.notices.kinds import ANNUAL, topic_of
from assessment.rules import rules_from_ruleset
from assessment.rules.member import FAIL, annual_member_grade
from core.history import tracked
from core.models import NotificationKind
from core.notify import notify
from core.publicity import publication_current, publication_open
from core.workflow import TransitionRefused
from workrooms.models import RuleSet
from workrooms.selection.models import Membership, MembershipChange
from workrooms.selection.services import membership_change_create


@transaction.atomic
def annual_member_assessment_confirm(
    *, membership: Membership, school_year: int, comment: str, actor
) -> AnnualMemberAssessment:
    """The host (or the office) confirms a member's annual grade: computed by
    ``annual_member_grade`` from the year's record as it stands now, with the
    host's comment; kept as 待公布 until the office publishes it. Refused,
    unchanged, once published, without a comment, or without any semester
    assessment in the year."""
    if not access.can_assess_annually(actor, membership):
        raise PermissionDenied("只有本工作室主持人或德育处可以进行成员年度考核。")
    if membership.role != Membership.Role.MEMBER:
        raise ValidationError("只有成员参加成员年度考核。")
    existing = (
        AnnualMemberAssessment.objects.select_for_update()
        .filter(membership=membership, school_year=school_year)
        .first()
    )
    if existing is not None and existing.is_published:
        raise ValidationError(f"{existing.year_label}成员年度考核已公布，不能再修改。")
    if not comment.strip():
        raise ValidationError({"comment": "请填写主持人评语。"})
    record = annual_record(membership=membership, school_year=school_year)
    ruleset = RuleSet.objects.get(pk=RuleSet.objects.current().pk)
    try:
        result = annual_member_grade(record.rule_input(), rules_from_ruleset(ruleset))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    assessment = existing or AnnualMemberAssessment(membership=membership, school_year=school_year)
    first, second = record.semesters[1], record.semesters[2]
    assessment.first_total, assessment.first_grade = (first.total, first.grade) if first else (None, "")
    assessment.second_total, assessment.second_grade = (second.total, second.grade) if second else (None, "")
    assessment.activities_held, assessment.activities_attended = record.held, record.attended
    assessment.duties_total, assessment.duties_met = len(record.duties), record.duties_met
    assessment.total, assessment.grade = result.total, result.grade
    assessment.attendance_forced, assessment.reasons = result.attendance_forced, list(result.reasons)
    assessment.comment = comment.strip()
    assessment.ruleset, assessment.assessed_by = ruleset, actor
    assessment.full_clean(exclude=["membership", "ruleset", "assessed_by", "published_by", "adjustment"])
    tracked(assessment, actor=actor, reason="主持人确认").save()
    return assessment


@transaction.atomic
def annual_member_assessments_publish(*, school_year: int, actor, workroom=None) -> list[AnnualMemberAssessment]:
    """The office publishes the year's confirmed annual assessments (the
    public notice of §12 may later sit between confirmation and this step).
    Each member hears of their result; each 不合格 becomes a removal proposal
    (reason 年度考核不合格) on the office's 调整 list, which the office then
    approves or refuses there (DOMAIN.md §5, §11). Each workroom's list
    is published for 公示 (§12; ``assessment.notices``). ``workroom``
    limits it to one workroom (publishing again after a correction).
    Returns those published."""
    if not access.can_manage_assessment(actor):
        raise PermissionDenied("只有德育处可以公布成员年度考核。")
    drafts = list(
        AnnualMemberAssessment.objects.select_for_update(of=("self",))
        .filter(school_year=school_year, status=AnnualMemberAssessment.Status.DRAFT)
        .filter(**({"membership__workroom": workroom} if workroom is not None else {}))
        .select_related("membership__teacher", "membership__workroom")
    )
    if not drafts:
        raise ValidationError(f"{school_year}–{school_year + 1}学年没有待公布的成员年度考核。")
    days = RuleSet.objects.current().public_notice_days
    for w in {a.membership.workroom_id: a.membership.workroom for a in drafts}.values():
        topic = topic_of(ANNUAL, school_year)
        latest = publication_current(w, topic)
        if latest is None or not latest.stands:
            publication_open(w, actor=actor, days=days, topic=topic, title=ANNUAL.title(w, (school_year,)))
    now = timezone.now()
    for a in drafts:
        a.status, a.published_by, a.published_at = AnnualMemberAssessment.Status.PUBLISHED, actor, now
        if a.grade == FAIL:
            a.adjustment = _propose_adjustment(a, actor=actor)
        tracked(a, actor=actor, reason="公布").save(update_fields=["status", "published_by", "published_at", "adjustment"])
        notify(
            users=[a.membership.teacher.user_id], kind=NotificationKind.RESULT_PUBLISHED,
            title=f"{a.year_label}成员年度考核结果已公布：{a.grade}",
            url=reverse("assessment:annual_assess", args=[a.membership_id]) + f"?year={school_year}",
        )
    return drafts


def _propose_adjustment(assessment: AnnualMemberAssessment, *, actor) -> MembershipChange | None:
    """The 调整 proposal of a failed year; none when the member has already
    left or a withdrawal or removal is already under way (that one stands)."""
    text = f"{assessment.year_label}成员年度考核不合格（年度总分 {assessment.total}）。"
    if assessment.reasons:
        text += "；".join(assessment.reasons) + "。"
    try:
        with transaction.atomic():
            return membership_change_create(
                membership=assessment.membership, kind=MembershipChange.Kind.REMOVE, actor=actor,
                text=text, reason=MembershipChange.Reason.FAILED,
            )
    except TransitionRefused:
        return None
