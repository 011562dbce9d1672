import pytest

from tests.workrooms.activities.factories import ActivityFactory


@pytest.fixture
def activity(workroom, member):
    return ActivityFactory(workroom=workroom, theme="班级文化建设研讨")


@pytest.fixture
def member_teacher(member):
    return member.teacher


@pytest.fixture
def project(workroom, member):
    from django.utils import timezone

    from workrooms.records import services as records

    return records.project_create(
        actor=member, workroom=workroom, title="班级自主管理的实践研究", level="county",
        leader=member.teacher, started_on=timezone.localdate(),
    )
