"""The workroom's public page (工作室主页, 辐射引领; seeds: 工作室网站/公众号/博客),
visitor messages and outreach records (DOMAIN.md §3, §6).

The public page shows the workroom's name, host, member names and research
direction, plus only what the host marked public. What can be marked public
is a registry of *publishable kinds*: each kind is a function returning the
public items of one workroom. Plans, activities, activity photos, writings,
achievements and outreach records register their kind the same way (a model
with an ``is_public`` flag and a ``PublicKind`` registered here); nothing
else reaches the page.

A record is shown while it is marked public *and* still eligible: a filed
plan, an accepted writing, a verified achievement, a photo (an image) of a
public activity. Each kind's query checks both, so a record that stops being
eligible drops off the page without anyone unmarking it, and its mark-public
service refuses an ineligible record (``public_flag_set``)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks

from core.models import NotificationKind
from core.notify import notify
from core.sanitize import clean_html, clean_text, mask_personal_numbers
from members.models import Teacher
from members.roles import roles_of
from workrooms.access import can_manage_workroom
from workrooms.models import (
    Activity,
    ActivityFile,
    OutreachRecord,
    ShowcaseSettings,
    VisitorMessage,
    Workroom,
)
from workrooms.plans.models import WorkroomPlan
from workrooms.selection.models import Membership
from workrooms.selection.selectors import workroom_host_users

# --- publishable kinds -------------------------------------------------------


@dataclass(frozen=True)
class PublicImage:
    url: str  # the public photo view (``showcase:photo``), never the stored file
    caption: str


@dataclass(frozen=True)
class PublicItem:
    kind: str  # the PublicKind key
    kind_label: str
    key: str  # unique within the page, used as anchor and feed id
    title: str
    date: date | datetime
    html: str  # sanitized rich text
    meta: str = ""
    images: tuple[PublicImage, ...] = ()


@dataclass(frozen=True)
class PublicKind:
    key: str
    label: str
    items: Callable[[Workroom], list[PublicItem]]


PUBLIC_KINDS: dict[str, PublicKind] = {}


def register_public_kind(kind: PublicKind) -> PublicKind:
    PUBLIC_KINDS[kind.key] = kind
    return kind


def _plan_items(workroom) -> list[PublicItem]:
    plans = (
        WorkroomPlan.objects.filter(workroom=workroom, is_public=True, status=WorkroomPlan.Status.FILED)
        .prefetch_related("versions")
    )
    items = []
    for p in plans:
        latest = max(p.versions.all(), key=lambda v: v.number, default=None)
        items.append(
            PublicItem("plan", "工作室计划", f"plan-{p.pk}", f"{p.year}年{p.get_kind_display()}",
                       p.updated_at, clean_html(latest.body if latest else ""))
        )
    return items


def _outreach_items(workroom) -> list[PublicItem]:
    return [
        PublicItem("outreach", "辐射引领", f"outreach-{r.pk}", f"{r.get_kind_display()}：{r.topic}", r.date,
                   clean_html(r.notes), f"{r.audience} · {r.hours} 课时")
        for r in OutreachRecord.objects.filter(workroom=workroom, is_public=True)
    ]


def _activity_items(workroom) -> list[PublicItem]:
    # Type, theme, place and day only: minutes, speakers and attendance stay inside.
    return [
        PublicItem("activity", "工作室活动", f"activity-{a.pk}", a.theme, a.starts_at, "",
                   f"{a.get_type_display()} · {a.place}")
        for a in Activity.objects.filter(workroom=workroom, is_public=True)
    ]


def public_photos(workroom_id: int):
    """Photos the public may see: images attached to a public activity of the
    workroom and marked public themselves. The page and the photo view
    (``showcase_views.public_photo``) both read this one rule."""
    return ActivityFile.objects.filter(
        activity__workroom_id=workroom_id, activity__is_public=True, is_public=True,
        file__content_type__startswith=ActivityFile.PHOTO_TYPE_PREFIX,
    )


def _photo_items(workroom) -> list[PublicItem]:
    # One item per activity with its public photos; the activity's theme and
    # day only, as for the activity itself.
    photos: dict[int, list] = {}
    for p in public_photos(workroom.pk).select_related("activity").order_by("activity_id", "id"):
        photos.setdefault(p.activity_id, []).append(p)
    return [
        PublicItem("photo", "活动照片", f"photos-{aid}", ps[0].activity.theme, ps[0].activity.starts_at, "",
                   f"{len(ps)} 张照片",
                   tuple(PublicImage(reverse("showcase:photo", args=[workroom.pk, p.pk]), clean_text(p.description))
                         for p in ps))
        for aid, ps in photos.items()
    ]


def _writing_note(w) -> str:
    notes = []
    if w.published:
        notes.append(f"发表于《{w.publication.strip('《》 ')}》" if w.publication.strip() else "已发表")
    if w.awarded:
        notes.append(f"{w.get_award_level_display()}获奖")
    return "，".join(notes)


def _writing_items(workroom) -> list[PublicItem]:
    # Kind, title, author and text: the uploaded file and the host's review stay inside.
    from workrooms.records.models import ReviewStatus, Writing

    writings = Writing.objects.filter(
        workroom=workroom, is_public=True, status=ReviewStatus.ACCEPTED
    ).select_related("teacher")
    return [
        PublicItem("writing", "教育写作", f"writing-{w.pk}", f"{w.get_kind_display()}：{w.title}", w.written_on,
                   clean_html(linebreaks(w.text, autoescape=True)),
                   " · ".join(filter(None, (w.teacher.name, _writing_note(w)))))
        for w in writings
    ]


def _public_owner(a) -> str:
    # A class or a student is named by the teacher only: pupils' names and
    # classes stay inside.
    if a.owner_kind == a.OwnerKind.CLASS:
        return f"{a.teacher.name}所带班级"
    if a.owner_kind == a.OwnerKind.STUDENT:
        return f"{a.teacher.name}所带班级学生"
    return a.teacher.name


def _achievement_items(workroom) -> list[PublicItem]:
    # Title, kind, level, day and owner: the evidence file never leaves the archive.
    from workrooms.records.models import Achievement

    achievements = Achievement.objects.filter(
        workroom=workroom, is_public=True, status=Achievement.Status.VERIFIED
    ).select_related("teacher")
    return [
        PublicItem("achievement", "成果荣誉", f"achievement-{a.pk}", a.title, a.achieved_on, "",
                   f"{a.get_level_display()} · {a.get_kind_display()} · {_public_owner(a)}")
        for a in achievements
    ]


register_public_kind(PublicKind("plan", "工作室计划", _plan_items))
register_public_kind(PublicKind("activity", "工作室活动", _activity_items))
register_public_kind(PublicKind("photo", "活动照片", _photo_items))
register_public_kind(PublicKind("writing", "教育写作", _writing_items))
register_public_kind(PublicKind("achievement", "成果荣誉", _achievement_items))
register_public_kind(PublicKind("outreach", "辐射引领", _outreach_items))


def item_datetime(item: PublicItem) -> datetime:
    d = item.date
    return d if isinstance(d, datetime) else datetime(d.year, d.month, d.day, tzinfo=timezone.get_current_timezone())


def _masked(item: PublicItem) -> PublicItem:
    return replace(
        item, title=mask_personal_numbers(item.title), html=mask_personal_numbers(item.html),
        meta=mask_personal_numbers(item.meta),
        images=tuple(replace(i, caption=mask_personal_numbers(i.caption)) for i in item.images),
    )


def public_items(workroom) -> list[PublicItem]:
    """Every item of every registered kind the host marked public, newest
    first, with phone and ID numbers blotted out of their text."""
    items = [_masked(item) for kind in PUBLIC_KINDS.values() for item in kind.items(workroom)]
    return sorted(items, key=item_datetime, reverse=True)


# --- the page --------------------------------------------------------------

PUBLIC_MESSAGES_SHOWN = 30


def published_workroom(pk: int) -> Workroom | None:
    return (
        Workroom.objects.select_related("host", "school", "showcase")
        .filter(pk=pk, showcase__is_published=True)
        .exclude(status=Workroom.Status.REVOKED)
        .first()
    )


def _cache_key(pk: int) -> str:
    return f"showcase:v1:{pk}"


def showcase_data(pk: int) -> dict | None:
    """Everything the public page shows, as plain values (so nothing private
    can leak through a template): cached until something on it changes."""
    key = _cache_key(pk)
    data = cache.get(key)
    if data is not None:
        return data or None
    data = _build_showcase(pk) or {}
    cache.set(key, data, settings.SHOWCASE_CACHE_SECONDS)
    return data or None


def _build_showcase(pk: int) -> dict | None:
    w = published_workroom(pk)
    if w is None:
        return None
    people = list(
        Membership.objects.filter(workroom=w, status=Membership.Status.ACTIVE)
        .order_by("joined_on", "id")
        .values_list("role", "teacher_id", "teacher__name")
    )
    members = [name for role, _, name in people if role == Membership.Role.MEMBER]
    # 领衔人 first, then any 副主持人 (DOMAIN.md §3: up to max_hosts hosts).
    co_hosts = [name for role, tid, name in people if role == Membership.Role.HOST and tid != w.host_id]
    messages = list(
        VisitorMessage.objects.approved().filter(workroom=w).values("name", "school", "body", "created_at")[
            :PUBLIC_MESSAGES_SHOWN
        ]
    )
    s = w.showcase
    return {
        "pk": w.pk,
        "name": w.name,
        "host_name": "、".join([w.host.name, *co_hosts]),
        "school_name": w.school.name,
        "status_label": w.get_status_display(),
        "research_direction": w.research_direction,
        "description": w.description if s.show_profile else "",
        "intro": clean_html(s.intro) if s.show_profile else "",
        "member_names": members,
        "items": public_items(w),
        "messages": messages,
        "accept_messages": s.accept_messages,
    }


def invalidate(workroom_id: int) -> None:
    cache.delete(_cache_key(workroom_id))


def invalidate_for(instance) -> None:
    """Drop the cached public page(s) that ``instance`` appears on."""
    if isinstance(instance, Workroom):
        invalidate(instance.pk)
    elif isinstance(instance, Teacher):
        ids = set(Membership.objects.filter(teacher=instance).values_list("workroom_id", flat=True))
        cache.delete_many([_cache_key(i) for i in ids])
    elif hasattr(instance, "plan_id"):
        invalidate(instance.plan.workroom_id)
    elif isinstance(instance, ActivityFile):
        # On a cascade from its activity the activity may be gone already; its
        # own signal drops the page then.
        workroom_id = Activity.objects.filter(pk=instance.activity_id).values_list("workroom_id", flat=True).first()
        if workroom_id is not None:
            invalidate(workroom_id)
    elif hasattr(instance, "workroom_id"):
        invalidate(instance.workroom_id)


# --- host settings -------------------------------------------------------------


def can_manage_showcase(user, workroom) -> bool:
    return workroom.pk in roles_of(user).hosted_workroom_ids


def showcase_settings_for(workroom) -> ShowcaseSettings:
    return ShowcaseSettings.objects.filter(workroom=workroom).first() or ShowcaseSettings(workroom=workroom)


def showcase_update(*, workroom, actor, **fields) -> ShowcaseSettings:
    if not can_manage_showcase(actor, workroom):
        raise PermissionDenied("只有本工作室主持人可以设置工作室主页。")
    s = showcase_settings_for(workroom)
    for name, value in fields.items():
        setattr(s, name, value)
    s.full_clean()
    s.save()
    return s


# --- marking records public ------------------------------------------------------


PUBLISH_DENIED = "只有本工作室主持人或德育处可以设置在工作室主页公开的内容。"


def can_mark_public(user, workroom) -> bool:
    """Who marks a workroom's writings, achievements and activity photos
    public: as for its activities (whose ``is_public`` is on the activity
    form), the host and the office."""
    return can_manage_workroom(user, workroom)


def public_flag_set(*, record, workroom, is_public: bool, actor, refusal: Callable[[object], str]) -> None:
    """Show ``record`` (a model with an ``is_public`` flag) on ``workroom``'s
    public page, or stop showing it. ``refusal(record)`` names, in Chinese,
    why the record may not be public ('' when it may); it is read on the
    locked row, and taking a record off the page is always allowed. Saving
    the flag drops the cached page (the signals at the end of models.py)."""
    if not can_mark_public(actor, workroom):
        raise PermissionDenied(PUBLISH_DENIED)
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        reason = refusal(locked) if is_public else ""
        if reason:
            raise ValidationError(reason)
        locked.is_public = is_public
        locked.save(update_fields=["is_public"])
    record.is_public = is_public


# --- visitor messages --------------------------------------------------------


def visitor_message_create(*, workroom, name: str, school: str, body: str, ip: str) -> VisitorMessage:
    """Keep a visitor's message for the host to approve (DOMAIN.md §3 辐射引领).

    The message is plain text (every tag removed) and never shown before
    approval; the page limits how many one address may send
    (``showcase_views.public_page``)."""
    msg = VisitorMessage(
        workroom=workroom, name=clean_text(name), school=clean_text(school), body=clean_text(body), ip_address=ip or None
    )
    msg.full_clean()
    if len(msg.body) < VisitorMessage.BODY_MIN:
        raise ValidationError({"body": f"留言内容至少 {VisitorMessage.BODY_MIN} 个字。"})
    with transaction.atomic():
        msg.save()
        notify(users=workroom_host_users(workroom.pk), kind=NotificationKind.MESSAGE_PENDING,
               title=f"{workroom.name}主页有新的访客留言待审核", url=reverse("workrooms:messages", args=[workroom.pk]))
    return msg


def visitor_message_decide(*, message: VisitorMessage, approve: bool, actor) -> VisitorMessage:
    if not can_manage_showcase(actor, message.workroom):
        raise PermissionDenied("只有本工作室主持人可以审核留言。")
    message.status = VisitorMessage.Status.APPROVED if approve else VisitorMessage.Status.REJECTED
    message.decided_by = actor
    message.decided_at = timezone.now()
    message.save(update_fields=["status", "decided_by", "decided_at"])
    return message


# --- outreach records ------------------------------------------------------------


def outreach_record_save(*, record: OutreachRecord, actor) -> OutreachRecord:
    if not can_manage_showcase(actor, record.workroom):
        raise PermissionDenied("只有本工作室主持人可以记录辐射引领活动。")
    if record.recorded_by_id is None:
        record.recorded_by = actor
    record.full_clean()
    record.save()
    return record


def outreach_record_delete(*, record: OutreachRecord, actor) -> None:
    if not can_manage_showcase(actor, record.workroom):
        raise PermissionDenied("只有本工作室主持人可以删除辐射引领记录。")
    record.delete()


@dataclass(frozen=True)
class OutreachCount:
    lectures: int = 0
    trainings: int = 0
    exchanges: int = 0
    hours: Decimal = Decimal("0")


def outreach_counts(*, workroom_ids, start: date, end: date) -> dict[int, OutreachCount]:
    """Outreach per workroom between ``start`` and ``end`` inclusive, for the
    duties of DOMAIN.md §6 (host lectures, cross-workroom exchanges) and the
    workroom evaluation of §9.5. One query; workrooms with none get zeros."""
    K = OutreachRecord.Kind
    rows = (
        OutreachRecord.objects.filter(workroom_id__in=workroom_ids, date__gte=start, date__lte=end)
        .values("workroom_id")
        .annotate(
            lectures=Count("id", filter=Q(kind=K.LECTURE)),
            trainings=Count("id", filter=Q(kind=K.TRAINING)),
            exchanges=Count("id", filter=Q(kind=K.EXCHANGE)),
            hours=Sum("hours"),
        )
    )
    found = {
        r["workroom_id"]: OutreachCount(r["lectures"], r["trainings"], r["exchanges"], r["hours"] or Decimal("0"))
        for r in rows
    }
    return {wid: found.get(wid, OutreachCount()) for wid in workroom_ids}
