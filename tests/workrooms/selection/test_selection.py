"""Two-way selection (DOMAIN.md §5): requests, answers, and the caps and
eligibility re-checked on acceptance."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import StatusChange
from core.workflow import TransitionRefused, history
from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    TeacherFactory,
    WorkroomFactory,
    years_ago,
)
from tests.workrooms.selection.factories import JoinRequestFactory, fill_workroom
from workrooms.models import RuleSet, Workroom
from workrooms.selection import services
from workrooms.selection.models import JoinRequest, Membership
from workrooms.selection.services import SelectionRefused


def assert_unchanged(join_request):
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.decided_at is None
    assert not Membership.objects.filter(teacher=join_request.teacher, workroom=join_request.workroom).exists()


# --- asking -------------------------------------------------------------------


def test_it_records_a_request_from_an_eligible_teacher(workroom, teacher):
    r = services.join_request_create(teacher=teacher, workroom=workroom, message=" 想学习 ", actor=teacher.user)
    assert (r.status, r.message) == (JoinRequest.Status.PENDING, "想学习")
    assert [(s.action, s.to_status, s.actor_id) for s in history(r)] == [("create", "pending", teacher.user.pk)]


def test_it_refuses_a_request_while_a_criterion_fails(workroom, teacher):
    teacher.birth_date = years_ago(41)
    teacher.save()
    with pytest.raises(SelectionRefused) as exc:
        services.join_request_create(teacher=teacher, workroom=workroom, actor=teacher.user)
    assert exc.value.messages == ["年龄：年龄须不超过 40 周岁，档案记载 41 周岁。"]
    assert not JoinRequest.objects.exists()


def test_it_allows_one_pending_request_per_teacher_and_workroom(join_request, workroom, teacher):
    with pytest.raises(SelectionRefused, match="请勿重复提交"):
        services.join_request_create(teacher=teacher, workroom=workroom, actor=teacher.user)
    assert JoinRequest.objects.count() == 1


def test_it_refuses_requests_to_a_workroom_that_is_not_running(teacher, ruleset):
    approved = WorkroomFactory(status=Workroom.Status.APPROVED)
    with pytest.raises(SelectionRefused, match="不接受加入申请"):
        services.join_request_create(teacher=teacher, workroom=approved, actor=teacher.user)
    assert not JoinRequest.objects.exists()


def test_it_refuses_a_request_in_someone_elses_name(workroom, teacher, member):
    with pytest.raises(PermissionDenied):
        services.join_request_create(teacher=teacher, workroom=workroom, actor=member)
    assert not JoinRequest.objects.exists()


def test_it_lets_the_teacher_cancel_a_pending_request(join_request, teacher):
    services.join_request_cancel(join_request=join_request, actor=teacher.user)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.CANCELLED


def test_it_refuses_cancellation_by_the_host(join_request, host):
    with pytest.raises(PermissionDenied):
        services.join_request_cancel(join_request=join_request, actor=host)
    assert_unchanged(join_request)


# --- answering ----------------------------------------------------------------


def test_it_gives_an_accepted_teacher_a_place_pending_the_agreement(join_request, host, ruleset):
    m = services.join_request_accept(join_request=join_request, actor=host, comment="欢迎")
    assert (m.role, m.status, m.agreement_ruleset) == ("member", "pending_agreement", ruleset)
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by, join_request.decision_comment) == ("accepted", host, "欢迎")
    assert [s.action for s in history(join_request)] == ["accept"]


def test_it_declines_with_a_reason(join_request, host):
    services.join_request_decline(join_request=join_request, actor=host, comment="名额已满")
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decision_comment) == (JoinRequest.Status.DECLINED, "名额已满")


def test_it_requires_a_reason_to_decline(join_request, host):
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        services.join_request_decline(join_request=join_request, actor=host, comment=" ")
    assert_unchanged(join_request)


@pytest.mark.parametrize("persona", ["member", "leader", "office", "outsider"])
def test_it_lets_only_the_host_answer(request, join_request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.join_request_accept(join_request=join_request, actor=user)
    with pytest.raises(PermissionDenied):
        services.join_request_decline(join_request=join_request, actor=user, comment="不")
    assert_unchanged(join_request)


def test_it_refuses_to_accept_a_cancelled_request(join_request, host, teacher):
    services.join_request_cancel(join_request=join_request, actor=teacher.user)
    with pytest.raises(TransitionRefused, match="已撤回"):
        services.join_request_accept(join_request=join_request, actor=host)
    assert not Membership.objects.filter(teacher=teacher).exists()


def test_it_rechecks_eligibility_on_acceptance(join_request, host, teacher):
    teacher.is_head_teacher = False
    teacher.save()
    with pytest.raises(SelectionRefused, match="在岗班主任"):
        services.join_request_accept(join_request=join_request, actor=host)
    assert_unchanged(join_request)


# --- caps ---------------------------------------------------------------------


@pytest.mark.parametrize("already, accepted", [(11, True), (12, False)])
def test_it_caps_members_per_workroom(workroom, host, ruleset, already, accepted):
    fill_workroom(workroom, already)
    jr = JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=SchoolFactory(name="新学校")))
    if accepted:
        services.join_request_accept(join_request=jr, actor=host)
    else:
        with pytest.raises(SelectionRefused) as exc:
            services.join_request_accept(join_request=jr, actor=host)
        assert exc.value.messages == ["工作室成员已满：上限 12 人，目前已有 12 人。"]
        assert_unchanged(jr)
    members = Membership.objects.current().filter(workroom=workroom, role=Membership.Role.MEMBER).count()
    assert members == 12


def test_it_counts_places_pending_the_agreement(workroom, host, ruleset):
    for m in fill_workroom(workroom, 12):
        m.status = Membership.Status.PENDING_AGREEMENT
        m.save()
    jr = JoinRequestFactory(workroom=workroom)
    with pytest.raises(SelectionRefused, match="工作室成员已满"):
        services.join_request_accept(join_request=jr, actor=host)


def test_it_frees_a_place_when_a_member_has_left(workroom, host, ruleset):
    members = fill_workroom(workroom, 12)
    members[0].status = Membership.Status.WITHDRAWN
    members[0].save()
    jr = JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=SchoolFactory(name="新学校")))
    services.join_request_accept(join_request=jr, actor=host)


@pytest.mark.parametrize("own_already, accepted", [(1, True), (2, False)])
def test_it_caps_members_from_the_hosts_school(workroom, host, join_request, own_already, accepted):
    fill_workroom(workroom, own_already, school=workroom.school)
    if accepted:
        services.join_request_accept(join_request=join_request, actor=host)
        assert Membership.objects.filter(workroom=workroom, teacher__school=workroom.school, role="member").count() == 2
    else:
        with pytest.raises(SelectionRefused, match="本校成员名额已满.*最多 2 人.*目前已有本校成员 2 人"):
            services.join_request_accept(join_request=join_request, actor=host)
        assert_unchanged(join_request)


def test_it_applies_changed_settings(workroom, host, join_request):
    RuleSet.objects.create(version=2, max_members=10, own_school_max_share="0.30")
    fill_workroom(workroom, 2, school=workroom.school)  # 3rd from own school allowed: 10 × 30% = 3
    fill_workroom(workroom, 6)
    services.join_request_accept(join_request=join_request, actor=host)
    fourth = JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=workroom.school))
    with pytest.raises(SelectionRefused, match="最多 3 人"):
        services.join_request_accept(join_request=fourth, actor=host)
    last = JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=SchoolFactory(name="新学校")))
    services.join_request_accept(join_request=last, actor=host)  # 10th member
    one_more = JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=SchoolFactory(name="新学校")))
    with pytest.raises(SelectionRefused, match="上限 10 人"):
        services.join_request_accept(join_request=one_more, actor=host)


@pytest.mark.parametrize("allowed, accepted", [(1, False), (2, True)])
def test_it_limits_workrooms_per_teacher(workroom, host, join_request, teacher, allowed, accepted):
    MembershipFactory(teacher=teacher)  # already a member elsewhere
    RuleSet.objects.create(version=2, max_active_memberships=allowed)
    if accepted:
        services.join_request_accept(join_request=join_request, actor=host)
        assert Membership.objects.current().filter(teacher=teacher).count() == 2
    else:
        with pytest.raises(SelectionRefused, match="最多同时参加 1 个工作室"):
            services.join_request_accept(join_request=join_request, actor=host)
        assert_unchanged(join_request)


def test_it_counts_a_host_role_as_a_current_workroom(workroom, host, ruleset):
    other_host = WorkroomFactory().host
    jr = JoinRequestFactory(workroom=workroom, teacher=other_host)
    with pytest.raises(SelectionRefused, match="已在 1 个工作室任职"):
        services.join_request_accept(join_request=jr, actor=host)
    assert_unchanged(jr)
    assert not StatusChange.objects.filter(action="accept").exists()
