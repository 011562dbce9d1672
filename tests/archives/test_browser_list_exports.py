"""In a real browser: the office filters the workroom list and downloads it;
the host filters the roster on the member page and downloads it; a grade
department reviewer filters the class titles and downloads them. The
workbook holds the rows the page showed."""

import pytest
from openpyxl import load_workbook

from tests import factories as f
from workrooms.models import Workroom
from workrooms.selection.models import Membership

pytestmark = pytest.mark.browser


def _download(page, selector, tmp_path):
    with page.expect_download() as info:
        page.click(selector)
    target = tmp_path / "list.xlsx"
    info.value.save_as(target)
    return load_workbook(target).active


def test_the_office_downloads_the_filtered_workroom_list(page, login, office, workroom, school, tmp_path):
    for name in ("李堃", "张昇"):
        f.WorkroomFactory(host=f.TeacherFactory(name=name, school=school), status=Workroom.Status.COMPLETED)
    login(office)
    page.goto("/workrooms/")
    page.select_option("select[name=status]", "completed")
    page.fill("input[name=q]", "李")
    page.click("text=筛选")
    page.wait_for_url("**/workrooms/?*status=completed*")
    shown = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert shown == ["李堃名班主任工作室"]
    ws = _download(page, "#export-workrooms", tmp_path)
    assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)][:-1] == shown


def test_the_host_downloads_the_filtered_roster(page, login, host, completed_workroom, tmp_path):
    login(host)
    page.goto(f"/people/workrooms/{completed_workroom.pk}/members/")
    page.select_option("select[name=status]", Membership.Status.COMPLETED)
    page.click("text=筛选")
    page.wait_for_url("**/members/?*status=completed*")
    shown = page.locator("#roster tbody tr td:first-child").all_inner_texts()
    assert shown == ["李堃"]
    ws = _download(page, "#export-roster", tmp_path)
    assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)] == shown


def test_the_office_downloads_the_filtered_veto_list(page, login, office, school, department, tmp_path):
    from tests.assessment.factories import MonthPeriodFactory, VetoCaseFactory

    month = MonthPeriodFactory(school=school)
    for name, kind in (("李明", 2), ("李强", 3), ("王五", 2)):
        VetoCaseFactory(teacher=f.TeacherFactory(name=name, school=school, department=department), period=month, kind=kind)
    login(office)
    page.goto("/assessment/vetoes/")
    page.fill("input[name=q]", "李")
    page.select_option("select[name=kind]", "2")
    page.click("text=筛选")
    page.wait_for_url("**/vetoes/?*kind=2*")
    shown = page.locator("table:not(#change-history) tbody tr td:nth-child(2)").all_inner_texts()
    assert shown == ["李明"]
    ws = _download(page, "#export-vetoes", tmp_path)
    assert [r[2] for r in ws.iter_rows(min_row=3, values_only=True)] == shown


def test_a_reviewer_downloads_the_filtered_class_titles(page, login, reviewer, school, department, tmp_path):
    from datetime import date

    from members.choices import DepartmentKind
    from tests.assessment.factories import ClassTitleFactory

    department.kind, department.grade = DepartmentKind.GRADE, 1
    department.save()
    for name, kind, day in (("李明", "excellent", date(2025, 10, 20)), ("李强", "window", date(2025, 10, 1)),
                            ("王五", "excellent", date(2025, 10, 20))):
        teacher = f.TeacherFactory(name=name, school=school, department=department)
        ClassTitleFactory(teacher=teacher, kind=kind, starts_on=day, named_by=reviewer)
    login(reviewer)
    page.goto("/assessment/class-titles/")
    page.fill("input[name=q]", "李")
    page.select_option("select[name=kind]", "excellent")
    page.click("text=筛选")
    page.wait_for_url("**/class-titles/?*kind=excellent*")
    shown = page.locator("#class-titles tbody tr td:nth-child(5)").all_inner_texts()
    assert shown == ["李明"]
    ws = _download(page, "#export-class-titles", tmp_path)
    assert [r[6] for r in ws.iter_rows(min_row=3, values_only=True)] == shown
