"""Lists cost the same number of queries for 1 row as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
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


def _members(workroom, n):
    return [f.MembershipFactory(workroom=workroom) for _ in range(n)]


# Signed in as the host, every page costs 7 queries before its own: session,
# user, the role look-ups the navigation reads (groups, teacher, hosted
# workrooms, reviewed departments) and the header's unread count. A list adds
# its paginator count and its page (9: the notification centre); the access
# path's member-workroom look-up, or the member's own place, makes 10; a page
# of one workroom adds the workroom (11).
EXPECTED = {"plans": 10, "workroom_plans": 11, "messages": 11, "outreach": 11, "development_plans": 10,
            "semester_records": 10, "mentoring": 11, "notifications": 9}

MAKERS = {
    "plans": ("plans:plans", False, lambda w, u, n: WorkroomPlanFactory.create_batch(n, workroom=w)),
    "workroom_plans": ("plans:workroom_plans", True,
                       lambda w, u, n: WorkroomPlanFactory.create_batch(n, workroom=w)),
    "messages": ("workrooms:messages", True, lambda w, u, n: VisitorMessageFactory.create_batch(n, workroom=w)),
    "outreach": ("workrooms:outreach", True, lambda w, u, n: OutreachRecordFactory.create_batch(n, workroom=w)),
    "development_plans": ("plans:development_plans", False,
                          lambda w, u, n: [DevelopmentPlanFactory(membership=m) for m in _members(w, n)]),
    "semester_records": ("plans:semester_records", False,
                         lambda w, u, n: [SemesterRecordFactory(membership=m) for m in _members(w, n)]),
    "mentoring": ("mentoring:workroom_mentoring", True,
                  lambda w, u, n: [MentorPairFactory(workroom=w, mentor=m.teacher) for m in _members(w, n)]),
    "notifications": ("members:notifications", False, lambda w, u, n: NotificationFactory.create_batch(n, user=u)),
}


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("key", list(MAKERS))
def test_a_list_costs_the_same_for_1_and_50_rows(client, workroom, host, key):
    name, needs_workroom, make = MAKERS[key]
    url = reverse(name, args=[workroom.pk] if needs_workroom else [])
    client.force_login(host)
    make(workroom, host, 1)
    one = _count(client, url)
    make(workroom, host, 49)
    fifty = _count(client, url)
    assert (one, fifty) == (EXPECTED[key], EXPECTED[key])


def test_the_public_page_costs_the_same_for_1_and_50_items_when_built(client, workroom):
    ShowcaseFactory(workroom=workroom)
    url = reverse("showcase:page", args=[workroom.pk])
    from django.core.cache import cache

    def build():
        cache.clear()
        return _count(client, url)

    def records(teacher, n):
        for _ in range(n):
            WritingFactory(workroom=workroom, teacher=teacher, status="accepted", is_public=True)
            AchievementFactory(workroom=workroom, teacher=teacher, status="verified", is_public=True)
            activity_photo(ActivityFactory(workroom=workroom, is_public=True), is_public=True)

    first = _members(workroom, 1)[0].teacher
    WorkroomPlanFactory(workroom=workroom, status=WorkroomPlan.Status.FILED, is_public=True)
    OutreachRecordFactory(workroom=workroom, is_public=True)
    records(first, 1)
    one = build()
    others = _members(workroom, 11)
    for i in range(20):
        WorkroomPlanFactory(workroom=workroom, year=2030 + i, status=WorkroomPlan.Status.FILED, is_public=True)
    OutreachRecordFactory.create_batch(29, workroom=workroom, is_public=True)
    VisitorMessageFactory.create_batch(30, workroom=workroom, status="approved")
    for m in others:
        records(m.teacher, 2)
    activity_photo(workroom.activities.first(), is_public=True)  # a second photo of one activity
    assert build() == one
    html = client.get(url).content.decode()
    shown = {kind: html.count(f'id="{kind}-') for kind in ("plan", "outreach", "writing", "achievement", "photos")}
    assert shown == {"plan": 21, "outreach": 30, "writing": 23, "achievement": 23, "photos": 23}
    assert html.count('class="figure-img') == 24
