"""Who hears about assessment periods (DOMAIN.md §9, §12)."""

from django.contrib.auth import get_user_model

from assessment.models import Period
from core.models import Notification, NotificationKind, RobotEvent, StatusChange
from core.notify import announce, notify
from members.models import Department


def period_event_notify(*, change_id: int) -> list[Notification]:
    """考核结果公示 (DOMAIN.md §9): every teacher with a result in the period."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    period = Period.objects.filter(pk=change.object_id).first() if change else None
    if period is None or change.to_status != Period.Status.PUBLICIZED:
        return []
    users = get_user_model().objects.filter(teacher__assessment_results__period=period).distinct()
    url = reverse("assessment:period_detail", args=[period.pk])
    # The groups of the school's departments hear that results are out; the
    # results themselves stay behind the link (each sees what they may).
    announce(owners=Department.objects.filter(school_id=period.school_id), event=RobotEvent.RESULT_PUBLISHED,
             title=f"{period}考核结果已公示", url=url, when=change.created_at, key=f"period-publicized:{period.pk}:{change.pk}")
    return notify(users=users, kind=NotificationKind.RESULT_PUBLISHED, title=f"{period}考核结果已公示", url=url)
