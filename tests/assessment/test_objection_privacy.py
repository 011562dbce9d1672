"""公示异议 on assessment results (DOMAIN.md §12): the text and the author
are seen by the objector and the office only; the objector is told the
answer; the office finds every pending objection on its home page."""

import pytest
from django.urls import reverse

from assessment import inbox, services
from assessment.models import PeriodObjection
from assessment.workflow import ASSESSMENT_PERIOD
from core.models import Notification, NotificationKind
from tests import factories as f
from tests.assessment.factories import MonthlyScoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(grade_dept):
    """Another head teacher of the same school, with a result in the period."""
    return f.TeacherFactory(name="孙同", staff_no="SF7788", school=grade_dept.school, department=grade_dept)


@pytest.fixture
def published(month, grade_dept, teacher, colleague, office):
    for t in (teacher, colleague):
        MonthlyScoreFactory(period=month, teacher=t, department=grade_dept)
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    return month


@pytest.fixture
def objection(published, colleague):
    return services.objection_raise(period=published, text="抽查分录错了，请复核第三周", actor=colleague.user)


def _page(client, user, period):
    client.force_login(user)
    return client.get(reverse("assessment:period_detail", args=[period.pk]))


def test_it_hides_an_objection_from_the_other_teachers_of_the_school(client, objection, teacher):
    r = _page(client, teacher.user, objection.period)
    body = r.content.decode()
    assert r.status_code == 200
    assert "抽查分录错了" not in body
    # 孙同 is on the 公示名单 (§12) like every colleague; the objections say nothing of him.
    objections = body.split('id="objections"')[1].split("</ul>")[0]
    assert "SF7788" not in objections and "孙同" not in objections
    assert "您没有提出异议" in objections


def test_it_shows_the_objector_their_own_objection(client, objection, colleague):
    body = _page(client, colleague.user, objection.period).content.decode()
    assert "抽查分录错了，请复核第三周" in body and "孙同" in body


def test_it_shows_the_office_every_objection_with_its_author(client, objection, office):
    body = _page(client, office, objection.period).content.decode()
    assert "抽查分录错了，请复核第三周" in body and "孙同" in body
    assert 'name="answer"' in body


def test_it_shows_a_leader_the_period_but_not_the_objection(client, objection, leader):
    r = _page(client, leader, objection.period)
    assert r.status_code == 200 and "抽查分录错了" not in r.content.decode()


@pytest.mark.parametrize(
    "persona, code",
    [("anonymous", 302), ("outsider", 404), ("teacher", 404), ("leader", 403), ("colleague", 403), ("office", 302)],
)
def test_it_lets_only_the_office_answer_and_hides_the_objection_from_others(client, request, objection, persona, code):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    r = client.post(reverse("assessment:objection_answer", args=[objection.pk]), {"answer": "已复核，维持原分"})
    assert r.status_code == code
    if persona == "anonymous":
        assert r["Location"].startswith("/accounts/login/")
    objection.refresh_from_db()
    assert (objection.answer == "已复核，维持原分") is (code == 302 and persona == "office")


def test_it_tells_the_objector_the_answer_once_the_answer_is_saved(objection, colleague, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.objection_answer(objection=objection, answer="已复核，第三周抽查分更正为 85 分", actor=office)
    answered = Notification.objects.filter(kind=NotificationKind.OBJECTION_ANSWERED)
    assert not answered.exists()  # nothing before the answer is committed
    for callback in callbacks:
        callback()
    note = answered.get()
    assert (note.user, note.kind) == (colleague.user, NotificationKind.OBJECTION_ANSWERED)
    assert note.title == f"您对{objection.period}考核结果公示提出的异议已答复"
    assert note.body == "已复核，第三周抽查分更正为 85 分"
    assert note.url == reverse("assessment:period_detail", args=[objection.period_id])


def test_it_lists_every_pending_assessment_objection_for_the_office(objection, teacher, office, published):
    services.objection_raise(period=published, text="年级部检查漏记一次", actor=teacher.user)
    section = {s.title: s for s in inbox.sections(office)}["待答复的考核异议"]
    assert section.count == 2
    assert [label for label, _, _ in section.items] == [
        f"{published}：孙同：抽查分录错了，请复核第三周", f"{published}：李堃：年级部检查漏记一次",
    ]
    services.objection_answer(objection=objection, answer="已复核", actor=office)
    assert {s.title: s for s in inbox.sections(office)}["待答复的考核异议"].count == 1


def test_it_shows_no_objection_section_to_teachers(objection, teacher):
    assert "待答复的考核异议" not in {s.title for s in inbox.sections(teacher.user)}
    assert PeriodObjection.objects.count() == 1
