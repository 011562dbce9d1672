"""A workroom's hosts (DOMAIN.md §1, §3; 003方案3): up to ``max_hosts`` with a
host's rights, added, removed after a confirmed ethics violation or replaced
on a job change, always by the office with a reason and a history."""

import pytest
from django.core.exceptions import ValidationError

from members.models import EthicsRecord
from members.roles import roles_of
from tests import factories as f
from tests.workrooms.records.factories import ReadingLogFactory
from workrooms.access import can_manage_workroom
from workrooms.hosts import services
from workrooms.hosts.models import HostChange
from workrooms.models import Workroom
from workrooms.selection.models import Membership


@pytest.fixture
def two_hosts(ruleset):
    ruleset.max_hosts = 2
    ruleset.save()
    return ruleset


@pytest.fixture
def candidate(workroom):
    return f.TeacherFactory(name="钱副", school=workroom.school)


def _confirmed_violation(teacher):
    EthicsRecord.objects.create(teacher=teacher, occurred_on=f.years_ago(0, days=10), description="体罚学生", confirmed=True)


def _fresh(user):
    user.__dict__.pop("_roles", None)
    return user


# --- permission matrix ------------------------------------------------------------------

MATRIX = [
    ("get", "/workrooms/{pk}/hosts/", {"anonymous": 302, "outsider": 404, "teacher": 404, "member": 403, "leader": 200,
                                       "host": 200, "office": 200}),
    ("post", "/workrooms/{pk}/hosts/add/", {"anonymous": 302, "outsider": 404, "member": 403, "leader": 403,
                                            "host": 403, "office": 400}),
    ("post", "/workrooms/{pk}/hosts/change/", {"anonymous": 302, "outsider": 404, "member": 403, "leader": 403,
                                               "host": 403, "office": 400}),
]
CASES = [(method, url, persona, status) for method, url, table in MATRIX for persona, status in table.items()]


@pytest.mark.parametrize("method,url,persona,status", CASES)
def test_only_the_office_changes_hosts(client, workroom, teacher, member, host, outsider, leader, office,
                                       method, url, persona, status):
    users = {"outsider": outsider, "teacher": teacher.user, "member": member, "leader": leader, "host": host,
             "office": office}
    if persona != "anonymous":
        client.force_login(users[persona])
    r = getattr(client, method)(url.format(pk=workroom.pk), {} if method == "post" else None)
    assert r.status_code == status  # the office's empty form comes back with its errors (400)
    assert Membership.objects.filter(workroom=workroom, role="host").count() == 1
    assert not HostChange.objects.exists()


# --- a second host ---------------------------------------------------------------------


def test_the_cap_of_one_host_is_enforced_in_chinese(client, workroom, office, candidate, ruleset):
    client.force_login(office)
    r = client.post(f"/workrooms/{workroom.pk}/hosts/add/", {"teacher": candidate.pk, "reason": "增设"})
    assert r.status_code == 400
    assert "每个工作室至多 1 名主持人（学校设置）" in r.content.decode()
    with pytest.raises(ValidationError, match="至多 1 名主持人"):
        services.cohost_add(workroom=workroom, teacher=candidate, reason="增设", actor=office)
    assert Membership.objects.filter(workroom=workroom, role="host").count() == 1


def test_the_office_adds_a_second_host_who_then_has_a_hosts_rights(client, workroom, office, candidate, two_hosts):
    client.force_login(office)
    r = client.post(f"/workrooms/{workroom.pk}/hosts/add/", {"teacher": candidate.pk, "reason": "市教育局批复领衔人二人"})
    assert r.status_code == 302
    assert can_manage_workroom(_fresh(candidate.user), workroom)
    assert workroom.pk in roles_of(candidate.user).hosted_workroom_ids
    page = client.get(f"/workrooms/{workroom.pk}/").content.decode()
    assert "王喆（领衔人）" in page and "钱副（副主持人）" in page
    client.force_login(candidate.user)
    assert client.get(f"/people/workrooms/{workroom.pk}/members/").status_code == 200
    change = HostChange.objects.get()
    assert (change.kind, change.incoming, change.reason, change.decided_by) == ("add", candidate, "市教育局批复领衔人二人", office)
    # The cap of two is now reached.
    third = f.TeacherFactory(school=workroom.school)
    with pytest.raises(ValidationError, match="至多 2 名主持人"):
        services.cohost_add(workroom=workroom, teacher=third, reason="再增设", actor=office)


def test_a_teacher_hosting_elsewhere_or_ineligible_is_refused_with_reasons(workroom, office, candidate, two_hosts):
    elsewhere = f.WorkroomFactory(host=f.TeacherFactory(name="孙他", school=workroom.school))
    with pytest.raises(ValidationError) as e:
        services.cohost_add(workroom=workroom, teacher=elsewhere.host, reason="增设", actor=office)
    assert "一人只能主持一个工作室" in str(e.value)
    candidate.head_teacher_since = f.years_ago(2)
    candidate.save()
    with pytest.raises(ValidationError) as e:
        services.cohost_add(workroom=workroom, teacher=candidate, reason="增设", actor=office)
    assert "须担任班主任满 6 年，档案记载 2 年" in str(e.value)
    vetoed = f.TeacherFactory(name="违规者", school=workroom.school)
    _confirmed_violation(vetoed)
    with pytest.raises(ValidationError, match="一票否决"):
        services.cohost_add(workroom=workroom, teacher=vetoed, reason="增设", actor=office)
    assert Membership.objects.filter(workroom=workroom, role="host").count() == 1


def test_a_refused_addition_keeps_the_form(client, workroom, office, two_hosts):
    elsewhere = f.WorkroomFactory(host=f.TeacherFactory(name="孙他", school=workroom.school))
    client.force_login(office)
    r = client.post(f"/workrooms/{workroom.pk}/hosts/add/", {"teacher": elsewhere.host.pk, "reason": "我写的原因"})
    # A teacher who hosts elsewhere is not offered at all.
    assert r.status_code == 400
    assert "我写的原因" in r.content.decode()


# --- removal and replacement -------------------------------------------------------------


def test_removal_for_ethics_needs_a_confirmed_violation(workroom, office, candidate):
    outgoing = Membership.objects.get(workroom=workroom, role="host")
    with pytest.raises(ValidationError, match="没有经查实的师德违规记录"):
        services.host_change(workroom=workroom, kind="ethics", outgoing=outgoing, successor=candidate, reason="违规",
                             actor=office)
    outgoing.refresh_from_db()
    assert outgoing.status == Membership.Status.ACTIVE


def test_the_only_host_removed_for_ethics_needs_a_successor(workroom, office):
    outgoing = Membership.objects.get(workroom=workroom, role="host")
    _confirmed_violation(workroom.host)
    with pytest.raises(ValidationError, match="请选择接任的主持人"):
        services.host_change(workroom=workroom, kind="ethics", outgoing=outgoing, successor=None, reason="违规",
                             actor=office)


def test_an_ethics_removal_ends_the_host_role_and_the_successor_leads(client, workroom, member, office, candidate):
    old = workroom.host
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    _confirmed_violation(old)
    client.force_login(office)
    outgoing = Membership.objects.get(workroom=workroom, role="host")
    r = client.post(f"/workrooms/{workroom.pk}/hosts/change/", {
        "kind": "ethics", "outgoing": outgoing.pk, "successor": candidate.pk, "reason": "经查实体罚学生",
    })
    assert r.status_code == 302
    workroom.refresh_from_db()
    outgoing.refresh_from_db()
    assert workroom.host == candidate and workroom.name == "钱副名班主任工作室"
    assert outgoing.status == Membership.Status.ENDED and "经查实体罚学生" in outgoing.left_reason
    assert not can_manage_workroom(_fresh(old.user), workroom)
    assert can_manage_workroom(_fresh(candidate.user), workroom)
    # The workroom keeps its records.
    assert workroom.readinglogs.filter(pk=log.pk).exists()
    page = client.get(f"/workrooms/{workroom.pk}/hosts/").content.decode()
    assert "师德违规撤换" in page and "经查实体罚学生" in page
    assert "王喆名班主任工作室 → 钱副名班主任工作室" in page
    assert workroom.history.first().history_user == office


def test_a_job_change_needs_a_successor_and_replaces_the_host(workroom, office, candidate):
    outgoing = Membership.objects.get(workroom=workroom, role="host")
    with pytest.raises(ValidationError, match="须选择接任的主持人"):
        services.host_change(workroom=workroom, kind="job", outgoing=outgoing, successor=None, reason="调任",
                             actor=office)
    services.host_change(workroom=workroom, kind="job", outgoing=outgoing, successor=candidate, reason="调任教育局",
                         actor=office)
    assert Workroom.objects.get(pk=workroom.pk).host == candidate
    assert HostChange.objects.get().kind == HostChange.Kind.JOB


def test_removing_the_lead_promotes_the_remaining_co_host(workroom, office, candidate, two_hosts):
    services.cohost_add(workroom=workroom, teacher=candidate, reason="增设", actor=office)
    _confirmed_violation(workroom.host)
    outgoing = Membership.objects.get(workroom=workroom, teacher=workroom.host)
    services.host_change(workroom=workroom, kind="ethics", outgoing=outgoing, successor=None, reason="违规",
                         actor=office)
    workroom.refresh_from_db()
    assert workroom.host == candidate
    assert Membership.objects.current().filter(workroom=workroom, role="host").count() == 1


def test_a_closed_workroom_keeps_its_hosts(workroom, office, candidate):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    outgoing = Membership.objects.get(workroom=workroom, role="host")
    with pytest.raises(ValidationError, match="已结题或已撤销"):
        services.host_change(workroom=workroom, kind="job", outgoing=outgoing, successor=candidate, reason="调任",
                             actor=office)
