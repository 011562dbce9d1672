"""Spreadsheets re-opened with openpyxl: title, headers, values, formats,
totals, formula-looking text, same filters as the page, big ones as jobs."""

import io

import pytest
from openpyxl import load_workbook

from archives.models import Job
from tests import factories as f
from workrooms.models import Workroom
from workrooms.selection.models import Membership


def _open(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def _row(ws, values_in_col, col=2):
    for row in ws.iter_rows(min_row=3):
        if row[col - 1].value == values_in_col:
            return row
    raise AssertionError(values_in_col)


def test_it_exports_the_roster_as_an_office_prints_it(client, office, workroom, member):
    zhang = Membership.objects.get(teacher__name="张昇").teacher
    zhang.phone = "+86 138 0000 0000"
    zhang.class_name = "=HYPERLINK(\"http://evil\")"
    zhang.save()
    client.force_login(office)
    r = client.get(f"/archives/workrooms/{workroom.pk}/roster.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = _open(r)
    assert ws["A1"].value == f"{workroom.name}花名册"
    headers = [c.value for c in ws[2]]
    assert headers[:4] == ["序号", "姓名", "工号", "性别"] and "出生日期" in headers and "联系电话" in headers
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["E"].width == 18
    row = _row(ws, "张昇")
    by_header = dict(zip(headers, row))
    assert by_header["联系电话"].value == "+86 138 0000 0000" and by_header["联系电话"].data_type == "s"
    assert by_header["所带班级"].value == "=HYPERLINK(\"http://evil\")"
    assert by_header["所带班级"].data_type == "s", "formula-looking text is stored as text"
    assert by_header["出生日期"].value.date() == zhang.birth_date and by_header["出生日期"].number_format == "yyyy-mm-dd"
    assert by_header["年龄"].value == 35 and by_header["年龄"].number_format == "0"
    assert by_header["身份"].value == "成员"


def test_it_exports_the_roster_with_the_page_filters(client, office, workroom, member):
    client.force_login(office)
    ws = _open(client.get(f"/archives/workrooms/{workroom.pk}/roster.xlsx", {"role": "host"}))
    names = [r[1].value for r in ws.iter_rows(min_row=3)]
    assert names == ["王喆"]
    ws = _open(client.get(f"/archives/workrooms/{workroom.pk}/roster.xlsx", {"q": "张"}))
    assert [r[1].value for r in ws.iter_rows(min_row=3)] == ["张昇"]


def test_it_exports_the_workroom_list_with_totals(client, office, workroom, member):
    other = f.WorkroomFactory(host=f.TeacherFactory(name="李堃"), status=Workroom.Status.COMPLETED)
    f.MembershipFactory(workroom=other)
    f.MembershipFactory(workroom=other)
    client.force_login(office)
    ws = _open(client.get("/archives/export/workrooms/"))
    headers = [c.value for c in ws[2]]
    assert headers[1] == "工作室名称" and headers[-1] == "年度专项经费（元）"
    rows = list(ws.iter_rows(min_row=3, values_only=False))
    data, totals = rows[:-1], rows[-1]
    assert [r[1].value for r in data] == list(Workroom.objects.order_by("name").values_list("name", flat=True))
    row = _row(ws, other.name)
    assert row[6].value.date() == other.cycle_start and row[6].number_format == "yyyy-mm-dd"
    assert row[8].value == 2 and row[8].number_format == "0"
    assert row[9].value == 3000 and row[9].number_format == "#,##0.00"
    assert totals[0].value == "合计"
    assert totals[8].value == 3  # 2 + 1 members
    assert totals[9].value == 6000 and totals[9].number_format == "#,##0.00"


def test_it_filters_the_workroom_list_like_the_page(client, office, workroom):
    f.WorkroomFactory(host=f.TeacherFactory(name="李堃"), status=Workroom.Status.COMPLETED)
    client.force_login(office)
    ws = _open(client.get("/archives/export/workrooms/", {"status": "completed"}))
    assert [r[1].value for r in ws.iter_rows(min_row=3)][:-1] == ["李堃名班主任工作室"]


def test_it_turns_a_large_export_into_a_job(client, office, workroom, member, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_JOB_THRESHOLD = 1
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(f"/archives/workrooms/{workroom.pk}/roster.xlsx", {"status": "active"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and (job.done, job.total) == (2, 2)
    ws = load_workbook(job.result.file.path).active
    assert sorted(r[1].value for r in ws.iter_rows(min_row=3)) == ["张昇", "王喆"]
    assert job.result.original_name.endswith(".xlsx")


@pytest.mark.parametrize("rows", [1, 50])
def test_it_exports_with_a_fixed_number_of_queries(client, office, workroom, rows, django_assert_num_queries):
    for _ in range(rows - 1):
        f.MembershipFactory(workroom=workroom)
    client.force_login(office)
    # session, user, groups (roles), workroom, count, the rows (one cursor)
    with django_assert_num_queries(6):
        r = client.get(f"/archives/workrooms/{workroom.pk}/roster.xlsx")
        ws = _open(r)
    assert ws.max_row == 2 + rows


def test_the_writer_keeps_every_formula_start_as_text(tmp_path):
    from core.xlsx import Column, Export, write_xlsx

    values = ["=1+1", "+1", "-2", "@SUM(A1)", "普通文本"]
    export = Export(title="测试", filename="t.xlsx", columns=[Column("内容", lambda v: v)], rows=lambda: values, count=lambda: 5)
    write_xlsx(export, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    cells = [r[1] for r in ws.iter_rows(min_row=3)]
    assert [c.value for c in cells] == values
    assert {c.data_type for c in cells} == {"s"}
