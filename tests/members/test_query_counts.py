"""Query counts of list pages and home sections do not grow with the rows:
measured with 1 row, then asserted equal with 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    TeacherFactory,
    WorkroomFactory,
)
from tests.workrooms.selection.factories import JoinRequestFactory, MembershipChangeFactory
from workrooms.selection.models import Membership


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx)


def add_teachers(n, department):
    for _ in range(n):
        t = TeacherFactory(school=department.school, department=department)
        t.profile_items.create(kind="honour", title="优秀班主任", level="county", year=2024)


def add_changes(n, workroom):
    school = SchoolFactory(name="兄弟学校")
    for _ in range(n):
        m = MembershipFactory(workroom=workroom, teacher=TeacherFactory(school=school))
        MembershipChangeFactory(membership=m, status="pending_office")


def add_agreements(n, workroom):
    school = SchoolFactory(name="兄弟学校")
    for _ in range(n):
        MembershipFactory(workroom=workroom, teacher=TeacherFactory(school=school), agreement_filed_at=timezone.now())


def add_roster(n, workroom):
    school = SchoolFactory(name="兄弟学校")
    for i in range(n):
        status = [Membership.Status.ACTIVE, Membership.Status.PENDING_AGREEMENT, Membership.Status.WITHDRAWN][i % 3]
        MembershipFactory(workroom=workroom, teacher=TeacherFactory(school=school), status=status)
        answer = ["pending", "declined"][i % 2]
        JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=school), status=answer)


def add_own(n, teacher):
    for i in range(n):
        w = WorkroomFactory()
        JoinRequestFactory(workroom=w, teacher=teacher, status="declined")
        if i == 0:
            MembershipFactory(workroom=w, teacher=teacher)


def add_running(n, workroom):
    for _ in range(n):
        WorkroomFactory()


CASES = [
    # page, persona, url, how to add rows
    ("teacher_list", "office", lambda w: reverse("members:teacher_list"), lambda n, w, t, d: add_teachers(n, d)),
    ("change_list", "office", lambda w: reverse("selection:change_list"), lambda n, w, t, d: add_changes(n, w)),
    ("agreement_list", "office", lambda w: reverse("selection:agreement_list"), lambda n, w, t, d: add_agreements(n, w)),
    ("workroom_members", "host", lambda w: reverse("selection:workroom_members", args=[w.pk]),
     lambda n, w, t, d: add_roster(n, w)),
    ("my_workrooms", "teacher", lambda w: reverse("selection:my_workrooms"), lambda n, w, t, d: add_own(n, t)),
    ("home", "office", lambda w: "/", lambda n, w, t, d: add_changes(n, w)),
    ("home", "host", lambda w: "/", lambda n, w, t, d: add_roster(n, w)),
    ("home", "teacher", lambda w: "/", lambda n, w, t, d: add_running(n, w)),
]


@pytest.mark.parametrize("page, persona, url, add", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_it_keeps_query_counts_constant(request, client, workroom, teacher, department, page, persona, url, add,
                                        django_assert_num_queries):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    add(1, workroom, teacher, department)
    one = queries(client, url(workroom))
    add(49, workroom, teacher, department)
    with django_assert_num_queries(one):
        r = client.get(url(workroom))
    assert r.status_code == 200
