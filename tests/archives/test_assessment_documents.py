"""Assessment documents read back: the monthly sheet per 年级部, the semester
composite, the annual ranking (openpyxl), the 考核结果通知单 (pdftotext)."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from archives.models import Job
from assessment import services
from assessment.models import ClassConditions, Period, Result
from assessment.workflow import ASSESSMENT_PERIOD
from members.choices import DepartmentKind
from tests import factories as f
from tests.archives.test_pdf import pdffonts
from tests.assessment.factories import (
    BonusAwardFactory,
    MonthlyScoreFactory,
    MonthPeriodFactory,
    VetoCaseFactory,
)
from tests.conftest import pdftotext
from workrooms.models import RuleSet

MONTH_HEADERS = ["序号", "班级", "班主任", "年级部检查", "德育处抽查", "月考核得分", "否决情况", "结果", "津贴（元）"]


def _book(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _row(ws, name, col=3):
    for row in ws.iter_rows(min_row=3):
        if row[col - 1].value == name:
            return {ws.cell(row=2, column=i + 1).value: c for i, c in enumerate(row)}
    raise AssertionError(name)


def _alternative_scheme():
    current = RuleSet.objects.current()
    current.pk = None
    current.version += 1
    current.assessment_scheme = "alternative"
    current.save()


@pytest.fixture
def grade_dept(department):
    department.kind, department.grade = DepartmentKind.GRADE, 1
    department.save()
    return department


@pytest.fixture
def month(school):
    return MonthPeriodFactory(school=school, school_year=2025, month=10)


@pytest.fixture
def two_grades(grade_dept, school, teacher):
    """高一年级部: 李堃 (1班) and 孙一 (2班, a confirmed veto); 高二年级部: 张昇."""
    second = f.DepartmentFactory(school=school, name="高二年级部", kind=DepartmentKind.GRADE, grade=2)
    sun = f.TeacherFactory(name="孙一", school=school, department=grade_dept, class_name="高一（2）班")
    zhang = f.TeacherFactory(name="张昇", school=school, department=second, class_name="高二（3）班")
    return {"li": teacher, "sun": sun, "zhang": zhang, "second": second}


@pytest.fixture
def computed_month(month, two_grades, office, ruleset):
    _alternative_scheme()
    MonthlyScoreFactory(period=month, teacher=two_grades["li"], dept_score=D("92.5"), office_score=D("88"))
    MonthlyScoreFactory(period=month, teacher=two_grades["sun"], dept_score=D("95"), office_score=D("95"))
    MonthlyScoreFactory(period=month, teacher=two_grades["zhang"], dept_score=D("80"), office_score=D("70"))
    veto = VetoCaseFactory(period=month, teacher=two_grades["sun"])
    services.veto_confirm(veto=veto, actor=office)
    services.period_compute(period=month, actor=office)
    return month


def test_it_exports_the_monthly_sheet_one_sheet_per_grade_department(client, office, computed_month, two_grades):
    client.force_login(office)
    r = client.get(f"/archives/periods/{computed_month.pk}/assessment.xlsx")
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = _book(r)
    assert wb.sheetnames == ["高一年级部", "高二年级部"]
    ws = wb["高一年级部"]
    assert ws["A1"].value == "2025–2026学年第一学期 2025年10月月考核汇总表（高一年级部）"
    assert [c.value for c in ws[2]] == MONTH_HEADERS
    assert ws.freeze_panes == "A3"
    li = _row(ws, "李堃")
    stored = Result.objects.get(period=computed_month, teacher=two_grades["li"])
    assert li["班级"].value == "高一（1）班"
    assert (li["年级部检查"].value, li["德育处抽查"].value) == (92.5, 88)
    assert li["月考核得分"].value == float(stored.score) == 90.3 and li["月考核得分"].number_format == "0.0"
    assert (li["否决情况"].value, li["结果"].value) == ("无", "合格")
    assert li["津贴（元）"].value == float(stored.amount) > 0 and li["津贴（元）"].number_format == "#,##0.00"
    sun = _row(ws, "孙一")
    assert (sun["否决情况"].value, sun["结果"].value) == ("一票否决 1 项", "不合格")
    rows = list(ws.iter_rows(min_row=3))
    assert len(rows) == 3 and rows[-1][0].value == "合计"
    sun_amount = Result.objects.get(teacher=two_grades["sun"]).amount
    assert rows[-1][8].value == float(stored.amount + sun_amount)
    assert [r[2].value for r in wb["高二年级部"].iter_rows(min_row=3)] == ["张昇", None]


def test_it_exports_what_the_period_page_filters_show(client, office, computed_month):
    client.force_login(office)
    wb = _book(client.get(f"/archives/periods/{computed_month.pk}/assessment.xlsx", {"q": "孙"}))
    assert wb.sheetnames == ["高一年级部"]
    assert [r[2].value for r in wb.active.iter_rows(min_row=3)] == ["孙一", None]


def test_a_reviewer_exports_only_their_grade_department(client, reviewer, computed_month):
    client.force_login(reviewer)
    wb = _book(client.get(f"/archives/periods/{computed_month.pk}/assessment.xlsx"))
    assert wb.sheetnames == ["高一年级部"]


def test_it_reads_the_stored_results_and_does_not_recompute(client, office, computed_month, two_grades):
    Result.objects.filter(teacher=two_grades["zhang"]).update(score=D("12.3"), outcome="存档值")
    client.force_login(office)
    row = _row(_book(client.get(f"/archives/periods/{computed_month.pk}/assessment.xlsx"))["高二年级部"], "张昇")
    assert (row["月考核得分"].value, row["结果"].value) == (12.3, "存档值")


def test_it_exports_the_semester_composite_with_bonus_and_titles(client, office, school, two_grades, ruleset):
    october = MonthPeriodFactory(school=school, school_year=2025, month=10)
    for t, score in ((two_grades["li"], D("95")), (two_grades["sun"], D("85"))):
        MonthlyScoreFactory(period=october, teacher=t, dept_score=score, office_score=score)
    BonusAwardFactory(teacher=two_grades["li"], level="municipal")
    ClassConditions.objects.create(teacher=two_grades["li"], school_year=2025, semester=1, student_commended=True, urgent_tasks=True)
    services.period_compute(period=october, actor=office)
    semester = services.period_create(school=school, kind=Period.Kind.SEMESTER, school_year=2025, semester=1, actor=office)
    services.period_compute(period=semester, actor=office)
    stored = Result.objects.get(period=semester, teacher=two_grades["li"])
    client.force_login(office)
    wb = _book(client.get(f"/archives/periods/{semester.pk}/assessment.xlsx"))
    assert wb.sheetnames == ["高一年级部"]
    ws = wb.active
    assert [c.value for c in ws[2]] == [
        "序号", "班级", "班主任", "月考核得分合计", "加分", "学期综合得分", "年级部内名次", "班队称号", "学期津贴（元）",
    ]
    li = _row(ws, "李堃")
    assert li["月考核得分合计"].value == 95 and li["加分"].value > 0
    assert li["学期综合得分"].value == float(stored.score) == 95 + li["加分"].value
    assert li["年级部内名次"].value == 1 and li["年级部内名次"].number_format == "0"
    assert li["班队称号"].value == stored.outcome
    assert li["学期津贴（元）"].value == float(stored.amount) == 200 and li["学期津贴（元）"].number_format == "#,##0.00"
    totals = list(ws.iter_rows(min_row=3))[-1]
    assert totals[0].value == "合计" and totals[8].value == 400


def test_it_exports_the_annual_ranking_with_tiers_and_allowances(client, office, school, two_grades, ruleset):
    _alternative_scheme()
    october = MonthPeriodFactory(school=school, school_year=2025, month=10)
    for t, score in ((two_grades["li"], D("95")), (two_grades["sun"], D("85")), (two_grades["zhang"], D("75"))):
        MonthlyScoreFactory(period=october, teacher=t, dept_score=score, office_score=score)
    services.period_compute(period=october, actor=office)
    year = services.period_create(school=school, kind=Period.Kind.YEAR, school_year=2025, actor=office)
    services.period_compute(period=year, actor=office)
    client.force_login(office)
    wb = _book(client.get(f"/archives/periods/{year.pk}/assessment.xlsx"))
    assert len(wb.sheetnames) == 1
    ws = wb.active
    assert [c.value for c in ws[2]] == ["序号", "名次", "班级", "班主任", "年级部", "学年综合得分", "奖次", "津贴及奖金（元）"]
    rows = list(ws.iter_rows(min_row=3))
    assert [r[3].value for r in rows[:-1]] == ["李堃", "孙一", "张昇"]  # by rank
    stored = {r.teacher.name: r for r in Result.objects.filter(period=year).select_related("teacher")}
    li = _row(ws, "李堃", col=4)
    assert li["名次"].value == 1 and li["年级部"].value == "高一年级部"
    assert li["奖次"].value == stored["李堃"].outcome and li["学年综合得分"].value == float(stored["李堃"].score)
    assert rows[-1][7].value == float(sum(r.amount for r in stored.values()))
    assert rows[-1][7].number_format == "#,##0.00"


# --- the notice -------------------------------------------------------------------


def test_it_writes_the_notice_of_a_teacher_from_the_stored_result(
    client, office, computed_month, two_grades, django_capture_on_commit_callbacks
):
    ASSESSMENT_PERIOD.apply(computed_month, "publish", actor=office)
    li = two_grades["li"]
    result = Result.objects.get(period=computed_month, teacher=li)
    client.force_login(li.user)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/archives/results/{result.pk}/notice/")
    job = Job.objects.get()
    assert r["Location"] == f"/archives/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    path = job.result.file.path
    flat = pdftotext(path).replace(" ", "")
    assert "考核结果通知单" in flat and "李堃" in flat
    assert "90.3分" in flat and "合格" in flat
    assert "92.5×50%+88.0×50%=90.3" in flat, "the stored formula"
    fonts = [line.split() for line in pdffonts(path).splitlines()[2:]]
    assert fonts and all(row[-5] == "yes" for row in fonts), "every font is embedded"
    assert client.get(f"/archives/jobs/{job.pk}/download/").status_code == 200


@pytest.mark.parametrize(
    "persona, expected",
    [(None, 302), ("outsider", 404), ("reviewer", 403), ("teacher", 302), ("office", 302), ("leader", 302)],
)
def test_who_may_generate_a_notice(client, request, persona, expected, computed_month, two_grades, office):
    ASSESSMENT_PERIOD.apply(computed_month, "publish", actor=office)
    result = Result.objects.get(period=computed_month, teacher=two_grades["li"])
    if persona:
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    r = client.post(f"/archives/results/{result.pk}/notice/")
    assert r.status_code == expected
    if persona is None:
        assert r["Location"].startswith("/accounts/login/")
    elif expected == 302:
        assert r["Location"].startswith("/archives/jobs/")
    if expected != 302 or persona is None:
        assert not Job.objects.exists()


@pytest.mark.parametrize(
    "persona, expected",
    [(None, 302), ("outsider", 404), ("teacher", 403), ("reviewer", 200), ("office", 200), ("leader", 200)],
)
def test_who_may_export_the_assessment_sheet(client, request, persona, expected, computed_month):
    if persona:
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    r = client.get(f"/archives/periods/{computed_month.pk}/assessment.xlsx")
    assert r.status_code == expected
    if persona is None:
        assert r["Location"].startswith("/accounts/login/")


def test_the_period_page_links_the_export_with_its_filters(client, office, computed_month):
    client.force_login(office)
    page = client.get(f"/assessment/periods/{computed_month.pk}/", {"q": "孙"}).content.decode()
    assert f'href="/archives/periods/{computed_month.pk}/assessment.xlsx?q=%E5%AD%99"' in page


def test_a_large_assessment_export_becomes_a_job(client, office, computed_month, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_JOB_THRESHOLD = 1
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(f"/archives/periods/{computed_month.pk}/assessment.xlsx")
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and (job.done, job.total) == (3, 3)
    assert load_workbook(job.result.file.path).sheetnames == ["高一年级部", "高二年级部"]


@pytest.mark.parametrize("rows", [1, 50])
def test_it_exports_the_sheet_with_a_fixed_number_of_queries(client, office, month, grade_dept, ruleset, rows, django_assert_num_queries):
    for _ in range(rows):
        MonthlyScoreFactory(period=month, teacher=f.TeacherFactory(school=month.school, department=grade_dept))
    services.period_compute(period=month, actor=office)
    client.force_login(office)
    # session, user, groups (roles), period, count, the rows (one cursor)
    with django_assert_num_queries(6):
        wb = _book(client.get(f"/archives/periods/{month.pk}/assessment.xlsx"))
    assert wb["高一年级部"].max_row == 3 + rows
