"""导入教师名册: validation, preview, confirmation and the template."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from members.choices import Gender, Title
from members.models import Department, RosterImport, Teacher
from members.roster.services import HEADERS
from tests import factories as f
from tests.members.roster_files import roster_row, upload, xlsx_bytes

UPLOAD_URL = "/people/roster/"


def post_roster(client, content, name="名册.xlsx"):
    return client.post(UPLOAD_URL, {"file": upload(content, name)})


def latest_import():
    return RosterImport.objects.latest("created_at")


@pytest.fixture
def office_client(client, office, department):
    client.force_login(office)
    return client


def test_it_imports_a_good_file_creating_and_updating_teachers(office_client, office, department):
    existing = f.TeacherFactory(staff_no="T001", name="王喆", school=department.school, title=Title.JUNIOR,
                                class_name="高一（2）班")
    content = xlsx_bytes([
        roster_row("T001", "王喆", title="高级", klass="高一（5）班"),
        roster_row("T002", "李堃", gender="男", title="中级", birth="1988/7/15", since="2013-09-01"),
        roster_row("T003", "张昇", department="语文系部", head="否", since=None, email=None),
    ])
    r = post_roster(office_client, content)
    assert r.status_code == 302
    roster_import = latest_import()
    preview = office_client.get(r["Location"]).content.decode()
    assert "职称：初级 → 高级" in preview
    assert "所带班级：高一（2）班 → 高一（5）班" in preview
    assert "将新建以下系部/年级部：示范中学·语文系部" in preview
    assert "示范中学 · 高一年级部 · 中级" in preview  # 李堃, to be created
    assert Teacher.objects.count() == 1  # nothing written before the confirmation

    r = office_client.post(f"/people/roster/{roster_import.pk}/confirm/")
    assert r.status_code == 302
    page = office_client.get(r["Location"]).content.decode()
    assert "导入完成：新建教师 2 名，更新 1 名。" in page

    existing.refresh_from_db()
    assert (existing.title, existing.class_name) == (Title.SENIOR, "高一（5）班")
    li = Teacher.objects.get(staff_no="T002")
    assert (li.name, li.gender, li.title, li.birth_date, li.head_teacher_since, li.is_head_teacher) == (
        "李堃", Gender.MALE, Title.INTERMEDIATE, date(1988, 7, 15), date(2013, 9, 1), True
    )
    assert li.department == department
    assert li.user.username == "T002" and not li.user.has_usable_password()
    zhang = Teacher.objects.get(staff_no="T003")
    assert zhang.department.name == "语文系部" and zhang.department.school == department.school
    assert zhang.is_head_teacher is False and zhang.email == ""
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.IMPORTED and roster_import.imported_by == office


def test_it_keeps_known_values_for_blank_optional_cells(office_client, department):
    t = f.TeacherFactory(staff_no="T001", name="王喆", school=department.school, phone="0571-1234567")
    content = xlsx_bytes([["T001", "王喆", None, "示范中学", None, None, None, None, None, None, None, None]])
    post_roster(office_client, content)
    office_client.post(f"/people/roster/{latest_import().pk}/confirm/")
    t.refresh_from_db()
    assert t.phone == "0571-1234567" and t.department is not None


BAD_ROWS = [
    roster_row("T101", "李堃"),                                     # row 2: good
    roster_row("T102", "赵敏", title="副高"),                        # row 3
    roster_row("T103", "", birth="1985-13-40"),                      # row 4
    roster_row("T101", "钱多", school="不存在中学", head="有"),        # row 5
    roster_row("T105", "孙悟", email="not-an-email", since=date(1990, 1, 1), birth=date(1985, 1, 1)),  # row 6
    roster_row("T106", "周全", birth=date(2020, 1, 1), since=date(2099, 1, 1), gender="未知"),  # row 7
    roster_row("T107", "吴用"),                                     # row 8: good
]

EXPECTED_ERRORS = [
    "第3行 F列「职称」：无法识别“副高”，可选：未定级/初级/中级/高级/正高级",
    "第4行 B列「姓名」：必填，不能为空",
    "第4行 G列「出生日期」：日期“1985-13-40”不存在",
    "第5行 D列「学校」：系统中没有学校“不存在中学”，请核对名称或请管理员先在后台添加该学校",
    "第5行 H列「在岗班主任（是/否）」：无法识别“有”，请填写“是”或“否”",
    "第5行 A列「工号」：“T101”与第2行重复",
    "第6行 L列「电子邮箱」：“not-an-email”不是有效的电子邮箱地址",
    "第6行 I列「担任班主任起始日期」：1990-01-01 不合理：早于该教师年满18岁（出生日期 1985-01-01）",
    "第7行 C列「性别」：无法识别“未知”，可选：男/女",
    "第7行 G列「出生日期」：2020-01-01 不合理：教师年龄应在18至75岁之间",
    "第7行 I列「担任班主任起始日期」：2099-01-01 晚于今天",
]


def test_it_reports_every_bad_cell_in_chinese_and_writes_nothing(office_client, department):
    r = post_roster(office_client, xlsx_bytes(BAD_ROWS))
    page = office_client.get(r["Location"]).content.decode()
    for message in EXPECTED_ERRORS:
        assert message in page
    assert page.count("<li class=\"list-group-item\">第") == len(EXPECTED_ERRORS)

    roster_import = latest_import()
    r = office_client.post(f"/people/roster/{roster_import.pk}/confirm/", follow=True)
    assert "有 5 行存在错误，未导入任何数据" in r.content.decode()
    assert Teacher.objects.count() == 0 and User.objects.filter(username__startswith="T1").count() == 0
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PENDING


def test_it_imports_only_the_good_rows_when_asked(office_client, department):
    post_roster(office_client, xlsx_bytes(BAD_ROWS))
    roster_import = latest_import()
    r = office_client.post(f"/people/roster/{roster_import.pk}/confirm/", {"only_valid": "on"}, follow=True)
    assert "导入完成：新建教师 2 名，更新 0 名。" in r.content.decode()
    assert set(Teacher.objects.values_list("staff_no", "name")) == {("T101", "李堃"), ("T107", "吴用")}
    roster_import.refresh_from_db()
    assert roster_import.result["skipped_rows"] == [3, 4, 5, 6, 7] and roster_import.only_valid


def test_it_refuses_a_second_confirmation(office_client, department):
    post_roster(office_client, xlsx_bytes([roster_row("T1", "李堃")]))
    url = f"/people/roster/{latest_import().pk}/confirm/"
    office_client.post(url)
    r = office_client.post(url, follow=True)
    assert "该名册已经导入，不能重复导入。" in r.content.decode()
    assert Teacher.objects.count() == 1


def test_it_offers_the_error_report_as_xlsx(office_client, department):
    post_roster(office_client, xlsx_bytes(BAD_ROWS))
    r = office_client.get(f"/people/roster/{latest_import().pk}/errors.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "教师名册导入错误报告"
    assert rows[1] == ("行号", "列", "列名", "工号", "姓名", "错误说明")
    assert rows[2] == (3, "F", "职称", "T102", "赵敏", EXPECTED_ERRORS[0])
    assert [row[5] for row in rows[2:]] == EXPECTED_ERRORS
    assert ws.freeze_panes == "A3"


def test_the_error_report_keeps_a_formula_typed_as_a_name_as_text(office_client, department):
    formula = '=HYPERLINK("http://evil.example/x","点此查看")'
    wb = load_workbook(io.BytesIO(xlsx_bytes([roster_row("T1", "x", title="副高")])))
    wb.active["B2"].value = formula
    wb.active["B2"].data_type = "s"  # typed into the cell as text, as a user would paste it
    content = io.BytesIO()
    wb.save(content)
    post_roster(office_client, content.getvalue())
    r = office_client.get(f"/people/roster/{latest_import().pk}/errors.xlsx")
    cell = load_workbook(io.BytesIO(r.content)).active["E3"]
    assert cell.value == formula
    assert cell.data_type == "s"  # text, not a live formula


def test_it_reads_excel_dates_serials_and_text_dates(office_client, department):
    post_roster(office_client, xlsx_bytes([
        roster_row("D1", "甲", birth=31108, since="2010.9.1"),
        roster_row("D2", "乙", birth="1985年3月2日", since="20100901"),
    ]))
    assert latest_import().error_rows == []
    office_client.post(f"/people/roster/{latest_import().pk}/confirm/")
    assert Teacher.objects.get(staff_no="D1").birth_date == date(1985, 3, 2)  # Excel serial 31108
    assert Teacher.objects.get(staff_no="D2").birth_date == date(1985, 3, 2)
    assert Teacher.objects.get(staff_no="D2").head_teacher_since == date(2010, 9, 1)


def _fake_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "不是表格")
    return out.getvalue()


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("content, name, message", [
    (b"\xe5\xb7\xa5\xe5\x8f\xb7,\xe5\xa7\x93\xe5\x90\x8d\nT1,x\n", "名册.csv", "不支持「.csv」文件：请上传 Excel 工作簿（.xlsx），可先下载模板填写。"),
    (_pdf(), "名册.pdf", "不支持「.pdf」文件：请上传 Excel 工作簿（.xlsx），可先下载模板填写。"),
    (b"just some text, not a workbook" * 10, "名册.xlsx", "文件内容不是 Excel 工作簿（.xlsx），可能只是改了扩展名。"),
    (_pdf(), "名册.xlsx", "文件内容不是 Excel 工作簿（.xlsx），可能只是改了扩展名。"),
    (_fake_zip(), "名册.xlsx", "无法读取该文件：它不是有效的 Excel 工作簿（.xlsx）。"),
    (b"", "名册.xlsx", "文件为空（0 字节），请选择填好的名册。"),
    (xlsx_bytes([], headers=None), "名册.xlsx", "文件是空的：第1行没有表头。请使用模板填写。"),
    (xlsx_bytes([]), "名册.xlsx", "文件只有表头，没有教师数据：请从第2行起填写，每行一位教师。"),
    (xlsx_bytes([roster_row("T1", "李堃")], headers=["工号", "名字", *HEADERS[2:]]), "名册.xlsx",
     "表头与模板不符（第1行）：B列应为「姓名」，实际为「名字」。请下载模板，按模板的列填写。"),
])
def test_it_rejects_files_that_are_not_a_roster(office_client, content, name, message):
    r = post_roster(office_client, content, name)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert RosterImport.objects.count() == 0 and Teacher.objects.count() == 0


def test_it_rejects_a_huge_file_before_parsing_it(office_client, department, monkeypatch):
    rows = [roster_row(f"H{i:05d}", f"教师{i}") for i in range(5001)]
    content = xlsx_bytes(rows)
    monkeypatch.setattr("members.roster.services.load_workbook", _never_parsed)
    r = post_roster(office_client, content)
    assert "文件行数过多：工作表有 5001 行，最多导入 5000 行，请分成多个文件导入。" in r.content.decode()
    assert RosterImport.objects.count() == 0


def _never_parsed(*args, **kwargs):
    raise AssertionError("the workbook was parsed")


def test_it_still_counts_rows_when_a_workbook_declares_no_size(office_client, department, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = _without_dimension(xlsx_bytes([roster_row(f"H{i}", f"教师{i}") for i in range(4)]))
    r = post_roster(office_client, content)
    assert "文件行数过多：最多导入 3 行教师，请分成多个文件导入。" in r.content.decode()
    assert RosterImport.objects.count() == 0


def _without_dimension(content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(info.filename, data)
    return out.getvalue()


def test_it_rejects_a_file_over_the_size_limit(office_client, settings, monkeypatch):
    monkeypatch.setattr("members.roster.forms.MAX_BYTES", 1000)
    r = post_roster(office_client, xlsx_bytes([roster_row("T1", "李堃")]))
    assert "文件过大" in r.content.decode() and "上限为 1000" in r.content.decode()


def test_it_offers_a_template_with_headers_drop_downs_and_instructions(office_client):
    r = office_client.get("/people/roster/template.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["教师名册", "填写说明"]
    ws = wb["教师名册"]
    assert [c.value for c in ws[1]] == [
        "工号", "姓名", "性别", "学校", "系部/年级部", "职称", "出生日期", "在岗班主任（是/否）",
        "担任班主任起始日期", "所带班级", "联系电话", "电子邮箱",
        "荣誉称号", "先进班集体/优秀团支部", "主持/参与课题", "论文发表", "竞赛获奖",
    ]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists == {"C2": '"男,女"', "F2": '"未定级,初级,中级,高级,正高级"', "H2": '"是,否"'}
    dates = sorted(str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "date")
    assert dates == ["G2:G5001", "I2:I5001"]
    assert ws["G2"].number_format == "yyyy-mm-dd"
    assert "必填" in wb["填写说明"]["B2"].value


def test_the_template_round_trips_through_the_import(office_client, department):
    wb = load_workbook(io.BytesIO(office_client.get("/people/roster/template.xlsx").content))
    ws = wb["教师名册"]
    for col, value in enumerate(roster_row("R1", "王喆"), start=1):
        ws.cell(row=2, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    post_roster(office_client, out.getvalue())
    assert latest_import().error_rows == [] and len(latest_import().rows) == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_the_confirmation_costs_the_same_queries_for_1_and_50_rows(office_client, office, department, rows,
                                                                    django_assert_num_queries):
    f.TeacherFactory(staff_no="U0", name="旧名", school=department.school)
    content = xlsx_bytes([roster_row("U0", "新名")] + [roster_row(f"N{i}", f"教师{i}") for i in range(rows)])
    post_roster(office_client, content)
    roster_import = latest_import()
    from members.roster.services import roster_import_confirm

    # lock import, schools, departments, teachers (locked), users, linked users,
    # insert users, insert teachers, update teachers, save the import, + savepoint pair
    with django_assert_num_queries(12):
        roster_import_confirm(roster_import=roster_import, user=office, only_valid=False)
    assert Teacher.objects.count() == rows + 1
    assert Teacher.objects.get(staff_no="U0").name == "新名"


def test_the_preview_costs_the_same_queries_for_1_and_50_rows(office_client, department, django_assert_num_queries):
    counts = []
    for rows in (1, 50):
        post_roster(office_client, xlsx_bytes([roster_row(f"P{rows}-{i}", "甲") for i in range(rows)]))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert office_client.get(f"/people/roster/{latest_import().pk}/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_it_creates_a_department_once_for_many_rows(office_client, department):
    post_roster(office_client, xlsx_bytes([roster_row(f"G{i}", "甲", department="高二年级部") for i in range(3)]))
    office_client.post(f"/people/roster/{latest_import().pk}/confirm/")
    dep = Department.objects.get(name="高二年级部")
    assert (dep.kind, dep.grade, dep.teachers.count()) == ("grade", 11, 3)


def test_it_refuses_a_new_staff_number_that_is_another_teachers_username(office_client, department):
    f.TeacherFactory(staff_no="X9", name="王喆", user=f.UserFactory(username="T777"), school=department.school)
    post_roster(office_client, xlsx_bytes([roster_row("T777", "李堃")]))
    page = office_client.get(f"/people/roster/{latest_import().pk}/").content.decode()
    assert "第2行 A列「工号」：账号“T777”已属于教师“王喆”，请核对工号" in page


def test_the_preview_lists_the_first_rows_and_counts_the_rest(office_client, department, monkeypatch):
    monkeypatch.setattr("members.roster.views.PREVIEW_LIMIT", 2)
    post_roster(office_client, xlsx_bytes([roster_row(f"L{i}", f"教师{i}", title="副高" if i < 3 else "中级")
                                           for i in range(8)]))
    page = office_client.get(f"/people/roster/{latest_import().pk}/").content.decode()
    assert "另有 1 处错误未列出，请下载错误报告查看全部。" in page
    assert "另有 3 名未列出。" in page and "第4行 F列" not in page
    assert '<div class="fs-3" id="count-create">5</div>' in page


# --- profile items in the roster (DOMAIN.md §2) ----------------------------------------


def test_it_imports_profile_items_as_verified_without_repeating_them(office_client, office, department):
    from members.models import ProfileItem
    from members.roster.services import BASE_HEADERS

    items = ["市优秀班主任/市级/2023；区德育先进/县级/2021", "", "班级文化建设研究/市级/2022/主持", "", ""]
    content = xlsx_bytes([roster_row("T010", "李堃") + items])
    post_roster(office_client, content)
    office_client.post(f"/people/roster/{latest_import().pk}/confirm/")
    li = Teacher.objects.get(staff_no="T010")
    got = sorted(li.profile_items.values_list("kind", "title", "level", "year", "is_leader", "status"))
    assert got == [
        ("honour", "区德育先进", "county", 2021, False, "verified"),
        ("honour", "市优秀班主任", "municipal", 2023, False, "verified"),
        ("research", "班级文化建设研究", "municipal", 2022, True, "verified"),
    ]
    assert "导入档案条目 3 条（已认定）" in office_client.get(f"/people/roster/{latest_import().pk}/").content.decode()
    # The same roster again adds nothing; a file without the item columns is still a roster.
    post_roster(office_client, content)
    office_client.post(f"/people/roster/{latest_import().pk}/confirm/")
    post_roster(office_client, xlsx_bytes([roster_row("T010", "李堃")], headers=BASE_HEADERS))
    office_client.post(f"/people/roster/{latest_import().pk}/confirm/")
    assert ProfileItem.objects.filter(teacher=li).count() == 3


def test_it_reports_a_bad_profile_item_in_chinese_and_writes_nothing(office_client, department):
    content = xlsx_bytes([roster_row("T011", "张昇") + ["市优秀班主任/市里/2023"]])
    r = post_roster(office_client, content)
    preview = office_client.get(r["Location"]).content.decode()
    assert "“市优秀班主任/市里/2023”的级别应为校级/县级/市级/省级/国家级" in preview
    assert not Teacher.objects.filter(staff_no="T011").exists()
