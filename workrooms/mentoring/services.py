"""导师制 (DOMAIN.md §5, 000): the host pairs a member as mentor with a
trainee (学员); each mentor takes at most ``RuleSet.mentees_per_mentor``
trainees; a teacher is the trainee of one mentor at a time. The mentor
records the guidance given and writes a comment each semester."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.calendar import school_today
from core.models import NotificationKind
from core.notify import notify
from members.models import Teacher
from members.roles import roles_of
from workrooms.mentoring.models import GuidanceRecord, MentorComment, MentorPair
from workrooms.models import RuleSet
from workrooms.selection.models import Membership

# --- the rule ------------------------------------------------------------------


@dataclass(frozen=True)
class MentorLoad:
    current_trainees: int
    limit: int


def mentor_refusal(load: MentorLoad) -> str | None:
    """DOMAIN.md §5 导师制: a mentor takes at most ``limit`` trainees at a time.
    Returns the reason for refusing one more, or None."""
    if load.current_trainees >= load.limit:
        return f"每位导师同时最多带教 {load.limit} 名学员（学校设置），该导师已带教 {load.current_trainees} 名。"
    return None


# --- access ------------------------------------------------------------------


def pairs_visible_to(user, qs):
    """The office and leaders see all pairs; hosts their workroom's; mentor
    and trainee their own."""
    if not user.is_authenticated:
        return qs.none()
    r = roles_of(user)
    if r.sees_everything:
        return qs
    return qs.filter(
        Q(workroom_id__in=r.hosted_workroom_ids) | Q(mentor__user=user) | Q(trainee__user=user)
    )


def can_manage_pairs(user, workroom) -> bool:
    return workroom.pk in roles_of(user).hosted_workroom_ids


def is_mentor(user, pair) -> bool:
    return pair.mentor.user_id == user.pk and pair.is_current


def get_pair_for_user(user, pk) -> MentorPair:
    qs = pairs_visible_to(user, MentorPair.objects.select_related("workroom", "mentor", "trainee"))
    return get_object_or_404(qs, pk=pk)


def mentor_candidates(workroom):
    """Active members of the workroom (hosts mentor too)."""
    return Teacher.objects.filter(
        memberships__workroom=workroom, memberships__status=Membership.Status.ACTIVE
    ).order_by("name")


def trainee_candidates(workroom):
    """Teachers of the workroom's school and members of the workroom who are
    nobody's trainee now."""
    busy = MentorPair.objects.filter(ended_on__isnull=True).values("trainee_id")
    return (
        Teacher.objects.filter(
            Q(school_id=workroom.school_id)
            | Q(memberships__workroom=workroom, memberships__status__in=Membership.CURRENT_STATUSES)
        )
        .exclude(pk__in=busy)
        .distinct()
        .order_by("name")
    )


# --- services ----------------------------------------------------------------


def mentor_pair_create(*, workroom, mentor: Teacher, trainee: Teacher, actor) -> MentorPair:
    """Pair ``mentor`` with ``trainee`` in ``workroom``; refused with a clear
    message beyond the school's limit or for someone already mentored."""
    if not can_manage_pairs(actor, workroom):
        raise PermissionDenied("只有本工作室主持人可以安排师徒结对。")
    if mentor.pk == trainee.pk:
        raise ValidationError("导师和学员不能是同一人。")
    if not mentor_candidates(workroom).filter(pk=mentor.pk).exists():
        raise ValidationError(f"{mentor.name}不是本工作室在册成员，不能担任导师。")
    limit = RuleSet.objects.current().mentees_per_mentor
    with transaction.atomic():
        # Lock the mentor so that two pairings at once cannot both pass the limit.
        Teacher.objects.select_for_update().get(pk=mentor.pk)
        current = MentorPair.objects.filter(mentor=mentor, ended_on__isnull=True).count()
        reason = mentor_refusal(MentorLoad(current, limit))
        if reason:
            raise ValidationError(reason)
        if MentorPair.objects.filter(trainee=trainee, ended_on__isnull=True).exists():
            raise ValidationError(f"{trainee.name}已有导师，一名学员同时只能有一位导师。")
        pair = MentorPair(workroom=workroom, mentor=mentor, trainee=trainee, created_by=actor)
        pair.full_clean()
        try:
            with transaction.atomic():
                pair.save()
        except IntegrityError as exc:
            raise ValidationError(f"{trainee.name}已有导师，一名学员同时只能有一位导师。") from exc
        notify(users=[mentor.user_id, trainee.user_id], kind=NotificationKind.MENTORING,
               title=f"师徒结对：{mentor.name}（导师）与{trainee.name}（学员）",
               url=reverse("mentoring:mentor_pair", args=[pair.pk]))
    return pair


def mentor_pair_end(*, pair: MentorPair, actor) -> MentorPair:
    if not can_manage_pairs(actor, pair.workroom):
        raise PermissionDenied("只有本工作室主持人可以结束结对。")
    if not pair.is_current:
        raise ValidationError("该结对已结束。")
    pair.ended_on = school_today()
    pair.save(update_fields=["ended_on"])
    return pair


def guidance_record_create(*, pair: MentorPair, actor, date, content: str) -> GuidanceRecord:
    """A guidance record (指导记录) written by the mentor of a current pair."""
    if not is_mentor(actor, pair):
        raise PermissionDenied("只有该结对的导师可以填写指导记录。")
    record = GuidanceRecord(pair=pair, date=date, content=content)
    record.full_clean()
    record.save()
    return record


def mentor_comment_save(*, pair: MentorPair, actor, school_year: int, term: int, body: str) -> MentorComment:
    """The mentor's comment for one semester (written again = replaced)."""
    if not is_mentor(actor, pair):
        raise PermissionDenied("只有该结对的导师可以填写学期评语。")
    comment = MentorComment.objects.filter(pair=pair, school_year=school_year, term=term).first() or MentorComment(
        pair=pair, school_year=school_year, term=term
    )
    comment.body = body
    comment.full_clean()
    comment.save()
    return comment


# --- selectors ---------------------------------------------------------------


def mentoring_for_teacher(teacher_id: int) -> dict:
    """Pairs where the teacher is mentor or trainee, with their guidance and
    comments, for both people's pages and the growth handbook (three queries)."""
    pairs = list(
        MentorPair.objects.filter(Q(mentor_id=teacher_id) | Q(trainee_id=teacher_id))
        .select_related("workroom", "mentor", "trainee")
        .prefetch_related("guidance_records", "comments")
    )
    return {
        "as_mentor": [p for p in pairs if p.mentor_id == teacher_id],
        "as_trainee": [p for p in pairs if p.trainee_id == teacher_id],
    }


def workroom_pairs(qs):
    return (
        qs.select_related("workroom", "mentor", "trainee")
        .annotate(guidance_count=Count("guidance_records"))
        .order_by("-started_on", "-id")
    )
