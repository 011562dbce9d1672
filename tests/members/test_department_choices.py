"""Department choices name the school (高一年级部 exists in several schools)
and offer teaching departments only, never an office such as 德育处."""

import pytest

from assessment.filters import ResultFilter
from members.choices import DepartmentKind
from members.filters import TeacherFilter
from tests import factories as f
from workrooms.filters import ApplicationFilter


@pytest.fixture
def two_schools(db):
    a, b = f.SchoolFactory(name="示范中学"), f.SchoolFactory(name="城南中学")
    for school in (a, b):
        f.DepartmentFactory(school=school, name="高一年级部", kind=DepartmentKind.GRADE, grade=10)
    f.DepartmentFactory(school=a, name="德育处", kind=DepartmentKind.OFFICE)


@pytest.mark.parametrize("filterset", [TeacherFilter, ApplicationFilter, ResultFilter])
def test_department_filters_name_the_school_and_leave_out_offices(two_schools, filterset, rf, office):
    request = rf.get("/")
    request.user = office
    html = str(filterset(data={}, request=request).form["department"])
    assert "示范中学 · 高一年级部" in html and "城南中学 · 高一年级部" in html
    assert "德育处" not in html
