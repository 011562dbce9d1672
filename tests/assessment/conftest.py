import pytest

from members.choices import DepartmentKind
from tests.assessment.factories import MonthPeriodFactory


@pytest.fixture
def grade_dept(department):
    """The personas' department as a 年级部 of grade 1 (``reviewer`` reviews it)."""
    department.kind = DepartmentKind.GRADE
    department.grade = 1
    department.save()
    return department


@pytest.fixture
def month(school):
    return MonthPeriodFactory(school=school, school_year=2025, month=10)
