"""Notifications: the one way anything tells anyone that something waits
for them (DOMAIN.md §1 roles; reminders for the deadlines of §3–§9).

``notify`` writes the in-app rows inside the caller's transaction and, once
that transaction commits, queues one e-mail task per recipient who wants
this kind by e-mail. A broker or mail server that is down never blocks or
fails the action that caused the notification."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .models import Notification, NotificationKind, NotificationPreference

log = logging.getLogger(__name__)


def notify(*, users: Iterable, kind: str, title: str, url: str = "", body: str = "", key: str = "") -> list[Notification]:
    """Create a notification of ``kind`` for each of ``users`` (users or ids).

    ``key`` makes a notification idempotent per user (scheduled reminders):
    a user who already has one with that key gets no second one."""
    kind = NotificationKind(kind)
    user_ids = sorted({getattr(u, "pk", u) for u in users if u is not None})
    if not user_ids:
        return []
    if key:
        already = set(Notification.objects.filter(dedupe_key=key, user_id__in=user_ids).values_list("user_id", flat=True))
        user_ids = [uid for uid in user_ids if uid not in already]
    rows = [
        Notification(user_id=uid, kind=kind, title=title[:200], url=url[:300], body=body, dedupe_key=key[:120])
        for uid in user_ids
    ]
    created = Notification.objects.bulk_create(rows)  # primary keys come back on PostgreSQL
    opted_out = set(
        NotificationPreference.objects.filter(kind=kind, email=False, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    to_email = [n.pk for n in created if n.user_id not in opted_out]
    if to_email:
        transaction.on_commit(lambda: _enqueue_emails(to_email))
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_email

    for nid in notification_ids:
        try:
            send_notification_email.delay(nid)
        except Exception:  # broker down or a failing eager run: the action stands
            log.exception("could not queue e-mail for notification %s", nid)


def email_address(user) -> str:
    teacher = getattr(user, "teacher", None)
    return user.email or (teacher.email if teacher else "")


def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail of one notification once; True when sent now.

    Raises what the mail backend raises, so that the task retries."""
    from django.core.mail import send_mail

    n = Notification.objects.select_related("user__teacher").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None:
        return False
    address = email_address(n.user)
    if not address:
        return False
    link = f"{settings.SITE_URL}{n.url}" if n.url.startswith("/") else n.url
    text = "\n\n".join(part for part in (n.title, n.body, link) if part)
    send_mail(f"[{settings.SITE_NAME}] {n.title}", text, None, [address])
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return True


# --- the centre --------------------------------------------------------------


def unread_count(user) -> int:
    """One query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_notifications(request):
    """Context processor: the header's unread count, queried only if a
    template actually shows it (one query at most)."""
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(request.user))}


def notification_mark_read(*, user, notification_id: int) -> bool:
    return bool(
        Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def email_preferences(user) -> dict[str, bool]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in NotificationKind.values}


def notification_preferences_set(*, user, email_kinds: Iterable[str]) -> None:
    """Save which kinds reach ``user`` by e-mail (all others do not)."""
    wanted = set(email_kinds)
    with transaction.atomic():
        for kind in NotificationKind.values:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": kind in wanted})


# --- recipients ------------------------------------------------------------


def office_users():
    from .roles import ADMIN, OFFICE

    return get_user_model().objects.filter(is_active=True, groups__name__in=[OFFICE, ADMIN]).distinct()


def workroom_host_users(workroom_id: int):
    from .models import Membership

    return get_user_model().objects.filter(
        teacher__memberships__workroom_id=workroom_id,
        teacher__memberships__role=Membership.Role.HOST,
        teacher__memberships__status__in=Membership.CURRENT_STATUSES,
    ).distinct()


# --- reminders (deadline within 7 days etc.) ---------------------------------

REMINDER_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    user_ids: tuple[int, ...]
    kind: str
    title: str
    url: str
    key: str


ReminderSource = Callable[[date], list[Reminder]]
REMINDER_SOURCES: list[ReminderSource] = []


def reminder_source(func: ReminderSource) -> ReminderSource:
    """Register a function ``(today) -> [Reminder]`` read by the daily run.
    Duty progress and assessment deadlines register theirs the same way."""
    REMINDER_SOURCES.append(func)
    return func


@reminder_source
def public_notices_ending(today: date) -> list[Reminder]:
    """公示 of a host application ending within 7 days: the office decides next."""
    from datetime import timedelta

    from workrooms.models import HostApplication

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


@reminder_source
def cycles_ending(today: date) -> list[Reminder]:
    """A workroom's construction cycle (建设周期, DOMAIN.md §3) ending within 7 days."""
    from datetime import timedelta

    from django.urls import reverse

    from workrooms.models import Workroom

    from .models import Membership

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
                     reverse("workrooms:workroom_plans", args=[w.pk]), f"cycle-end:{w.pk}:{w.cycle_end:%Y%m%d}")
        )
    return reminders


@reminder_source
def duties_falling_behind(today: date) -> list[Reminder]:
    """In the last weeks of a semester (DOMAIN.md §6 warns before the term
    ends), each member whose duties lag, and the host of that workroom, are
    told once per semester."""
    from django.urls import reverse

    from workrooms import duties
    from workrooms.models import RuleSet, Workroom
    from workrooms.ops_selectors import workroom_progress
    from workrooms.semesters import semester_of

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


def reminders_send(*, today: date | None = None) -> int:
    """Run every reminder source for ``today``; returns notifications created.
    Safe to run more than once a day: each reminder carries a key."""
    today = today or timezone.localdate()
    created = 0
    for source in REMINDER_SOURCES:
        for r in source(today):
            created += len(notify(users=r.user_ids, kind=r.kind, title=r.title, url=r.url, key=r.key))
    return created


# --- host applications (DOMAIN.md §4) -------------------------------------------


def application_event_notify(*, change_id: int) -> list[Notification]:
    """Tell whoever the host application now waits for (a review to do) or
    the applicant (an answer), after the transition recorded as
    ``change_id``. Runs after the transition's transaction has committed,
    so the experts assigned in the same step are known."""
    from django.urls import reverse

    from workrooms.models import HostApplication, StatusChange

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
        return notify(users=[app.applicant.user_id], kind=NotificationKind.APPLICATION_ANSWERED,
                      title=f"您的主持人申报{answers[change.to_status]}{reason}"[:200], url=url)
    return []


def expense_event_notify(*, change_id: int) -> list[Notification]:
    """The office's decision on an expense (经费支出审核, DOMAIN.md §3) goes
    to the workroom's host."""
    from django.urls import reverse

    from workrooms.models import Expense, StatusChange

    change = StatusChange.objects.filter(pk=change_id).first()
    expense = Expense.objects.filter(pk=change.object_id).first() if change else None
    if expense is None or change.to_status not in (Expense.Status.APPROVED, Expense.Status.REFUSED):
        return []
    verdict = "已批准" if change.to_status == Expense.Status.APPROVED else f"未获批准：{change.comment}"
    return notify(users=workroom_host_users(expense.workroom_id), kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"经费支出「{expense.description}」{verdict}"[:200],
                  url=reverse("workrooms:ledger", args=[expense.workroom_id]))


def join_request_event_notify(*, change_id: int) -> list[Notification]:
    """双向选择 (DOMAIN.md §5): the teacher hears the host's answer."""
    from django.urls import reverse

    from workrooms.models import StatusChange

    from .models import JoinRequest

    change = StatusChange.objects.filter(pk=change_id).first()
    jr = JoinRequest.objects.select_related("workroom", "teacher").filter(pk=change.object_id).first() if change else None
    if jr is None or change.to_status not in (JoinRequest.Status.ACCEPTED, JoinRequest.Status.DECLINED):
        return []
    verdict = "已被接受" if change.to_status == JoinRequest.Status.ACCEPTED else f"被婉拒：{change.comment}"
    return notify(users=[jr.teacher.user_id], kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"您加入{jr.workroom.name}的申请{verdict}"[:200], url=reverse("members:my_workrooms"))


def period_event_notify(*, change_id: int) -> list[Notification]:
    """考核结果公示 (DOMAIN.md §9): every teacher with a result in the period."""
    from django.urls import reverse

    from assessment.models import Period
    from workrooms.models import StatusChange

    change = StatusChange.objects.filter(pk=change_id).first()
    period = Period.objects.filter(pk=change.object_id).first() if change else None
    if period is None or change.to_status != Period.Status.PUBLICIZED:
        return []
    users = get_user_model().objects.filter(teacher__assessment_results__period=period).distinct()
    return notify(users=users, kind=NotificationKind.RESULT_PUBLISHED, title=f"{period}考核结果已公示",
                  url=reverse("assessment:period_detail", args=[period.pk]))


def membership_change_event_notify(*, change_id: int) -> list[Notification]:
    """退出/调整 (DOMAIN.md §5): the office's answer reaches the member and the host."""
    from django.urls import reverse

    from workrooms.models import StatusChange

    from .models import MembershipChange

    change = StatusChange.objects.filter(pk=change_id).first()
    mc = (MembershipChange.objects.select_related("membership__teacher", "membership__workroom")
          .filter(pk=change.object_id).first() if change else None)
    S = MembershipChange.Status
    if mc is None or change.to_status not in (S.APPROVED, S.REFUSED):
        return []
    verdict = "已批准" if change.to_status == S.APPROVED else f"未获批准：{change.comment}"
    teacher, workroom = mc.membership.teacher, mc.membership.workroom
    users = [teacher.user_id, *workroom_host_users(workroom.pk).values_list("pk", flat=True)]
    return notify(users=users, kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"{teacher.name}在{workroom.name}的{mc.get_kind_display()}{verdict}"[:200],
                  url=reverse("members:change_detail", args=[mc.pk]))


def _record_review_notify(change_id: int, model, url_name: str, label) -> list[Notification]:
    from django.urls import reverse

    from workrooms.models import StatusChange

    from .models import ReviewStatus

    change = StatusChange.objects.filter(pk=change_id).first()
    record = model.objects.select_related("teacher").filter(pk=change.object_id).first() if change else None
    if record is None or change.to_status not in (ReviewStatus.ACCEPTED, ReviewStatus.RETURNED):
        return []
    verdict = "已通过主持人审阅" if change.to_status == ReviewStatus.ACCEPTED else f"被主持人退回：{change.comment}"
    return notify(users=[record.teacher.user_id], kind=NotificationKind.COMMENT,
                  title=f"您的{label(record)}{verdict}"[:200], url=reverse(url_name, args=[record.pk]))


def reading_review_event_notify(*, change_id: int) -> list[Notification]:
    """The host's review of a reading log (DOMAIN.md §7) reaches its owner."""
    from .models import ReadingLog

    return _record_review_notify(change_id, ReadingLog, "members:reading_detail", lambda r: f"读书记录《{r.title}》")


def writing_review_event_notify(*, change_id: int) -> list[Notification]:
    """The host's review of a writing (DOMAIN.md §7) reaches its owner."""
    from .models import Writing

    return _record_review_notify(change_id, Writing, "members:writing_detail", lambda r: f"{r.get_kind_display()}「{r.title}」")


def achievement_event_notify(*, change_id: int) -> list[Notification]:
    """The office's check of an achievement (成果认定, DOMAIN.md §7) reaches its owner."""
    from django.urls import reverse

    from workrooms.models import StatusChange

    from .models import Achievement

    change = StatusChange.objects.filter(pk=change_id).first()
    a = Achievement.objects.select_related("teacher").filter(pk=change.object_id).first() if change else None
    S = Achievement.Status
    if a is None or change.to_status not in (S.VERIFIED, S.REJECTED):
        return []
    verdict = "已通过德育处认定" if change.to_status == S.VERIFIED else f"未通过德育处认定：{change.comment}"
    return notify(users=[a.teacher.user_id], kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"您的成果「{a.title}」{verdict}"[:200], url=reverse("members:achievement_detail", args=[a.pk]))


def workroom_event_notify(*, change_id: int) -> list[Notification]:
    """A workroom whose final evaluation is 优秀 has its construction cycle
    extended (DOMAIN.md §9.5): its hosts hear of the new dates."""
    from django.urls import reverse

    from workrooms.models import StatusChange, Workroom

    change = StatusChange.objects.filter(pk=change_id).first()
    workroom = Workroom.objects.filter(pk=change.object_id).first() if change else None
    if workroom is None or change.action != "extend":
        return []
    return notify(users=workroom_host_users(workroom.pk), kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"{workroom.name}建设周期已延长至{workroom.cycle_end:%Y年%m月%d日}", body=change.comment,
                  url=reverse("workrooms:detail", args=[workroom.pk]))


# --- things that wait for a review (called by the services that create them) ---


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


def join_request_created_notify(*, join_request) -> list[Notification]:
    """双向选择 (DOMAIN.md §5): the host answers a teacher's request to join."""
    from django.urls import reverse

    return notify(users=workroom_host_users(join_request.workroom_id), kind=NotificationKind.REVIEW_TODO,
                  title=f"{join_request.teacher.name}申请加入{join_request.workroom.name}"[:200],
                  url=reverse("members:workroom_members", args=[join_request.workroom_id]))


def record_created_notify(*, record, label: str, url: str) -> list[Notification]:
    """A member's reading log or writing waits for the host's review (DOMAIN.md §7)."""
    return notify(users=workroom_host_users(record.workroom_id), kind=NotificationKind.REVIEW_TODO,
                  title=f"{record.teacher.name}提交了{label}，待您审阅"[:200], url=url)


def achievement_created_notify(*, achievement) -> list[Notification]:
    """A recorded achievement waits for the office's check (DOMAIN.md §7)."""
    from django.urls import reverse

    return notify(users=office_users(), kind=NotificationKind.REVIEW_TODO,
                  title=f"{achievement.teacher.name}的成果「{achievement.title}」待认定"[:200],
                  url=reverse("members:achievement_detail", args=[achievement.pk]))


# Transitions recorded by the workflow engine that notify someone, by model.
STATUS_CHANGE_HANDLERS = {
    "workrooms.hostapplication": application_event_notify,
    "workrooms.expense": expense_event_notify,
    "members.joinrequest": join_request_event_notify,
    "assessment.period": period_event_notify,
    "members.membershipchange": membership_change_event_notify,
    "members.readinglog": reading_review_event_notify,
    "members.writing": writing_review_event_notify,
    "members.achievement": achievement_event_notify,
    "workrooms.workroom": workroom_event_notify,
}


def on_status_change(change) -> None:
    """Every workflow transition is recorded as a ``StatusChange``; those of
    the models in ``STATUS_CHANGE_HANDLERS`` notify
    the people concerned once the transition has committed."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_id(change.content_type_id)
    handler = STATUS_CHANGE_HANDLERS.get(f"{ct.app_label}.{ct.model}")
    if handler is None:
        return
    change_id = change.pk
    transaction.on_commit(lambda: handler(change_id=change_id))
