"""The events a robot's owner chose reach its group through the existing
notification machinery, with a title, a time and a link only."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from assessment.models import Period
from assessment.notifications import period_event_notify
from core.calendar import school_today, semester_of
from core.models import GroupRobot, RobotDelivery, RobotEvent, StatusChange
from core.notify import reminders_send
from core.robots import robot_connect
from tests.workrooms.activities.factories import ActivityFactory, ExpenseFactory
from workrooms.activities.services import signin_code_start
from workrooms.funding.services import expense_decide
from workrooms.plans import services as plans
from workrooms.plans.models import WorkroomPlan

pytestmark = pytest.mark.django_db


def bodies(endpoint):
    """What the group reads, whatever the platform and format."""
    found = []
    for r in endpoint.requests:
        part = r["body"][r["body"]["msgtype"]]
        found.append(part.get("content") or part.get("text"))
    return found


def test_sign_in_open_reaches_the_robots_that_chose_it_without_the_code(
    workroom, host, wecom_robot, dingtalk_robot, endpoint, django_capture_on_commit_callbacks
):
    dingtalk_robot.events = [RobotEvent.ACTIVITY_TOMORROW]  # did not choose 签到开始
    dingtalk_robot.save()
    activity = ActivityFactory(workroom=workroom, starts_at=timezone.now(), theme="班级文化建设")

    with django_capture_on_commit_callbacks(execute=True):
        code = signin_code_start(activity=activity, actor=host)

    (body,) = bodies(endpoint)
    assert "班级文化建设" in body and "已开始签到" in body
    assert code.code not in body  # only those present may sign in
    assert reverse("workrooms:signin", args=[activity.pk]) in body
    assert RobotDelivery.objects.get().robot == wecom_robot


def test_an_inactive_robot_hears_nothing(workroom, host, wecom_robot, endpoint, django_capture_on_commit_callbacks):
    wecom_robot.is_active = False
    wecom_robot.save()
    activity = ActivityFactory(workroom=workroom, starts_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        signin_code_start(activity=activity, actor=host)
    assert endpoint.requests == [] and not RobotDelivery.objects.exists()


def test_tomorrows_activity_is_announced_once_by_the_daily_run(
    workroom, dingtalk_robot, endpoint, django_capture_on_commit_callbacks
):
    today = school_today()
    ActivityFactory(workroom=workroom, starts_at=timezone.now() + timedelta(days=1), theme="学期计划会", place="三楼会议室")
    ActivityFactory(workroom=workroom, starts_at=timezone.now() + timedelta(days=3), theme="后天以后")

    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)  # a second run the same day sends nothing new

    sent = [b for b in bodies(endpoint) if "明天有活动" in b]
    assert len(sent) == 1 and "学期计划会" in sent[0] and "三楼会议室" in sent[0]
    assert "后天以后" not in "".join(bodies(endpoint))


def test_duty_warnings_tell_the_group_how_many_lag_never_who(
    workroom, host, member, dingtalk_robot, endpoint, django_capture_on_commit_callbacks
):
    term = semester_of(school_today())
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=term.last_day - timedelta(days=5))

    (warning,) = [b for b in bodies(endpoint) if "职责进度落后" in b]
    assert "1名成员职责进度落后" in warning
    assert member.teacher.name not in warning


def test_published_results_reach_the_departments_groups_without_scores(
    department, office, endpoint, django_capture_on_commit_callbacks
):
    robot = robot_connect(owner=department, actor=office, name="年级部群", platform=GroupRobot.Platform.WECOM,
                          webhook_url=f"{endpoint.wecom}k1", events=[RobotEvent.RESULT_PUBLISHED])
    period = Period.objects.create(school=department.school, kind=Period.Kind.MONTH, school_year=2026, month=10,
                                   status=Period.Status.PUBLICIZED)
    change = StatusChange.objects.create(content_type=ContentType.objects.get_for_model(Period), object_id=period.pk,
                                         action="publish", from_status="open", to_status="publicized", actor=office)
    with django_capture_on_commit_callbacks(execute=True):
        period_event_notify(change_id=change.pk)

    (body,) = bodies(endpoint)
    assert f"{period}考核结果已公示" in body
    assert RobotDelivery.objects.get().robot == robot


def test_a_filed_plan_is_a_review_answered_for_the_workroom(
    workroom, host, office, dingtalk_robot, endpoint, django_capture_on_commit_callbacks
):
    v = plans.plan_submit(workroom=workroom, kind=WorkroomPlan.Kind.ANNUAL, year=2026, body="<p>计划</p>", actor=host)
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_decide(plan=v.plan, action="return", actor=office, comment="目标不具体，某某老师的部分要重写")

    (body,) = bodies(endpoint)
    assert "年度实施方案被德育处退回修改" in body
    assert "某某老师" not in body  # the office's comment stays in the system


def test_an_expense_decision_reaches_the_workroom_without_its_reason(
    workroom, office, wecom_robot, endpoint, django_capture_on_commit_callbacks
):
    wecom_robot.events = [RobotEvent.REVIEW_ANSWERED]
    wecom_robot.save()
    expense = ExpenseFactory(workroom=workroom, description="购买《班主任工作漫谈》")
    with django_capture_on_commit_callbacks(execute=True):
        expense_decide(expense=expense, action="refuse", actor=office, comment="票据与金额不符")

    (body,) = bodies(endpoint)
    assert f"{workroom.name}的一笔经费支出已由德育处审核" in body
    assert "票据与金额不符" not in body
