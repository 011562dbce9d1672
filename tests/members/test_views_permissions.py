"""Permission matrix for every members view: anonymous → login, outsider →
404, read-only → 403 on changes, the allowed persona → 200 or redirect."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.workrooms.selection.factories import JoinRequestFactory, MembershipChangeFactory
from workrooms.selection.models import JoinRequest, Membership, MembershipChange


@pytest.fixture
def world(workroom, teacher, member, host, reviewer, leader, office, outsider):
    membership = Membership.objects.get(teacher__user=member)
    return SimpleNamespace(
        workroom=workroom,
        teacher=teacher,
        jr=JoinRequestFactory(workroom=workroom, teacher=teacher),
        membership=membership,
        change=MembershipChangeFactory(membership=membership),
    )


URLS = {
    "teacher_list": lambda w: reverse("members:teacher_list"),
    "teacher_detail": lambda w: reverse("members:teacher_detail", args=[w.teacher.pk]),
    "join_request_create": lambda w: reverse("selection:join_request_create", args=[w.workroom.pk]),
    "accept": lambda w: reverse("selection:join_request_transition", args=[w.jr.pk, "accept"]),
    "decline": lambda w: reverse("selection:join_request_transition", args=[w.jr.pk, "decline"]),
    "cancel": lambda w: reverse("selection:join_request_transition", args=[w.jr.pk, "cancel"]),
    "my_workrooms": lambda w: reverse("selection:my_workrooms"),
    "workroom_members": lambda w: reverse("selection:workroom_members", args=[w.workroom.pk]),
    "agreement": lambda w: reverse("selection:agreement", args=[w.membership.pk]),
    "agreement_list": lambda w: reverse("selection:agreement_list"),
    "withdrawal_create": lambda w: reverse("selection:withdrawal_create", args=[w.membership.pk]),
    "removal_create": lambda w: reverse("selection:removal_create", args=[w.membership.pk]),
    "change_detail": lambda w: reverse("selection:change_detail", args=[w.change.pk]),
    "forward": lambda w: reverse("selection:change_transition", args=[w.change.pk, "forward"]),
    "approve": lambda w: reverse("selection:change_transition", args=[w.change.pk, "approve"]),
    "change_list": lambda w: reverse("selection:change_list"),
}

MATRIX = [
    # view, method, persona, status
    ("teacher_list", "get", "anonymous", 302),
    ("teacher_list", "get", "outsider", 200),
    ("teacher_list", "get", "reviewer", 200),
    ("teacher_list", "get", "leader", 200),
    ("teacher_detail", "get", "anonymous", 302),
    ("teacher_detail", "get", "outsider", 404),
    ("teacher_detail", "get", "member", 404),
    ("teacher_detail", "get", "reviewer", 200),
    ("teacher_detail", "get", "leader", 200),
    ("teacher_detail", "get", "teacher", 200),
    ("join_request_create", "get", "anonymous", 302),
    ("join_request_create", "get", "office", 403),
    ("join_request_create", "post", "leader", 403),
    ("join_request_create", "get", "outsider", 200),
    ("join_request_create", "get", "teacher", 200),
    ("accept", "post", "anonymous", 302),
    ("accept", "post", "outsider", 404),
    ("accept", "post", "member", 404),
    ("accept", "post", "leader", 403),
    ("accept", "post", "office", 403),
    ("accept", "post", "teacher", 403),
    ("accept", "post", "host", 302),
    ("decline", "post", "anonymous", 302),
    ("decline", "post", "outsider", 404),
    ("decline", "post", "leader", 403),
    ("decline", "post", "teacher", 403),
    ("decline", "post", "host", 302),
    ("cancel", "post", "anonymous", 302),
    ("cancel", "post", "outsider", 404),
    ("cancel", "post", "leader", 403),
    ("cancel", "post", "host", 403),
    ("cancel", "post", "teacher", 302),
    ("my_workrooms", "get", "anonymous", 302),
    ("my_workrooms", "get", "office", 403),
    ("my_workrooms", "get", "teacher", 200),
    ("workroom_members", "get", "anonymous", 302),
    ("workroom_members", "get", "outsider", 404),
    ("workroom_members", "get", "teacher", 404),
    ("workroom_members", "get", "member", 403),
    ("workroom_members", "get", "leader", 200),
    ("workroom_members", "get", "office", 200),
    ("workroom_members", "get", "host", 200),
    ("agreement", "get", "anonymous", 302),
    ("agreement", "get", "outsider", 404),
    ("agreement", "get", "teacher", 404),
    ("agreement", "get", "leader", 200),
    ("agreement", "post", "leader", 403),
    ("agreement", "post", "office", 403),
    ("agreement", "get", "host", 200),
    ("agreement", "get", "member", 200),
    ("agreement_list", "get", "anonymous", 302),
    ("agreement_list", "get", "host", 403),
    ("agreement_list", "get", "leader", 200),
    ("agreement_list", "get", "office", 200),
    ("withdrawal_create", "get", "anonymous", 302),
    ("withdrawal_create", "get", "outsider", 404),
    ("withdrawal_create", "post", "host", 403),
    ("withdrawal_create", "post", "leader", 403),
    ("withdrawal_create", "get", "member", 200),
    ("removal_create", "get", "anonymous", 302),
    ("removal_create", "get", "outsider", 404),
    ("removal_create", "post", "member", 403),
    ("removal_create", "post", "leader", 403),
    ("removal_create", "post", "office", 200),  # the office may file a removal request (an absence flag links here)
    ("removal_create", "get", "host", 200),
    ("change_detail", "get", "anonymous", 302),
    ("change_detail", "get", "outsider", 404),
    ("change_detail", "get", "teacher", 404),
    ("change_detail", "get", "leader", 200),
    ("change_detail", "get", "member", 200),
    ("forward", "post", "anonymous", 302),
    ("forward", "post", "outsider", 404),
    ("forward", "post", "member", 403),
    ("forward", "post", "leader", 403),
    ("forward", "post", "office", 403),
    ("forward", "post", "host", 302),
    ("approve", "post", "anonymous", 302),
    ("approve", "post", "outsider", 404),
    ("approve", "post", "member", 403),
    ("approve", "post", "host", 403),
    ("approve", "post", "leader", 403),
    ("change_list", "get", "anonymous", 302),
    ("change_list", "get", "outsider", 200),
    ("change_list", "get", "office", 200),
]


def user_of(request, persona):
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    return getattr(user, "user", user)


def snapshot():
    return (
        list(JoinRequest.objects.order_by("pk").values_list("status", "decided_at")),
        list(Membership.objects.order_by("pk").values_list("status", "host_signed_at", "member_signed_at")),
        list(MembershipChange.objects.order_by("pk").values_list("status", "decided_at")),
    )


@pytest.mark.parametrize("view, method, persona, status", MATRIX, ids=lambda v: str(v))
def test_it_enforces_the_permission_matrix(request, client, world, view, method, persona, status):
    user = user_of(request, persona)
    if user is not None:
        client.force_login(user)
    before = snapshot()
    data = {"comment": "理由", "text": "情况说明", "reason": "other", "message": "申请"}
    r = getattr(client, method)(URLS[view](world), data if method == "post" else None)
    assert r.status_code == status
    if status == 302 and persona == "anonymous":
        assert r["Location"].startswith("/accounts/login/")
    if status in (403, 404) or persona == "anonymous":
        assert snapshot() == before


def test_it_shows_a_teacher_only_themself_in_the_directory(client, world, outsider):
    client.force_login(outsider)
    body = client.get(reverse("members:teacher_list")).content.decode()
    assert "赵外" in body
    assert "李堃" not in body and "王喆" not in body


def test_it_shows_a_reviewer_the_teachers_of_their_department(client, world, reviewer):
    client.force_login(reviewer)
    body = client.get(reverse("members:teacher_list")).content.decode()
    assert "李堃" in body and "赵外" not in body


def test_it_filters_the_directory(client, world, office):
    client.force_login(office)
    body = client.get(reverse("members:teacher_list"), {"q": "李"}).content.decode()
    assert "李堃" in body and "王喆" not in body
    body = client.get(reverse("members:teacher_list"), {"is_head_teacher": "false"}).content.decode()
    assert "没有符合条件的教师" in body


@pytest.mark.parametrize("persona, sees_contact, sees_ethics", [
    ("office", True, True), ("leader", False, True), ("reviewer", False, False), ("teacher", True, False),
])
def test_it_shows_contact_and_ethics_only_to_those_allowed(request, client, world, persona, sees_contact, sees_ethics):
    world.teacher.phone = "13800001111"
    world.teacher.save()
    world.teacher.ethics_records.create(occurred_on="2024-03-01", description="体罚学生", confirmed=True)
    client.force_login(user_of(request, persona))
    body = client.get(URLS["teacher_detail"](world)).content.decode()
    assert ("13800001111" in body) is sees_contact
    assert ("体罚学生" in body) is sees_ethics


@pytest.mark.parametrize("view, persona, expected", [
    ("accept", "host", ("accepted", "pending_agreement")),
    ("decline", "host", ("declined", None)),
    ("cancel", "teacher", ("cancelled", None)),
])
def test_it_answers_through_the_view(request, client, world, view, persona, expected):
    client.force_login(user_of(request, persona))
    client.post(URLS[view](world), {"comment": "理由"})
    world.jr.refresh_from_db()
    status = Membership.objects.filter(teacher=world.teacher).values_list("status", flat=True).first()
    assert (world.jr.status, status) == expected


def test_it_forwards_through_the_view(client, world, host):
    client.force_login(host)
    client.post(URLS["forward"](world))
    world.change.refresh_from_db()
    assert world.change.status == MembershipChange.Status.PENDING_OFFICE
