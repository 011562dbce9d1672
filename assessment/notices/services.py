"""Writes of the 公示 of member grades and workroom evaluations (DOMAIN.md
§12): publish, object, answer, make final, reopen after an upheld
objection, publish again. Each refuses with a Chinese message and changes
nothing when it may not happen now."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from assessment import access
from assessment.annual.services import annual_member_assessments_publish
from assessment.models import AnnualMemberAssessment, Evaluation, MemberAssessment, PublicationObjection
from assessment.notices.kinds import ANNUAL, EVALUATION, MEMBERS, NoticeKind, parse_topic, topic_of
from assessment.services import evaluation_consequences_apply
from core.history import tracked
from core.models import Publication
from core.publicity import (
    objection_refusal,
    publication_current,
    publication_finalize,
    publication_open,
    publication_reopen,
)
from members.roles import roles_of
from workrooms.models import RuleSet
from workrooms.notifications import objection_answered_notify, objection_raised_notify


def _require_office(actor):
    if not access.can_manage_assessment(actor):
        raise PermissionDenied("只有德育处可以执行此操作。")


def notice_url(publication: Publication) -> str:
    return reverse("assessment:notice_detail", args=[publication.pk])


@transaction.atomic
def notice_publish(*, kind: NoticeKind, subject, params: tuple, actor) -> Publication:
    """公示 a workroom's member grades of a semester, its annual member
    grades, or an evaluation's result, for the days the settings name."""
    _require_office(actor)
    topic = topic_of(kind, *params)
    if kind is MEMBERS and not MemberAssessment.objects.filter(
        membership__workroom=subject, school_year=params[0], semester=params[1]
    ).exists():
        raise ValidationError("该工作室本学期还没有成员考核结果，不能公示。")
    if kind is EVALUATION and subject.status != Evaluation.Status.CONCLUDED:
        raise ValidationError("评估尚未出结果，不能公示。")
    if kind is ANNUAL:
        annual_member_assessments_publish(school_year=params[0], actor=actor, workroom=subject)
        return publication_current(subject, topic)
    return publication_open(
        subject, actor=actor, days=RuleSet.objects.current().public_notice_days, topic=topic,
        title=kind.title(subject, params),
    )


def _latest(publication: Publication) -> Publication:
    latest = Publication.objects.select_for_update().filter(
        content_type=publication.content_type, object_id=publication.object_id, topic=publication.topic
    ).order_by("-round").first()
    if latest.pk != publication.pk:
        raise ValidationError(f"这是第 {publication.round} 次公示，已有第 {latest.round} 次公示，请在最新一次公示中操作。")
    return latest


@transaction.atomic
def notice_objection_raise(*, publication: Publication, text: str, actor) -> PublicationObjection:
    """A member or host objects to a list inside its window (§12)."""
    kind, _ = parse_topic(publication.topic)
    if not access.can_object_to_notice(actor, kind.workroom_id(publication.subject)):
        raise PermissionDenied("只有本工作室的成员和主持人可以对该公示提出异议。")
    publication = _latest(publication)
    refusal = objection_refusal(publication)
    if refusal:
        raise ValidationError(refusal)
    if not text.strip():
        raise ValidationError({"text": "请填写异议内容。"})
    objection = PublicationObjection(publication=publication, raised_by=actor, text=text.strip())
    objection.full_clean()
    objection.save()
    title, url = publication.title, notice_url(publication)
    transaction.on_commit(lambda: objection_raised_notify(about=f"{title}公示", url=url))
    return objection


@transaction.atomic
def notice_objection_answer(*, objection: PublicationObjection, answer: str, upheld: bool, actor) -> PublicationObjection:
    """The office answers; the objector is told (§12)."""
    _require_office(actor)
    objection = PublicationObjection.objects.select_for_update().select_related("publication").get(pk=objection.pk)
    objection.record_answer(answer=answer, actor=actor, upheld=upheld)
    publication = objection.publication
    transaction.on_commit(lambda: objection_answered_notify(
        objection=objection, about=f"{publication.title}公示", url=notice_url(publication),
    ))
    return objection


def open_objection_count(publication: Publication) -> int:
    return publication.objections.filter(answered_at__isnull=True).count()


@transaction.atomic
def notice_finalize(*, publication: Publication, actor) -> Publication:
    """定稿: after the window and every answer (§12); a workroom
    evaluation's consequences take effect then."""
    _require_office(actor)
    publication = _latest(publication)
    publication = publication_finalize(publication, actor=actor, open_objections=open_objection_count(publication))
    kind, _ = parse_topic(publication.topic)
    if kind is EVALUATION:  # a revocation, a completion and titles wait for the final result
        evaluation_consequences_apply(evaluation=publication.subject, actor=actor)
    return publication


def reopen_refusal(publication: Publication, actor) -> str:
    """Why ``actor`` cannot reopen now ("" when they can): the office after
    an upheld objection to this round, an administrator at any time."""
    if not publication.stands:
        return "已重新开放，更正后请重新公示。"
    if roles_of(actor).is_admin or publication.objections.filter(upheld=True).exists():
        return ""
    return "只有异议经答复认定成立后，德育处才能重新开放更正；其他情况请管理员重新开放。"


@transaction.atomic
def notice_reopen(*, publication: Publication, actor, reason: str) -> Publication:
    """Take the list back to correct it, with a reason (§12). Annual grades
    go back to 待公布 so that the host confirms them again."""
    _require_office(actor)
    publication = _latest(publication)
    if not reason.strip():
        raise ValidationError("重新开放须填写原因。")
    refusal = reopen_refusal(publication, actor)
    if refusal:
        raise ValidationError(refusal)
    kind, params = parse_topic(publication.topic)
    if kind is ANNUAL:
        for a in AnnualMemberAssessment.objects.select_for_update().filter(
            membership__workroom_id=publication.object_id, school_year=params[0],
            status=AnnualMemberAssessment.Status.PUBLISHED,
        ):
            a.status = AnnualMemberAssessment.Status.DRAFT
            tracked(a, actor=actor, reason=f"重新开放更正：{reason.strip()}").save(update_fields=["status"])
    return publication_reopen(publication.subject, actor=actor, reason=reason, topic=publication.topic)


@transaction.atomic
def notice_republish(*, publication: Publication, actor) -> Publication:
    """Publish the corrected list again: the next round (§12)."""
    _require_office(actor)
    publication = _latest(publication)
    if publication.stands:
        raise ValidationError("当前公示仍然有效，不需要重新公示。")
    kind, params = parse_topic(publication.topic)
    return notice_publish(kind=kind, subject=publication.subject, params=params, actor=actor)

