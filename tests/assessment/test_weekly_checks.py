"""年级部检查 by week (DOMAIN.md §9.1; 001: checked daily, reported every
Friday): the month's 年级部检查 is the sum of its school weeks."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import MonthlyScore, WeeklyCheck
from assessment.rules.monthly import weekly_checks_total
from assessment.workflow import ASSESSMENT_PERIOD
from core.calendar import Holiday, YearCalendar
from tests import factories as f
from tests.assessment.factories import MonthlyScoreFactory
from tests.submit_twice import assert_refused_second, post_twice

# October 2025: Fridays 3, 10, 17, 24 and 31 October.
OCTOBER_WEEKS = [date(2025, 9, 29), date(2025, 10, 6), date(2025, 10, 13), date(2025, 10, 20), date(2025, 10, 27)]


def _field(teacher, monday):
    return f"w_{teacher.pk}_{monday:%Y%m%d}"


@pytest.fixture
def url(month, grade_dept):
    return reverse("assessment:grid_weeks", args=[month.pk, grade_dept.pk])


# --- the rules (no database) ------------------------------------------------------


def test_a_week_belongs_to_the_month_of_its_friday():
    cal = YearCalendar.default(2025)
    october = [monday for monday, _ in cal.check_weeks(10)]
    assert october == OCTOBER_WEEKS
    # 29 Sep – 5 Oct is reported on Friday 3 October: October's, not September's
    assert [monday for monday, _ in cal.check_weeks(9)] == [date(2025, 9, 1), date(2025, 9, 8), date(2025, 9, 15), date(2025, 9, 22)]
    # 27 Oct – 2 Nov is reported on Friday 31 October: November starts on 3 November
    assert cal.check_weeks(11)[0] == (date(2025, 11, 3), date(2025, 11, 9))
    assert cal.check_weeks(10)[-1] == (date(2025, 10, 27), date(2025, 11, 2))


def test_weeks_without_a_school_day_are_left_out():
    cal = YearCalendar.default(2025)
    with_holiday = YearCalendar(
        2025, cal.term1, cal.term2, holidays=(Holiday(date(2025, 9, 29), date(2025, 10, 5), "国庆节"),)
    )
    assert [m for m, _ in with_holiday.check_weeks(10)] == OCTOBER_WEEKS[1:]
    assert cal.check_weeks(8) == []  # the summer holidays belong to no term


@pytest.mark.parametrize(
    "weeks, total",
    [([D("20"), D("18.5"), None, D("19")], D("57.5")), ([None, None], None), ([], None), ([D("0")], D("0"))],
)
def test_the_month_figure_is_the_sum_of_the_weeks_entered(weeks, total):
    assert weekly_checks_total(weeks) == total


# --- the page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_month_figure_equals_the_weekly_sum(client, reviewer, month, grade_dept, teacher, url):
    client.force_login(reviewer)
    data = {_field(teacher, OCTOBER_WEEKS[0]): "19.5", _field(teacher, OCTOBER_WEEKS[1]): "18", _field(teacher, OCTOBER_WEEKS[4]): "20"}
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    assert "1 位班主任的月成绩（年级部检查）有更新" in body
    score = MonthlyScore.objects.get(teacher=teacher, period=month)
    assert (score.dept_score, score.office_score, score.dept_entered_by) == (D("57.5"), None, reviewer)
    assert sorted(WeeklyCheck.objects.values_list("week_start", "score")) == [
        (OCTOBER_WEEKS[0], D("19.5")), (OCTOBER_WEEKS[1], D("18")), (OCTOBER_WEEKS[4], D("20")),
    ]
    assert f'data-month-total="{teacher.pk}">57.5<' in body
    # the grid shows the figure as the month's 年级部检查
    grid = client.get(reverse("assessment:grid", args=[month.pk, grade_dept.pk])).content.decode()
    assert f'name="dept_{teacher.pk}" id="id_dept_{teacher.pk}" value="57.5"' in grid


@pytest.mark.django_db
def test_a_week_across_the_month_boundary_counts_in_one_month_only(client, reviewer, school, grade_dept, teacher):
    from tests.assessment.factories import MonthPeriodFactory

    october = MonthPeriodFactory(school=school, school_year=2025, month=10)
    november = MonthPeriodFactory(school=school, school_year=2025, month=11)
    client.force_login(reviewer)
    body = client.get(reverse("assessment:grid_weeks", args=[november.pk, grade_dept.pk])).content.decode()
    assert _field(teacher, date(2025, 10, 27)) not in body and _field(teacher, date(2025, 11, 3)) in body
    # a November form cannot file the week of 27 October
    client.post(reverse("assessment:grid_weeks", args=[november.pk, grade_dept.pk]), {_field(teacher, date(2025, 10, 27)): "20"})
    assert not WeeklyCheck.objects.exists()
    client.post(reverse("assessment:grid_weeks", args=[october.pk, grade_dept.pk]), {_field(teacher, date(2025, 10, 27)): "20"})
    assert MonthlyScore.objects.get(teacher=teacher, period=october).dept_score == D("20")
    assert not MonthlyScore.objects.filter(period=november).exists()


@pytest.mark.django_db
def test_it_keeps_the_office_half_and_asks_a_reason_to_correct(client, reviewer, month, grade_dept, teacher, url):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept, dept_score=None, office_score=D("90"))
    client.force_login(reviewer)
    client.post(url, {_field(teacher, OCTOBER_WEEKS[0]): "20", _field(teacher, OCTOBER_WEEKS[1]): "20"})
    score = MonthlyScore.objects.get(teacher=teacher)
    assert (score.dept_score, score.office_score) == (D("40"), D("90"))
    # changing an entered week changes the month's figure: that needs a reason
    data = {_field(teacher, OCTOBER_WEEKS[0]): "20", _field(teacher, OCTOBER_WEEKS[1]): "15"}
    body = client.post(url, data).content.decode()
    assert "更改已录入的成绩须填写修改原因" in body and 'value="15"' in body
    assert WeeklyCheck.objects.get(week_start=OCTOBER_WEEKS[1]).score == D("20")
    client.post(url, data | {"reason": "复查第二周记录"})
    score.refresh_from_db()
    assert score.dept_score == D("35")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, message",
    [("abc", "请输入数字"), ("-1", "不能小于 0"), ("20.55", "最多保留一位小数"), ("101", "不能超过 100")],
)
def test_a_refused_value_changes_nothing(client, reviewer, month, grade_dept, teacher, url, value, message):
    client.force_login(reviewer)
    client.post(url, {_field(teacher, OCTOBER_WEEKS[0]): "20"})
    before = list(MonthlyScore.objects.values_list("dept_score", "updated_at"))
    body = client.post(url, {_field(teacher, OCTOBER_WEEKS[0]): "20", _field(teacher, OCTOBER_WEEKS[1]): value}).content.decode()
    assert message in body and "所有成绩均未保存" in body
    assert f'value="{value}"' in body  # what was typed is kept
    assert list(MonthlyScore.objects.values_list("dept_score", "updated_at")) == before
    assert list(WeeklyCheck.objects.values_list("week_start", "score")) == [(OCTOBER_WEEKS[0], D("20"))]


@pytest.mark.django_db
def test_it_refuses_weeks_adding_up_to_more_than_the_full_mark(client, reviewer, month, grade_dept, teacher, url):
    client.force_login(reviewer)
    data = {_field(teacher, w): "25" for w in OCTOBER_WEEKS}
    body = client.post(url, data).content.decode()
    assert "李堃：各周合计 125 分，超过月考核满分 100" in body and 'value="25"' in body
    assert not WeeklyCheck.objects.exists() and not MonthlyScore.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_published_month(client, reviewer, office, month, grade_dept, teacher, url):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept, dept_score=D("80"), office_score=D("90"))
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    client.force_login(reviewer)
    body = client.post(url, {_field(teacher, OCTOBER_WEEKS[0]): "10"}, follow=True).content.decode()
    assert "公示中，不能修改" in body
    assert MonthlyScore.objects.get(teacher=teacher).dept_score == D("80") and not WeeklyCheck.objects.exists()
    assert "本页只读" in body and 'type="submit"' not in body.split('id="weekly-grid"')[1].split("</form>")[0]


@pytest.mark.django_db
def test_a_double_submission_saves_once(client, reviewer, month, grade_dept, teacher, url):
    client.force_login(reviewer)
    first, second = post_twice(client, url, url, lambda: {_field(teacher, OCTOBER_WEEKS[0]): "20"})
    assert_refused_second(first, second)
    assert WeeklyCheck.objects.count() == 1


@pytest.fixture
def other_reviewer(school):
    other = f.DepartmentFactory(school=school, name="高二年级部", kind="grade", grade=2)
    t = f.TeacherFactory(name="孙主任", school=school, department=other)
    other.reviewers.add(t.user)
    return t.user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, get_code, post_code",
    [
        ("outsider", 404, 404), ("teacher", 404, 404), ("other_reviewer", 404, 404),
        ("leader", 200, 403), ("office", 200, 403), ("reviewer", 200, 302),
    ],
)
def test_it_applies_the_permission_matrix(request, client, month, grade_dept, teacher, url, persona, get_code, post_code):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    assert client.get(url).status_code == get_code
    assert client.post(url, {_field(teacher, OCTOBER_WEEKS[0]): "20"}).status_code == post_code
    assert WeeklyCheck.objects.exists() is (post_code == 302)


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, month, grade_dept, url):
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_the_office_reads_the_weeks_without_inputs(client, reviewer, office, month, grade_dept, teacher, url):
    client.force_login(reviewer)
    client.post(url, {_field(teacher, OCTOBER_WEEKS[2]): "18"})
    client.force_login(office)
    body = client.get(url).content.decode()
    assert "本页只读" in body and f'name="{_field(teacher, OCTOBER_WEEKS[2])}"' in body and "disabled" in body
    assert "年级部检查按周录入" in client.get(reverse("assessment:grid", args=[month.pk, grade_dept.pk])).content.decode()


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_it_uses_the_same_number_of_queries_for_1_and_30_teachers(client, reviewer, month, grade_dept, url):
    client.force_login(reviewer)
    client.get(url)  # the first visit of a session reads what later visits keep
    counts = []
    for n in (1, 29):  # the reviewer's own row and 1, then 30 more head teachers
        for _ in range(n):
            t = f.TeacherFactory(school=grade_dept.school, department=grade_dept)
            for monday in OCTOBER_WEEKS[:3]:
                WeeklyCheck.objects.create(period=month, teacher=t, department=grade_dept, week_start=monday, score=D("18"))
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_the_grid_refuses_a_month_figure_other_than_the_weeks_sum(client, reviewer, month, grade_dept, teacher, url):
    client.force_login(reviewer)
    client.post(url, {_field(teacher, OCTOBER_WEEKS[0]): "19.5", _field(teacher, OCTOBER_WEEKS[1]): "18"})
    grid = reverse("assessment:grid", args=[month.pk, grade_dept.pk])
    body = client.post(grid, {f"dept_{teacher.pk}": "30", "reason": "改分"}, follow=True).content.decode()
    assert "本月的年级部检查已按周录入（各周合计 37.5 分）" in body
    assert MonthlyScore.objects.get(teacher=teacher, period=month).dept_score == D("37.5")
