"""Fixtures for records and archives: the member's and host's profiles, a
second workroom with its own host (another workroom's records must stay
out of reach), and a research project at its first stage."""

import pytest
from django.utils import timezone

from tests import factories as f
from workrooms.records import services
from workrooms.selection.models import Membership


@pytest.fixture
def member_teacher(member):
    return member.teacher


@pytest.fixture
def host_teacher(host):
    return host.teacher


@pytest.fixture
def other_workroom(school, ruleset):
    return f.WorkroomFactory(host=f.TeacherFactory(name="陈另", school=school))


@pytest.fixture
def other_host(other_workroom):
    return other_workroom.host.user


@pytest.fixture
def archivist(workroom):
    m = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="档案员"), is_archivist=True)
    return m.teacher.user


@pytest.fixture
def project(workroom, member, host):
    return services.project_create(
        actor=member, workroom=workroom, title="班级自主管理的实践研究", level="county",
        leader=member.teacher, participants=[host.teacher], started_on=timezone.localdate(),
    )


@pytest.fixture
def second_member(workroom):
    return f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="刘二"),
                               status=Membership.Status.ACTIVE).teacher.user
