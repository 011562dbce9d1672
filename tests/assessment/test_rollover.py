"""学年切换 (DOMAIN.md §11): head teachers move up with their classes, the
graduating grade leaves, the office reviews every change, the settings are
carried forward as a new version, the year's periods open, and nothing of
the old year changes."""

from datetime import date

import pytest
from django.urls import reverse

from assessment.models import Period, Result, Rollover
from assessment.rollover.services import next_class_name, proposed_changes, rollover_start
from members.choices import DepartmentKind
from members.models import SchoolCalendar, Teacher
from tests import factories as f
from workrooms.models import RuleSet


@pytest.fixture
def grades(school, department):
    """高一 (the personas' department), 高二 and 高三 年级部 with one head
    teacher each, and one teacher of a 系部."""
    department.kind, department.grade = DepartmentKind.GRADE, 10
    department.save()
    depts = {10: department} | {
        g: f.DepartmentFactory(school=school, name=f"{name}年级部", kind=DepartmentKind.GRADE, grade=g)
        for g, name in ((11, "高二"), (12, "高三"))
    }
    people = {
        "gao1": f.TeacherFactory(name="陈一", school=school, department=depts[10], class_name="高一(3)班"),
        "gao2": f.TeacherFactory(name="林二", school=school, department=depts[11], class_name="高二(5)班"),
        "gao3": f.TeacherFactory(name="吴三", school=school, department=depts[12], class_name="高三(1)班"),
        "other": f.TeacherFactory(name="郑四", school=school, department=f.DepartmentFactory(school=school, name="数学系部")),
    }
    return depts, people


@pytest.mark.parametrize(
    "name, grade, expected",
    [("高一(3)班", 10, "高二(3)班"), ("初一2班", 7, "初二2班"), ("七年级1班", 7, "八年级1班"), ("三年级二班", 3, "四年级二班"), ("实验班", 10, "实验班")],
)
def test_a_class_moves_up_a_grade_in_the_schools_own_words(name, grade, expected):
    assert next_class_name(name, grade) == expected


def test_it_proposes_a_change_for_every_head_teacher(school, grades):
    depts, people = grades
    by_name = {c.teacher.name: c for c in proposed_changes(school)}
    assert (by_name["陈一"].action, by_name["陈一"].to_department, by_name["陈一"].to_class) == ("up", depts[11], "高二(3)班")
    assert by_name["吴三"].action == "graduate"
    assert by_name["郑四"].action == "keep"


def test_the_office_starts_a_year_and_nothing_of_the_old_year_changes(school, grades, office):
    depts, people = grades
    old = Period.objects.create(school=school, kind=Period.Kind.MONTH, school_year=2026, semester=2, month=6)
    result = Result.objects.create(
        period=old, teacher=people["gao1"], department=depts[10], ruleset=RuleSet.objects.current(), score=90, outcome="合格"
    )
    versions = RuleSet.objects.count()
    done = rollover_start(
        school=school, start_year=2027, actor=office, carry_settings=True, open_periods=True,
        accepted={people["gao1"].pk: "高二(3)班", people["gao3"].pk: ""},  # 林二's change not kept
    )
    t = {k: Teacher.objects.get(pk=v.pk) for k, v in people.items()}
    assert (t["gao1"].department, t["gao1"].class_name) == (depts[11], "高二(3)班")
    assert (t["gao2"].department, t["gao2"].class_name) == (depts[11], "高二(5)班")
    assert (t["gao3"].is_head_teacher, t["gao3"].class_name) == (False, "")
    assert RuleSet.objects.count() == versions + 1 and done.ruleset.change_note == "2027-2028学年沿用上一学年设置"
    # Ten counted months, two semesters and the year.
    assert done.periods_opened == 13
    assert Period.objects.filter(school=school, school_year=2027, kind=Period.Kind.MONTH).count() == 10
    assert not Period.objects.filter(school=school, school_year=2027, month=8).exists()
    result.refresh_from_db()
    assert (result.department, result.score) == (depts[10], 90)
    assert [c["name"] for c in done.changes] == ["陈一", "吴三"]


def test_the_periods_follow_the_schools_calendar(school, grades, office):
    SchoolCalendar.objects.create(
        school=school, start_year=2027, term1_start=date(2027, 8, 30), term1_end=date(2028, 1, 20),
        term2_start=date(2028, 2, 20), term2_end=date(2028, 7, 10), counted_months=[9, 10, 11, 12, 3, 4, 5, 6],
    )
    done = rollover_start(school=school, start_year=2027, actor=office, carry_settings=False, open_periods=True, accepted={})
    assert done.periods_opened == 8 + 3 and done.ruleset is None
    months = Period.objects.filter(school=school, school_year=2027, kind=Period.Kind.MONTH)
    assert sorted((p.semester, p.month) for p in months) == [(1, 9), (1, 10), (1, 11), (1, 12), (2, 3), (2, 4), (2, 5), (2, 6)]


def test_a_year_starts_once(school, grades, office):
    rollover_start(school=school, start_year=2027, actor=office, carry_settings=False, open_periods=False, accepted={})
    with pytest.raises(Exception, match="已经开始，不能重复切换"):
        rollover_start(school=school, start_year=2027, actor=office, carry_settings=False, open_periods=False, accepted={})
    assert Rollover.objects.count() == 1


def url(school, year=2027):
    return f"{reverse('assessment:rollover')}?school={school.pk}&year={year}"


@pytest.mark.parametrize(
    "persona, method, status",
    [("anonymous", "get", 302), ("teacher", "get", 404), ("outsider", "get", 404), ("leader", "get", 200),
     ("leader", "post", 403), ("office", "get", 200), ("admin", "get", 200)],
)
def test_who_may_start_a_year(client, request, school, grades, teacher, persona, method, status):
    if persona != "anonymous":
        client.force_login(teacher.user if persona == "teacher" else request.getfixturevalue(persona))
    data = {"school": school.pk, "year": 2027, "confirmed": "on"}
    r = client.post(url(school), data) if method == "post" else client.get(url(school))
    assert r.status_code == status
    assert not Rollover.objects.exists()


def test_the_page_lists_the_changes_and_refuses_without_confirmation(client, school, grades, office):
    depts, people = grades
    client.force_login(office)
    page = client.get(url(school)).content.decode()
    assert "高二(3)班" in page and "毕业离任" in page and "2027-2028学年" in page
    r = client.post(url(school), {"school": school.pk, "year": 2027, f"apply_{people['gao1'].pk}": "on",
                                  f"class_{people['gao1'].pk}": "高二(9)班"})
    body = r.content.decode()
    assert r.status_code == 200 and "请先核对名单并勾选确认" in body and 'value="高二(9)班"' in body
    assert not Rollover.objects.exists()
    assert Teacher.objects.get(pk=people["gao1"].pk).class_name == "高一(3)班"


def test_a_bad_year_is_not_found(client, school, office):
    client.force_login(office)
    assert client.get(f"{reverse('assessment:rollover')}?year=abc").status_code == 404
    assert client.get(f"{reverse('assessment:rollover')}?year=0").status_code == 404
