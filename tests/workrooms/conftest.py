import pytest

from members import roles
from tests import factories as f
from tests.workrooms.factories import HostApplicationFactory


@pytest.fixture
def application(teacher, ruleset):
    """``teacher``'s application, waiting for ``reviewer``'s department review."""
    return HostApplicationFactory(applicant=teacher)


@pytest.fixture
def other_reviewer(school):
    """系部审核人 of another department of the same school."""
    other = f.DepartmentFactory(school=school, name="高二年级部")
    t = f.TeacherFactory(name="钱审", school=school, department=other)
    other.reviewers.add(t.user)
    return t.user


@pytest.fixture
def other_expert(db):
    """An expert not assigned to the application."""
    return f.UserFactory(username="expert2", groups=[roles.EXPERT])
