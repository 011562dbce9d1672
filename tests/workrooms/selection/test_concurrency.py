"""Two acceptances racing for the last place (DOMAIN.md §3 cap), on real
PostgreSQL: each thread has its own connection; a barrier releases them
together. The workroom lock lets exactly one through."""

import threading

import pytest
from django.db import connection

from members.roles import roles_of
from tests.factories import SchoolFactory, TeacherFactory, WorkroomFactory
from tests.workrooms.selection.factories import JoinRequestFactory, fill_workroom
from workrooms.models import RuleSet
from workrooms.selection import services
from workrooms.selection.models import JoinRequest, Membership
from workrooms.selection.services import SelectionRefused


def race(*calls):
    """Run ``calls`` at the same moment, each in its own thread and database
    connection; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def accept(join_request, user):
    roles_of(user).hosted_workroom_ids  # read before the race, like a request would
    return lambda: services.join_request_accept(join_request=join_request, actor=user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_it_gives_the_last_place_to_exactly_one_of_two_acceptances(attempt):
    RuleSet.objects.current()
    workroom = WorkroomFactory()
    fill_workroom(workroom, 11)
    other = SchoolFactory(name="新学校")
    first, second = (JoinRequestFactory(workroom=workroom, teacher=TeacherFactory(school=other)) for _ in range(2))
    host = workroom.host.user

    results = race(accept(first, host), accept(second, host))

    assert sorted(type(r).__name__ for r in results) == ["Membership", "SelectionRefused"]
    refusal = next(r for r in results if isinstance(r, SelectionRefused))
    assert refusal.messages == ["工作室成员已满：上限 12 人，目前已有 12 人。"]
    assert Membership.objects.current().filter(workroom=workroom, role=Membership.Role.MEMBER).count() == 12
    assert sorted(JoinRequest.objects.values_list("status", flat=True)) == ["accepted", "pending"]


@pytest.mark.django_db(transaction=True)
def test_it_lets_one_teacher_into_only_one_of_two_workrooms_at_once():
    RuleSet.objects.current()
    teacher = TeacherFactory(school=SchoolFactory(name="新学校"))
    a, b = WorkroomFactory(), WorkroomFactory()
    ra = JoinRequestFactory(workroom=a, teacher=teacher)
    rb = JoinRequestFactory(workroom=b, teacher=teacher)

    results = race(accept(ra, a.host.user), accept(rb, b.host.user))

    assert sorted(type(r).__name__ for r in results) == ["Membership", "SelectionRefused"]
    assert Membership.objects.current().filter(teacher=teacher).count() == 1
