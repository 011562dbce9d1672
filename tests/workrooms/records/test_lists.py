"""Record lists: FilterSet search and filters, scope by role, and a query
count that does not grow with the rows."""

import pytest

from tests import factories as f
from tests.workrooms.records.factories import (
    AchievementFactory,
    ReadingLogFactory,
    WritingFactory,
)


def _make(kind, workroom, teacher, n):
    for _ in range(n):
        if kind == "research":
            from workrooms.records.models import ResearchProject

            ResearchProject.objects.create(workroom=workroom, title="课题", level="school", leader=teacher,
                                           started_on="2026-09-01")
        else:
            {"reading": ReadingLogFactory, "writings": WritingFactory, "achievements": AchievementFactory}[kind](
                teacher=teacher, workroom=workroom
            )


# session, user, groups, teacher, hosted ids, member ids; count, rows; can_log;
# the header's unread count.
@pytest.mark.parametrize("kind", ["reading", "writings", "research", "achievements"])
@pytest.mark.parametrize("rows", [1, 50])
def test_it_lists_records_in_a_constant_number_of_queries(client, host, member, workroom, kind, rows,
                                                          django_assert_num_queries):
    _make(kind, workroom, member.teacher, rows)
    client.force_login(host)
    with django_assert_num_queries(11):
        r = client.get(f"/people/records/{kind}/")
    assert r.status_code == 200
    assert len(r.context["page_obj"]) == min(rows, 20)


def test_it_shows_a_member_only_their_own_records(client, member, second_member, workroom):
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="我的书")
    ReadingLogFactory(teacher=second_member.teacher, workroom=workroom, title="别人的书")
    client.force_login(member)
    r = client.get("/people/records/reading/")
    assert [x.title for x in r.context["page_obj"]] == ["我的书"]


def test_it_shows_a_host_the_records_of_their_workroom_only(client, host, member, workroom, other_workroom):
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="本室")
    stranger = f.MembershipFactory(workroom=other_workroom).teacher
    ReadingLogFactory(teacher=stranger, workroom=other_workroom, title="他室")
    client.force_login(host)
    assert [x.title for x in client.get("/people/records/reading/").context["page_obj"]] == ["本室"]


def test_it_searches_and_filters_the_reading_list(client, office, member, workroom):
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="民主与教育", kind="book", status="accepted")
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="班级管理研究", kind="paper")
    client.force_login(office)

    def titles(**params):
        return [x.title for x in client.get("/people/records/reading/", params).context["page_obj"]]

    assert titles(q="民主") == ["民主与教育"]
    assert titles(kind="paper") == ["班级管理研究"]
    assert titles(status="accepted") == ["民主与教育"]
    assert titles(q=member.teacher.name, kind="book") == ["民主与教育"]
