"""In a real browser: the office downloads the monthly assessment sheet from
the period page; a teacher generates their 考核结果通知单 from their result."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from archives.models import Job
from assessment import services
from assessment.models import Result
from assessment.workflow import ASSESSMENT_PERIOD
from members.choices import DepartmentKind
from tests.assessment.factories import MonthlyScoreFactory, MonthPeriodFactory
from tests.conftest import pdftotext

pytestmark = pytest.mark.browser


@pytest.fixture
def published_month(department, teacher, office, ruleset):
    department.kind, department.grade = DepartmentKind.GRADE, 1
    department.save()
    month = MonthPeriodFactory(school=department.school, school_year=2025, month=10)
    MonthlyScoreFactory(period=month, teacher=teacher, department=department, dept_score=D("92.5"), office_score=D("88"))
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    return month


def test_the_office_downloads_the_monthly_sheet(page, login, office, published_month, tmp_path):
    login(office)
    page.goto(f"/assessment/periods/{published_month.pk}/")
    with page.expect_download() as info:
        page.click("#export-assessment")
    target = tmp_path / "sheet.xlsx"
    info.value.save_as(target)
    wb = load_workbook(io.BytesIO(target.read_bytes()))
    assert wb.sheetnames == ["高一年级部"]
    row = [c.value for c in list(wb.active.iter_rows(min_row=3))[0]]
    assert row[1:8] == ["高一（1）班", "李堃", 92.5, 88, 90.3, "无", "合格"]


def test_a_teacher_generates_their_notice(page, login, teacher, published_month, tmp_path):
    result = Result.objects.get(period=published_month, teacher=teacher)
    login(teacher.user)
    page.goto(f"/assessment/results/{result.pk}/")
    page.click("text=生成考核结果通知单（PDF）")
    page.wait_for_url("**/archives/jobs/*/")
    page.locator("#job-download").wait_for(state="visible", timeout=60_000)
    with page.expect_download() as info:
        page.click("#job-download")
    target = tmp_path / "notice.pdf"
    info.value.save_as(target)
    flat = pdftotext(target).replace(" ", "")
    assert "考核结果通知单" in flat and "李堃" in flat and "90.3分" in flat
    assert Job.objects.get().requested_by == teacher.user
