"""Every list that downloads as a spreadsheet downloads exactly what its
page shows: the page is filtered with a query string, its own download link
is followed, and the workbook's rows are the page's rows, in its order."""

import io
import re
from datetime import date, datetime, time
from decimal import Decimal as D
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assessment import services as assessment_services
from members.choices import DepartmentKind
from members.models import Membership
from tests import factories as f
from tests.assessment.factories import MonthlyScoreFactory, MonthPeriodFactory
from tests.workrooms.ops.factories import ActivityFactory, ExpenseFactory
from workrooms.models import ActivityType, Expense, Workroom


def download_from(client, url, query, link_id):
    """The page at ``url?query`` and the workbook behind its ``link_id`` link."""
    page = client.get(url, query)
    assert page.status_code == 200
    match = re.search(rf'<a [^>]*id="{link_id}"[^>]*href="([^"]*)"', page.content.decode())
    assert match, f"no #{link_id} link on {url}"
    r = client.get(unescape(match[1]))
    assert r.status_code == 200, r.status_code
    return page, load_workbook(io.BytesIO(b"".join(r.streaming_content)))


def column(wb, header, *, skip_totals=False):
    """The values under ``header`` on every sheet, in order."""
    values = []
    for ws in wb.worksheets:
        headers = [c.value for c in ws[2]]
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        if skip_totals:
            rows = rows[:-1]
        values += [row[headers.index(header)] for row in rows]
    return values


def shown(page, name):
    return [name(obj) for obj in page.context["page_obj"]]


# --- 工作室一览 ------------------------------------------------------------------------


@pytest.fixture
def workrooms(workroom, school):
    """王喆 running; 李堃 and 张昇 completed (张昇 researches 心理健康); 陈另 revoked."""
    make = lambda name, status, **kw: f.WorkroomFactory(  # noqa: E731
        host=f.TeacherFactory(name=name, school=school), status=status, **kw
    )
    return [
        workroom,
        make("李堃", Workroom.Status.COMPLETED),
        make("张昇", Workroom.Status.COMPLETED, research_direction="学生心理健康教育"),
        make("陈另", Workroom.Status.REVOKED),
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "completed"}, ["张昇名班主任工作室", "李堃名班主任工作室"]),
        ({"q": "心理", "status": "completed"}, ["张昇名班主任工作室"]),
        ({"q": "王喆"}, ["王喆名班主任工作室"]),
        ({"q": "名班主任", "status": "revoked"}, ["陈另名班主任工作室"]),
    ],
)
@pytest.mark.parametrize("persona", ["office", "leader"])
def test_the_workroom_list_downloads_what_it_shows(client, request, workrooms, persona, query, expected):
    client.force_login(request.getfixturevalue(persona))
    page, wb = download_from(client, "/workrooms/", query, "export-workrooms")
    names = shown(page, lambda w: w.name)
    assert sorted(names) == sorted(expected)
    assert column(wb, "工作室名称", skip_totals=True) == names


def test_only_the_school_sees_the_workroom_list_download(client, host, workrooms):
    client.force_login(host)
    assert 'id="export-workrooms"' not in client.get("/workrooms/").content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_workroom_list_exports_with_a_fixed_number_of_queries(client, office, school, ruleset, rows,
                                                                  django_assert_num_queries):
    for _ in range(rows):
        f.MembershipFactory(workroom=f.WorkroomFactory(host=f.TeacherFactory(school=school)))
    client.force_login(office)
    # session, user, groups (roles), count, the rows (one cursor)
    with django_assert_num_queries(5):
        r = client.get("/archives/export/workrooms/", {"status": "running"})
        ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.max_row == 2 + rows + 1  # title, header, rows, totals


# --- 花名册 -----------------------------------------------------------------------------


@pytest.fixture
def roster(completed_workroom):
    """王喆 hosts; 张昇 active; 李堃 completed; 钱退 withdrawn; 李四 pending agreement."""
    f.MembershipFactory(
        workroom=completed_workroom, teacher=f.TeacherFactory(name="李四"), status=Membership.Status.PENDING_AGREEMENT
    )
    return completed_workroom


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["王喆", "张昇", "李四", "李堃", "钱退"]),
        ({"q": "李"}, ["李四", "李堃"]),
        ({"q": "李", "status": "completed"}, ["李堃"]),
        ({"status": "active"}, ["王喆", "张昇"]),
        ({"role": "member", "status": "withdrawn"}, ["钱退"]),
    ],
)
@pytest.mark.parametrize("persona", ["host", "office", "leader"])
def test_the_roster_downloads_what_the_member_page_shows(client, request, roster, persona, query, expected):
    client.force_login(request.getfixturevalue(persona))
    page, wb = download_from(client, f"/people/workrooms/{roster.pk}/members/", query, "export-roster")
    names = shown(page, lambda m: m.teacher.name)
    assert sorted(names) == sorted(expected)
    assert column(wb, "姓名") == names
    assert wb.active["A1"].value == f"{roster.name}花名册"


def test_the_member_page_lists_the_roster_with_its_filters(client, host, roster):
    client.force_login(host)
    body = client.get(f"/people/workrooms/{roster.pk}/members/", {"status": "withdrawn"}).content.decode()
    table = body[body.index('id="roster"'):]
    assert "钱退" in table and "张昇" not in table
    assert f'href="/archives/workrooms/{roster.pk}/roster.xlsx?status=withdrawn"' in body


def test_phone_numbers_go_to_the_office_only(client, host, office, roster):
    zhang = Membership.objects.get(workroom=roster, teacher__name="张昇").teacher
    zhang.phone = "13800000000"
    zhang.save()
    url = f"/archives/workrooms/{roster.pk}/roster.xlsx"
    client.force_login(office)
    wb = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
    assert "13800000000" in column(wb, "联系电话")
    client.force_login(host)
    wb = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
    assert "联系电话" not in [c.value for c in wb.active[2]]


# --- 活动及考勤台账, 专项经费台账 ---------------------------------------------------------


def test_the_activity_list_downloads_what_it_shows(client, host, workroom):
    tz = timezone.get_current_timezone()
    for day, kind, theme in [
        (date(2025, 10, 8), ActivityType.SEMINAR, "班级文化主题研讨"),
        (date(2025, 11, 12), ActivityType.SEMINAR, "家校沟通主题研讨"),
        (date(2025, 11, 19), ActivityType.REGULAR, "十一月例会研讨"),
        (date(2026, 3, 4), ActivityType.SEMINAR, "春季学期主题研讨"),
    ]:
        ActivityFactory(workroom=workroom, type=kind, theme=theme, starts_at=datetime.combine(day, time(14), tzinfo=tz))
    client.force_login(host)
    query = {"q": "研讨", "type": "seminar", "semester": "2025-1"}
    page, wb = download_from(client, f"/workrooms/{workroom.pk}/activities/", query, "export-activities")
    themes = shown(page, lambda a: a.theme)
    assert themes == ["家校沟通主题研讨", "班级文化主题研讨"]
    assert column(wb, "主题", skip_totals=True) == themes


@pytest.mark.parametrize("rows", [1, 30])
def test_the_activity_ledger_exports_with_a_fixed_number_of_queries(client, office, workroom, rows,
                                                                   django_assert_num_queries):
    for _ in range(rows):
        ActivityFactory(workroom=workroom)
    client.force_login(office)
    # session, user, groups, workroom, count, the rows (one cursor)
    with django_assert_num_queries(6):
        r = client.get(f"/archives/workrooms/{workroom.pk}/activities.xlsx", {"q": "研讨"})
        ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.max_row == 2 + rows + 1


def test_the_funding_ledger_downloads_what_it_shows(client, host, workroom):
    for amount, day, status, text in [
        ("500", date(2025, 1, 10), Expense.Status.APPROVED, "购买德育书籍"),
        ("300", date(2025, 2, 1), Expense.Status.PENDING, "购买心理学书籍"),
        ("700", date(2025, 3, 15), Expense.Status.APPROVED, "印刷班会课资料"),
        ("200", date(2025, 4, 1), Expense.Status.APPROVED, "购买书籍（二）"),
        ("900", date(2024, 5, 1), Expense.Status.APPROVED, "上一年度购买书籍"),
    ]:
        ExpenseFactory(workroom=workroom, amount=D(amount), spent_on=day, status=status, description=text)
    client.force_login(host)
    query = {"year": 2025, "q": "书籍", "status": "approved"}
    page, wb = download_from(client, f"/workrooms/{workroom.pk}/funding/", query, "export-funding")
    described = shown(page, lambda e: e.description)
    assert described == ["购买德育书籍", "购买书籍（二）"]
    assert column(wb, "用途说明", skip_totals=True) == described


# --- 考核汇总表, 成员考核表 -----------------------------------------------------------------


@pytest.fixture
def month_results(school, department, office, ruleset):
    """October 2025 of one 年级部: 李堃 and 李明 pass, 张昇 fails, 王喆 passes."""
    department.kind, department.grade = DepartmentKind.GRADE, 1
    department.save()
    month = MonthPeriodFactory(school=school, school_year=2025, month=10)
    for name, score in [("李堃", "90"), ("李明", "85"), ("张昇", "40"), ("王喆", "88")]:
        t = f.TeacherFactory(name=name, school=school, department=department)
        MonthlyScoreFactory(period=month, teacher=t, department=department, dept_score=D(score), office_score=D(score))
    assessment_services.period_compute(period=month, actor=office)
    return month


def test_the_period_page_downloads_what_it_shows(client, office, month_results):
    client.force_login(office)
    query = {"q": "李", "outcome": "合格"}
    page, wb = download_from(client, f"/assessment/periods/{month_results.pk}/", query, "export-assessment")
    names = shown(page, lambda r: r.teacher.name)
    assert sorted(names) == ["李堃", "李明"]
    assert sorted(column(wb, "班主任", skip_totals=True)) == sorted(names)  # one sheet per 年级部, by rank


def test_the_member_assessment_list_downloads_what_it_shows(client, office, workroom, member, school):
    for name in ("李堃", "李明", "王五"):
        f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name=name))
    other = f.WorkroomFactory(host=f.TeacherFactory(name="赵主持", school=school))
    f.MembershipFactory(workroom=other, teacher=f.TeacherFactory(name="李三"))
    f.MembershipFactory(workroom=other, teacher=f.TeacherFactory(name="李退"), status=Membership.Status.WITHDRAWN)
    client.force_login(office)
    query = {"year": 2025, "semester": 2, "q": "李"}
    page, wb = download_from(client, "/assessment/members/", query, "export-member-assessments")
    names = shown(page, lambda m: m.teacher.name)
    assert sorted(names) == ["李三", "李堃", "李明"]
    assert column(wb, "姓名") == names
    assert wb.worksheets[0]["A1"].value.startswith("2025–2026学年第二学期成员考核表")
