"""Every list that downloads as a spreadsheet downloads exactly what its
page shows: the page is filtered with a query string, its own download link
is followed, and the workbook's rows are the page's rows, in its order."""

import io
import re
from datetime import date, datetime, time
from decimal import Decimal as D
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook

from archives.models import Job
from assessment import services as assessment_services
from assessment.models import ClassTitle, Evaluation, OutstandingMember, VetoCase
from core.models import StatusChange
from members.choices import DepartmentKind
from tests import factories as f
from tests.assessment.factories import (
    BonusAwardFactory,
    ClassTitleFactory,
    MonthlyScoreFactory,
    MonthPeriodFactory,
    OutstandingMemberFactory,
    VetoCaseFactory,
)
from tests.workrooms.activities.factories import ActivityFactory, ExpenseFactory
from tests.workrooms.factories import (
    ExpertReviewFactory,
    HostApplicationFactory,
    ObjectionFactory,
)
from tests.workrooms.outreach.factories import OutreachRecordFactory
from tests.workrooms.records.factories import AchievementFactory
from workrooms.models import (
    ActivityType,
    Attendance,
    Expense,
    HostApplication,
    Workroom,
)
from workrooms.records.models import Achievement
from workrooms.selection.models import Membership


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


# --- the school's list pages: helpers ----------------------------------------------------


def headers(wb):
    return [c.value for c in wb.worksheets[0][2]]


def cell(wb, header, row=0):
    """The cell (with its type and format) under ``header`` in data row ``row``."""
    ws = wb.worksheets[0]
    return list(ws.iter_rows(min_row=3))[row][headers(wb).index(header)]


def workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# --- 教师名录 ----------------------------------------------------------------------------


@pytest.fixture
def directory(department, school):
    """Head teachers 李明 (T300), 李强 (T100, a class name that looks like a
    formula); 李华 (T200) is not one; 王五 (T400) is."""
    make = lambda name, staff_no, **kw: f.TeacherFactory(  # noqa: E731
        name=name, staff_no=staff_no, school=school, department=department, **kw
    )
    return {
        "李明": make("李明", "T300", phone="13800000001", email="liming@example.cn"),
        "李强": make("李强", "T100", class_name="=HYPERLINK(\"http://evil\")", head_teacher_since=date(2015, 9, 1)),
        "李华": make("李华", "T200", is_head_teacher=False),
        "王五": make("王五", "T400"),
    }


def test_the_teacher_directory_downloads_what_it_shows(client, office, directory):
    client.force_login(office)
    query = {"q": "李", "is_head_teacher": "true"}
    page, wb = download_from(client, "/people/teachers/", query, "export-teachers")
    names = shown(page, lambda t: t.name)
    assert names == ["李强", "李明"]  # by staff number
    assert column(wb, "姓名") == names
    assert wb.worksheets[0]["A1"].value == "教师名录"
    assert headers(wb) == [
        "序号", "工号", "姓名", "性别", "学校", "系部/年级部", "职称", "年龄", "在岗班主任", "所带班级", "班主任年限",
        "担任班主任起始日期", "联系电话", "电子邮箱",
    ]
    since = cell(wb, "担任班主任起始日期")
    assert since.value.date() == date(2015, 9, 1) and since.number_format == "yyyy-mm-dd"
    assert cell(wb, "年龄").value == 35 and cell(wb, "年龄").number_format == "0"
    klass = cell(wb, "所带班级")
    assert klass.value == "=HYPERLINK(\"http://evil\")" and klass.data_type == "s"
    assert column(wb, "联系电话") == [None, "13800000001"] and column(wb, "电子邮箱")[1] == "liming@example.cn"


def test_contact_details_of_the_directory_go_to_the_office_only(client, leader, directory):
    client.force_login(leader)
    page, wb = download_from(client, "/people/teachers/", {"q": "李明"}, "export-teachers")
    assert column(wb, "姓名") == ["李明"]
    assert "联系电话" not in headers(wb) and "电子邮箱" not in headers(wb)
    assert "13800000001" not in [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_teacher_directory_exports_with_a_fixed_number_of_queries(client, office, department, rows,
                                                                     django_assert_num_queries):
    f.TeacherFactory.create_batch(rows, department=department, school=department.school)
    client.force_login(office)
    # session, user, groups (roles), count, the rows (one cursor)
    with django_assert_num_queries(5):
        wb = workbook(client.get("/archives/export/teachers/", {"q": "教师"}))
    assert wb.active.max_row == 2 + rows


# --- 主持人申报 --------------------------------------------------------------------------


def passed(application, action, actor, when):
    """A recorded review step of ``application`` at ``when``."""
    change = StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(HostApplication), object_id=application.pk, action=action,
        from_status="", to_status=application.status, actor=actor,
    )
    StatusChange.objects.filter(pk=change.pk).update(created_at=when)


@pytest.fixture
def applications(school, department, office, reviewer, expert):
    """李明 and 李强 with the experts (李强 submitted later, two reviews, one
    objection); 李华 waits for the department; 王五 with the experts."""
    tz = timezone.get_current_timezone()
    apply = lambda name, status, **kw: HostApplicationFactory(  # noqa: E731
        applicant=f.TeacherFactory(name=name, school=school, department=department), status=status, **kw
    )
    ming = apply("李明", HostApplication.Status.EXPERT_REVIEW, experts=[expert])
    qiang = apply("李强", HostApplication.Status.EXPERT_REVIEW, experts=[expert, office],
                  research_direction="=1+1 班级文化建设")
    apply("李华", HostApplication.Status.DEPT_REVIEW)
    apply("王五", HostApplication.Status.EXPERT_REVIEW)
    passed(qiang, "dept_pass", reviewer, datetime(2026, 3, 2, 9, 30, tzinfo=tz))
    passed(qiang, "office_pass", office, datetime(2026, 3, 5, 14, 0, tzinfo=tz))
    ExpertReviewFactory(application=qiang, expert=expert, score=D("88"))
    ExpertReviewFactory(application=qiang, expert=office, score=D("81"), recommend=False)
    ObjectionFactory(application=qiang, raised_by=reviewer)
    return ming, qiang


def test_the_application_list_downloads_what_it_shows(client, office, applications):
    client.force_login(office)
    query = {"q": "李", "status": "expert_review"}
    page, wb = download_from(client, "/workrooms/applications/", query, "export-applications")
    names = shown(page, lambda a: a.applicant.name)
    assert names == ["李强", "李明"]  # newest first
    assert column(wb, "申报人") == names
    assert headers(wb) == [
        "序号", "申报人", "工号", "学校", "系部", "研究方向", "提交时间", "状态", "系部审核通过", "德育处审核通过",
        "评审专家（人）", "已评审（份）", "专家平均分", "推荐立项（份）", "公示开始", "公示结束", "公示异议（条）", "工作室",
    ]
    assert column(wb, "状态") == ["专家评审中", "专家评审中"]
    dept = cell(wb, "系部审核通过")
    assert dept.value == datetime(2026, 3, 2, 9, 30) and dept.number_format == "yyyy-mm-dd hh:mm"
    assert cell(wb, "德育处审核通过").value == datetime(2026, 3, 5, 14, 0)
    assert column(wb, "评审专家（人）") == [2, 1] and column(wb, "已评审（份）") == [2, 0]
    mean = cell(wb, "专家平均分")
    assert mean.value == 84.5 and mean.number_format == "0.0"
    assert column(wb, "推荐立项（份）") == [1, 0] and column(wb, "公示异议（条）") == [1, 0]
    direction = cell(wb, "研究方向")
    assert direction.value == "=1+1 班级文化建设" and direction.data_type == "s"


def test_expert_scores_stay_off_the_application_download_of_a_reviewer(client, reviewer, applications):
    client.force_login(reviewer)  # sees their department's applications, not the experts' reviews
    page, wb = download_from(client, "/workrooms/applications/", {"q": "李强"}, "export-applications")
    assert column(wb, "申报人") == shown(page, lambda a: a.applicant.name) == ["李强"]
    assert not {"评审专家（人）", "已评审（份）", "专家平均分", "推荐立项（份）"} & set(headers(wb))
    assert cell(wb, "系部审核通过").value == datetime(2026, 3, 2, 9, 30)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_application_list_exports_with_a_fixed_number_of_queries(client, office, expert, rows,
                                                                     django_assert_num_queries):
    for _ in range(rows):
        a = HostApplicationFactory(status=HostApplication.Status.EXPERT_REVIEW, experts=[expert])
        ExpertReviewFactory(application=a, expert=expert)
    client.force_login(office)
    # session, user, groups (roles), count, the rows with their review steps (one cursor)
    with django_assert_num_queries(5):
        wb = workbook(client.get("/archives/export/applications/", {"status": "expert_review"}))
    assert wb.active.max_row == 2 + rows


# --- 各工作室职责进度 ----------------------------------------------------------------------


@pytest.fixture
def overview(workroom, member, school):
    """李明 and 李强 run workrooms (李强's with two meetings this semester and a
    member who attended one); 李华's is completed; 王喆's runs."""
    make = lambda name, status=Workroom.Status.RUNNING: f.WorkroomFactory(  # noqa: E731
        host=f.TeacherFactory(name=name, school=school), status=status
    )
    qiang, ming = make("李强"), make("李明")
    make("李华", Workroom.Status.COMPLETED)
    zhou = f.MembershipFactory(workroom=qiang, teacher=f.TeacherFactory(name="周成员")).teacher
    planning = ActivityFactory(workroom=qiang, type=ActivityType.PLANNING, training_hours=D("3"))
    ActivityFactory(workroom=qiang, type=ActivityType.REGULAR)
    Attendance.objects.create(activity=planning, teacher=zhou, status=Attendance.Status.PRESENT)
    Attendance.objects.create(activity=planning, teacher=qiang.host, status=Attendance.Status.ABSENT)
    return qiang, ming


def test_the_duty_overview_downloads_what_it_shows(client, office, overview):
    client.force_login(office)
    page, wb = download_from(client, "/workrooms/duties/overview/", {"q": "李", "status": "running"}, "export-duty-overview")
    rows = page.context["rows"]
    assert [r.workroom.name for r in rows] == ["李强名班主任工作室", "李明名班主任工作室"]  # by name
    assert column(wb, "工作室", skip_totals=True) == [r.workroom.name for r in rows]
    assert column(wb, "成员", skip_totals=True) == [r.members for r in rows] == [1, 0]
    assert column(wb, "本学期活动", skip_totals=True) == [r.activities for r in rows] == [2, 0]
    labels = [d.label for d in rows[0].duties]
    duty_headers = [h for h in headers(wb) if h.split("（应")[0] in labels]
    assert duty_headers == ["计划会（应1）", "阶段汇报会（应2）", "总结会（应1）", "例会（每月）（应5）", "集中学习（每月）（应5）"]
    assert [column(wb, h, skip_totals=True) for h in duty_headers] == [
        [int(r.duties[i].done) for r in rows] for i in range(5)
    ]
    rate = cell(wb, "出勤率（%）")
    assert rate.value == 50 and rate.number_format == "0.0" and rows[0].attendance_rate == D("50.0")
    assert cell(wb, "人均课时（本学年，应30）").value == 3
    assert cell(wb, "未完成").value == "阶段汇报会、总结会、例会（每月）、集中学习（每月）"
    assert list(wb.worksheets[0].iter_rows(values_only=True))[-1][:6] == ("合计", None, None, None, 1, 2)
    assert wb.worksheets[0]["A1"].value == f"各工作室职责进度（{page.context['semester'].label}）"


def test_formula_looking_workroom_names_stay_text_in_the_overview(client, leader, school):
    f.WorkroomFactory(host=f.TeacherFactory(name="李明", school=school), name="=SUM(A1:A9)")
    client.force_login(leader)
    wb = workbook(client.get("/archives/export/duty-overview/", {"q": "SUM"}))
    name = cell(wb, "工作室")
    assert name.value == "=SUM(A1:A9)" and name.data_type == "s"


@pytest.mark.parametrize("rows", [1, 25])
def test_the_duty_overview_exports_all_rows_with_a_fixed_number_of_queries(client, office, department, rows,
                                                                          django_assert_num_queries):
    for _ in range(rows):
        w = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
        a = ActivityFactory(workroom=w)
        Attendance.objects.create(activity=a, teacher=w.host, status=Attendance.Status.PRESENT)
    client.force_login(office)
    # session, user, groups (roles), rule set, count, every workroom with its
    # figures as subqueries (one cursor), their group-study dates -- not one
    # page of 20
    with django_assert_num_queries(7):
        wb = workbook(client.get("/archives/export/duty-overview/", {"status": "running"}))
    assert wb.active.max_row == 2 + rows + 1


# --- 工作室评估 ----------------------------------------------------------------------------


@pytest.fixture
def evaluations(school, office, expert):
    """Mid-term evaluations of 李强's (concluded, 92.5 优秀) and 李明's
    workrooms (李明's opened later, still scoring); 李华's is a final one;
    王五's a mid-term one."""
    tz = timezone.get_current_timezone()

    def evaluate(name, kind, status=Evaluation.Status.SCORING, **kw):
        workroom = f.WorkroomFactory(host=f.TeacherFactory(name=name, school=school))
        e = Evaluation.objects.create(workroom=workroom, kind=kind, status=status, opened_by=office, **kw)
        e.experts.set([expert, office])
        return e

    qiang = evaluate("李强", Evaluation.Kind.MIDTERM, Evaluation.Status.CONCLUDED, total=D("92.5"), grade="优秀",
                     concluded_at=datetime(2026, 5, 20, 16, 0, tzinfo=tz))
    ming = evaluate("李明", Evaluation.Kind.MIDTERM)
    evaluate("李华", Evaluation.Kind.FINAL)
    evaluate("王五", Evaluation.Kind.MIDTERM)
    return qiang, ming


def test_the_evaluation_list_downloads_what_it_shows(client, leader, evaluations):
    client.force_login(leader)
    query = {"q": "李", "kind": "midterm"}
    page, wb = download_from(client, "/assessment/evaluations/", query, "export-evaluations")
    names = shown(page, lambda e: e.workroom.name)
    assert names == ["李明名班主任工作室", "李强名班主任工作室"]  # newest first
    assert column(wb, "工作室") == names
    assert headers(wb) == ["序号", "工作室", "主持人", "类型", "状态", "评估专家（人）", "总分", "等级", "发起时间", "出结果时间"]
    assert column(wb, "状态") == ["专家评分中", "已出结果"] and column(wb, "评估专家（人）") == [2, 2]
    total = cell(wb, "总分", row=1)
    assert total.value == 92.5 and total.number_format == "0.0" and cell(wb, "总分").value is None
    concluded = cell(wb, "出结果时间", row=1)
    assert concluded.value == datetime(2026, 5, 20, 16, 0) and concluded.number_format == "yyyy-mm-dd hh:mm"


def test_an_expert_downloads_only_the_evaluations_they_score(client, expert, evaluations, school, office):
    other = Evaluation.objects.create(
        workroom=f.WorkroomFactory(host=f.TeacherFactory(name="-李另", school=school)), kind=Evaluation.Kind.MIDTERM,
        opened_by=office,
    )
    client.force_login(expert)
    page, wb = download_from(client, "/assessment/evaluations/", {"q": "李"}, "export-evaluations")
    assert other.workroom.name not in column(wb, "工作室")
    assert column(wb, "工作室") == shown(page, lambda e: e.workroom.name) and len(column(wb, "工作室")) == 3
    client.force_login(office)
    name = cell(workbook(client.get("/archives/export/evaluations/", {"q": "-李另"})), "工作室")
    assert name.value == "-李另名班主任工作室" and name.data_type == "s"


# --- 证书台账 ----------------------------------------------------------------------------


@pytest.fixture
def certificates(completed_workroom, office, school):
    """Training certificates of 李堃 and then 李明 (revoked, a formula-looking
    reason), 张昇's; an honour certificate of 李堃."""
    from archives import services as archive_services

    def issue(teacher, kind="training", **kw):
        return archive_services.certificate_issue(
            kind=kind, recipient=teacher, workroom=completed_workroom, actor=office, **kw
        )[0]

    kun = completed_workroom.memberships.get(teacher__name="李堃").teacher
    zhang = completed_workroom.memberships.get(teacher__name="张昇").teacher
    issue(kun, issued_on=date(2026, 6, 30))
    ming = issue(f.TeacherFactory(name="李明", school=school), issued_on=date(2026, 7, 1))
    issue(zhang)
    issue(kun, "honour", honour="优秀学员")
    archive_services.certificate_revoke(certificate=ming, actor=office, reason="=信息有误，重新颁发")
    return ming


def test_the_certificate_register_downloads_what_it_shows(client, office, certificates):
    client.force_login(office)
    page, wb = download_from(client, "/archives/certificates/", {"q": "李", "kind": "training"}, "export-certificates")
    serials = shown(page, lambda c: c.serial)
    assert [c.recipient_name for c in page.context["page_obj"]] == ["李明", "李堃"]  # newest issue first
    assert column(wb, "证书编号") == serials
    assert headers(wb) == [
        "序号", "证书编号", "证书类型", "荣誉称号", "获证人", "工作室", "颁发日期", "状态", "撤销时间", "撤销原因", "补发自",
    ]
    assert column(wb, "证书类型") == ["培训合格证书", "培训合格证书"] and column(wb, "状态") == ["已撤销", "有效"]
    issued = cell(wb, "颁发日期")
    assert issued.value.date() == date(2026, 7, 1) and issued.number_format == "yyyy-mm-dd"
    reason = cell(wb, "撤销原因")
    assert reason.value == "=信息有误，重新颁发" and reason.data_type == "s"
    assert cell(wb, "撤销时间").value is not None and cell(wb, "撤销时间", row=1).value is None


def test_a_teacher_downloads_only_their_own_certificates(client, member, certificates):
    client.force_login(member)
    page, wb = download_from(client, "/archives/certificates/", {}, "export-certificates")
    assert column(wb, "获证人") == shown(page, lambda c: c.recipient_name) == ["张昇"]


# --- 成果荣誉 ----------------------------------------------------------------------------


@pytest.fixture
def achievements(workroom, member):
    """Pending competition results of 张昇 (a formula-looking title, latest)
    and 王喆; a verified one; a pending honour."""
    zhang, wang = member.teacher, workroom.host
    achieve = lambda teacher, title, day, **kw: AchievementFactory(  # noqa: E731
        teacher=teacher, workroom=workroom, title=title, achieved_on=day, **kw
    )
    achieve(wang, "市班主任基本功大赛二等奖", date(2025, 11, 3))
    achieve(zhang, "=HYPERLINK(\"x\",\"区班主任基本功大赛一等奖\")", date(2025, 12, 1), level="county")
    achieve(zhang, "省班主任基本功大赛三等奖", date(2025, 10, 1), status=Achievement.Status.VERIFIED)
    achieve(wang, "优秀班主任", date(2025, 12, 5), kind=Achievement.Kind.HONOUR)


def test_the_achievement_list_downloads_what_the_office_verifies_from(client, office, achievements):
    client.force_login(office)
    page, wb = download_from(client, "/people/records/achievements/", {"q": "大赛", "status": "pending"},
                             "export-achievements")
    titles = shown(page, lambda a: a.title)
    assert titles == ["=HYPERLINK(\"x\",\"区班主任基本功大赛一等奖\")", "市班主任基本功大赛二等奖"]  # newest first
    assert column(wb, "名称") == titles
    assert headers(wb) == [
        "序号", "名称", "类别", "级别", "获得者", "成员", "工作室", "获得日期", "学期", "状态", "认定时间", "认定意见",
    ]
    assert column(wb, "成员") == ["张昇", "王喆"] and column(wb, "级别") == ["县级", "市级"]
    title = cell(wb, "名称")
    assert title.data_type == "s"
    day = cell(wb, "获得日期")
    assert day.value.date() == date(2025, 12, 1) and day.number_format == "yyyy-mm-dd"
    assert column(wb, "学期") == ["2025-2026学年第一学期"] * 2


def test_only_mine_reaches_the_achievement_download(client, member, achievements):
    client.force_login(member)
    page, wb = download_from(client, "/people/records/achievements/", {"q": "大赛", "mine": "true"},
                             "export-achievements")
    assert column(wb, "名称") == shown(page, lambda a: a.title) and set(column(wb, "成员")) == {"张昇"}
    assert len(column(wb, "名称")) == 2


# --- 一票否决, 加分项 ----------------------------------------------------------------------


@pytest.fixture
def vetoes(school, department, office):
    """Safety cases of 李明 (confirmed) and then 李强 (a formula-looking
    description) in 高一年级部; a discipline case of 李华; 王五's safety case."""
    month = MonthPeriodFactory(school=school, school_year=2025, month=10)
    tz = timezone.get_current_timezone()

    def case(name, kind=VetoCase.Kind.SAFETY, **kw):
        teacher = f.TeacherFactory(name=name, school=school, department=department)
        return VetoCaseFactory(teacher=teacher, period=month, kind=kind, recorded_by=office, **kw)

    case("李明", confirmed_by=office, confirmed_at=datetime(2025, 10, 20, 10, 0, tzinfo=tz))
    case("李强", description="-3 分：午休期间学生受伤")
    case("李华", VetoCase.Kind.DISCIPLINE)
    case("王五")


def test_the_veto_list_downloads_what_it_shows(client, office, vetoes):
    client.force_login(office)
    page, wb = download_from(client, "/assessment/vetoes/", {"q": "李", "kind": 2}, "export-vetoes")
    names = shown(page, lambda v: v.teacher.name)
    assert names == ["李强", "李明"]  # newest first
    assert column(wb, "班主任") == names
    assert headers(wb) == [
        "序号", "月份", "班主任", "工号", "年级部", "情形", "情况说明", "登记人", "登记时间", "状态", "认定人", "认定时间",
    ]
    assert column(wb, "状态") == ["待认定", "已认定"] and column(wb, "年级部") == ["高一年级部"] * 2
    assert column(wb, "月份") == shown(page, lambda v: str(v.period)) == ["2025–2026学年第一学期 2025年10月 月考核"] * 2
    confirmed = cell(wb, "认定时间", row=1)
    assert confirmed.value == datetime(2025, 10, 20, 10, 0) and confirmed.number_format == "yyyy-mm-dd hh:mm"
    description = cell(wb, "情况说明")
    assert description.value == "-3 分：午休期间学生受伤" and description.data_type == "s"


@pytest.fixture
def awards(school, office):
    """Class prizes of 李明 (市文明班级) and 李强 (a formula-looking event,
    recorded later); 李华's teacher work; 王五's class prize."""
    def award(name, event, category="class_prize", **kw):
        teacher = f.TeacherFactory(name=name, school=school)
        return BonusAwardFactory(teacher=teacher, event=event, category=category, recorded_by=office, **kw)

    award("李明", "市文明班级评比")
    award("李强", "+市优秀班集体评选", level="provincial", semester=2)
    award("李华", "市德育论文评比", "teacher_work")
    award("王五", "市文明班级评比")


def test_the_bonus_award_list_downloads_what_it_shows(client, leader, awards):
    client.force_login(leader)
    page, wb = download_from(client, "/assessment/awards/", {"q": "李", "category": "class_prize"}, "export-bonus-awards")
    names = shown(page, lambda a: a.teacher.name)
    assert names == ["李强", "李明"]  # newest first
    assert column(wb, "班主任") == names
    assert headers(wb) == [
        "序号", "学年", "学期", "班主任", "工号", "类别", "赛事/评选/刊物", "级别", "获奖情况", "登记人", "登记时间",
    ]
    assert column(wb, "学期") == ["第二学期", "第一学期"] and column(wb, "级别") == ["省级", "市级"]
    assert column(wb, "学年") == ["2025–2026学年"] * 2 and column(wb, "登记人") == ["office"] * 2
    event = cell(wb, "赛事/评选/刊物")
    assert event.value == "+市优秀班集体评选" and event.data_type == "s"
    recorded = cell(wb, "登记时间")
    assert recorded.number_format == "yyyy-mm-dd hh:mm" and recorded.value.date() == timezone.localdate()


# --- 辐射引领 ------------------------------------------------------------------------------


@pytest.fixture
def outreach(workroom, host):
    """Lectures on class management (10 March, then a formula-looking one on
    2 April), a training on class management, a lecture on mental health."""
    record = lambda topic, day, kind="lecture", hours="2": OutreachRecordFactory(  # noqa: E731
        workroom=workroom, topic=topic, date=day, kind=kind, hours=D(hours), recorded_by=host
    )
    record("班级管理专题讲座", date(2026, 3, 10), hours="1.5")
    record("-班级管理经验讲座", date(2026, 4, 2))
    record("班级管理送教", date(2026, 3, 20), "training")
    record("心理健康教育报告", date(2026, 3, 25))


@pytest.mark.parametrize("persona", ["host", "member", "office"])
def test_the_outreach_list_downloads_what_it_shows(client, request, workroom, outreach, persona):
    client.force_login(request.getfixturevalue(persona))
    page, wb = download_from(client, f"/workrooms/{workroom.pk}/outreach/", {"q": "班级管理", "kind": "lecture"},
                             "export-outreach")
    topics = shown(page, lambda r: r.topic)
    assert topics == ["-班级管理经验讲座", "班级管理专题讲座"]  # newest first
    assert column(wb, "主题", skip_totals=True) == topics
    assert headers(wb) == ["序号", "日期", "类别", "主题", "对象/学校", "课时", "在工作室主页公开", "记录人"]
    assert column(wb, "记录人", skip_totals=True) == ["王喆", "王喆"]
    day = cell(wb, "日期")
    assert day.value.date() == date(2026, 4, 2) and day.number_format == "yyyy-mm-dd"
    hours = list(wb.worksheets[0].iter_rows(min_row=3))[-1][headers(wb).index("课时")]
    assert hours.value == 3.5 and hours.number_format == "0.0"  # the total
    assert cell(wb, "主题").data_type == "s"
    assert wb.worksheets[0]["A1"].value == f"{workroom.name}辐射引领记录"


# --- 优秀工作室成员, 优秀班级/窗口班级 -------------------------------------------------------------


@pytest.fixture
def outstanding(school, workroom, host, office):
    """Named 优秀工作室成员: in 王喆's workroom 李强 (2025-1, by the host) and
    李华 (2025-2); in 周甲's workroom, whose name looks like a formula, 李明
    (2025-1) and 李旧 (2024-1); in 赵丙's workroom 王五 (2025-1)."""
    tz = timezone.get_current_timezone()
    zhou = f.WorkroomFactory(host=f.TeacherFactory(name="周甲", school=school), name='=HYPERLINK("http://evil","周甲工作室")')
    zhao = f.WorkroomFactory(host=f.TeacherFactory(name="赵丙", school=school))

    def named(room, name, year=2025, semester=1, by=office):
        return OutstandingMemberFactory(
            assessment__membership__workroom=room,
            assessment__membership__teacher=f.TeacherFactory(name=name, school=school),
            assessment__school_year=year, assessment__semester=semester, named_by=by,
        )

    qiang = named(workroom, "李强", by=host)
    OutstandingMember.objects.filter(pk=qiang.pk).update(named_at=datetime(2026, 1, 12, 16, 30, tzinfo=tz))
    named(workroom, "李华", semester=2)
    named(zhou, "李明")
    named(zhou, "李旧", year=2024)
    named(zhao, "王五")


def test_the_outstanding_member_list_downloads_what_it_shows(client, office, school, outstanding):
    client.force_login(office)
    page, wb = download_from(client, "/assessment/outstanding/", {"q": "李", "semester": 1}, "export-outstanding")
    names = shown(page, lambda o: o.teacher.name)
    assert sorted(names[:2]) == ["李强", "李明"] and names[2] == "李旧"  # newest semester first, then by workroom
    assert column(wb, "成员") == names
    assert wb.worksheets[0]["A1"].value == "优秀工作室成员一览表"
    assert headers(wb) == [
        "序号", "学年", "学期", "工作室", "成员", "工号", "学校", "考核总分", "考核等级", "评选人", "评选时间",
    ]
    assert column(wb, "学年") == ["2025–2026学年", "2025–2026学年", "2024–2025学年"]
    assert column(wb, "学期") == ["第一学期"] * 3 and column(wb, "学校") == [school.name] * 3
    assert column(wb, "考核等级") == ["优秀"] * 3
    assert column(wb, "工号") == shown(page, lambda o: o.teacher.staff_no)
    qiang = names.index("李强")
    assert column(wb, "评选人")[qiang] == "王喆" and column(wb, "评选人")[names.index("李明")] == "office"
    at = cell(wb, "评选时间", row=qiang)
    assert at.value == datetime(2026, 1, 12, 16, 30) and at.number_format == "yyyy-mm-dd hh:mm"
    total = cell(wb, "考核总分", row=qiang)
    assert total.value == 95 and total.number_format == "0.0"
    room = cell(wb, "工作室", row=names.index("李明"))
    assert room.value == '=HYPERLINK("http://evil","周甲工作室")' and room.data_type == "s"


def test_a_host_downloads_the_outstanding_members_of_their_own_workrooms(client, host, outstanding):
    client.force_login(host)
    page, wb = download_from(client, "/assessment/outstanding/", {"q": "李"}, "export-outstanding")
    names = shown(page, lambda o: o.teacher.name)
    assert names == ["李华", "李强"]  # 2025-2 before 2025-1
    assert column(wb, "成员") == names and set(column(wb, "工作室")) == {"王喆名班主任工作室"}


@pytest.fixture
def class_titles(school, department, reviewer, office):
    """高一年级部 (``reviewer``'s) names the classes of 李明 and 李强 (a class
    name that looks like a formula) and 王五 优秀班级 of the week of 20 October
    2025, 李旧's of the week before, 李华's 窗口班级 of October; 高二年级部
    names 李二's class of the week of 20 October."""
    department.kind, department.grade = DepartmentKind.GRADE, 1
    department.save()
    senior = f.DepartmentFactory(school=school, name="高二年级部", kind=DepartmentKind.GRADE, grade=2)
    tz = timezone.get_current_timezone()

    def title(name, dept=department, klass="高一（2）班", by=reviewer, **kw):
        teacher = f.TeacherFactory(name=name, school=school, department=dept, class_name=klass)
        return ClassTitleFactory(teacher=teacher, named_by=by, **kw)

    ming = title("李明")
    ClassTitle.objects.filter(pk=ming.pk).update(named_at=datetime(2025, 10, 24, 17, 5, tzinfo=tz))
    title("李强", klass='=HYPERLINK("http://evil")')
    title("王五", klass="高一（5）班")
    title("李旧", klass="高一（3）班", starts_on=date(2025, 10, 13))
    title("李华", klass="高一（4）班", kind=ClassTitle.Kind.WINDOW, starts_on=date(2025, 10, 1))
    title("李二", dept=senior, klass="高二（1）班", by=office)


def test_the_class_title_list_downloads_what_it_shows(client, office, class_titles):
    client.force_login(office)
    page, wb = download_from(client, "/assessment/class-titles/", {"q": "李", "kind": "excellent"},
                             "export-class-titles")
    names = shown(page, lambda t: t.teacher.name)
    assert sorted(names[:3]) == ["李二", "李强", "李明"] and names[3] == "李旧"  # newest week first
    assert column(wb, "班主任") == names
    assert wb.worksheets[0]["A1"].value == "优秀班级与窗口班级一览表"
    assert headers(wb) == ["序号", "周/月", "起始日期", "称号", "年级部", "班级", "班主任", "工号", "评选人", "评选时间"]
    assert column(wb, "周/月") == shown(page, lambda t: t.period_label)
    assert column(wb, "周/月")[3] == "2025年10月13日—10月19日" and column(wb, "称号") == ["优秀班级"] * 4
    assert column(wb, "年级部") == shown(page, lambda t: t.department.name)
    assert column(wb, "评选人")[names.index("李二")] == "office" and column(wb, "评选人")[3] == "系部主任"
    start = cell(wb, "起始日期", row=3)
    assert start.value == datetime(2025, 10, 13) and start.number_format == "yyyy-mm-dd"
    at = cell(wb, "评选时间", row=names.index("李明"))
    assert at.value == datetime(2025, 10, 24, 17, 5) and at.number_format == "yyyy-mm-dd hh:mm"
    klass = cell(wb, "班级", row=names.index("李强"))
    assert klass.value == '=HYPERLINK("http://evil")' and klass.data_type == "s"


def test_a_reviewer_downloads_the_class_titles_of_their_own_department(client, reviewer, class_titles):
    client.force_login(reviewer)
    page, wb = download_from(client, "/assessment/class-titles/", {"q": "李", "month": "2025-10"},
                             "export-class-titles")
    names = shown(page, lambda t: t.teacher.name)
    assert sorted(names) == ["李华", "李强", "李旧", "李明"]  # 高二年级部's 李二 is not theirs
    assert column(wb, "班主任") == names and set(column(wb, "年级部")) == {"高一年级部"}
    assert column(wb, "称号")[names.index("李华")] == "窗口班级"
    assert column(wb, "周/月")[names.index("李华")] == "2025年10月"


# --- every list download: fixed query counts, who may download, large ones as jobs ---------


def _evaluations(n, request):
    office = request.getfixturevalue("office")
    for _ in range(n):
        e = Evaluation.objects.create(workroom=f.WorkroomFactory(), kind=Evaluation.Kind.MIDTERM, opened_by=office)
        e.experts.set([office])


def _certificates(n, request):
    from archives import services as archive_services

    workroom, office = request.getfixturevalue("workroom"), request.getfixturevalue("office")
    for _ in range(n):
        archive_services.certificate_issue(kind="training", recipient=f.TeacherFactory(), workroom=workroom, actor=office)


def _achievements(n, request):
    workroom = request.getfixturevalue("workroom")
    for _ in range(n):
        AchievementFactory(teacher=f.MembershipFactory(workroom=workroom).teacher, workroom=workroom)


def _vetoes(n, request):
    office = request.getfixturevalue("office")
    for _ in range(n):
        VetoCaseFactory(recorded_by=office, confirmed_by=office, confirmed_at=timezone.now())


def _awards(n, request):
    office = request.getfixturevalue("office")
    for _ in range(n):
        BonusAwardFactory(recorded_by=office)


def _outreach(n, request):
    workroom, host = request.getfixturevalue("workroom"), request.getfixturevalue("host")
    OutreachRecordFactory.create_batch(n, workroom=workroom, recorded_by=host)


def _outstanding(n, request):
    OutstandingMemberFactory.create_batch(n, named_by=request.getfixturevalue("host"))


def _class_titles(n, request):
    ClassTitleFactory.create_batch(n, named_by=request.getfixturevalue("reviewer"))


# session, user, groups (roles), count, the rows (one cursor); the outreach
# download also fetches its workroom
@pytest.mark.parametrize("make, url, queries", [
    (_evaluations, "/archives/export/evaluations/", 5),
    (_certificates, "/archives/export/certificates/", 5),
    (_achievements, "/archives/export/achievements/", 5),
    (_vetoes, "/archives/export/vetoes/", 5),
    (_awards, "/archives/export/bonus-awards/", 5),
    (_outreach, "/archives/workrooms/{workroom}/outreach.xlsx", 6),
    (_outstanding, "/archives/export/outstanding-members/", 5),
    (_class_titles, "/archives/export/class-titles/", 5),
])
@pytest.mark.parametrize("rows", [1, 20])
def test_the_list_downloads_cost_the_same_queries_for_one_row_or_many(client, request, office, workroom, make, url,
                                                                      queries, rows, django_assert_num_queries):
    make(rows, request)
    client.force_login(office)
    with django_assert_num_queries(queries):
        wb = workbook(client.get(url.format(workroom=workroom.pk)))
    data = list(wb.active.iter_rows(min_row=3, values_only=True))
    assert len([r for r in data if r[0] != "合计"]) == rows


LISTS = {  # page, its download
    "teachers": ("/people/teachers/", "/archives/export/teachers/"),
    "applications": ("/workrooms/applications/", "/archives/export/applications/"),
    "duty_overview": ("/workrooms/duties/overview/", "/archives/export/duty-overview/"),
    "evaluations": ("/assessment/evaluations/", "/archives/export/evaluations/"),
    "certificates": ("/archives/certificates/", "/archives/export/certificates/"),
    "achievements": ("/people/records/achievements/", "/archives/export/achievements/"),
    "vetoes": ("/assessment/vetoes/", "/archives/export/vetoes/"),
    "bonus_awards": ("/assessment/awards/", "/archives/export/bonus-awards/"),
    "outreach": ("/workrooms/{workroom}/outreach/", "/archives/workrooms/{workroom}/outreach.xlsx"),
    "outstanding": ("/assessment/outstanding/", "/archives/export/outstanding-members/"),
    "class_titles": ("/assessment/class-titles/", "/archives/export/class-titles/"),
}
# Who gets what, page and download alike: lists whose rows are narrowed to
# what each person may see are open to everyone signed in; the whole-school
# overview refuses others (403, as its page), the award list hides itself
# (404), a workroom's outreach records are its insiders' (404 for others);
# the honours lists hide themselves (404) from all but the school, the hosts
# (优秀工作室成员) and the grade departments' reviewers (优秀班级/窗口班级).
# School leaders only read, and a download is a read: they get every list.
STATUS = {
    "duty_overview": {"outsider": 403, "member": 403, "host": 403},
    "bonus_awards": {"outsider": 404, "member": 404, "host": 404},
    "outreach": {"outsider": 404},
    "outstanding": {"outsider": 404, "member": 404},
    "class_titles": {"outsider": 404, "member": 404, "host": 404},
}


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("persona", ["outsider", "member", "host", "leader", "office"])
def test_who_may_see_a_list_may_download_it(client, request, workroom, kind, persona):
    page, export = (u.format(workroom=workroom.pk) for u in LISTS[kind])
    client.force_login(request.getfixturevalue(persona))
    expected = STATUS.get(kind, {}).get(persona, 200)
    assert client.get(page).status_code == expected
    r = client.get(export)
    assert r.status_code == expected
    if expected == 200:
        assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("kind, persona, expected", [
    ("outstanding", "reviewer", 404), ("outstanding", "teacher", 404),
    ("class_titles", "reviewer", 200), ("class_titles", "teacher", 404),
])
def test_the_honours_lists_download_for_whoever_their_page_shows(client, request, workroom, kind, persona, expected):
    page, export = LISTS[kind]
    client.force_login(request.getfixturevalue(persona).user if persona == "teacher" else request.getfixturevalue(persona))
    assert client.get(page).status_code == expected
    assert client.get(export).status_code == expected


@pytest.mark.parametrize("kind", LISTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, workroom, kind):
    export = LISTS[kind][1].format(workroom=workroom.pk)
    r = client.get(export)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_an_outsider_downloads_nothing_they_may_not_see(client, outsider, directory, applications, evaluations,
                                                        certificates, achievements, vetoes):
    client.force_login(outsider)
    for kind in ("applications", "evaluations", "certificates", "achievements", "vetoes"):
        page, export = LISTS[kind]
        assert client.get(page).context["page_obj"].paginator.count == 0
        assert workbook(client.get(export)).active.max_row == 2, kind  # title and headers only
    wb = workbook(client.get(LISTS["teachers"][1]))
    assert column(wb, "姓名") == ["赵外"]  # themselves


def test_the_download_links_carry_the_page_query_string(client, office, workroom):
    client.force_login(office)
    body = client.get("/assessment/vetoes/", {"q": "李", "kind": 2, "page": 1}).content.decode()
    assert 'id="export-vetoes" href="/archives/export/vetoes/?q=%E6%9D%8E&amp;kind=2&amp;page=1"' in body
    body = client.get(f"/workrooms/{workroom.pk}/outreach/").content.decode()
    assert f'id="export-outreach" href="/archives/workrooms/{workroom.pk}/outreach.xlsx"' in body
    body = client.get("/assessment/class-titles/", {"q": "李", "month": "2025-10"}).content.decode()
    assert 'id="export-class-titles" href="/archives/export/class-titles/?q=%E6%9D%8E&amp;month=2025-10"' in body
    body = client.get("/assessment/outstanding/", {"semester": 2}).content.decode()
    assert 'id="export-outstanding" href="/archives/export/outstanding-members/?semester=2"' in body


@pytest.mark.parametrize("page_url, query, link_id, data, label, header", [
    ("/people/teachers/", {"q": "李"}, "export-teachers", "directory", lambda t: t.name, "姓名"),
    ("/workrooms/applications/", {"q": "李"}, "export-applications", "applications", lambda a: a.applicant.name, "申报人"),
    ("/assessment/evaluations/", {"q": "李"}, "export-evaluations", "evaluations", lambda e: e.workroom.name, "工作室"),
    ("/archives/certificates/", {"q": "李"}, "export-certificates", "certificates", lambda c: c.serial, "证书编号"),
    ("/people/records/achievements/", {"q": "大赛"}, "export-achievements", "achievements", lambda a: a.title, "名称"),
    ("/assessment/vetoes/", {"q": "李"}, "export-vetoes", "vetoes", lambda v: v.teacher.name, "班主任"),
    ("/assessment/awards/", {"q": "李"}, "export-bonus-awards", "awards", lambda a: a.teacher.name, "班主任"),
    ("/workrooms/{workroom}/outreach/", {"q": "班级"}, "export-outreach", "outreach", lambda r: r.topic, "主题"),
    ("/workrooms/duties/overview/", {"q": "李"}, "export-duty-overview", "overview", None, "工作室"),
    ("/assessment/outstanding/", {"q": "李", "semester": 1}, "export-outstanding", "outstanding",
     lambda o: o.teacher.name, "成员"),
    ("/assessment/class-titles/", {"q": "李", "month": "2025-10"}, "export-class-titles", "class_titles",
     lambda t: t.teacher.name, "班主任"),
])
def test_a_large_list_download_becomes_a_job_with_the_same_rows(client, request, office, workroom, settings, page_url,
                                                                 query, link_id, data, label, header,
                                                                 django_capture_on_commit_callbacks):
    request.getfixturevalue(data)
    settings.EXPORT_JOB_THRESHOLD = 1
    client.force_login(office)
    page = client.get(page_url.format(workroom=workroom.pk), query)
    expected = [r.workroom.name for r in page.context["rows"]] if label is None else shown(page, label)
    assert len(expected) > 1
    href = unescape(re.search(rf'id="{link_id}"[^>]*href="([^"]*)"', page.content.decode())[1])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(href)
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.error
    wb = load_workbook(job.result.file.path)
    rows = column(wb, header)
    assert (rows[:-1] if rows and rows[-1] is None else rows) == expected


def test_a_job_checks_again_who_may_download(db, teacher, leader, workroom):
    from archives.errors import JobError
    from archives.exports import export_for_job

    job = Job.objects.create(kind=Job.Kind.EXPORT, title="导出", requested_by=teacher.user,
                             params={"export": "bonus_awards", "query": {}})
    with pytest.raises(JobError, match="不存在或无权查看"):
        export_for_job(job)
    job.params = {"export": "duty_overview", "query": {"q": ["王喆"]}}
    with pytest.raises(JobError, match="无权导出"):
        export_for_job(job)
    job.requested_by = leader
    assert export_for_job(job).count() == 1


def test_a_job_of_an_honours_list_checks_again_who_may_download(db, host, member, reviewer, outstanding,
                                                                class_titles):
    from archives.errors import JobError
    from archives.exports import export_for_job

    job = Job.objects.create(kind=Job.Kind.EXPORT, title="导出", requested_by=member,
                             params={"export": "outstanding", "query": {"q": ["李"]}})
    with pytest.raises(JobError, match="不存在或无权查看"):
        export_for_job(job)
    job.params = {"export": "class_titles", "query": {"q": ["李"]}}
    job.requested_by = host
    with pytest.raises(JobError, match="不存在或无权查看"):
        export_for_job(job)
    job.requested_by = reviewer  # their own department's titles only: not 高二年级部's 李二
    assert sorted(t.teacher.name for t in export_for_job(job).rows()) == ["李华", "李强", "李旧", "李明"]
    job.params = {"export": "outstanding", "query": {"q": ["李"]}}
    job.requested_by = host  # their own workroom's members only
    assert [o.teacher.name for o in export_for_job(job).rows()] == ["李华", "李强"]
