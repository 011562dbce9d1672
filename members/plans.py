"""A member's own plans (DOMAIN.md §5): the three-year personal development
plan (个人发展规划) with yearly goals, a plan at the start of each semester
and a summary at its end; the host comments on each. They go to the archive
under 计划总结类 and to the member's growth handbook (§8)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from workrooms.plans import file_in_archive

from .models import DevelopmentPlan, Membership, NotificationKind, SemesterRecord
from .notifications import notify, workroom_host_users
from .roles import roles_of

# --- access ------------------------------------------------------------------


def member_records_visible_to(user, qs):
    """Own records, the records of a hosted workroom, or everything for the
    office and leaders. ``qs`` has a ``membership`` relation."""
    if not user.is_authenticated:
        return qs.none()
    r = roles_of(user)
    if r.sees_everything:
        return qs
    return qs.filter(Q(membership__teacher__user=user) | Q(membership__workroom_id__in=r.hosted_workroom_ids))


def can_edit_member_record(user, record) -> bool:
    return record.membership.teacher.user_id == user.pk and record.membership.status in Membership.CURRENT_STATUSES


def can_comment_member_record(user, record) -> bool:
    return record.membership.workroom_id in roles_of(user).hosted_workroom_ids


def get_member_record_for_user(user, model, pk):
    qs = member_records_visible_to(user, model.objects.select_related("membership__teacher__user", "membership__workroom"))
    return get_object_or_404(qs, pk=pk)


def writable_membership(user) -> Membership | None:
    """The current member place of ``user`` (plans are written as a member)."""
    return (
        Membership.objects.current()
        .filter(teacher__user=user, role=Membership.Role.MEMBER)
        .select_related("workroom", "teacher")
        .first()
    )


# --- services ----------------------------------------------------------------


def _detail_url(record) -> str:
    name = "members:development_plan" if isinstance(record, DevelopmentPlan) else "members:semester_record"
    return reverse(name, args=[record.pk])


def member_record_save(*, record, actor):
    """Save a development plan or a semester record written by its member;
    a new one waits for the host's comment and goes to the archive."""
    if record.pk is None:
        if record.membership.teacher.user_id != actor.pk:
            raise PermissionDenied("只能填写本人的计划与总结。")
    elif not can_edit_member_record(actor, record):
        raise PermissionDenied("只能修改本人的计划与总结。")
    created = record.pk is None
    record.full_clean()
    with transaction.atomic():
        record.save()
        if created:
            m = record.membership
            notify(users=workroom_host_users(m.workroom_id), kind=NotificationKind.REVIEW_TODO,
                   title=f"{m.teacher.name}提交了{record}，待点评", url=_detail_url(record))
            file_in_archive(workroom=m.workroom, member=m.teacher, title=str(record), source=record, actor=actor)
    return record


def member_record_comment(*, record, actor, comment: str):
    """The host's comment (主持人点评) on a member's plan or summary."""
    if not can_comment_member_record(actor, record):
        raise PermissionDenied("只有本工作室主持人可以点评。")
    record.host_comment = comment
    record.commented_by = actor
    record.commented_at = timezone.now()
    record.full_clean()
    with transaction.atomic():
        record.save(update_fields=["host_comment", "commented_by", "commented_at", "updated_at"])
        notify(users=[record.membership.teacher.user_id], kind=NotificationKind.COMMENT,
               title=f"主持人点评了您的{record._meta.verbose_name}", url=_detail_url(record))
    return record


def current_semester(day) -> tuple[int, int]:
    """(school year, term) of ``day`` by the one semester calendar
    (``workrooms.semesters``)."""
    from workrooms.semesters import semester_of

    year, term = semester_of(day).code.split("-")
    return int(year), int(term)
