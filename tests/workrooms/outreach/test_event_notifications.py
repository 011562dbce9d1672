"""What waits for someone tells them (DOMAIN.md §3–§9): each event below
notifies exactly the people it waits for, and nobody else."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import services as assessment_services
from assessment.workflow import ASSESSMENT_PERIOD
from core.models import Notification, NotificationKind
from tests import factories as f
from tests.assessment.factories import MonthlyScoreFactory, MonthPeriodFactory
from tests.workrooms.factories import in_public_notice
from tests.workrooms.records.factories import (
    AchievementFactory,
    ReadingLogFactory,
    WritingFactory,
    pdf_upload,
)
from workrooms import services as workroom_services
from workrooms.funding import services as funding
from workrooms.models import HostApplication
from workrooms.records import services as records
from workrooms.selection import services as member_services
from workrooms.selection.models import Membership, MembershipChange


def titles(user):
    return list(Notification.objects.filter(user=user).values_list("kind", "title"))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run ``fn`` and the callbacks queued once its transaction commits."""
    def _run(fn, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kw)
    return _run


@pytest.fixture
def application(teacher, ruleset, expert):
    app = workroom_services.application_submit(
        applicant=teacher, actor=teacher.user, research_direction="班级文化建设", plan_summary="以班会课为主线",
        commits_future_years=True,
    )
    return app


def test_it_asks_the_office_to_review_a_recorded_expense(workroom, host, office, member):
    funding.expense_record(
        workroom=workroom, actor=host, category="materials", amount=Decimal("300"), spent_on=timezone.localdate(),
        description="购买德育书籍", receipt=pdf_upload(),
    )
    assert titles(office) == [(NotificationKind.REVIEW_TODO, f"{workroom.name}的经费支出「购买德育书籍」（300元）待审核")]
    assert not Notification.objects.filter(user__in=[host, member]).exists()


def test_it_tells_the_office_once_the_last_assigned_expert_has_scored(application, expert, office, teacher):
    other = f.UserFactory(username="expert2", groups=["专家"])
    application.status = HostApplication.Status.EXPERT_REVIEW
    application.save()
    application.experts.set([expert, other])
    Notification.objects.all().delete()
    workroom_services.expert_review_submit(application=application, expert=expert, score=90, recommend=True, comment="好")
    assert not Notification.objects.exists()
    workroom_services.expert_review_submit(application=application, expert=other, score=80, recommend=True, comment="可")
    assert titles(office) == [(NotificationKind.REVIEW_TODO, "李堃的主持人申报专家评审已全部完成，待德育处处理")]
    assert not Notification.objects.exclude(user=office).exists()


def test_it_asks_the_office_to_answer_an_objection_to_an_application(application, office, department):
    in_public_notice(application)
    Notification.objects.all().delete()
    colleague = f.TeacherFactory(name="孙同", school=department.school, department=department).user
    workroom_services.objection_raise(application=application, actor=colleague, text="获奖证书年份有误。")
    assert titles(office) == [(NotificationKind.REVIEW_TODO, "李堃的主持人申报公示收到异议，待德育处答复")]
    assert not Notification.objects.exclude(user=office).exists()


def test_it_asks_the_office_to_answer_an_objection_to_assessment_results(school, teacher, office):
    month = MonthPeriodFactory(school=school, school_year=2025, month=10)
    MonthlyScoreFactory(period=month, teacher=teacher)
    assessment_services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    Notification.objects.all().delete()
    assessment_services.objection_raise(period=month, text="抽查分数有误", actor=teacher.user)
    assert titles(office) == [(NotificationKind.REVIEW_TODO, f"{month}考核结果公示收到异议，待德育处答复")]
    assert not Notification.objects.exclude(user=office).exists()


def test_it_asks_the_host_to_answer_a_join_request(workroom, host, teacher, office):
    member_services.join_request_create(teacher=teacher, workroom=workroom, message="希望加入", actor=teacher.user)
    assert titles(host) == [(NotificationKind.REVIEW_TODO, f"李堃申请加入{workroom.name}")]
    assert not Notification.objects.exclude(user=host).exists()


def test_it_asks_the_host_to_review_a_reading_log_and_a_writing(workroom, host, member, office):
    today = timezone.localdate()
    semester = ReadingLogFactory.semester.function()
    records.reading_create(actor=member, workroom=workroom, semester=semester, kind="book", title="爱心与教育",
                           read_on=today, reflection="读" * 300)
    records.writing_create(actor=member, workroom=workroom, semester=semester, kind="narrative", title="一次家访",
                           text="那天下午", written_on=today)
    name = member.teacher.name
    assert set(titles(host)) == {
        (NotificationKind.REVIEW_TODO, f"{name}提交了读书记录《爱心与教育》，待您审阅"),
        (NotificationKind.REVIEW_TODO, f"{name}提交了教育叙事「一次家访」，待您审阅"),
    }
    assert not Notification.objects.exclude(user=host).exists()


def test_it_asks_the_office_to_check_an_achievement(workroom, host, member, office):
    records.achievement_create(actor=member, workroom=workroom, owner_kind="self", kind="competition",
                               title="市班主任基本功大赛一等奖", level="municipal", achieved_on=timezone.localdate(),
                               upload=pdf_upload())
    assert titles(office) == [(NotificationKind.REVIEW_TODO, f"{member.teacher.name}的成果「市班主任基本功大赛一等奖」待认定")]
    assert not Notification.objects.exclude(user=office).exists()


@pytest.mark.parametrize("action, verdict", [("approve", "已批准"), ("refuse", "未获批准：请完成本学期任务")])
def test_the_member_and_the_host_hear_the_answer_to_a_withdrawal(run, workroom, member, host, office, action, verdict):
    membership = Membership.objects.get(workroom=workroom, teacher__user=member)
    change = member_services.membership_change_create(
        membership=membership, kind=MembershipChange.Kind.WITHDRAW, actor=member, text="调往外地"
    )
    member_services.membership_change_forward(change=change, actor=host)
    Notification.objects.all().delete()
    decide = getattr(member_services, f"membership_change_{action}")
    run(decide, change=change, actor=office, comment="请完成本学期任务" if action == "refuse" else "")
    expected = [(NotificationKind.APPLICATION_ANSWERED, f"{member.teacher.name}在{workroom.name}的申请退出{verdict}")]
    assert titles(member) == expected
    assert titles(host) == expected
    assert not Notification.objects.filter(user=office).exists()


@pytest.mark.parametrize("action, verdict", [("accept", "已通过主持人审阅"), ("return", "被主持人退回：请写具体些")])
def test_the_owner_hears_the_review_of_a_record(run, workroom, member, host, office, action, verdict):
    teacher = member.teacher
    reading = ReadingLogFactory(teacher=teacher, workroom=workroom, title="爱心与教育")
    writing = WritingFactory(teacher=teacher, workroom=workroom, title="一次家访")
    comment = "请写具体些" if action == "return" else ""
    run(records.record_review, actor=host, record=reading, action=action, comment=comment)
    run(records.record_review, actor=host, record=writing, action=action, comment=comment)
    assert set(titles(member)) == {
        (NotificationKind.COMMENT, f"您的读书记录《爱心与教育》{verdict}"),
        (NotificationKind.COMMENT, f"您的教育叙事「一次家访」{verdict}"),
    }
    assert not Notification.objects.exclude(user=member).exists()


@pytest.mark.parametrize("action, verdict", [("verify", "已通过德育处认定"), ("reject", "未通过德育处认定：证书不清晰")])
def test_the_owner_hears_the_check_of_an_achievement(run, workroom, member, host, office, action, verdict):
    achievement = AchievementFactory(teacher=member.teacher, workroom=workroom, title="市班主任基本功大赛一等奖")
    run(records.achievement_verify, actor=office, achievement=achievement, action=action,
        comment="证书不清晰" if action == "reject" else "")
    assert titles(member) == [(NotificationKind.APPLICATION_ANSWERED, f"您的成果「市班主任基本功大赛一等奖」{verdict}")]
    assert not Notification.objects.exclude(user=member).exists()
