"""The daily run's warning of members whose duties lag as a semester ends (DOMAIN.md §6)."""

from datetime import date

from django.urls import reverse

from core.calendar import semester_of
from core.models import NotificationKind
from core.notify import Reminder, reminders
from workrooms.activities import duties
from workrooms.activities.selectors import workroom_progress
from workrooms.models import RuleSet, Workroom


@reminders.register
def duties_falling_behind(today: date) -> list[Reminder]:
    """In the last weeks of a semester (DOMAIN.md §6 warns before the term
    ends), each member whose duties lag, and the host of that workroom, are
    told once per semester."""
    ruleset = RuleSet.objects.current()
    semester = semester_of(today)
    if not duties.term_ends_soon(semester, today, duties.duty_rules_from(ruleset)):
        return []
    reminders = []
    for w in Workroom.objects.filter(status__in=Workroom.OPEN_STATUSES).select_related("host"):
        progress = workroom_progress(w, today=today, ruleset=ruleset)
        behind = progress.behind
        days = progress.days_left
        for row in behind:
            teacher = row.membership.teacher
            what = "、".join(row.lagging) or "出勤"
            reminders.append(Reminder(
                (teacher.user_id,), NotificationKind.DUTY_BEHIND,
                f"{semester.label}还剩{days}天，您的职责进度落后：{what}"[:200],
                reverse("workrooms:member_progress", args=[w.pk, teacher.pk]),
                f"duty-behind:{w.pk}:{teacher.pk}:{semester.code}",
            ))
        if behind:
            reminders.append(Reminder(
                (w.host.user_id,), NotificationKind.DUTY_BEHIND,
                f"{w.name}有{len(behind)}名成员职责进度落后（{semester.label}还剩{days}天）",
                reverse("workrooms:duty_progress", args=[w.pk]), f"duty-behind:{w.pk}:host:{semester.code}",
            ))
    return reminders
