"""Permission matrix of every page of activities, sign-in, funding and duties.

anonymous → login; outsider → 404 (403 for the office-wide overview, which
hides no single object); read-only personas → 403 on changes; the host and
the office → allowed."""

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import ExpenseFactory, StoredFileFactory
from workrooms.models import ActivityFile, Expense

PERSONAS = ["outsider", "member", "leader", "host", "office"]

# name, method, expected status per persona (in PERSONAS order)
MATRIX = [
    ("activity_list", "get", [404, 200, 200, 200, 200]),
    ("activity_create", "get", [404, 403, 403, 200, 200]),
    ("activity_detail", "get", [404, 200, 200, 200, 200]),
    ("activity_update", "get", [404, 403, 403, 200, 200]),
    ("activity_file_upload", "post", [404, 403, 403, 302, 302]),
    ("activity_file", "get", [404, 200, 200, 200, 200]),
    ("attendance_sheet", "get", [404, 403, 403, 200, 200]),
    ("signin_code_start", "post", [404, 403, 403, 302, 302]),
    ("signin", "get", [404, 200, 403, 200, 403]),
    ("ledger", "get", [404, 200, 200, 200, 200]),
    ("expense_create", "get", [404, 403, 403, 200, 200]),
    ("expense_decide", "post", [404, 403, 403, 403, 302]),
    ("expense_receipt", "get", [404, 200, 200, 200, 200]),
    ("duty_progress", "get", [404, 200, 200, 200, 200]),
    ("member_progress", "get", [404, 200, 200, 200, 200]),
    ("my_progress", "get", [404, 302, 404, 302, 404]),
    ("duty_overview", "get", [403, 403, 200, 403, 200]),
    ("dashboard", "get", [404, 200, 200, 200, 200]),
]


@pytest.fixture
def objects(workroom, activity, member):
    attached = ActivityFile.objects.create(activity=activity, file=StoredFileFactory())
    expense = ExpenseFactory(workroom=workroom)
    return {
        "activity_list": reverse("workrooms:activity_list", args=[workroom.pk]),
        "activity_create": reverse("workrooms:activity_create", args=[workroom.pk]),
        "activity_detail": reverse("workrooms:activity_detail", args=[activity.pk]),
        "activity_update": reverse("workrooms:activity_update", args=[activity.pk]),
        "activity_file_upload": reverse("workrooms:activity_file_upload", args=[activity.pk]),
        "activity_file": reverse("workrooms:activity_file", args=[attached.pk]),
        "attendance_sheet": reverse("workrooms:attendance_sheet", args=[activity.pk]),
        "signin_code_start": reverse("workrooms:signin_code_start", args=[activity.pk]),
        "signin": reverse("workrooms:signin", args=[activity.pk]),
        "ledger": reverse("workrooms:ledger", args=[workroom.pk]),
        "expense_create": reverse("workrooms:expense_create", args=[workroom.pk]),
        "expense_decide": reverse("workrooms:expense_decide", args=[expense.pk, "approve"]),
        "expense_receipt": reverse("workrooms:expense_receipt", args=[expense.pk]),
        "duty_progress": reverse("workrooms:duty_progress", args=[workroom.pk]),
        "member_progress": reverse("workrooms:member_progress", args=[workroom.pk, member.teacher.pk]),
        "my_progress": reverse("workrooms:my_progress"),
        "duty_overview": reverse("workrooms:duty_overview"),
        "dashboard": reverse("workrooms:dashboard", args=[workroom.pk]),
        "expense": expense,
    }


@pytest.mark.parametrize("name, method, _expected", MATRIX, ids=[m[0] for m in MATRIX])
def test_it_sends_anonymous_users_to_login(client, objects, name, method, _expected):
    r = getattr(client, method)(objects[name])
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "name, method, persona, expected",
    [(name, method, p, code) for name, method, codes in MATRIX for p, code in zip(PERSONAS, codes)],
)
def test_it_applies_the_permission_matrix(client, request, objects, name, method, persona, expected):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    r = getattr(client, method)(objects[name])
    assert r.status_code == expected
    if name == "expense_decide":
        objects["expense"].refresh_from_db()
        approved = objects["expense"].status == Expense.Status.APPROVED
        assert approved is (expected == 302)


def test_it_lets_the_recorder_take_the_sign_in(client, activity, workroom, member):
    activity.recorder = member.teacher
    activity.save()
    client.force_login(member)
    assert client.get(reverse("workrooms:attendance_sheet", args=[activity.pk])).status_code == 200
    assert client.get(reverse("workrooms:activity_update", args=[activity.pk])).status_code == 403


def test_it_hides_one_members_progress_from_another(client, workroom, member):
    from tests import factories as f

    other = f.MembershipFactory(workroom=workroom).teacher
    client.force_login(member)
    assert client.get(reverse("workrooms:member_progress", args=[workroom.pk, other.pk])).status_code == 403


def test_it_keeps_hosts_out_of_other_workrooms(client, workroom, department):
    from tests import factories as f

    other = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
    client.force_login(workroom.host.user)
    assert client.get(reverse("workrooms:activity_create", args=[other.pk])).status_code == 404
    assert client.get(reverse("workrooms:ledger", args=[other.pk])).status_code == 404
