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


@pytest.mark.django_db
def test_form_dropdowns_say_what_to_choose(school, workroom):
    from django.contrib.auth.models import User

    from assessment.forms import BonusAwardForm, ClassTitleForm, CoverForm, EvaluationOpenForm, VetoForm
    from members.models import Department, Teacher
    from workrooms.activities.forms import ExpenseForm
    from workrooms.archive.forms import ArchiveUploadForm
    from workrooms.mentoring.forms import MentorPairForm
    from workrooms.models import Workroom

    teachers = Teacher.objects.all()
    forms = [
        VetoForm(school=school), BonusAwardForm(school=school), CoverForm(school=school),
        ClassTitleForm(departments=Department.objects.all()),
        EvaluationOpenForm(workrooms=Workroom.objects.all(), experts=User.objects.all()),
        ExpenseForm(workroom=workroom), ArchiveUploadForm(workroom=workroom),
        MentorPairForm(mentors=teachers, trainees=teachers),
    ]
    for form in forms:
        assert "---------" not in str(form), type(form).__name__
