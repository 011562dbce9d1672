"""python manage.py load_demo: the demo school, idempotent, every account usable."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from members.models import Department, EthicsRecord, JoinRequest, Membership, ProfileItem, School, Teacher
from members.roles import roles_of
from workrooms.models import ExpertReview, HostApplication, Objection, RuleSet, StatusChange, Workroom

MODELS = [School, Department, Teacher, User, ProfileItem, EthicsRecord, Membership, JoinRequest, Workroom,
          HostApplication, ExpertReview, Objection, StatusChange, RuleSet]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return load()


def test_it_loads_the_demo_once_however_often_it_runs(demo):
    first = counts()
    assert "演示数据已存在" in load()
    assert counts() == first
    assert "演示数据已加载" in load("--reset")
    assert counts() == first
    assert first["Teacher"] == 60 and first["School"] == 3 and first["Workroom"] == 4 and first["RuleSet"] == 1


def test_it_prints_every_account_with_its_role(demo):
    for line in ("admin      管理员", "office     德育处", "leader     校领导（只读）", "expert1    专家",
                 "reviewer   系部审核人（高一年级部）", "host       主持人", "member     成员", "teacher    普通教师"):
        assert line in demo
    assert "密码均为 demo12345" in demo


@pytest.mark.parametrize("username, check", [
    ("admin", lambda r: r.is_admin and r.user.is_superuser and r.user.is_staff),
    ("office", lambda r: r.is_office and not r.is_admin),
    ("leader", lambda r: r.is_leader and not r.is_office),
    ("expert1", lambda r: r.is_expert),
    ("expert2", lambda r: r.is_expert),
    ("reviewer", lambda r: r.is_department_reviewer and r.teacher.name == "周建华"),
    ("host", lambda r: r.hosted_workroom_ids and r.teacher.name == "王喆"),
    ("member", lambda r: r.member_workroom_ids and r.teacher.name == "张昇"),
    ("teacher", lambda r: r.teacher.name == "李堃" and not (r.hosted_workroom_ids or r.member_workroom_ids or r.groups)),
])
def test_each_demo_account_logs_in_with_its_role(client, demo, username, check):
    r = client.post("/accounts/login/", {"username": username, "password": "demo12345"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    assert check(roles_of(User.objects.get(username=username)))


def test_the_demo_is_consistent_with_its_states(demo):
    W, A = Workroom.Status, HostApplication.Status
    assert set(Workroom.objects.values_list("status", flat=True)) == {W.RUNNING, W.APPROVED, W.MIDTERM, W.REVOKED}
    assert Workroom.objects.get(status=W.REVOKED).funding_stopped
    for wr in Workroom.objects.all():
        assert wr.memberships.filter(role=Membership.Role.HOST, teacher=wr.host).exists()
        assert wr.application.status == A.APPROVED and wr.application.eligibility["ok"]
    running = Workroom.objects.get(status=W.RUNNING)
    assert running.memberships.filter(status=Membership.Status.PENDING_AGREEMENT).count() == 1
    assert set(HostApplication.objects.exclude(status=A.APPROVED).values_list("status", flat=True)) == {
        A.DEPT_REVIEW, A.OFFICE_REVIEW, A.EXPERT_REVIEW, A.PUBLIC_NOTICE, A.RETURNED}
    assert HostApplication.objects.get(status=A.EXPERT_REVIEW).experts.count() == 2
    assert Objection.objects.get().application.status == A.PUBLIC_NOTICE
    # every application's history ends in its current state, with the workflow's actions,
    # the department step by that department's reviewer
    from workrooms.workflow import HOST_APPLICATION, WORKROOM

    actions = {t.action for t in HOST_APPLICATION.transitions} | {t.action for t in WORKROOM.transitions} | {"submit"}
    assert set(StatusChange.objects.values_list("action", flat=True)) <= actions
    for app in HostApplication.objects.all():
        steps = list(StatusChange.objects.filter(object_id=app.pk, content_type__model="hostapplication").order_by("created_at"))
        assert steps[-1].to_status == app.status and steps[0].action == "submit"
        if len(steps) > 1:
            assert steps[1].actor in app.applicant.department.reviewers.all()
    names = set(Teacher.objects.values_list("name", flat=True))
    assert {"王喆", "李堃", "张昇"} <= names
    assert EthicsRecord.objects.filter(confirmed=True).count() == 2
    assert ProfileItem.objects.values("kind").distinct().count() == 5


def test_the_demo_members_meet_the_member_criteria(demo):
    from members.eligibility import MemberRules, member_eligibility
    from members.selectors import teacher_facts

    rules = MemberRules.from_ruleset(RuleSet.objects.current())
    members = Membership.objects.filter(role=Membership.Role.MEMBER).select_related("teacher")
    assert members.count() == 8
    for m in members:
        assert member_eligibility(teacher_facts(m.teacher), rules).ok, m.teacher.name


@pytest.mark.parametrize("username", ["admin", "office", "leader", "expert1", "reviewer", "host", "member", "teacher"])
def test_every_demo_account_opens_its_pages(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    for url in ("/", "/workrooms/", "/workrooms/applications/"):
        assert client.get(url).status_code == 200, url
    for app in HostApplication.objects.visible_to(user):
        assert client.get(f"/workrooms/applications/{app.pk}/").status_code == 200
    for wr in Workroom.objects.visible_to(user):
        assert client.get(f"/workrooms/{wr.pk}/").status_code == 200


def test_the_demo_gives_the_reviewer_and_the_office_something_to_do(client, demo):
    waiting = HostApplication.objects.get(status=HostApplication.Status.DEPT_REVIEW)
    client.force_login(User.objects.get(username="reviewer"))
    assert waiting.applicant.name in client.get("/").content.decode()
    client.force_login(User.objects.get(username="office"))
    assert "该教师近一年未实际担任班主任" in client.get("/").content.decode()
