import pytest

from .factories import ActivityFactory


@pytest.fixture
def activity(workroom, member):
    return ActivityFactory(workroom=workroom, theme="班级文化建设研讨")


@pytest.fixture
def member_teacher(member):
    return member.teacher
