"""Filter rows speak Chinese: the empty choice reads 全部, never ``---------``,
and yes/no filters offer 全部/是/否 rather than 未知/是/否."""

import pytest

from assessment.filters import VetoFilter
from members.filters import TeacherFilter
from workrooms.records.filters import ReadingFilter


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", [VetoFilter, TeacherFilter, ReadingFilter])
def test_filters_offer_all_in_chinese(filterset, rf, teacher):
    request = rf.get("/")
    request.user = teacher.user
    html = str(filterset(data={}, request=request).form)
    assert "---------" not in html and "未知" not in html
    assert ">全部" in html
