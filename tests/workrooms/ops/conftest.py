import pytest

from .factories import ActivityFactory


@pytest.fixture
def activity(workroom, member):
    return ActivityFactory(workroom=workroom, theme="班级文化建设研讨")


@pytest.fixture
def member_teacher(member):
    return member.teacher


@pytest.fixture
def project(workroom, member):
    from django.utils import timezone

    from members import records

    return records.project_create(
        actor=member, workroom=workroom, title="班级自主管理的实践研究", level="county",
        leader=member.teacher, started_on=timezone.localdate(),
    )
