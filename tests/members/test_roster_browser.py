"""The office imports a roster in a real browser: template, upload, preview
with one bad row, 仅导入正确的行, the teachers created."""


import pytest
from openpyxl import load_workbook

from members.models import Teacher
from tests.members.roster_files import roster_row

pytestmark = pytest.mark.browser


def test_it_imports_the_good_rows_of_a_filled_template(page, login, office, department, tmp_path):
    login(office)
    page.click("text=导入名册")
    with page.expect_download() as download:
        page.click("#roster-template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    wb = load_workbook(template)
    ws = wb["教师名册"]
    rows = [
        roster_row("B001", "王喆"),
        roster_row("B002", "李堃", gender="男", title="副高"),  # the bad row
        roster_row("B003", "张昇", department="德育处"),
    ]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    filled = tmp_path / "名册.xlsx"
    wb.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.click("text=上传并预览")
    page.wait_for_selector("#roster-errors")
    assert page.inner_text("#count-create") == "2"
    assert page.inner_text("#count-error") == "1"
    assert "第3行 F列「职称」：无法识别“副高”，可选：未定级/初级/中级/高级/正高级" in page.inner_text("#roster-errors")
    assert "将新建以下系部/年级部：示范中学·德育处" in page.content()
    assert page.locator("#import-all").count() == 0  # a file with a bad row cannot be imported whole

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#import-valid")
    page.wait_for_selector("#created-teachers")
    assert "导入完成：新建教师 2 名，更新 0 名。" in page.content()
    created = page.inner_text("#created-teachers")
    assert "B001 王喆" in created and "B003 张昇" in created
    assert set(Teacher.objects.values_list("name", flat=True)) == {"王喆", "张昇"}


