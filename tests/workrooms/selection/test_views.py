"""What users see and do on the members pages."""

import pytest
from django.urls import reverse

from tests.factories import TeacherFactory, WorkroomFactory, years_ago
from tests.workrooms.selection.factories import MembershipChangeFactory, fill_workroom
from workrooms.selection.models import JoinRequest, Membership, MembershipChange


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_it_shows_each_criterion_and_submits_a_request(client, workroom, teacher):
    client.force_login(teacher.user)
    url = reverse("selection:join_request_create", args=[workroom.pk])
    body = client.get(url).content.decode()
    assert "年龄须不超过 40 周岁，档案记载 35 周岁。" in body
    r = client.post(url, {"message": "想学习班级管理"}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("selection:my_workrooms")
    assert JoinRequest.objects.get(teacher=teacher).message == "想学习班级管理"
    assert "待主持人答复" in r.content.decode()


def test_it_refuses_an_ineligible_teacher_and_keeps_the_text(client, workroom, department):
    old = TeacherFactory(school=department.school, birth_date=years_ago(41), head_teacher_since=years_ago(2))
    client.force_login(old.user)
    url = reverse("selection:join_request_create", args=[workroom.pk])
    assert "您尚不符合上述条件" in client.get(url).content.decode()
    r = client.post(url, {"message": "我的申请理由"})
    assert r.status_code == 200
    assert messages_of(r) == [
        "年龄：年龄须不超过 40 周岁，档案记载 41 周岁。",
        "班主任年限：须担任班主任满 3 年，档案记载 2 年。",
    ]
    assert r.context["form"]["message"].value() == "我的申请理由"
    assert not JoinRequest.objects.exists()


def test_it_shows_the_host_the_requests_with_the_rules(client, join_request, host, member):
    client.force_login(host)
    body = client.get(reverse("selection:workroom_members", args=[join_request.workroom_id])).content.decode()
    assert "李堃" in body and "接受" in body
    assert "本校成员不超过成员上限的 20%（12 × 20% 向下取整），即最多 2 人。" in body
    assert "目前 1 / 12 人" in body


def test_it_hides_the_answer_buttons_from_the_leader(client, join_request, leader):
    client.force_login(leader)
    body = client.get(reverse("selection:workroom_members", args=[join_request.workroom_id])).content.decode()
    assert "李堃" in body and "婉拒理由" not in body


def test_it_explains_a_refused_acceptance_and_changes_nothing(client, join_request, host):
    fill_workroom(join_request.workroom, 12)
    client.force_login(host)
    r = client.post(reverse("selection:join_request_transition", args=[join_request.pk, "accept"]), follow=True)
    assert messages_of(r) == ["工作室成员已满：上限 12 人，目前已有 12 人。"]
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_it_asks_for_a_reason_to_decline(client, join_request, host):
    client.force_login(host)
    url = reverse("selection:join_request_transition", args=[join_request.pk, "decline"])
    r = client.post(url, {"comment": ""}, follow=True)
    assert messages_of(r) == ["「婉拒」需要填写意见。"]
    r = client.post(url, {"comment": "研究方向不符"}, follow=True)
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decision_comment) == ("declined", "研究方向不符")


def test_it_shows_the_teacher_the_answer(client, join_request, host, teacher):
    client.force_login(host)
    client.post(reverse("selection:join_request_transition", args=[join_request.pk, "decline"]), {"comment": "名额有限"})
    client.force_login(teacher.user)
    body = client.get(reverse("selection:my_workrooms")).content.decode()
    assert "已婉拒" in body and "名额有限" in body


def test_it_signs_the_agreement_on_its_page(client, join_request, host, teacher):
    client.force_login(host)
    client.post(reverse("selection:join_request_transition", args=[join_request.pk, "accept"]))
    m = Membership.objects.get(teacher=teacher)
    url = reverse("selection:agreement", args=[m.pk])
    body = client.get(url).content.decode()
    assert "每年参加培训不少于 30 课时" in body and "确认签署协议" in body
    client.post(url)
    client.force_login(teacher.user)
    r = client.post(url, follow=True)
    assert messages_of(r) == ["双方已签署，协议已备案。"]
    m.refresh_from_db()
    assert m.status == Membership.Status.ACTIVE


def test_it_runs_a_removal_through_the_pages(client, workroom, member, host, office):
    m = Membership.objects.get(teacher__user=member)
    client.force_login(host)
    r = client.post(reverse("selection:removal_create", args=[m.pk]), {"reason": "failed", "text": "年度考核不合格"})
    change = MembershipChange.objects.get()
    assert r["Location"] == reverse("selection:change_detail", args=[change.pk])
    client.force_login(office)
    assert "批准" in client.get(r["Location"]).content.decode()
    client.post(reverse("selection:change_transition", args=[change.pk, "approve"]), {"comment": "同意"})
    m.refresh_from_db()
    assert m.status == Membership.Status.REMOVED


def test_it_keeps_the_removal_form_when_the_reason_is_missing(client, workroom, member, host):
    m = Membership.objects.get(teacher__user=member)
    client.force_login(host)
    r = client.post(reverse("selection:removal_create", args=[m.pk]), {"reason": "", "text": "多次缺席"})
    assert r.status_code == 200
    assert r.context["form"]["text"].value() == "多次缺席"
    assert "这个字段是必填项" in r.content.decode()
    assert not MembershipChange.objects.exists()


def test_it_lists_what_waits_on_the_home_page(client, join_request, workroom, member, host, office, teacher):
    MembershipChangeFactory(membership=Membership.objects.get(teacher__user=member))
    client.force_login(host)
    body = client.get("/").content.decode()
    assert "待答复的加入申请" in body and "李堃 申请加入王喆名班主任工作室" in body
    assert "张昇 申请退出" in body
    client.force_login(teacher.user)
    body = client.get("/").content.decode()
    assert "我的加入申请" in body and "待主持人答复" in body
    client.force_login(office)
    body = client.get("/").content.decode()
    assert "待审批的退出/调整申请" in body


@pytest.mark.parametrize("persona, shown, hidden", [
    ("office", ["教师名录"], ["我的工作室"]),
    ("teacher", ["我的工作室"], ["教师名录"]),
    ("reviewer", ["我的工作室", "教师名录"], []),
])
def test_it_shows_nav_entries_by_role(request, client, persona, shown, hidden):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    body = client.get("/").content.decode()
    nav = body[body.index("<nav"):body.index("</nav>")]
    assert all(s in nav for s in shown) and not any(s in nav for s in hidden)


def test_it_lists_filed_agreements_for_the_office(client, workroom, member, office):
    Membership.objects.filter(teacher__user=member).update(agreement_filed_at="2026-09-01T10:00+08:00")
    client.force_login(office)
    url = reverse("selection:agreement_list")
    assert "张昇" in client.get(url).content.decode()
    assert "暂无备案协议" in client.get(url, {"q": "不存在的人"}).content.decode()


def test_it_filters_the_office_queue_of_changes(client, workroom, member, office):
    MembershipChangeFactory(membership=Membership.objects.get(teacher__user=member))
    client.force_login(office)
    url = reverse("selection:change_list")
    assert "张昇" in client.get(url, {"status": "pending_host"}).content.decode()
    assert "暂无申请" in client.get(url, {"status": "pending_office"}).content.decode()


def test_it_points_a_teacher_to_running_workrooms(client, workroom, teacher):
    client.force_login(teacher.user)
    body = client.get("/").content.decode()
    assert "可申请加入的工作室" in body
    assert reverse("selection:join_request_create", args=[workroom.pk]) in body


def test_it_warns_a_teacher_when_the_workroom_is_full(client, workroom, teacher):
    fill_workroom(workroom, 12)
    client.force_login(teacher.user)
    body = client.get(reverse("selection:join_request_create", args=[workroom.pk])).content.decode()
    assert "工作室成员已满：上限 12 人，目前已有 12 人。" in body


def test_it_does_not_say_no_workroom_runs_to_a_member_of_the_only_one(client, workroom, member):
    client.force_login(member)
    body = client.get("/").content.decode()
    assert "暂无可加入的工作室" not in body
    assert "可加入的工作室您都已加入" in body


def test_it_offers_a_workroom_a_teacher_left_and_one_just_approved(client, workroom, member, ruleset):
    Membership.objects.filter(teacher__user=member).update(status=Membership.Status.COMPLETED)
    approved = WorkroomFactory(host=TeacherFactory(name="周新"), status="approved")
    client.force_login(member)
    body = client.get("/").content.decode()
    assert reverse("selection:join_request_create", args=[workroom.pk]) in body
    assert reverse("selection:join_request_create", args=[approved.pk]) in body
