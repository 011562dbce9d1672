"""Plans on record (DOMAIN.md §3): the host submits the workroom's 建设方案,
年度实施方案 and 培训课程计划 for a year; the office files (备案) or returns
them with comments. Every submission is a new ``PlanVersion``.

Also the one place where plans and summaries go to the archive
(``file_in_archive``, DOMAIN.md §8 计划总结类)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from core.calendar import semester_of
from core.files import store_upload
from core.inbox import Section
from core.models import NotificationKind, RobotEvent
from core.notify import announce, notify
from core.sanitize import clean_text
from members.roles import office_users, roles_of
from workrooms.archive.services import Category, archive_file
from workrooms.models import VisitorMessage, Workroom
from workrooms.plans.models import DevelopmentPlan, PlanVersion, WorkroomPlan
from workrooms.plans.workflow import PLAN
from workrooms.selection.models import Membership
from workrooms.selection.selectors import workroom_host_users

ARCHIVE_CATEGORY = "计划总结类"


# --- access ------------------------------------------------------------------


def plans_visible_to(user, qs):
    """Office and leaders see every plan; hosts and members their workroom's."""
    if not user.is_authenticated:
        return qs.none()
    r = roles_of(user)
    if r.sees_everything:
        return qs
    return qs.filter(Q(workroom_id__in=r.hosted_workroom_ids) | Q(workroom_id__in=r.member_workroom_ids))


def can_submit_plan(user, workroom) -> bool:
    return workroom.pk in roles_of(user).hosted_workroom_ids


def get_plan_for_user(user, pk) -> WorkroomPlan:
    return get_object_or_404(WorkroomPlan.objects.visible_to(user).select_related("workroom"), pk=pk)


# --- archive hook ------------------------------------------------------------


def file_in_archive(*, workroom, title: str, source, member=None, file=None, actor=None):
    """Put a plan or summary into the workroom's archive under 计划总结类
    (DOMAIN.md §8); with a ``member`` it also appears in that member's growth
    handbook. Filing the same source again updates its entry."""
    return archive_file(
        workroom=workroom, category=Category.PLANS, title=title, source=source, member=member, file=file, actor=actor
    )


# --- services ----------------------------------------------------------------


def plan_submit(*, workroom, kind: str, year: int, body: str, upload=None, actor) -> PlanVersion:
    """Submit a plan (or its next version) for the office to file.

    A plan that is waiting for the office cannot get another version until
    the office has filed or returned it."""
    if not can_submit_plan(actor, workroom):
        raise PermissionDenied("只有本工作室主持人可以提交计划。")
    if not clean_text(body) and upload is None:
        raise ValidationError("请填写计划正文或上传计划文件。")
    with transaction.atomic():
        plan, created = WorkroomPlan.objects.select_for_update().get_or_create(workroom=workroom, kind=kind, year=year)
        if not created:
            if plan.status == WorkroomPlan.Status.SUBMITTED:
                raise ValidationError("该计划正在等待德育处备案，备案或退回后才能提交新版本。")
            PLAN.apply(plan, "resubmit", actor=actor, comment=f"提交第{plan.version_count + 1}版")
        plan.version_count += 1
        plan.save(update_fields=["version_count", "updated_at"])
        file = store_upload(upload, user=actor) if upload is not None else None
        version = PlanVersion(plan=plan, number=plan.version_count, body=body, file=file, submitted_by=actor)
        version.full_clean()
        version.save()
        notify(
            users=office_users(), kind=NotificationKind.REVIEW_TODO,
            title=f"{workroom.name}提交了{plan.year}年{plan.get_kind_display()}（第{version.number}版），待备案",
            url=reverse("plans:plan_detail", args=[plan.pk]),
        )
    return version


def plan_decide(*, plan: WorkroomPlan, action: str, actor, comment: str = "") -> WorkroomPlan:
    """File (备案) or return (退回) the submitted version; the host is told."""
    with transaction.atomic():
        PLAN.apply(plan, action, actor=actor, comment=comment)
        label = f"{plan.year}年{plan.get_kind_display()}"
        if action == "file":
            kind, title = NotificationKind.PLAN_FILED, f"{label}已备案"
            latest = plan.versions.select_related("file").first()
            file_in_archive(workroom=plan.workroom, title=f"{plan.workroom.name}{label}（第{plan.version_count}版）",
                            source=plan, file=latest.file if latest else None, actor=actor)
        else:
            kind, title = NotificationKind.PLAN_RETURNED, f"{label}被退回：{comment.strip()[:80]}"
        url = reverse("plans:plan_detail", args=[plan.pk])
        notify(users=workroom_host_users(plan.workroom_id), kind=kind, title=title, url=url)
        verdict = "已由德育处备案" if action == "file" else "被德育处退回修改"
        announce(owners=[plan.workroom], event=RobotEvent.REVIEW_ANSWERED, title=f"{plan.workroom.name}{label}{verdict}",
                 url=url, when=timezone.now())
    return plan


def plan_set_public(*, plan: WorkroomPlan, is_public: bool, actor) -> WorkroomPlan:
    """Show a filed plan on the workroom's public page, or stop showing it."""
    if not can_submit_plan(actor, plan.workroom):
        raise PermissionDenied("只有本工作室主持人可以设置公开内容。")
    if is_public and plan.status != WorkroomPlan.Status.FILED:
        raise ValidationError("只有已备案的计划可以公开。")
    plan.is_public = is_public
    plan.save(update_fields=["is_public", "updated_at"])
    return plan


# --- home page -----------------------------------------------------------------


def inbox_sections(user) -> list:
    """Home-page sections: plans waiting for the office; the host's outreach
    pages with messages waiting for approval. At most three queries."""
    r = roles_of(user)
    sections = []
    if r.is_office:
        waiting = WorkroomPlan.objects.filter(status=WorkroomPlan.Status.SUBMITTED).select_related("workroom")
        items = [
            (f"{p.workroom.name} {p.year}年{p.get_kind_display()}", reverse("plans:plan_detail", args=[p.pk]), f"第{p.version_count}版")
            for p in waiting.order_by("updated_at")[:5]
        ]
        sections.append(Section("待备案的工作室计划", items, more_url=reverse("plans:plans") + "?status=submitted",
                                count=waiting.count()))
    if r.hosted_workroom_ids:
        for w in Workroom.objects.filter(pk__in=r.hosted_workroom_ids).order_by("name")[:2]:
            pending = VisitorMessage.objects.filter(workroom=w, status=VisitorMessage.Status.PENDING).count()
            sections.append(Section(f"{w.name} · 计划与辐射引领", [
                ("工作室计划（建设方案、年度实施方案、培训课程计划）", reverse("plans:workroom_plans", args=[w.pk]), ""),
                ("辐射引领记录", reverse("workrooms:outreach", args=[w.pk]), ""),
                ("导师制（师徒结对）", reverse("mentoring:workroom_mentoring", args=[w.pk]), ""),
                ("成员计划与总结", reverse("plans:semester_records") + "?uncommented=true", ""),
                ("工作室主页设置", reverse("workrooms:showcase_settings", args=[w.pk]), ""),
                ("访客留言审核", reverse("workrooms:messages", args=[w.pk]), f"{pending} 条待审核" if pending else ""),
            ]))
    return sections


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


def _detail_url(record) -> str:
    name = "plans:development_plan" if isinstance(record, DevelopmentPlan) else "plans:semester_record"
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
    (``core.calendar``)."""
    year, term = semester_of(day).code.split("-")
    return int(year), int(term)
