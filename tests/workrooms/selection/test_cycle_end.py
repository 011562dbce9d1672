"""Cycle end (DOMAIN.md §11): completing or revoking a workroom ends the
host's term and every membership, kept in the history; a former member is
free to join another workroom."""

from datetime import date, datetime
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from core.models import StatusChange
from core.workflow import TransitionRefused, history
from members.roles import roles_of
from tests import factories as f
from workrooms.models import Workroom
from workrooms.selection import services
from workrooms.selection.models import Membership
from workrooms.workflow import WORKROOM

pytestmark = pytest.mark.django_db

DAY = datetime(2027, 6, 30, 10, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def place(workroom, member):
    return Membership.objects.get(workroom=workroom, teacher__user=member)


def _complete(workroom, office):
    WORKROOM.apply(workroom, "start_final", actor=office)
    WORKROOM.apply(workroom, "complete", actor=office, comment="终期评估合格")


@time_machine.travel(DAY, tick=False)
def test_it_ends_the_hosts_and_members_terms_when_the_workroom_completes(workroom, office, host, place):
    pending = f.MembershipFactory(workroom=workroom, status=Membership.Status.PENDING_AGREEMENT)
    _complete(workroom, office)

    rows = Membership.objects.filter(workroom=workroom).order_by("role", "pk")
    assert [(m.role, m.status, m.left_on) for m in rows] == [
        ("host", "completed", date(2027, 6, 30)),
        ("member", "completed", date(2027, 6, 30)),
        ("member", "ended", date(2027, 6, 30)),  # never filed the agreement: no 结业
    ]
    assert [(s.action, s.from_status, s.to_status, s.actor) for s in history(place)][-1] == (
        "complete", "active", "completed", office
    )
    assert (history(pending).last().from_status, history(pending).last().comment) == (
        "pending_agreement", "工作室结题时协议尚未备案"
    )
    place.refresh_from_db()
    assert place.left_reason == "工作室结题，聘期届满"
    # The workroom's own step says what it did to the terms.
    assert "主持人任期与 2 名成员的聘期随之结束。" in history(workroom).last().comment
    host = type(host).objects.get(pk=host.pk)
    assert roles_of(host).hosted_workroom_ids == frozenset()


def test_a_former_member_can_join_another_workroom_after_completion(workroom, office, member, place):
    elsewhere = f.WorkroomFactory()
    _complete(workroom, office)

    request = services.join_request_create(
        teacher=place.teacher, workroom=elsewhere, message="继续研修", actor=member
    )
    joined = services.join_request_accept(join_request=request, actor=elsewhere.host.user)
    assert (joined.workroom, joined.status) == (elsewhere, Membership.Status.PENDING_AGREEMENT)


@time_machine.travel(DAY, tick=False)
def test_it_ends_every_term_when_the_workroom_is_revoked(workroom, office, place):
    WORKROOM.apply(workroom, "revoke", actor=office, comment="中期评估不合格")

    assert set(Membership.objects.filter(workroom=workroom).values_list("status", "left_on")) == {
        ("ended", date(2027, 6, 30))
    }
    assert history(place).last().comment == "工作室被撤销"
    assert not Membership.objects.current().filter(workroom=workroom).exists()


def test_a_refused_completion_ends_no_term(workroom, office, place):
    # 运行中 cannot be completed directly: nothing changes, memberships stay.
    with pytest.raises(TransitionRefused, match="不能执行「结题」"):
        WORKROOM.apply(workroom, "complete", actor=office)
    assert set(Membership.objects.filter(workroom=workroom).values_list("status", flat=True)) == {"active"}
    assert not StatusChange.objects.exists()


@time_machine.travel(DAY, tick=False)
def test_the_member_sees_the_end_of_their_term(client, workroom, office, member, place):
    _complete(workroom, office)
    client.force_login(member)
    html = client.get(reverse("selection:my_workrooms")).content.decode()
    assert "已结业" in html and "2027-06-30" in html and "工作室结题，聘期届满" in html
    assert "申请退出" not in html


def test_the_data_migration_closes_the_terms_of_workrooms_that_already_ended(workroom, office, place):
    never_filed = f.MembershipFactory(workroom=workroom, status=Membership.Status.PENDING_AGREEMENT)
    revoked = f.WorkroomFactory()
    revoked_member = f.MembershipFactory(workroom=revoked)
    running = f.MembershipFactory(workroom=f.WorkroomFactory())
    with time_machine.travel(datetime(2027, 1, 15, 9, tzinfo=timezone.get_default_timezone()), tick=False):
        # As the old code did: the workroom completes and its memberships stay open.
        Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
        workroom.status = Workroom.Status.COMPLETED
        WORKROOM.record(workroom, actor=office, action="complete", from_status="final")
    Workroom.objects.filter(pk=revoked.pk).update(status=Workroom.Status.REVOKED)

    with time_machine.travel(DAY, tick=False):
        import_module("workrooms.migrations.0010_close_memberships_of_ended_workrooms").close_terms(apps, None)

    for m in (place, never_filed, revoked_member, running):
        m.refresh_from_db()
    assert (place.status, place.left_on) == ("completed", date(2027, 1, 15))
    assert (never_filed.status, never_filed.left_on) == ("ended", date(2027, 1, 15))
    assert (revoked_member.status, revoked_member.left_on) == ("ended", date(2027, 6, 30))
    assert running.status == "active"
    assert history(place).last().comment == "工作室结题，聘期届满（补记）"


@time_machine.travel(DAY, tick=False)
def test_the_workroom_page_keeps_the_last_terms_after_completion(client, workroom, office, teacher, place):
    _complete(workroom, office)
    client.force_login(teacher.user)
    html = client.get(reverse("workrooms:detail", args=[workroom.pk])).content.decode()
    assert "<th>结束日期</th>" in html
    assert html.count("<td>已结业</td>") == 2 and "<td>2027-06-30</td>" in html and "张昇" in html
