"""The content chapters of the workroom annual report and of the growth
handbook: rendered to PDF and read back with pdftotext, each builder with
a number of queries that does not grow with the records."""

from datetime import date, datetime, time
from decimal import Decimal as D
from html import unescape

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from archives import documents
from archives.models import Certificate
from assessment.models import Distinction, Evaluation, MemberAssessment, Period, Result
from core import pdf
from core.models import StatusChange
from tests import factories as f
from tests.conftest import pdftotext
from tests.workrooms.activities.factories import (
    ActivityFactory,
    AttendanceFactory,
    ExpenseFactory,
)
from tests.workrooms.outreach.factories import (
    DevelopmentPlanFactory,
    MentorPairFactory,
    OutreachRecordFactory,
    SemesterRecordFactory,
)
from tests.workrooms.records.factories import (
    AchievementFactory,
    ReadingLogFactory,
    WritingFactory,
)
from workrooms.mentoring.models import GuidanceRecord, MentorComment
from workrooms.models import ActivityType, Attendance, Expense, OutreachRecord, Workroom
from workrooms.plans.models import SemesterRecord
from workrooms.records.models import (
    Achievement,
    ResearchProject,
    ResearchStage,
    ReviewStatus,
    Writing,
)
from workrooms.records.rules import STAGES, ResearchStatus
from workrooms.selection.models import Membership
from workrooms.workflow import WORKROOM

YEAR = 2025  # the 2025-2026 school year: 2025-09-01 … 2026-08-31
TODAY = date(2026, 11, 24)  # the year is over when the report is written
XSS = '<p>送教效果良好</p><script>alert("x")</script><img src="x" onerror="alert(1)">'


def at(day: date, hour: int = 14):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def pdf_text(template: str, context: dict, tmp_path) -> str:
    out = tmp_path / "doc.pdf"
    out.write_bytes(pdf.html_to_pdf(pdf.render_html(template, context)))
    return pdftotext(out)


def flat(text: str) -> str:
    return "".join(text.split())


def html_text(html: str) -> str:
    return flat(unescape(strip_tags(html)))


@pytest.fixture
def people(workroom, member, teacher):
    """王喆 hosts; 张昇 and 李堃 are members since the start of the year."""
    zhang = Membership.objects.get(workroom=workroom, teacher__user=member)
    li = f.MembershipFactory(workroom=workroom, teacher=teacher)
    Membership.objects.filter(workroom=workroom).update(joined_on=date(YEAR, 9, 1))
    return {"host": workroom.host, "zhang": zhang.teacher, "li": li.teacher}


def add_year(workroom, people, office, *, n: int = 1):
    """A school year of records, ``n`` of each kind of the repeated ones."""
    host, zhang, li = people["host"], people["zhang"], people["li"]
    planning = ActivityFactory(
        workroom=workroom, type=ActivityType.PLANNING, starts_at=at(date(YEAR, 10, 15)), theme="学期计划会：班级文化建设",
        speaker=host, training_hours=D("2"),
    )
    AttendanceFactory(activity=planning, teacher=zhang)
    AttendanceFactory(activity=planning, teacher=li, source=Attendance.Source.CODE)
    lecture = ActivityFactory(
        workroom=workroom, type=ActivityType.EXPERT_LECTURE, starts_at=at(date(YEAR + 1, 3, 18)),
        theme="专家讲座：学生心理危机干预", level="municipal", is_expert_lecture=True, training_hours=D("3"),
    )
    AttendanceFactory(activity=lecture, teacher=zhang)
    AttendanceFactory(activity=lecture, teacher=li, status=Attendance.Status.LEAVE)
    for i in range(n - 1):
        a = ActivityFactory(workroom=workroom, starts_at=at(date(YEAR + 1, 4, 1 + i)), theme=f"例会{i}")
        AttendanceFactory(activity=a, teacher=li)
    ActivityFactory(workroom=workroom, starts_at=at(date(YEAR, 8, 20)), theme="上学年暑期读书会")

    for i in range(n):
        project = ResearchProject.objects.create(
            workroom=workroom, title="班级自主管理的实践研究" if i == 0 else f"课题{i}", level="county", leader=zhang,
            started_on=date(YEAR, 10, 1), status=ResearchStatus.OPENING,
        )
        project.participants.set([li, host])
        ResearchStage.objects.bulk_create(
            ResearchStage(project=project, stage=stage, order=k, closed_at=at(date(YEAR, 12, 1)) if k == 1 else None)
            for k, stage in enumerate(STAGES, start=1)
        )
        AchievementFactory(
            teacher=li, workroom=workroom, title="市班主任基本功大赛一等奖" if i == 0 else f"成果{i}",
            achieved_on=date(YEAR + 1, 4, 10), status=Achievement.Status.VERIFIED,
        )
        ReadingLogFactory(teacher=zhang, workroom=workroom, read_on=date(YEAR, 11, 1), status=ReviewStatus.ACCEPTED)
        WritingFactory(teacher=li, workroom=workroom, written_on=date(YEAR, 12, 1), status=ReviewStatus.ACCEPTED)
        OutreachRecordFactory(workroom=workroom, date=date(YEAR, 11, 5), topic="送教下乡：班会课设计" if i == 0 else f"讲座{i}")
        ExpenseFactory(workroom=workroom, amount=D("500"), spent_on=date(YEAR, 10, 10), status=Expense.Status.APPROVED)
    AchievementFactory(teacher=li, workroom=workroom, title="尚待认定的成果", achieved_on=date(YEAR + 1, 4, 11))
    ReadingLogFactory(teacher=zhang, workroom=workroom, read_on=date(YEAR, 11, 2))  # not yet accepted
    ExpenseFactory(workroom=workroom, amount=D("800"), spent_on=date(YEAR + 1, 3, 1), status=Expense.Status.APPROVED)
    ExpenseFactory(workroom=workroom, amount=D("200"), spent_on=date(YEAR + 1, 3, 2))
    # Rich text written before the sanitizer (the column holds it as it came).
    OutreachRecord.objects.filter(workroom=workroom, topic="送教下乡：班会课设计").update(notes=XSS)
    Evaluation.objects.create(
        workroom=workroom, kind=Evaluation.Kind.MIDTERM, status=Evaluation.Status.CONCLUDED, total=D("91.5"), grade="优秀",
        concluded_at=at(date(YEAR + 1, 6, 20)), opened_by=office,
    )
    change = WORKROOM.apply(workroom, "start_midterm", actor=office, comment="按期启动中期评估")
    StatusChange.objects.filter(pk=change.pk).update(created_at=at(date(YEAR + 1, 5, 6)))


def report_workroom(workroom):
    return Workroom.objects.select_related("host__department", "school").get(pk=workroom.pk)


# --- the annual report ------------------------------------------------------------------


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (13, "十三"), (20, "二十"), (21, "二十一")])
def test_chapters_are_numbered_in_chinese(n, text):
    assert documents.numeral(n) == text


def test_the_annual_report_tells_the_school_year(workroom, people, office, tmp_path):
    add_year(workroom, people, office)
    context = documents.workroom_report_context(report_workroom(workroom), YEAR, today=TODAY)
    text = pdf_text("pdf/workroom_report.html", context, tmp_path)
    body = flat(text)

    assert "王喆名班主任工作室" in body and "2025-2026学年工作报告" in body
    assert "统计期间：2025年9月1日至2026年8月31日" in body
    for heading in ("一、工作室概况", "二、成员名单", "三、本学年大事记", "四、活动开展情况", "五、课题研究", "六、成果与荣誉",
                    "七、成员研修与读书写作", "八、辐射引领", "九、专项经费", "十、职责完成情况", "十一、评估结果"):
        assert heading in body, heading
    for name in ("王喆", "李堃", "张昇"):
        assert name in text
    for title in ("学期计划会：班级文化建设", "班级自主管理的实践研究", "市班主任基本功大赛一等奖", "送教下乡：班会课设计"):
        assert title in body, title
    assert "上学年暑期读书会" not in body and "尚待认定的成果" not in body
    # Rich text written before the sanitizer: its text stays, the tags go.
    assert "送教效果良好" in body
    assert "<script" not in text and "alert" not in text and "onerror" not in text and "<img" not in text


def test_the_annual_report_counts_as_the_pages_do(workroom, people, office):
    add_year(workroom, people, office)
    done = ResearchProject.objects.create(
        workroom=workroom, title="上学年已结题的课题", level="school", leader=people["zhang"], started_on=date(2023, 9, 1),
        status=ResearchStatus.COMPLETED,
    )
    ResearchStage.objects.bulk_create(
        ResearchStage(project=done, stage=stage, order=k, closed_at=at(date(YEAR, 6, 1))) for k, stage in enumerate(STAGES, 1)
    )
    context = documents.workroom_report_context(report_workroom(workroom), YEAR, today=TODAY)
    html = pdf.render_html("pdf/workroom_report.html", context)
    body = html_text(html)

    # Rich text is cleaned again as it is printed: no script reaches the renderer.
    assert "<p>送教效果良好</p>" in html and "<script" not in html and "onerror" not in html

    assert "本学年在册主持人1人，成员2人" in body
    assert "1王喆主持人" in body and "2张昇成员" in body and "3李堃成员" in body
    # Activities of the year, each with its sign-in sheet counted.
    assert "本学年共开展活动2次（计划会1次、专家讲座1次），提供培训学时5，成员出席累计获得培训学时7" in body
    assert "2025-10-15计划会学期计划会：班级文化建设（王喆）校级22/0/0，扫码1人" in body
    assert "2026-03-18专家讲座专家讲座：学生心理危机干预市级31/1/0" in body
    # The project, its stage and the stage closed this year.
    assert "班级自主管理的实践研究县级张昇" in body and "2025-10-01开题立项" in body
    assert "上学年已结题的课题" not in body
    # Per person: attended, hours, expert lectures, accepted reading and writing.
    assert "王喆主持人00000" in body and "张昇成员25110" in body and "李堃成员12001" in body
    # Funding per budget year as the ledger shows it.
    assert "2025年3000.00500.000.002500.002025-12-31" in body
    assert "2026年3000.00800.00200.002200.00" in body
    # Duties of both semesters and of the year, counted as the duty page does.
    assert "2025-2026学年第一学期职责完成要求完成度是否达标计划会11100%达标" in body
    assert "2025-2026学年第二学期职责完成要求完成度是否达标计划会010%未达标" in body
    assert "主持人讲座11100%达标" in body  # the outreach lecture counts (§6)
    assert "区级以上获奖成果11100%达标" in body
    # The status change of the year and the evaluation concluded in it.
    assert "运行中→中期评估按期启动中期评估" in body
    assert "中期评估2026-06-2091.5优秀" in body
    assert "本学年尚未结束" not in body


def test_a_year_in_progress_says_so_and_skips_what_has_not_begun(workroom, people, tmp_path):
    context = documents.workroom_report_context(report_workroom(workroom), 2026, today=date(2026, 11, 24))
    body = flat(pdf_text("pdf/workroom_report.html", context, tmp_path))
    assert "2026-2027学年工作报告" in body and "本学年尚未结束" in body
    assert "2026-2027学年第一学期" in body and "2026-2027学年第二学期" not in body
    assert "本学年尚无活动记录" in body and "本学年无评估结论" in body


@pytest.mark.parametrize("n", [1, 6])
def test_the_annual_report_reads_with_a_fixed_number_of_queries(workroom, people, office, n, django_assert_num_queries):
    for _ in range(n - 1):
        f.MembershipFactory(workroom=workroom, joined_on=date(YEAR, 9, 1))
    add_year(workroom, people, office, n=n)
    workroom = report_workroom(workroom)
    documents.workroom_report_context(workroom, YEAR, today=TODAY)  # content types and rule set cached
    # people, status changes, activities, projects + participants + stages,
    # achievements, outreach, evaluations, accepted reading and writing,
    # training, two budget years (sum + rule set each), duties (rule set,
    # three record counts, five per semester)
    with django_assert_num_queries(30):
        context = documents.workroom_report_context(workroom, YEAR, today=TODAY)
        html = pdf.render_html("pdf/workroom_report.html", context)
    assert html.count("<tr>") >= n


def test_the_report_is_asked_for_by_school_year(client, host, workroom, django_capture_on_commit_callbacks):
    from archives.models import Job

    client.force_login(host)
    page = client.get(f"/archives/workrooms/{workroom.pk}/documents/").content.decode()
    assert "学年" in page and "2025 表示 2025-2026学年" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/archives/workrooms/{workroom.pk}/report/", {"year": 2025})
    job = Job.objects.get()
    assert job.title == "王喆名班主任工作室2025-2026学年工作报告"
    assert job.result.original_name == "王喆名班主任工作室2025-2026学年工作报告.pdf"


# --- the growth handbook -----------------------------------------------------------------


def add_growth(workroom, people, host_user, *, n: int = 1):
    """张昇's records: plans with comments, activities, reading, writing,
    research, an achievement, mentoring 李堃, assessment results."""
    zhang, li = people["zhang"], people["li"]
    membership = Membership.objects.get(workroom=workroom, teacher=zhang)
    if n == 1:
        DevelopmentPlanFactory(
            membership=membership, start_year=YEAR, overview="<p>立足班级自主管理，三年形成特色</p>",
            goals_year1="<p>第一年：站稳讲台</p>", host_comment="<p>规划切实可行</p>", commented_at=at(date(YEAR, 9, 20)),
        )
    for i in range(n):
        SemesterRecordFactory(membership=membership, kind=SemesterRecord.Kind.PLAN, school_year=YEAR + i, term=1,
                              body="<p>本学期重点：班级自主管理</p>")
        summary = SemesterRecordFactory(
            membership=membership, kind=SemesterRecord.Kind.SUMMARY, school_year=YEAR + i, term=1,
            host_comment="<p>总结到位，继续坚持</p>",
        )
        SemesterRecord.objects.filter(pk=summary.pk).update(body='<p>学期总结：家校共育</p><script>alert("x")</script>'
                                                                    '<img src="x" onerror="alert(1)">')
        a = ActivityFactory(workroom=workroom, starts_at=at(date(YEAR, 10, 15 + i)), theme="学期计划会：班级文化建设" if i == 0 else f"活动{i}",
                            type=ActivityType.PLANNING, training_hours=D("2"))
        AttendanceFactory(activity=a, teacher=zhang)
        ReadingLogFactory(teacher=zhang, workroom=workroom, title="班主任工作漫谈" if i == 0 else f"书{i}",
                          read_on=date(YEAR, 11, 1), status=ReviewStatus.ACCEPTED)
        WritingFactory(teacher=zhang, workroom=workroom, title="一次难忘的家访" if i == 0 else f"叙事{i}",
                       kind=Writing.Kind.NARRATIVE, written_on=date(YEAR, 12, 1), published=True, publication="班主任之友")
        project = ResearchProject.objects.create(
            workroom=workroom, title="班级自主管理的实践研究" if i == 0 else f"课题{i}", level="county", leader=zhang,
            started_on=date(YEAR, 10, 1),
        )
        project.participants.set([li])
        AchievementFactory(teacher=zhang, workroom=workroom, kind=Achievement.Kind.HONOUR,
                           title="区优秀班主任" if i == 0 else f"荣誉{i}", level="county",
                           achieved_on=date(YEAR + 1, 1, 10), status=Achievement.Status.VERIFIED)
        MemberAssessment.objects.create(
            membership=membership, school_year=YEAR + i, semester=1, ethics=18, attitude=18, theory=18, management=18,
            research=18, total=D("90.0"), grade="优秀", comment="带头示范" if i == 0 else "", ruleset=workroom.ruleset,
        )
    pair = MentorPairFactory(workroom=workroom, mentor=zhang, trainee=li, started_on=date(YEAR, 9, 10))
    for i in range(n):
        GuidanceRecord.objects.create(pair=pair, date=date(YEAR, 10, 1 + i), content="<p>听课并交流班会设计</p>")
    MentorComment.objects.create(pair=pair, school_year=YEAR, term=1, body="<p>进步明显</p>")
    AchievementFactory(teacher=zhang, workroom=workroom, title="未认定的荣誉")
    evaluation = Evaluation.objects.create(workroom=workroom, kind=Evaluation.Kind.FINAL, status=Evaluation.Status.CONCLUDED)
    Distinction.objects.create(teacher=zhang, kind=Distinction.Kind.BACKBONE, evaluation=evaluation)
    published = Period.objects.create(school=zhang.school, kind=Period.Kind.SEMESTER, school_year=YEAR, semester=1,
                                      status=Period.Status.FROZEN)
    Result.objects.create(period=published, teacher=zhang, ruleset=workroom.ruleset, score=D("92.3"), outcome="优秀班队", rank=1)
    hidden = Period.objects.create(school=zhang.school, kind=Period.Kind.SEMESTER, school_year=YEAR, semester=2)
    Result.objects.create(period=hidden, teacher=zhang, ruleset=workroom.ruleset, score=D("55.5"), outcome="待公布")


def test_the_handbook_reads_as_a_handbook(workroom, people, host, tmp_path):
    add_growth(workroom, people, host)
    html = pdf.render_html("pdf/handbook.html", documents.handbook_context(people["zhang"]))
    assert "<p>学期总结：家校共育</p>" in html and "<script" not in html and "onerror" not in html
    text = pdf_text("pdf/handbook.html", documents.handbook_context(people["zhang"]), tmp_path)
    body = flat(text)

    for heading in ("一、个人信息", "二、工作室经历", "三、个人发展规划", "四、学期计划与总结", "五、参加活动与培训学时",
                    "六、读书记录", "七、教育写作", "八、课题研究", "九、成果与荣誉", "十、师徒结对", "十一、考核结果",
                    "十二、个人档案条目（按年度）", "十三、所获证书"):
        assert heading in body, heading
    for name in ("王喆", "李堃", "张昇"):
        assert name in text
    # Plans with the host's comments.
    assert "2025—2027年三年发展规划" in body and "立足班级自主管理，三年形成特色" in body and "规划切实可行" in body
    assert "2025—2026学年第一学期" in body and "本学期重点：班级自主管理" in body
    assert "学期总结：家校共育" in body and "总结到位，继续坚持" in body
    assert "<script" not in text and "alert" not in text and "onerror" not in text
    # Activities with hours, reading, writing, research, achievements.
    assert "2025-2026学年：出席1次，培训学时2" in body and "学期计划会：班级文化建设" in body
    assert "《班主任工作漫谈》" in body and "一次难忘的家访" in body and "已发表（班主任之友）" in body
    assert "班级自主管理的实践研究" in body and "负责人" in body
    assert "区优秀班主任" in body and "未认定的荣誉" not in body
    # Mentoring 李堃, with the guidance and the semester comment.
    assert "学员：李堃" in body and "听课并交流班会设计" in body and "进步明显" in body
    # Published results and the host's assessment; unpublished ones stay out.
    assert "92.3优秀班队" in body and "55.5" not in body
    assert "王喆名班主任工作室90.0优秀带头示范" in body
    assert "所获称号：骨干班主任（王喆名班主任工作室" in body


@pytest.mark.parametrize("n", [1, 6])
def test_the_handbook_reads_with_a_fixed_number_of_queries(workroom, people, host, n, django_assert_num_queries):
    add_growth(workroom, people, host, n=n)
    # teacher, memberships, development plans, semester records, attendance,
    # reading, writing, projects, achievements, mentoring (pairs, guidance,
    # comments), results, member assessments, distinctions, profile items,
    # certificates
    with django_assert_num_queries(17):
        html = pdf.render_html("pdf/handbook.html", documents.handbook_context(people["zhang"]))
    assert html.count("听课并交流班会设计") == n


def test_the_annual_report_does_not_count_planned_activities_as_held(workroom):
    """Written on 5 December: the activity planned for next week is not held yet."""
    today = date(2026, 12, 5)
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(date(2026, 10, 8)), theme="十月例会")
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(date(2026, 12, 5), 9), theme="今天的例会")
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=at(date(2026, 12, 12)), theme="下周的例会")
    context = documents.workroom_report_context(report_workroom(workroom), 2026, today=today)
    activities = next(c.data for c in context["sections"] if c.title == "活动开展情况")
    assert [a.theme for a in activities["rows"]] == ["十月例会", "今天的例会"]
    assert activities["hours"] == D("4")


def test_an_honour_certificate_names_the_school_year_not_a_bare_year():
    cert = Certificate(
        kind=Certificate.Kind.HONOUR, workroom_name="王喆名班主任工作室", honour="优秀工作室成员",
        period_start=date(2026, 2, 1), period_end=date(2026, 7, 31), issued_on=date(2026, 9, 10),
    )
    text = documents.certificate_text(cert)
    assert "2025-2026学年" in text and "2026年度" not in text and "2026学年" not in text.replace("2025-2026学年", "")
