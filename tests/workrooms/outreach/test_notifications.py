"""Notification centre, e-mail in the background, preferences, reminders."""

import smtplib
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Notification, NotificationKind, NotificationPreference
from core.notify import notify, reminders_send, unread_notifications
from core.tasks import send_notification_email, send_reminders
from tests import factories as f
from tests.workrooms.outreach.factories import NotificationFactory
from workrooms.models import HostApplication
from workrooms.plans import services as plans
from workrooms.plans.models import WorkroomPlan


@pytest.fixture
def host_with_email(host):
    host.email = "host@example.cn"
    host.save()
    return host


def test_it_creates_one_notification_per_user_and_emails_after_commit(django_capture_on_commit_callbacks, host_with_email, member):
    member.teacher.email = "member@example.cn"
    member.teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[host_with_email, member, host_with_email], kind=NotificationKind.MENTORING,
                             title="师徒结对", url="/people/mentoring/")
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["host@example.cn", "member@example.cn"]
    assert mail.outbox[0].subject.endswith("师徒结对")
    assert "http://localhost:8000/people/mentoring/" in mail.outbox[0].body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_it_sends_no_email_before_the_transaction_commits(django_capture_on_commit_callbacks, host_with_email):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[host_with_email], kind=NotificationKind.DEADLINE, title="t")
    assert mail.outbox == [] and len(callbacks) == 1


def test_it_respects_the_email_preference_but_keeps_the_in_app_notice(client, django_capture_on_commit_callbacks, host_with_email):
    client.force_login(host_with_email)
    kinds = [k for k in NotificationKind.values if k != NotificationKind.PLAN_RETURNED]
    client.post(reverse("members:notification_preferences"), {"email_kinds": kinds})
    assert NotificationPreference.objects.get(user=host_with_email, kind=NotificationKind.PLAN_RETURNED).email is False
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[host_with_email], kind=NotificationKind.PLAN_RETURNED, title="退回")
        notify(users=[host_with_email], kind=NotificationKind.PLAN_FILED, title="备案")
    assert [m.subject for m in mail.outbox] == ["[名班主任工作室管理系统] 备案"]
    assert Notification.objects.filter(user=host_with_email).count() == 2
    page = client.get(reverse("members:notification_preferences")).content.decode()
    assert 'value="plan_returned"' in page and 'value="plan_returned" checked' not in page.replace('" id', '"')


def test_a_failing_mail_server_never_fails_the_action(django_capture_on_commit_callbacks, workroom, host_with_email, office):
    with mock.patch("django.core.mail.send_mail", side_effect=smtplib.SMTPServerDisconnected("down")):
        with django_capture_on_commit_callbacks(execute=True):
            version = plans.plan_submit(workroom=workroom, kind="annual", year=2026, body="<p>计划</p>", actor=host_with_email)
            plans.plan_decide(plan=version.plan, action="return", actor=office, comment="请修改")
    assert WorkroomPlan.objects.get().status == WorkroomPlan.Status.RETURNED
    n = Notification.objects.get(user=host_with_email, kind=NotificationKind.PLAN_RETURNED)
    assert n.emailed_at is None


def test_the_email_task_retries_until_the_server_answers(host_with_email):
    n = NotificationFactory(user=host_with_email, title="重试")
    real = mail.send_mail
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return real(*args, **kwargs)

    # Run in-process the way a worker would; the retry runs at once here.
    with mock.patch("django.core.mail.send_mail", side_effect=flaky) as sm:
        send_notification_email.apply(args=[n.pk], throw=False)
    assert sm.call_count == 2
    assert [m.subject for m in mail.outbox] == ["[名班主任工作室管理系统] 重试"]
    n.refresh_from_db()
    assert n.emailed_at is not None
    # idempotent: a second run sends nothing
    send_notification_email.apply(args=[n.pk])
    assert len(mail.outbox) == 1


def test_it_lists_marks_read_and_marks_all_read(client, member):
    mine = [NotificationFactory(user=member, title=f"我的{i}") for i in range(3)]
    other = NotificationFactory(title="别人的")
    client.force_login(member)
    html = client.get(reverse("members:notifications")).content.decode()
    assert "我的0" in html and "别人的" not in html
    assert 'id="unread-count">3<' in html
    client.post(reverse("members:notification_read", args=[mine[0].pk]))
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 2
    unread = client.get(reverse("members:notifications"), {"unread": "true"}).content.decode()
    assert "我的0" not in unread and "我的1" in unread
    assert client.post(reverse("members:notification_read", args=[other.pk])).status_code == 404
    client.post(reverse("members:notifications_read_all"))
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_following_a_notification_marks_it_read(client, member):
    n = NotificationFactory(user=member, url="/people/mentoring/")
    client.force_login(member)
    r = client.post(reverse("members:notification_read", args=[n.pk]), {"follow": "1"})
    assert r.url == "/people/mentoring/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("rows", [0, 1, 40])
def test_the_header_count_costs_one_query(rf, member, rows, django_assert_num_queries):
    for _ in range(rows):
        NotificationFactory(user=member)
    request = rf.get("/")
    request.user = member
    context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_notification_count"] == rows


def test_the_header_count_costs_nothing_for_a_page_that_does_not_show_it(rf, member, django_assert_num_queries):
    request = rf.get("/")
    request.user = member
    with django_assert_num_queries(0):
        unread_notifications(request)


# --- reminders -------------------------------------------------------------------


def test_the_daily_reminder_warns_the_host_of_a_cycle_ending_within_7_days(workroom, host):
    workroom.cycle_end = timezone.localdate() + timedelta(days=7)
    workroom.save()
    late = f.WorkroomFactory()
    late.cycle_end = timezone.localdate() + timedelta(days=8)
    late.save()
    assert send_reminders.delay().get() == 1
    n = Notification.objects.get()
    assert (n.user, n.kind) == (host, NotificationKind.DEADLINE)
    assert "建设周期将于" in n.title
    assert send_reminders.delay().get() == 0  # never twice
    assert Notification.objects.count() == 1


def test_the_daily_reminder_warns_the_office_of_a_public_notice_ending(office, teacher, ruleset):
    HostApplication.objects.create(
        applicant=teacher, research_direction="x", plan_summary="x", ruleset=ruleset,
        status=HostApplication.Status.PUBLIC_NOTICE, notice_ends_at=timezone.now() + timedelta(days=3),
    )
    send_reminders.delay()
    assert Notification.objects.get(user=office).title.startswith("李堃的主持人申报公示将于")


def test_the_reminder_schedule_exists_and_points_at_a_registered_task(db):
    from config.celery import app

    task = PeriodicTask.objects.get(name="每日截止提醒")
    assert (task.enabled, task.crontab.hour, task.crontab.minute) == (True, "7", "30")
    app.loader.import_default_modules()
    assert task.task in app.tasks


def test_following_a_notification_never_leaves_the_site(client, member):
    n = NotificationFactory(user=member, url="//evil.example/")
    client.force_login(member)
    r = client.post(reverse("members:notification_read", args=[n.pk]), {"follow": "1"})
    assert r.url == reverse("members:notifications")


def test_the_administrator_edits_the_reminder_schedule_in_the_admin(client, admin):
    client.force_login(admin)
    task = PeriodicTask.objects.get(name="每日截止提醒")
    r = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))
    assert r.status_code == 200 and "members.tasks.send_reminders" in r.content.decode()


def test_members_behind_on_their_duties_hear_it_before_the_term_ends(workroom, host, member):
    from core.calendar import semester_of

    term = semester_of(timezone.localdate())
    early, late = term.last_day - timedelta(days=60), term.last_day - timedelta(days=5)
    assert reminders_send(today=early) == 0
    reminders_send(today=late)
    mine = Notification.objects.get(user=member, kind=NotificationKind.DUTY_BEHIND)
    assert mine.title.startswith(f"{term.label}还剩5天，您的职责进度落后：")
    assert mine.url == reverse("workrooms:member_progress", args=[workroom.pk, member.teacher.pk])
    assert Notification.objects.get(user=host, kind=NotificationKind.DUTY_BEHIND).title.startswith(f"{workroom.name}有1名成员")
    assert reminders_send(today=late) == 0  # once per semester


def test_a_co_host_hears_of_members_behind_too(workroom, host, member):
    from core.calendar import semester_of
    from workrooms.selection.models import Membership

    co_host = f.TeacherFactory(name="钱副", school=workroom.school)
    Membership.objects.create(workroom=workroom, teacher=co_host, role=Membership.Role.HOST,
                              status=Membership.Status.ACTIVE)
    reminders_send(today=semester_of(timezone.localdate()).last_day - timedelta(days=5))
    for user in (host, co_host.user):
        assert Notification.objects.get(user=user, kind=NotificationKind.DUTY_BEHIND).title.startswith(
            f"{workroom.name}有1名成员")


def test_the_spring_duty_warning_comes_before_the_summer_not_in_august(workroom, host, member, time_machine):
    """The second term ends on 31 July (§11): the warning comes in July; in
    August, the summer holiday, nobody is warned."""
    time_machine.move_to(date(2027, 6, 1))
    assert reminders_send(today=date(2027, 8, 20)) == 0
    reminders_send(today=date(2027, 7, 20))
    mine = Notification.objects.get(user=member, kind=NotificationKind.DUTY_BEHIND)
    assert mine.title.startswith("2026-2027学年第二学期还剩11天")
