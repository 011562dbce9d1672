"""Who hears about members' records (DOMAIN.md §7)."""

from core.models import Notification, NotificationKind, StatusChange
from core.notify import notify
from members.roles import office_users
from workrooms.records.models import Achievement, ReadingLog, ReviewStatus, Writing
from workrooms.selection.selectors import workroom_host_users


def _record_review_notify(change_id: int, model, url_name: str, label) -> list[Notification]:
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    record = model.objects.select_related("teacher").filter(pk=change.object_id).first() if change else None
    if record is None or change.to_status not in (ReviewStatus.ACCEPTED, ReviewStatus.RETURNED):
        return []
    verdict = "已通过主持人审阅" if change.to_status == ReviewStatus.ACCEPTED else f"被主持人退回：{change.comment}"
    return notify(users=[record.teacher.user_id], kind=NotificationKind.COMMENT,
                  title=f"您的{label(record)}{verdict}"[:200], url=reverse(url_name, args=[record.pk]))


def reading_review_event_notify(*, change_id: int) -> list[Notification]:
    """The host's review of a reading log (DOMAIN.md §7) reaches its owner."""
    return _record_review_notify(change_id, ReadingLog, "records:reading_detail", lambda r: f"读书记录《{r.title}》")


def writing_review_event_notify(*, change_id: int) -> list[Notification]:
    """The host's review of a writing (DOMAIN.md §7) reaches its owner."""
    return _record_review_notify(change_id, Writing, "records:writing_detail", lambda r: f"{r.get_kind_display()}「{r.title}」")


def achievement_event_notify(*, change_id: int) -> list[Notification]:
    """The office's check of an achievement (成果认定, DOMAIN.md §7) reaches its owner."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    a = Achievement.objects.select_related("teacher").filter(pk=change.object_id).first() if change else None
    S = Achievement.Status
    if a is None or change.to_status not in (S.VERIFIED, S.REJECTED):
        return []
    verdict = "已通过德育处认定" if change.to_status == S.VERIFIED else f"未通过德育处认定：{change.comment}"
    return notify(users=[a.teacher.user_id], kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"您的成果「{a.title}」{verdict}"[:200], url=reverse("records:achievement_detail", args=[a.pk]))


def record_created_notify(*, record, label: str, url: str) -> list[Notification]:
    """A member's reading log or writing waits for the host's review (DOMAIN.md §7)."""
    return notify(users=workroom_host_users(record.workroom_id), kind=NotificationKind.REVIEW_TODO,
                  title=f"{record.teacher.name}提交了{label}，待您审阅"[:200], url=url)


def achievement_created_notify(*, achievement) -> list[Notification]:
    """A recorded achievement waits for the office's check (DOMAIN.md §7)."""
    from django.urls import reverse

    return notify(users=office_users(), kind=NotificationKind.REVIEW_TODO,
                  title=f"{achievement.teacher.name}的成果「{achievement.title}」待认定"[:200],
                  url=reverse("records:achievement_detail", args=[achievement.pk]))


def record_review_event_notify(*, change_id: int) -> list[Notification]:
    """The host's answer on a reading log or a writing (``RECORD_REVIEW``)."""
    from django.contrib.contenttypes.models import ContentType

    change = StatusChange.objects.filter(pk=change_id).only("content_type_id").first()
    if change is None:
        return []
    model = ContentType.objects.get_for_id(change.content_type_id).model_class()
    handler = reading_review_event_notify if model is ReadingLog else writing_review_event_notify
    return handler(change_id=change_id)
