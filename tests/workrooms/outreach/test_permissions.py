"""Permission matrix for every page of plans, the public page, outreach,
member plans, mentoring and notifications: anonymous → login, outsider →
404, read-only → 403 on changes, allowed → 200 or a redirect."""

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import ActivityFactory
from tests.workrooms.outreach.factories import (
    DevelopmentPlanFactory,
    MentorPairFactory,
    NotificationFactory,
    OutreachRecordFactory,
    SemesterRecordFactory,
    ShowcaseFactory,
    VisitorMessageFactory,
    WorkroomPlanFactory,
    activity_photo,
)
from tests.workrooms.records.factories import AchievementFactory, WritingFactory
from workrooms.plans.models import WorkroomPlan

LOGIN = "login"


@pytest.fixture
def world(workroom, host, member, second_member, teacher):
    membership = member.teacher.memberships.get(workroom=workroom)
    ShowcaseFactory(workroom=workroom)
    return {
        "workroom": workroom.pk,
        "plan": WorkroomPlanFactory(workroom=workroom, status=WorkroomPlan.Status.SUBMITTED).pk,
        "record": OutreachRecordFactory(workroom=workroom).pk,
        "message": VisitorMessageFactory(workroom=workroom).pk,
        "devplan": DevelopmentPlanFactory(membership=membership).pk,
        "semester": SemesterRecordFactory(membership=membership).pk,
        "pair": MentorPairFactory(workroom=workroom, mentor=member.teacher, trainee=teacher).pk,
        "notification": NotificationFactory(user=member).pk,
        # the member's own records, accepted or verified: the member and colleagues may read them
        "writing": WritingFactory(workroom=workroom, teacher=member.teacher, status="accepted").pk,
        "achievement": AchievementFactory(workroom=workroom, teacher=member.teacher, status="verified").pk,
        "photo": activity_photo(ActivityFactory(workroom=workroom, is_public=True)).pk,
    }


# (url name, arg key, method, {persona: expected}); personas not listed are not run.
R_ONLY = {"anonymous": LOGIN, "outsider": 404, "leader": 200, "member": 200, "host": 200}
HOST_PAGE = {"anonymous": LOGIN, "outsider": 404, "leader": 403, "member": 403, "host": 200}
HOST_POST = {"anonymous": LOGIN, "outsider": 404, "leader": 403, "member": 403, "host": 302}
PUBLISH = {**HOST_POST, "office": 302}
MATRIX = [
    ("plans:plans", None, "get", {"anonymous": LOGIN, "outsider": 200, "leader": 200, "office": 200, "host": 200}),
    ("plans:workroom_plans", "workroom", "get", R_ONLY),
    ("plans:plan_submit", "workroom", "get", {**HOST_PAGE, "office": 403}),
    ("plans:plan_detail", "plan", "get", R_ONLY),
    ("plans:plan_version", ("plan", 1), "get", R_ONLY),
    ("plans:plan_transition", ("plan", "file"), "post",
     {"anonymous": LOGIN, "outsider": 404, "leader": 403, "member": 403, "host": 403, "office": 302}),
    ("plans:plan_publish", "plan", "post", HOST_POST),
    ("workrooms:showcase_settings", "workroom", "get", HOST_PAGE),
    ("workrooms:messages", "workroom", "get", R_ONLY),
    ("workrooms:message_decide", ("message", "approve"), "post", HOST_POST),
    ("workrooms:outreach", "workroom", "get", R_ONLY),
    ("workrooms:outreach_new", "workroom", "get", HOST_PAGE),
    ("workrooms:outreach_edit", "record", "get", HOST_PAGE),
    ("workrooms:outreach_delete", "record", "post", HOST_POST),
    # Marking records public: the host and, as for activities, the office.
    ("records:writing_publish", "writing", "post", {**PUBLISH, "second_member": 403}),
    ("records:achievement_publish", "achievement", "post", {**PUBLISH, "second_member": 403}),
    ("workrooms:activity_photo_publish", "photo", "post", PUBLISH),
    ("records:writing_publish", "writing", "get", {"anonymous": LOGIN, "host": 405}),
    ("showcase:page", "workroom", "get", {"anonymous": 200, "outsider": 200, "host": 200}),
    ("showcase:photo", ("workroom", "photo"), "get", {"anonymous": 404, "outsider": 404, "host": 404}),
    ("showcase:feed", "workroom", "get", {"anonymous": 200, "outsider": 200}),
    ("plans:development_plans", None, "get", {"anonymous": LOGIN, "outsider": 200, "leader": 200, "member": 200}),
    ("plans:development_plan_new", None, "get",
     {"anonymous": LOGIN, "outsider": 403, "leader": 403, "host": 403, "second_member": 200}),
    ("plans:development_plan", "devplan", "get", {**R_ONLY, "second_member": 404}),
    ("plans:development_plan_edit", "devplan", "get",
     {"anonymous": LOGIN, "outsider": 404, "second_member": 404, "leader": 403, "host": 403, "member": 200}),
    ("plans:development_plan", "devplan", "post",
     {"anonymous": LOGIN, "outsider": 404, "leader": 403, "member": 403, "host": 302}),
    ("plans:semester_records", None, "get", {"anonymous": LOGIN, "outsider": 200, "member": 200}),
    ("plans:semester_record_new", None, "get", {"anonymous": LOGIN, "outsider": 403, "leader": 403, "member": 200}),
    ("plans:semester_record", "semester", "get", {**R_ONLY, "second_member": 404}),
    ("plans:semester_record_edit", "semester", "get",
     {"anonymous": LOGIN, "outsider": 404, "leader": 403, "host": 403, "member": 200}),
    ("plans:semester_record", "semester", "post",
     {"anonymous": LOGIN, "outsider": 404, "leader": 403, "member": 403, "host": 302}),
    ("mentoring:workroom_mentoring", "workroom", "get", R_ONLY),
    ("mentoring:mentor_pair_new", "workroom", "get", HOST_PAGE),
    ("mentoring:my_mentoring", None, "get", {"anonymous": LOGIN, "outsider": 200, "member": 200}),
    ("mentoring:mentor_pair", "pair", "get", {**R_ONLY, "second_member": 404, "trainee": 200}),
    ("mentoring:guidance_new", "pair", "get",
     {"anonymous": LOGIN, "outsider": 404, "leader": 403, "host": 403, "trainee": 403, "member": 200}),
    ("mentoring:mentor_comment", "pair", "get",
     {"anonymous": LOGIN, "outsider": 404, "leader": 403, "host": 403, "trainee": 403, "member": 200}),
    ("mentoring:mentor_pair_end", "pair", "post", {**HOST_POST, "trainee": 403}),
    ("members:notifications", None, "get", {"anonymous": LOGIN, "outsider": 200, "member": 200}),
    ("members:notification_read", "notification", "post", {"anonymous": LOGIN, "outsider": 404, "host": 404, "member": 302}),
    ("members:notifications_read_all", None, "post", {"anonymous": LOGIN, "member": 302}),
    ("members:notification_preferences", None, "get", {"anonymous": LOGIN, "member": 200}),
]
CASES = [
    pytest.param(name, arg, method, persona, expected, id=f"{name}-{method}-{persona}")
    for name, arg, method, expectations in MATRIX
    for persona, expected in expectations.items()
]


@pytest.mark.parametrize("name, arg, method, persona, expected", CASES)
def test_permission_matrix(request, client, world, name, arg, method, persona, expected):
    keys = arg if isinstance(arg, tuple) else ((arg,) if arg else ())
    args = [world[k] if isinstance(k, str) and k in world else k for k in keys]
    url = reverse(name, args=args)
    if persona != "anonymous":
        user = world_user(request, persona)
        client.force_login(user)
    data = {"host_comment": "<p>好</p>", "comment": "x"} if method == "post" else None
    r = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert r.status_code == 302 and r.url.startswith(reverse("login"))
    else:
        assert r.status_code == expected


def world_user(request, persona):
    if persona == "trainee":
        return request.getfixturevalue("teacher").user
    return request.getfixturevalue(persona)


def test_an_outsider_sees_no_plan_in_the_list(client, world, outsider):
    client.force_login(outsider)
    assert "王喆名班主任工作室" not in client.get(reverse("plans:plans")).content.decode()


def test_another_member_sees_no_plan_of_a_colleague_in_the_list(client, world, second_member):
    client.force_login(second_member)
    html = client.get(reverse("plans:development_plans")).content.decode()
    assert "张昇" not in html


def test_a_read_only_viewer_changes_nothing(client, world, leader, member):
    client.force_login(leader)
    client.post(reverse("workrooms:message_decide", args=[world["message"], "approve"]))
    client.post(reverse("workrooms:outreach_delete", args=[world["record"]]))
    from workrooms.models import OutreachRecord, VisitorMessage

    assert VisitorMessage.objects.get(pk=world["message"]).status == "pending"
    assert OutreachRecord.objects.filter(pk=world["record"]).exists()


def test_the_unpublished_page_is_not_found_for_anyone(client, workroom, host):
    ShowcaseFactory(workroom=workroom, is_published=False)
    client.force_login(host)
    assert client.get(reverse("showcase:page", args=[workroom.pk])).status_code == 404


def test_a_revoked_workroom_has_no_public_page(client, workroom):
    ShowcaseFactory(workroom=workroom)
    workroom.status = "revoked"
    workroom.save()
    assert client.get(reverse("showcase:page", args=[workroom.pk])).status_code == 404
