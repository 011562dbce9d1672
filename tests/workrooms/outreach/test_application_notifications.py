"""Host applications (DOMAIN.md §4): each step tells whoever the
application now waits for, and the applicant hears every answer."""

import pytest
from django.urls import reverse

from core.models import Notification, NotificationKind
from workrooms import services


@pytest.fixture
def application(django_capture_on_commit_callbacks, teacher, reviewer, ruleset):
    with django_capture_on_commit_callbacks(execute=True):
        return services.application_submit(
            applicant=teacher, actor=teacher.user, research_direction="班级文化建设", plan_summary="以班会课为主线",
            commits_future_years=True,
        )


def step(callbacks, application, action, actor, **kw):
    with callbacks(execute=True):
        services.application_transition(application=application, action=action, actor=actor, **kw)


def kinds_of(user):
    return list(Notification.objects.filter(user=user).values_list("kind", "title"))


def test_a_submission_waits_for_the_department_reviewer(application, reviewer):
    assert kinds_of(reviewer) == [(NotificationKind.REVIEW_TODO, "李堃的主持人申报待系部审核")]
    assert Notification.objects.get(user=reviewer).url == reverse("workrooms:application_detail", args=[application.pk])


def test_each_review_step_tells_the_next_reviewers(django_capture_on_commit_callbacks, application, reviewer, office, expert):
    step(django_capture_on_commit_callbacks, application, "dept_pass", reviewer)
    assert kinds_of(office) == [(NotificationKind.REVIEW_TODO, "李堃的主持人申报待德育处审核")]
    step(django_capture_on_commit_callbacks, application, "office_pass", office, experts=[expert])
    assert kinds_of(expert) == [(NotificationKind.REVIEW_TODO, "李堃的主持人申报待您评审")]


def test_the_applicant_hears_a_return_with_its_reason(django_capture_on_commit_callbacks, application, reviewer, teacher):
    step(django_capture_on_commit_callbacks, application, "dept_return", reviewer, comment="请补充业绩材料")
    assert kinds_of(teacher.user) == [(NotificationKind.APPLICATION_ANSWERED, "您的主持人申报被退回，请修改后重新提交：请补充业绩材料")]


def test_a_refused_step_notifies_nobody(django_capture_on_commit_callbacks, application, office, teacher):
    from core.workflow import TransitionRefused

    with pytest.raises(TransitionRefused):
        step(django_capture_on_commit_callbacks, application, "office_pass", office, experts=[])
    assert not Notification.objects.filter(user__in=[office, teacher.user]).exists()


def test_the_host_hears_the_office_decision_on_an_expense(django_capture_on_commit_callbacks, workroom, host, office):
    from tests.workrooms.activities.factories import ExpenseFactory
    from workrooms.funding.services import expense_decide

    expense = ExpenseFactory(workroom=workroom, description="购买德育书籍")
    with django_capture_on_commit_callbacks(execute=True):
        expense_decide(expense=expense, action="refuse", actor=office, comment="超出预算")
    n = Notification.objects.get(user=host)
    assert (n.kind, n.title) == (NotificationKind.APPLICATION_ANSWERED, "经费支出「购买德育书籍」未获批准：超出预算")
    assert n.url == reverse("workrooms:ledger", args=[workroom.pk])


def test_the_teacher_hears_the_host_answer_to_a_join_request(django_capture_on_commit_callbacks, workroom, host, outsider):
    from tests.workrooms.selection.factories import JoinRequestFactory
    from workrooms.selection import services as member_services

    jr = JoinRequestFactory(workroom=workroom, teacher=outsider.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        member_services.join_request_decline(join_request=jr, actor=host, comment="名额已满")
    n = Notification.objects.get(user=outsider)
    assert (n.kind, n.title) == (NotificationKind.APPLICATION_ANSWERED, "您加入王喆名班主任工作室的申请被婉拒：名额已满")


def test_published_assessment_results_reach_each_teacher_assessed(django_capture_on_commit_callbacks, school, teacher, member, office):
    from decimal import Decimal

    from assessment import services as assessment_services
    from assessment.workflow import ASSESSMENT_PERIOD
    from tests.assessment.factories import MonthlyScoreFactory, MonthPeriodFactory

    month = MonthPeriodFactory(school=school, school_year=2025, month=10)
    MonthlyScoreFactory(period=month, teacher=teacher, dept_score=Decimal("80"), office_score=Decimal("90"))
    assessment_services.period_compute(period=month, actor=office)
    with django_capture_on_commit_callbacks(execute=True):
        ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    n = Notification.objects.get(kind=NotificationKind.RESULT_PUBLISHED)
    assert n.user == teacher.user and n.title.endswith("考核结果已公示")
    assert not Notification.objects.filter(user=member).exists()
