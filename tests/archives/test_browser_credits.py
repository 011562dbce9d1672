"""In a real browser: the office opens the 继续教育学分台账, picks last school
year, and downloads the spreadsheet for the continuing-education platform;
the page passes axe-core."""

from datetime import date

import pytest
from openpyxl import load_workbook

from tests import factories as f
from workrooms.models import Workroom
from workrooms.selection.models import Membership

pytestmark = pytest.mark.browser


def test_the_office_filters_the_credits_ledger_by_year_and_downloads_it(
    page, login, axe, office, workroom, member, time_machine, tmp_path
):
    time_machine.move_to("2026-05-15 10:00 +08:00", tick=True)
    Membership.objects.update(joined_on=date(2024, 9, 1))
    Workroom.objects.update(cycle_start=date(2024, 9, 1), cycle_end=date(2027, 8, 31))
    workroom.refresh_from_db()
    zhang = member.teacher
    f.attended(workroom, [zhang, workroom.host], hours="12", on=date(2025, 3, 10))  # 2024-2025学年
    f.attended(workroom, [zhang], hours="6", on=date(2026, 3, 10))  # 2025-2026学年

    login(office)
    page.goto("/archives/documents/")
    page.click("text=继续教育学分台账")
    page.wait_for_url("**/archives/credits/")
    assert page.locator("h1").inner_text() == "继续教育学分台账"
    assert axe() == []

    page.select_option("select[name=year]", "2024")
    page.fill("input[name=q]", "张")
    page.click("text=筛选")
    page.wait_for_url("**/archives/credits/?*year=2024*")
    cells = page.locator("table tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "张昇" and cells[4] == "2024-2025学年" and cells[5:7] == ["12.0", "1.2"]
    assert page.locator("table tbody tr").count() == 1
    assert axe() == []

    with page.expect_download() as info:
        page.click("#export-credits")
    target = tmp_path / "credits.xlsx"
    info.value.save_as(target)
    ws = load_workbook(target).active
    assert [c.value for c in ws[1]] == ["姓名", "工号", "单位", "培训项目", "学年", "学时", "学分", "证书编号"]
    assert list(ws.iter_rows(min_row=2, values_only=True)) == [
        ("张昇", zhang.staff_no, "实验小学", "王喆名班主任工作室研修", "2024-2025学年", 12, 1.2, None)
    ]
