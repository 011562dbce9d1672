"""What the personal calendar feed (``core.ical``) shows of workrooms: the
activities of the person's workrooms (DOMAIN.md §6), the end of the
semester their duties count to (§6) and the end of each workroom's
construction cycle (§3). A fixed number of queries however many rows."""

from datetime import timedelta

from django.urls import reverse

from core.calendar import school_today, semester_of
from core.ical import FeedEvent, feed_sources
from members.roles import roles_of
from workrooms.models import Activity, Workroom

# Past activities stay in the feed this long (phones keep what they saw).
PAST_DAYS = 120


@feed_sources.register
def workroom_entries(user) -> list[FeedEvent]:
    r = roles_of(user)
    ids = r.member_workroom_ids | r.hosted_workroom_ids
    if not ids:
        return []
    today = school_today()
    activities = (
        Activity.objects.filter(workroom_id__in=ids, starts_at__date__gte=today - timedelta(days=PAST_DAYS))
        .select_related("workroom").order_by("starts_at", "id")
    )
    entries = [
        FeedEvent(
            uid=f"activity-{a.pk}", title=f"{a.get_type_display()}：{a.theme}（{a.workroom.name}）",
            start=a.starts_at, location=a.place, url=reverse("workrooms:activity_detail", args=[a.pk]),
        )
        for a in activities
    ]
    open_rooms = list(Workroom.objects.filter(pk__in=ids, status__in=Workroom.OPEN_STATUSES).order_by("pk"))
    if open_rooms:
        semester = semester_of(today)
        entries.append(FeedEvent(
            uid=f"duties-{semester.code}", title=f"{semester.label}工作室职责完成截止",
            start=semester.last_day, url=reverse("workrooms:my_progress"),
        ))
    for w in open_rooms:
        if w.cycle_end >= today:
            entries.append(FeedEvent(
                uid=f"cycle-end-{w.pk}", title=f"{w.name}建设周期结束", start=w.cycle_end,
                url=reverse("workrooms:detail", args=[w.pk]),
            ))
    return entries
