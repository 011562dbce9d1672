"""A workroom's ledgers read back with openpyxl: funding with the running
balance and totals, activities with attendance, training hours per member."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from archives.models import Job
from tests import factories as f
from tests.workrooms.activities.factories import (
    ActivityFactory,
    AttendanceFactory,
    ExpenseFactory,
)
from workrooms.models import ActivityType, Attendance, Expense


def _sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _by_header(ws, row):
    return {ws.cell(row=2, column=i + 1).value: c for i, c in enumerate(row)}


@pytest.fixture
def expenses(workroom):
    """2025: 500 approved on 1-10, 300 pending on 2-01, 700 approved on 3-15 (=SUM text)."""
    ExpenseFactory(workroom=workroom, amount=D("500"), spent_on=date(2025, 1, 10), status=Expense.Status.APPROVED, description="购买德育书籍")
    ExpenseFactory(workroom=workroom, amount=D("300"), spent_on=date(2025, 2, 1), status=Expense.Status.PENDING, description="印刷资料")
    ExpenseFactory(workroom=workroom, amount=D("700"), spent_on=date(2025, 3, 15), status=Expense.Status.APPROVED, description="=SUM(A1:A9)")
    ExpenseFactory(workroom=workroom, amount=D("900"), spent_on=date(2024, 5, 1), status=Expense.Status.APPROVED, description="上一年度")


def test_it_exports_the_funding_ledger_with_running_balance_and_totals(client, host, workroom, expenses):
    client.force_login(host)
    ws = _sheet(client.get(f"/archives/workrooms/{workroom.pk}/funding.xlsx", {"year": 2025}))
    assert ws["A1"].value == f"{workroom.name}2025年专项经费台账（年度额度3000.00元）"
    assert ws.freeze_panes == "A3"
    headers = [c.value for c in ws[2]]
    assert headers == ["序号", "支出日期", "类别", "用途说明", "关联活动", "状态", "金额（元）", "已批准支出（元）", "累计已批准（元）", "结余（元）"]
    rows = [_by_header(ws, r) for r in ws.iter_rows(min_row=3)]
    data, totals = rows[:-1], rows[-1]
    assert [r["用途说明"].value for r in data] == ["购买德育书籍", "印刷资料", "=SUM(A1:A9)"]  # by date
    assert data[2]["用途说明"].data_type == "s", "formula-looking text stored as text"
    assert data[0]["支出日期"].value.date() == date(2025, 1, 10) and data[0]["支出日期"].number_format == "yyyy-mm-dd"
    assert [r["结余（元）"].value for r in data] == [2500, 2500, 1800]
    assert [r["累计已批准（元）"].value for r in data] == [500, 500, 1200]
    assert data[1]["状态"].value == "待审核" and data[1]["已批准支出（元）"].value is None
    assert data[0]["结余（元）"].number_format == "#,##0.00"
    assert totals["序号"].value == "合计"
    assert (totals["金额（元）"].value, totals["已批准支出（元）"].value) == (1500, 1200)
    assert totals["金额（元）"].number_format == "#,##0.00"


def test_it_exports_the_ledger_with_the_page_filters(client, office, workroom, expenses):
    client.force_login(office)
    ws = _sheet(client.get(f"/archives/workrooms/{workroom.pk}/funding.xlsx", {"year": 2025, "status": "approved"}))
    assert [r[3].value for r in ws.iter_rows(min_row=3)][:-1] == ["购买德育书籍", "=SUM(A1:A9)"]


def test_it_exports_activities_with_their_attendance(client, office, workroom, member):
    li = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="李堃")).teacher
    tz = timezone.get_current_timezone()
    first = ActivityFactory(
        workroom=workroom, theme="班级文化建设研讨", starts_at=datetime(2026, 3, 10, 14, 30, tzinfo=tz),
        training_hours=D("2.5"), speaker=workroom.host,
    )
    ActivityFactory(workroom=workroom, theme="主题班会观摩", type=ActivityType.DEMO_CLASS, starts_at=datetime(2026, 4, 2, 9, 0, tzinfo=tz))
    AttendanceFactory(activity=first, teacher=member.teacher, status=Attendance.Status.PRESENT)
    AttendanceFactory(activity=first, teacher=li, status=Attendance.Status.LEAVE)
    AttendanceFactory(activity=first, teacher=workroom.host, status=Attendance.Status.PRESENT)
    client.force_login(office)
    ws = _sheet(client.get(f"/archives/workrooms/{workroom.pk}/activities.xlsx"))
    assert ws["A1"].value == f"{workroom.name}活动及考勤台账"
    rows = [_by_header(ws, r) for r in ws.iter_rows(min_row=3)]
    row = next(r for r in rows if r["主题"].value == "班级文化建设研讨")
    assert row["活动时间"].value == datetime(2026, 3, 10, 14, 30) and row["活动时间"].number_format == "yyyy-mm-dd hh:mm"
    assert row["中心发言人"].value == "王喆"
    assert (row["出席"].value, row["请假"].value, row["缺席"].value) == (2, 1, 0)
    assert row["培训学时"].value == 2.5 and row["培训学时"].number_format == "0.0"
    totals = rows[-1]
    assert totals["序号"].value == "合计" and totals["培训学时"].value == 4.5 and totals["出席"].value == 2
    only = _sheet(client.get(f"/archives/workrooms/{workroom.pk}/activities.xlsx", {"q": "观摩"}))
    assert [r[3].value for r in only.iter_rows(min_row=3)][:-1] == ["主题班会观摩"]


def test_it_exports_training_hours_per_member(client, host, workroom, member):
    li = f.MembershipFactory(
        workroom=workroom, teacher=f.TeacherFactory(name="李堃"), joined_on=timezone.localdate() - timedelta(days=30)
    ).teacher
    recent = timezone.now() - timedelta(minutes=2)
    first = ActivityFactory(workroom=workroom, starts_at=recent, training_hours=D("3"))
    second = ActivityFactory(workroom=workroom, starts_at=recent - timedelta(minutes=1), training_hours=D("1.5"))
    for activity in (first, second):
        AttendanceFactory(activity=activity, teacher=member.teacher, status=Attendance.Status.PRESENT)
    AttendanceFactory(activity=first, teacher=li, status=Attendance.Status.PRESENT)
    client.force_login(host)
    ws = _sheet(client.get(f"/archives/workrooms/{workroom.pk}/training-hours.xlsx"))
    assert "成员培训学时统计" in ws["A1"].value
    *data, totals = [_by_header(ws, r) for r in ws.iter_rows(min_row=3)]
    rows = {r["姓名"].value: r for r in data}
    assert rows["张昇"]["培训学时"].value == 4.5 and rows["张昇"]["培训学时"].number_format == "0.0"
    assert rows["李堃"]["培训学时"].value == 3 and rows["李堃"]["缺席"].value == 1
    assert totals["序号"].value == "合计" and totals["培训学时"].value == 7.5 and totals["应参加活动"].value == 4


def test_a_large_ledger_becomes_a_job(client, office, workroom, expenses, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_JOB_THRESHOLD = 1
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(f"/archives/workrooms/{workroom.pk}/funding.xlsx", {"year": 2025})
    job = Job.objects.get()
    assert r["Location"] == f"/archives/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and (job.done, job.total) == (3, 3)
    ws = load_workbook(job.result.file.path).active
    assert [r[9].value for r in ws.iter_rows(min_row=3)][:-1] == [2500, 2500, 1800]


@pytest.mark.parametrize("rows", [1, 50])
def test_it_exports_the_ledger_with_a_fixed_number_of_queries(client, office, workroom, rows, django_assert_num_queries):
    for _ in range(rows):
        ExpenseFactory(workroom=workroom, spent_on=date(2025, 6, 1), status=Expense.Status.APPROVED, amount=D("10"))
    client.force_login(office)
    # session, user, groups, workroom, ruleset, summary, count, rows
    with django_assert_num_queries(8):
        ws = _sheet(client.get(f"/archives/workrooms/{workroom.pk}/funding.xlsx", {"year": 2025}))
    assert ws.max_row == 3 + rows


URLS = ["funding.xlsx", "activities.xlsx", "training-hours.xlsx"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "persona, expected",
    [(None, 302), ("outsider", 404), ("member", 403), ("host", 200), ("office", 200), ("leader", 200)],
)
def test_who_may_export_the_ledgers(client, request, workroom, member, url, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    r = client.get(f"/archives/workrooms/{workroom.pk}/{url}")
    assert r.status_code == expected
    if persona is None:
        assert r["Location"].startswith("/accounts/login/")


def test_the_pages_link_their_exports(client, host, workroom):
    client.force_login(host)
    ledger = client.get(f"/workrooms/{workroom.pk}/funding/", {"year": 2025}).content.decode()
    assert f'href="/archives/workrooms/{workroom.pk}/funding.xlsx?year=2025"' in ledger
    activities = client.get(f"/workrooms/{workroom.pk}/activities/").content.decode()
    assert f'href="/archives/workrooms/{workroom.pk}/activities.xlsx"' in activities
