"""The daily run's warnings: members whose duties lag as a semester ends
(DOMAIN.md §6), and members absent from more than a third of the
activities (§5, §11)."""

from datetime import date, timedelta

from django.urls import reverse

from core.calendar import semester_of
from core.models import NotificationKind, RobotEvent
from core.notify import Announcement, Reminder, reminders
from members.roles import office_users
from workrooms.activities import duties
from workrooms.activities.selectors import members_absent_over_limit, workroom_progress
from workrooms.models import Activity, RuleSet, Workroom
from workrooms.selection.selectors import workroom_host_users


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
            # The group hears how many lag, never who.
            reminders.append(Announcement(
                (w,), RobotEvent.DUTY_WARNING, f"{w.name}：{semester.label}还剩{days}天，{len(behind)}名成员职责进度落后",
                reverse("workrooms:duty_progress", args=[w.pk]), f"duty-behind:{w.pk}:{semester.code}",
            ))
            reminders.append(Reminder(
                # Every current host (领衔人 and 副主持人), DOMAIN.md §3.
                tuple(workroom_host_users(w.pk).values_list("pk", flat=True)) or (w.host.user_id,),
                NotificationKind.DUTY_BEHIND,
                f"{w.name}有{len(behind)}名成员职责进度落后（{semester.label}还剩{days}天）",
                reverse("workrooms:duty_progress", args=[w.pk]), f"duty-behind:{w.pk}:host:{semester.code}",
            ))
    return reminders


@reminders.register
def members_absent_too_often(today: date) -> list[Reminder]:
    """A member absent from more than a third (the school's setting) of the
    workroom's activities so far this semester is no longer trained by the
    workroom (DOMAIN.md §5): the host and the office are told once per
    member and semester, with the removal request, already filled in, one
    click away (§11)."""
    rules = duties.duty_rules_from(RuleSet.objects.current())
    absent = members_absent_over_limit(today=today, rules=rules)
    if not absent:
        return []
    semester = semester_of(today)
    office = tuple(office_users().values_list("pk", flat=True))
    hosts: dict[int, tuple[int, ...]] = {}
    found = []
    for row in absent:
        m = row.membership
        if m.workroom_id not in hosts:
            hosts[m.workroom_id] = tuple(workroom_host_users(m.workroom_id).values_list("pk", flat=True))
        found.append(Reminder(
            hosts[m.workroom_id] + office, NotificationKind.DUTY_BEHIND,
            f"{m.workroom.name}成员{m.teacher.name}{semester.label}缺席活动 {row.absent}/{row.held} 次，"
            f"超过 {rules.absence_limit_numerator}/{rules.absence_limit_denominator}，可申请调整出工作室"[:200],
            f"{reverse('selection:removal_create', args=[m.pk])}?reason=absence",
            f"absence:{m.pk}:{semester.code}",
        ))
    return found


@reminders.register
def activities_tomorrow(today: date) -> list[Announcement]:
    """明日活动: the groups of workrooms with an activity tomorrow (in the
    school's time zone) hear its type, theme, time and link, once."""
    tomorrow = today + timedelta(days=1)
    found = Activity.objects.filter(
        starts_at__date=tomorrow, workroom__status__in=Workroom.OPEN_STATUSES
    ).select_related("workroom")
    return [
        Announcement(
            (a.workroom,), RobotEvent.ACTIVITY_TOMORROW,
            f"{a.workroom.name}明天有活动：{a.get_type_display()}「{a.theme}」，地点：{a.place}"[:200],
            reverse("workrooms:activity_detail", args=[a.pk]), f"activity-tomorrow:{a.pk}:{tomorrow:%Y%m%d}",
            when=a.starts_at,
        )
        for a in found
    ]

