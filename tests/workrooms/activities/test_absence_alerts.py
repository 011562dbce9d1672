"""Absence above one third (DOMAIN.md §5, §11): the daily reminders tell the
host and the office once, with the removal request filled in one click away."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.notify import reminders_send
from tests.factories import MembershipFactory
from tests.workrooms.activities.factories import ActivityFactory, AttendanceFactory
from workrooms.activities.duties import duty_rules_from
from workrooms.activities.selectors import members_absent_over_limit
from workrooms.models import RuleSet
from workrooms.selection.models import Membership, MembershipChange

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 20)  # 2026-2027学年第二学期 began on 1 February
NOW = datetime.combine(TODAY, time(8), tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def place(workroom, member):
    m = Membership.objects.get(workroom=workroom, teacher__user=member)
    m.joined_on = date(2026, 9, 1)
    m.save()
    return m


def _held(workroom, days, place, attended):
    """Activities on the given days of March; the member signs in at ``attended`` of them."""
    tz = timezone.get_default_timezone()
    for i, day in enumerate(days):
        activity = ActivityFactory(workroom=workroom, starts_at=datetime(2027, 3, day, 15, tzinfo=tz))
        if i < attended:
            AttendanceFactory(activity=activity, teacher=place.teacher)


def _alerts():
    return Notification.objects.filter(dedupe_key__startswith="absence:")


def test_it_alerts_the_host_and_the_office_once_when_a_member_misses_more_than_a_third(workroom, host, office, place):
    _held(workroom, [2, 9, 16], place, attended=1)  # absent 2 of 3

    reminders_send(today=TODAY)
    assert sorted(_alerts().values_list("user__username", flat=True)) == sorted([host.username, "office"])
    alert = _alerts().get(user=host)
    assert alert.title == f"{workroom.name}成员张昇2026-2027学年第二学期缺席活动 2/3 次，超过 1/3，可申请调整出工作室"
    assert alert.url == reverse("selection:removal_create", args=[place.pk]) + "?reason=absence"

    reminders_send(today=TODAY)
    assert _alerts().count() == 2  # once only


def test_exactly_a_third_is_not_more_than_a_third(workroom, host, office, place):
    _held(workroom, [2, 9, 16], place, attended=2)
    reminders_send(today=TODAY)
    assert not _alerts().exists()


def test_only_this_semesters_activities_count(workroom, host, office, place):
    tz = timezone.get_default_timezone()
    for day in (5, 12, 19):  # 第一学期, all missed
        ActivityFactory(workroom=workroom, starts_at=datetime(2026, 11, day, 15, tzinfo=tz))
    _held(workroom, [2, 9, 16], place, attended=3)
    ActivityFactory(workroom=workroom, starts_at=datetime(2027, 3, 27, 15, tzinfo=tz))  # not held yet
    reminders_send(today=TODAY)
    assert not _alerts().exists()


def test_no_alert_while_a_removal_is_already_under_way(workroom, host, office, place):
    _held(workroom, [2, 9, 16], place, attended=0)
    MembershipChange.objects.create(
        membership=place, kind="remove", reason="absence", text="已申请", status="pending_office", requested_by=host
    )
    reminders_send(today=TODAY)
    assert not _alerts().exists()


def test_the_link_opens_the_removal_request_filled_in(client, workroom, host, place):
    _held(workroom, [2, 9, 16], place, attended=1)
    client.force_login(host)
    url = reverse("selection:removal_create", args=[place.pk]) + "?reason=absence"
    html = client.get(url).content.decode()
    assert '<option value="absence" selected>' in html
    assert "2026-2027学年第二学期至今工作室活动 3 次，张昇缺席 2 次，超过 1/3。" in html

    r = client.post(url, {"reason": "absence", "text": "缺席 2/3 次"})
    change = MembershipChange.objects.get()
    assert r.url == reverse("selection:change_detail", args=[change.pk])
    assert (change.kind, change.reason, change.status) == ("remove", "absence", "pending_office")


def test_the_office_files_the_removal_from_its_alert(client, workroom, office, place):
    client.force_login(office)
    url = reverse("selection:removal_create", args=[place.pk]) + "?reason=absence"
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "absence", "text": "缺席超过三分之一"})
    assert MembershipChange.objects.get().requested_by == office


@pytest.mark.parametrize(
    "persona, status", [("anonymous", 302), ("outsider", 404), ("member", 403), ("leader", 403), ("teacher", 404)]
)
def test_the_removal_request_form_refuses_everyone_else(request, client, place, persona, status):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    url = reverse("selection:removal_create", args=[place.pk]) + "?reason=absence"
    assert client.get(url).status_code == status
    assert client.post(url, {"reason": "absence", "text": "x"}).status_code == status
    assert not MembershipChange.objects.exists()


def test_finding_the_absent_members_is_one_query(django_assert_num_queries, workroom, host, place):
    others = [MembershipFactory(workroom=workroom, joined_on=date(2026, 9, 1)) for _ in range(5)]
    _held(workroom, [2, 9, 16], place, attended=1)
    rules = duty_rules_from(RuleSet.objects.current())
    with django_assert_num_queries(1):  # every current member of every open workroom, with both counts
        absent = members_absent_over_limit(today=TODAY, rules=rules)
    assert sorted(a.membership.pk for a in absent) == sorted([place.pk, *(m.pk for m in others)])
