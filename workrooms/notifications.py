"""Who hears about workrooms, host applications and expenses (DOMAIN.md §3, §4), and the reminders of their deadlines."""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Notification, NotificationKind, RobotEvent, StatusChange
from core.notify import REMINDER_DAYS, Reminder, announce, notify, reminders
from members.roles import office_users
from workrooms.models import Expense, HostApplication, Workroom
from workrooms.selection.models import Membership
from workrooms.selection.selectors import workroom_host_users


@reminders.register
def public_notices_ending(today: date) -> list[Reminder]:
    """公示 of a host application ending within 7 days: the office decides next."""
    from datetime import timedelta

    apps = HostApplication.objects.filter(
        status=HostApplication.Status.PUBLIC_NOTICE,
        notice_ends_at__date__gte=today,
        notice_ends_at__date__lte=today + timedelta(days=REMINDER_DAYS),
    ).select_related("applicant")
    office = tuple(office_users().values_list("pk", flat=True))
    return [
        Reminder(office, NotificationKind.DEADLINE, f"{a.applicant.name}的主持人申报公示将于{timezone.localtime(a.notice_ends_at):%m月%d日}结束",
                 "", f"notice-end:{a.pk}:{a.notice_ends_at:%Y%m%d}")
        for a in apps
    ]


@reminders.register
def cycles_ending(today: date) -> list[Reminder]:
    """A workroom's construction cycle (建设周期, DOMAIN.md §3) ending within 7 days."""
    from datetime import timedelta

    from django.urls import reverse

    rooms = Workroom.objects.filter(
        status__in=Workroom.OPEN_STATUSES, cycle_end__gte=today, cycle_end__lte=today + timedelta(days=REMINDER_DAYS)
    ).prefetch_related("memberships__teacher")
    reminders = []
    for w in rooms:
        hosts = tuple(
            m.teacher.user_id
            for m in w.memberships.all()
            if m.role == Membership.Role.HOST and m.status in Membership.CURRENT_STATUSES
        )
        reminders.append(
            Reminder(hosts, NotificationKind.DEADLINE, f"{w.name}建设周期将于{w.cycle_end:%Y年%m月%d日}结束",
                     reverse("plans:workroom_plans", args=[w.pk]), f"cycle-end:{w.pk}:{w.cycle_end:%Y%m%d}")
        )
    return reminders


def application_event_notify(*, change_id: int) -> list[Notification]:
    """Tell whoever the host application now waits for (a review to do) or
    the applicant (an answer), after the transition recorded as
    ``change_id``. Runs after the transition's transaction has committed,
    so the experts assigned in the same step are known."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    if change is None:
        return []
    app = HostApplication.objects.select_related("applicant__department").filter(pk=change.object_id).first()
    if app is None:
        return []
    S = HostApplication.Status
    url = reverse("workrooms:application_detail", args=[app.pk])
    who = app.applicant.name
    if change.to_status == S.DEPT_REVIEW and app.applicant.department_id:
        users = get_user_model().objects.filter(reviewed_departments=app.applicant.department_id)
        return notify(users=users, kind=NotificationKind.REVIEW_TODO, title=f"{who}的主持人申报待系部审核", url=url)
    if change.to_status == S.OFFICE_REVIEW:
        return notify(users=office_users(), kind=NotificationKind.REVIEW_TODO, title=f"{who}的主持人申报待德育处审核", url=url)
    if change.to_status == S.EXPERT_REVIEW:
        return notify(users=app.experts.all(), kind=NotificationKind.REVIEW_TODO, title=f"{who}的主持人申报待您评审", url=url)
    answers = {
        S.RETURNED: "被退回，请修改后重新提交", S.PUBLIC_NOTICE: "评审通过，进入公示", S.APPROVED: "已批准立项",
        S.REJECTED: "未获批准",
    }
    if change.to_status in answers:
        reason = f"：{change.comment}" if change.comment and change.to_status in (S.RETURNED, S.REJECTED) else ""
        if change.to_status in (S.PUBLIC_NOTICE, S.APPROVED):
            # Only outcomes the school announces anyway reach the group.
            announce(owners=[app.applicant.department], event=RobotEvent.REVIEW_ANSWERED, when=change.created_at,
                     title=f"{app.applicant.department.name}有一份主持人申报{answers[change.to_status]}", url=url,
                     key=f"application-answered:{change.pk}")
        return notify(users=[app.applicant.user_id], kind=NotificationKind.APPLICATION_ANSWERED,
                      title=f"您的主持人申报{answers[change.to_status]}{reason}"[:200], url=url)
    return []


def expense_event_notify(*, change_id: int) -> list[Notification]:
    """The office's decision on an expense (经费支出审核, DOMAIN.md §3) goes
    to the workroom's host."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    expense = Expense.objects.filter(pk=change.object_id).first() if change else None
    if expense is None or change.to_status not in (Expense.Status.APPROVED, Expense.Status.REFUSED):
        return []
    verdict = "已批准" if change.to_status == Expense.Status.APPROVED else f"未获批准：{change.comment}"
    workroom = Workroom.objects.only("name").get(pk=expense.workroom_id)
    announce(owners=[workroom], event=RobotEvent.REVIEW_ANSWERED, when=change.created_at,
             title=f"{workroom.name}的一笔经费支出已由德育处审核", url=reverse("workrooms:ledger", args=[workroom.pk]),
             key=f"expense-answered:{change.pk}")
    return notify(users=workroom_host_users(expense.workroom_id), kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"经费支出「{expense.description}」{verdict}"[:200],
                  url=reverse("workrooms:ledger", args=[expense.workroom_id]))


def workroom_event_notify(*, change_id: int) -> list[Notification]:
    """A workroom whose final evaluation is 优秀 has its construction cycle
    extended (DOMAIN.md §9.5): its hosts hear of the new dates."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    workroom = Workroom.objects.filter(pk=change.object_id).first() if change else None
    if workroom is None or change.action != "extend":
        return []
    return notify(users=workroom_host_users(workroom.pk), kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"{workroom.name}建设周期已延长至{workroom.cycle_end:%Y年%m月%d日}", body=change.comment,
                  url=reverse("workrooms:detail", args=[workroom.pk]))


def expense_recorded_notify(*, expense) -> list[Notification]:
    """A recorded expense waits for the office (经费支出审核, DOMAIN.md §3)."""
    from django.urls import reverse

    return notify(users=office_users(), kind=NotificationKind.REVIEW_TODO,
                  title=f"{expense.workroom.name}的经费支出「{expense.description}」（{expense.amount}元）待审核"[:200],
                  url=reverse("workrooms:ledger", args=[expense.workroom_id]))


def expert_reviews_complete_notify(*, application) -> list[Notification]:
    """Every assigned expert has scored: the office decides next (DOMAIN.md §4)."""
    from django.urls import reverse

    return notify(users=office_users(), kind=NotificationKind.REVIEW_TODO,
                  title=f"{application.applicant.name}的主持人申报专家评审已全部完成，待德育处处理",
                  url=reverse("workrooms:application_detail", args=[application.pk]))


def objection_raised_notify(*, about: str, url: str) -> list[Notification]:
    """An objection during 公示 waits for the office's answer (DOMAIN.md §4, §9)."""
    return notify(users=office_users(), kind=NotificationKind.REVIEW_TODO, title=f"{about}收到异议，待德育处答复"[:200], url=url)


def objection_answered_notify(*, objection, about: str, url: str) -> list[Notification]:
    """The office answered an objection raised during 公示: the objector is
    told (DOMAIN.md §12), for host applications and assessment results alike."""
    return notify(users=[objection.raised_by_id], kind=NotificationKind.OBJECTION_ANSWERED,
                  title=f"您对{about}提出的异议已答复"[:200], body=objection.answer, url=url)
