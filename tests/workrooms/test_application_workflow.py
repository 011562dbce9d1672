"""主持人申报 workflow (DOMAIN.md §4): each step by the right role only;
everyone else refused with the application unchanged."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import StatusChange
from core.workflow import TransitionRefused, history
from tests import factories as f
from tests.workrooms.factories import (
    ExpertReviewFactory,
    HostApplicationFactory,
    ObjectionFactory,
    in_public_notice,
)
from workrooms import services
from workrooms.models import HostApplication, RuleSet, Workroom
from workrooms.selection.models import Membership
from workrooms.workflow import HOST_APPLICATION

A = HostApplication.Status


@pytest.fixture
def colleague(department):
    """A teacher of the applicant's department with no role in the application."""
    return f.TeacherFactory(name="孙同", school=department.school, department=department).user


def _url(application, action):
    return f"/workrooms/applications/{application.pk}/transition/{action}/"


def _place(application, action, expert):
    """Put ``application`` in the state ``action`` leaves from."""
    t = HOST_APPLICATION.get(action)
    if t.sources[0] == A.PUBLIC_NOTICE:
        in_public_notice(application, ends_in=timedelta(seconds=-1))
    else:
        application.status = t.sources[0]
        application.save()
    if application.status == A.EXPERT_REVIEW:
        application.experts.set([expert])
        ExpertReviewFactory(application=application, expert=expert)
    return application


# action -> the persona allowed to perform it
ALLOWED = {
    "dept_pass": "reviewer",
    "dept_return": "reviewer",
    "office_pass": "office",
    "office_return": "office",
    "start_notice": "office",
    "expert_return": "office",
    "not_established": "office",
    "approve": "admin",
    "reject": "admin",
    "withdraw": "applicant",
}
PERSONAS = [
    "anonymous", "outsider", "colleague", "member", "leader", "other_reviewer", "other_expert",
    "expert", "reviewer", "office", "admin", "applicant",
]


def _user(request, persona):
    if persona == "anonymous":
        return AnonymousUser()
    if persona == "applicant":
        return request.getfixturevalue("teacher").user
    return request.getfixturevalue(persona)


def _may(persona, action):
    allowed = ALLOWED[action]
    return persona == allowed or (allowed == "office" and persona == "admin")


@pytest.mark.parametrize("action", list(ALLOWED))
def test_it_lets_the_right_role_perform_each_step(client, request, application, expert, action):
    _place(application, action, expert)
    before = history(application).count()
    client.force_login(_user(request, ALLOWED[action]))
    data = {"comment": "意见明确"}
    if action == "office_pass":
        data["experts"] = [expert.pk]
    r = client.post(_url(application, action), data)
    assert r.status_code == 302
    application.refresh_from_db()
    assert application.status == HOST_APPLICATION.get(action).target
    last = history(application).last()
    assert history(application).count() == before + 1
    assert (last.action, last.comment, last.actor_id) == (action, "意见明确", _user(request, ALLOWED[action]).pk)


@pytest.mark.parametrize(
    "action, persona", [(a, p) for a in ALLOWED for p in PERSONAS if not _may(p, a)]
)
def test_it_refuses_everyone_else_and_changes_nothing(
    client, request, application, expert, member, outsider, leader, other_reviewer, other_expert, action, persona
):
    _place(application, action, expert)
    before = (application.status, history(application).count(), list(application.experts.all()))
    user = _user(request, persona)
    if persona != "anonymous":
        client.force_login(user)
    r = client.post(_url(application, action), {"comment": "越权尝试", "experts": [other_expert.pk]})
    if persona == "anonymous":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    else:
        assert r.status_code in (403, 404)
    application.refresh_from_db()
    assert (application.status, history(application).count(), list(application.experts.all())) == before
    assert not Workroom.objects.filter(host=application.applicant).exists()


@pytest.mark.parametrize("persona", ["outsider", "colleague", "other_reviewer", "other_expert"])
def test_it_hides_an_application_under_review_from_people_with_no_part_in_it(client, request, application, persona):
    client.force_login(_user(request, persona))
    assert client.get(f"/workrooms/applications/{application.pk}/").status_code == 404
    assert client.post(_url(application, "dept_pass")).status_code == 404


def test_it_gives_the_read_only_leader_403_on_a_step(client, application, leader):
    client.force_login(leader)
    assert client.get(f"/workrooms/applications/{application.pk}/").status_code == 200
    assert client.post(_url(application, "dept_pass")).status_code == 403


def test_it_requires_reasons_to_return_an_application(client, application, reviewer):
    client.force_login(reviewer)
    r = client.post(_url(application, "dept_return"), {"comment": "  "})
    assert r.status_code == 400
    assert "「退回申报人」需要填写意见" in r.content.decode()
    application.refresh_from_db()
    assert application.status == A.DEPT_REVIEW


def test_it_requires_experts_when_the_office_passes_an_application(client, application, office):
    application.status = A.OFFICE_REVIEW
    application.save()
    client.force_login(office)
    r = client.post(_url(application, "office_pass"), {"comment": "材料齐全"})
    assert r.status_code == 400
    assert "请至少分配一位评审专家" in r.content.decode()
    assert "材料齐全" in r.content.decode()  # what was typed is kept
    application.refresh_from_db()
    assert (application.status, application.experts.count(), history(application).count()) == (A.OFFICE_REVIEW, 0, 0)


def test_it_refuses_a_conclusion_until_every_expert_has_reviewed(application, office, expert, other_expert):
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert, other_expert])
    ExpertReviewFactory(application=application, expert=expert)
    with pytest.raises(TransitionRefused, match="还有 1 份评审未提交"):
        services.application_transition(application=application, action="start_notice", actor=office)
    application.refresh_from_db()
    assert (application.status, application.notice_ends_at) == (A.EXPERT_REVIEW, None)


def test_it_opens_the_public_notice_for_the_configured_days(application, office, expert):
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert])
    ExpertReviewFactory(application=application, expert=expert)
    services.application_transition(application=application, action="start_notice", actor=office)
    application.refresh_from_db()
    assert application.status == A.PUBLIC_NOTICE
    assert application.notice_ends_at - application.notice_starts_at == timedelta(days=5)


def test_it_refuses_approval_before_the_notice_ends(client, application, admin):
    in_public_notice(application, ends_in=timedelta(hours=2))
    client.force_login(admin)
    r = client.post(_url(application, "approve"))
    assert r.status_code == 400
    assert "公示期尚未结束" in r.content.decode()
    application.refresh_from_db()
    assert (application.status, application.workroom) == (A.PUBLIC_NOTICE, None)
    assert not Workroom.objects.exists()


def test_it_blocks_approval_until_an_objection_raised_during_the_notice_is_answered(
    client, application, admin, office, colleague
):
    in_public_notice(application)
    client.force_login(colleague)
    r = client.post(f"/workrooms/applications/{application.pk}/objections/new/", {"text": "获奖证书年份有误。"})
    assert r.status_code == 302
    objection = application.objections.get()
    assert objection.raised_by == colleague

    application.notice_ends_at = timezone.now() - timedelta(minutes=1)  # the notice period is over
    application.save()
    client.force_login(admin)
    r = client.post(_url(application, "approve"))
    assert "还有 1 条公示异议未答复" in r.content.decode()
    application.refresh_from_db()
    assert application.status == A.PUBLIC_NOTICE

    client.force_login(office)
    r = client.post(f"/workrooms/applications/{application.pk}/objections/{objection.pk}/answer/", {"answer": "经核实，年份无误。"})
    assert r.status_code == 302
    objection.refresh_from_db()
    assert (objection.answer, objection.answered_by) == ("经核实，年份无误。", office)

    client.force_login(admin)
    assert client.post(_url(application, "approve")).status_code == 302
    application.refresh_from_db()
    assert application.status == A.APPROVED


def test_it_creates_the_workroom_on_approval(application, admin):
    in_public_notice(application, ends_in=timedelta(seconds=-1))
    current = services.ruleset_create_version(values={"cycle_years": 2}, actor=admin, change_note="建设周期改为两年")
    services.application_transition(application=application, action="approve", actor=admin, comment="同意立项")
    application.refresh_from_db()
    workroom = application.workroom
    today = timezone.localdate()
    assert workroom.name == "李堃名班主任工作室"
    assert (workroom.host, workroom.school, workroom.status) == (application.applicant, application.applicant.school, Workroom.Status.APPROVED)
    assert (workroom.cycle_start, workroom.cycle_end) == (today, f.years_ago(-2))
    assert workroom.ruleset == current
    assert workroom.research_direction == application.research_direction
    host = Membership.objects.get(workroom=workroom)
    assert (host.teacher, host.role, host.status) == (application.applicant, Membership.Role.HOST, Membership.Status.ACTIVE)


def test_it_creates_nothing_when_approval_fails_halfway(application, admin, monkeypatch):
    in_public_notice(application, ends_in=timedelta(seconds=-1))

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Membership, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.application_transition(application=application, action="approve", actor=admin)
    application.refresh_from_db()
    assert (application.status, application.workroom_id) == (A.PUBLIC_NOTICE, None)
    assert not Workroom.objects.exists()
    assert not StatusChange.objects.exists()


def test_it_allows_the_administrator_to_approve_nobody(application, admin):
    in_public_notice(application, ends_in=timedelta(seconds=-1))
    services.application_transition(application=application, action="reject", actor=admin, comment="宁缺勿滥")
    application.refresh_from_db()
    assert application.status == A.REJECTED
    assert not Workroom.objects.exists()
    with pytest.raises(TransitionRefused):
        services.application_transition(application=application, action="approve", actor=admin)


def test_it_lets_the_applicant_withdraw_before_approval_only(application, teacher, admin):
    in_public_notice(application, ends_in=timedelta(seconds=-1))
    services.application_transition(application=application, action="approve", actor=admin)
    with pytest.raises(TransitionRefused, match="不能执行「撤回申报」"):
        services.application_transition(application=application, action="withdraw", actor=teacher.user)
    application.refresh_from_db()
    assert application.status == A.APPROVED


def test_it_refuses_expert_reviews_from_unassigned_experts_and_twice_from_the_same(application, expert, other_expert):
    from django.core.exceptions import ValidationError

    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert])
    with pytest.raises(PermissionDenied):
        services.expert_review_submit(application=application, expert=other_expert, score=90, recommend=True, comment="好")
    services.expert_review_submit(application=application, expert=expert, score=90, recommend=True, comment="好")
    with pytest.raises(ValidationError, match="只能提交一次"):
        services.expert_review_submit(application=application, expert=expert, score=60, recommend=False, comment="改")
    assert list(application.expert_reviews.values_list("score", flat=True)) == [90]


def test_it_refuses_objections_outside_the_notice_period(application, colleague):
    from django.core.exceptions import ValidationError

    in_public_notice(application, ends_in=timedelta(seconds=-1))
    with pytest.raises(ValidationError, match="不在公示期内"):
        services.objection_raise(application=application, actor=colleague, text="迟到的异议")
    assert not application.objections.exists()


def test_it_refuses_an_objection_from_the_applicant(application, teacher):
    in_public_notice(application)
    with pytest.raises(PermissionDenied):
        services.objection_raise(application=application, actor=teacher.user, text="我反对我自己")


def test_it_answers_an_objection_once(application, office):
    from django.core.exceptions import ValidationError

    in_public_notice(application)
    objection = ObjectionFactory(application=application, raised_by=f.UserFactory())
    services.objection_answer(objection=objection, actor=office, answer="已核实")
    with pytest.raises(ValidationError, match="已答复"):
        services.objection_answer(objection=objection, actor=office, answer="再答一次")
    objection.refresh_from_db()
    assert objection.answer == "已核实"


def test_it_uses_the_notice_days_of_the_applications_settings(application, office, expert, admin):
    RuleSet.objects.filter(pk=application.ruleset_id).update(public_notice_days=7)
    application.refresh_from_db()
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert])
    ExpertReviewFactory(application=application, expert=expert)
    services.application_transition(application=application, action="start_notice", actor=office)
    assert application.notice_ends_at - application.notice_starts_at == timedelta(days=7)


def test_it_records_every_step_with_actor_time_and_comment(application, reviewer, office, expert, admin):
    services.application_transition(application=application, action="dept_pass", actor=reviewer, comment="同意推荐")
    services.application_transition(application=application, action="office_pass", actor=office, experts=[expert])
    steps = [(c.action, c.from_status, c.to_status, c.actor, c.comment) for c in history(application)]
    assert steps == [
        ("dept_pass", A.DEPT_REVIEW, A.OFFICE_REVIEW, reviewer, "同意推荐"),
        ("office_pass", A.OFFICE_REVIEW, A.EXPERT_REVIEW, office, ""),
    ]
    assert all(c.created_at for c in history(application))
    assert list(application.experts.all()) == [expert]


def test_it_refuses_a_reviewer_reviewing_their_own_application(reviewer, ruleset):
    own = HostApplicationFactory(applicant=reviewer.teacher)
    with pytest.raises(PermissionDenied):
        services.application_transition(application=own, action="dept_pass", actor=reviewer)
    own.refresh_from_db()
    assert own.status == A.DEPT_REVIEW


def test_it_keeps_one_pending_application_per_teacher_in_the_database(application, teacher):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HostApplicationFactory(applicant=teacher, status=A.RETURNED)
    HostApplicationFactory(applicant=teacher, status=A.WITHDRAWN)  # finished ones do not count
    assert HostApplication.objects.filter(applicant=teacher).count() == 2


def test_it_refuses_approval_of_a_teacher_who_meanwhile_hosts_an_open_workroom(application, admin, teacher):
    in_public_notice(application, ends_in=timedelta(seconds=-1))
    f.WorkroomFactory(host=teacher)
    with pytest.raises(TransitionRefused, match="已主持一个未结题的工作室"):
        services.application_transition(application=application, action="approve", actor=admin)
    application.refresh_from_db()
    assert (application.status, Workroom.objects.count()) == (A.PUBLIC_NOTICE, 1)


def test_the_office_ticks_each_expert_on_its_own_named_checkbox(client, application, office, expert, other_expert):
    expert.first_name, other_expert.first_name = "刘明远", "陈思源"
    expert.save()
    other_expert.save()
    application.status = A.OFFICE_REVIEW
    application.save()
    client.force_login(office)
    body = client.get(f"/workrooms/applications/{application.pk}/").content.decode()
    # The wrapper is not itself a 16-pixel checkbox: only the inputs carry form-check-input.
    assert body.count('class="form-check-input"') == 2
    assert 'id="id_experts" class="form-check-input' not in body
    for person in (expert, other_expert):
        box = f'<input type="checkbox" name="experts" value="{person.pk}" class="form-check-input" id="id_experts_'
        assert box in body
    assert '>刘明远</label>' in body and '>陈思源</label>' in body
    assert ">expert" not in body
