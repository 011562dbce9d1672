"""公示 of member grades, annual member grades and workroom evaluations
(DOMAIN.md §12) through the same publication rounds as the periods: who
sees which page, the window, private objections answered and notified,
the office reopening after an upheld objection, the host correcting, the
list published again with what changed."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment import inbox, services
from assessment.annual.services import annual_member_assessments_publish
from assessment.models import AnnualMemberAssessment, Evaluation, PublicationObjection
from assessment.notices import services as notices
from assessment.notices.kinds import EVALUATION, MEMBERS
from core.models import Notification, NotificationKind, Publication
from tests.assessment.factories import MemberAssessmentFactory
from workrooms.models import RuleSet

pytestmark = pytest.mark.django_db

MONDAY = "2025-11-03 09:00 +08:00"
SCORES_75 = {code: D("15") for code in ("ethics", "attitude", "theory", "management", "research")}


@pytest.fixture(autouse=True)
def _monday(time_machine):
    """Everything here happens from Monday 3 November 2025 on."""
    time_machine.move_to(MONDAY)


@pytest.fixture
def membership(workroom, member):
    return workroom.memberships.get(teacher__user=member)


@pytest.fixture
def graded(membership):
    return MemberAssessmentFactory(membership=membership)  # 95, 优秀


@pytest.fixture
def notice(graded, workroom, office):
    return notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, 1), actor=office)


@pytest.fixture
def objection(notice, member):
    return notices.notice_objection_raise(publication=notice, text="出勤次数统计有误", actor=member)


@pytest.fixture
def scene(notice, objection):
    return {"notice": notice, "objection": objection}


def _url(name, s):
    return {
        "notice_list": reverse("assessment:notice_list"),
        "notice_detail": reverse("assessment:notice_detail", args=[s["notice"].pk]),
        "notice_publish": reverse("assessment:notice_publish"),
        "notice_objection_create": reverse("assessment:notice_objection_create", args=[s["notice"].pk]),
        "notice_objection_answer": reverse("assessment:notice_objection_answer", args=[s["objection"].pk]),
        "notice_finalize": reverse("assessment:notice_action", args=[s["notice"].pk, "finalize"]),
        "notice_reopen": reverse("assessment:notice_action", args=[s["notice"].pk, "reopen"]),
    }[name]


MATRIX = [
    ("notice_list", "get", "outsider", 200), ("notice_list", "get", "member", 200), ("notice_list", "get", "office", 200),
    ("notice_detail", "get", "outsider", 404), ("notice_detail", "get", "teacher", 404), ("notice_detail", "get", "member", 200),
    ("notice_detail", "get", "host", 200), ("notice_detail", "get", "leader", 200), ("notice_detail", "get", "office", 200),
    ("notice_publish", "post", "outsider", 404), ("notice_publish", "post", "host", 404),
    ("notice_publish", "post", "leader", 403), ("notice_publish", "post", "office", 302),
    ("notice_objection_create", "post", "outsider", 404), ("notice_objection_create", "post", "leader", 403),
    ("notice_objection_create", "post", "member", 302),
    ("notice_objection_answer", "post", "outsider", 404), ("notice_objection_answer", "post", "host", 404),
    ("notice_objection_answer", "post", "member", 403), ("notice_objection_answer", "post", "leader", 403),
    ("notice_objection_answer", "post", "office", 302),
    ("notice_finalize", "post", "outsider", 404), ("notice_finalize", "post", "member", 403),
    ("notice_finalize", "post", "leader", 403), ("notice_finalize", "post", "office", 302),
    ("notice_reopen", "post", "outsider", 404), ("notice_reopen", "post", "host", 403), ("notice_reopen", "post", "office", 302),
]


def _user(request, persona):
    user = request.getfixturevalue(persona)
    return getattr(user, "user", user)


@pytest.mark.parametrize("view, method, persona, status", MATRIX)
def test_it_applies_the_permission_matrix(request, client, scene, view, method, persona, status):
    client.force_login(_user(request, persona))
    data = {"kind": "members", "subject": scene["notice"].object_id, "year": 2025, "semester": 2, "answer": "已复核"}
    response = getattr(client, method)(_url(view, scene), data if method == "post" else None)
    assert response.status_code == status


@pytest.mark.parametrize("view, method", sorted({(v, m) for v, m, _, _ in MATRIX}))
def test_it_sends_anonymous_visitors_to_the_login_page(client, scene, view, method):
    response = getattr(client, method)(_url(view, scene))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- what each one sees ------------------------------------------------------------------


def test_the_member_sees_their_own_grade_only_once_published(client, graded, membership, workroom, office, member):
    url = reverse("assessment:member_assess", args=[membership.pk]) + "?year=2025&semester=1"
    client.force_login(member)
    assert "本学期成员考核结果尚未公示" in client.get(url).content.decode()
    assert "my-member-assessments" not in client.get(reverse("assessment:my_results")).content.decode()
    notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, 1), actor=office)
    page = client.get(url).content.decode()
    assert "总分 95.0，<strong>优秀</strong>" in page
    mine = client.get(reverse("assessment:my_results")).content.decode().split('id="my-member-assessments"')[1]
    assert "优秀（95.0 分）" in mine.split("</ul>")[0]


def test_the_list_shows_name_department_score_and_grade(client, notice, member, membership):
    client.force_login(member)
    table = client.get(reverse("assessment:notice_detail", args=[notice.pk])).content.decode().split('id="notice-rows"')[1]
    table = table.split("</table>")[0]
    assert "张昇" in table and "95.0" in table and "优秀" in table
    assert "评语" not in table and "师德" not in table


def test_the_host_cannot_change_a_published_grade(notice, membership, host):
    with pytest.raises(ValidationError, match="已公示，不能修改"):
        services.member_assessment_save(
            membership=membership, school_year=2025, semester=1, scores=SCORES_75, actor=host, reason="更正",
        )
    assert membership.assessments.get().total == D("95")


def test_it_refuses_publishing_twice_and_empty_lists(notice, workroom, office):
    with pytest.raises(ValidationError, match="已经公示"):
        notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, 1), actor=office)
    with pytest.raises(ValidationError, match="还没有成员考核结果"):
        notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, 2), actor=office)
    assert Publication.objects.count() == 1


# --- objections --------------------------------------------------------------------------


@pytest.mark.parametrize("moment, accepted", [("2025-11-07 23:59 +08:00", True), ("2025-11-08 00:01 +08:00", False)])
def test_it_takes_objections_only_inside_the_window(time_machine, notice, member, moment, accepted):
    time_machine.move_to(moment)
    if accepted:
        notices.notice_objection_raise(publication=notice, text="有误", actor=member)
        assert PublicationObjection.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="公示期已于2025年11月7日结束"):
            notices.notice_objection_raise(publication=notice, text="有误", actor=member)
        assert not PublicationObjection.objects.exists()


def test_an_objection_is_seen_by_the_objector_and_the_office_only(client, objection, member, host, office):
    url = reverse("assessment:notice_detail", args=[objection.publication_id])
    for user, sees in ((member, True), (office, True), (host, False)):
        client.force_login(user)
        section = client.get(url).content.decode().split('id="objections"')[1].split("</ul>")[0]
        assert ("出勤次数统计有误" in section) is sees


def test_the_office_home_lists_the_objection(objection, office):
    section = next(s for s in inbox.sections(office) if s.title == "待答复的成员考核与工作室评估异议")
    assert section.count == 1 and "出勤次数统计有误" in section.items[0][0]


def test_the_objector_is_told_the_answer(client, objection, member, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_objection_answer(objection=objection, answer="复核属实，予以更正。", upheld=True, actor=office)
    note = Notification.objects.get(user=member, kind=NotificationKind.OBJECTION_ANSWERED)
    assert note.body == "复核属实，予以更正。" and note.url == reverse("assessment:notice_detail", args=[objection.publication_id])
    client.force_login(member)
    assert "【异议成立】：复核属实，予以更正。" in client.get(note.url).content.decode()


# --- final and corrections -----------------------------------------------------------------


def test_it_makes_the_list_final_only_after_the_window_and_every_answer(time_machine, objection, office):
    notice = objection.publication
    with pytest.raises(ValidationError, match="公示期至2025年11月7日结束"):
        notices.notice_finalize(publication=notice, actor=office)
    time_machine.move_to("2025-11-08 09:00 +08:00")
    with pytest.raises(ValidationError, match="1 条异议未答复"):
        notices.notice_finalize(publication=notice, actor=office)
    notices.notice_objection_answer(objection=objection, answer="无误", upheld=False, actor=office)
    notices.notice_finalize(publication=notice, actor=office)
    notice.refresh_from_db()
    assert notice.finalized_by == office and notice.status_label == "已定稿"


def test_the_page_shows_final_disabled_with_the_reason(client, notice, office):
    client.force_login(office)
    html = client.get(reverse("assessment:notice_detail", args=[notice.pk])).content.decode()
    button = html.split(reverse("assessment:notice_action", args=[notice.pk, "finalize"]))[1].split("</form>")[0]
    assert "disabled" in button and "公示期满后才能定稿" in button


def test_a_correction_after_an_upheld_objection_shows_old_and_new(client, objection, membership, host, office):
    notice = objection.publication
    with pytest.raises(ValidationError, match="异议经答复认定成立"):
        notices.notice_reopen(publication=notice, actor=office, reason="更正")
    notices.notice_objection_answer(objection=objection, answer="属实", upheld=True, actor=office)
    with pytest.raises(ValidationError, match="须填写原因"):
        notices.notice_reopen(publication=notice, actor=office, reason=" ")
    notices.notice_reopen(publication=notice, actor=office, reason="出勤统计有误")
    services.member_assessment_save(
        membership=membership, school_year=2025, semester=1, scores=SCORES_75, actor=host, reason="按异议更正",
    )
    second = notices.notice_republish(publication=notice, actor=office)
    assert second.round == 2 and second.stands
    client.force_login(office)
    html = client.get(reverse("assessment:notice_detail", args=[second.pk])).content.decode()
    changes = html.split("第 2 次公示与第 1 次相比的变化")[1].split("</table>")[0]
    assert "张昇" in changes and "95.0 → 75.0" in changes and "优秀 → 合格" in changes
    assert "出勤统计有误" in html


def test_annual_grades_are_published_for_a_window_and_reopened_to_draft(membership, workroom, office, admin):
    AnnualMemberAssessment.objects.create(
        membership=membership, school_year=2025, total=D("88"), grade="合格", comment="认真", ruleset=RuleSet.objects.current(),
    )
    annual_member_assessments_publish(school_year=2025, actor=office)
    publication = Publication.objects.get(topic="annual:2025")
    assert publication.title == f"{workroom.name}2025–2026学年成员年度考核结果" and str(publication.ends_on) == "2025-11-07"
    notices.notice_reopen(publication=publication, actor=admin, reason="年度总分有误")
    assert AnnualMemberAssessment.objects.get().status == "draft"
    again = notices.notice_republish(publication=publication, actor=office)
    assert again.round == 2 and AnnualMemberAssessment.objects.get().status == "published"


def test_an_evaluation_is_published_only_with_its_result(workroom, office):
    evaluation = Evaluation.objects.create(workroom=workroom, kind="midterm", opened_by=office)
    with pytest.raises(ValidationError, match="尚未出结果"):
        notices.notice_publish(kind=EVALUATION, subject=evaluation, params=(), actor=office)
    Evaluation.objects.filter(pk=evaluation.pk).update(status="concluded", total=D("86.5"), grade="合格")
    evaluation.refresh_from_db()
    publication = notices.notice_publish(kind=EVALUATION, subject=evaluation, params=(), actor=office)
    assert publication.title == f"{workroom.name}中期评估结果"
    assert [(r.name, r.score, r.outcome) for r in EVALUATION.rows(evaluation, ())] == [(workroom.name, D("86.5"), "中期评估合格")]


def test_the_board_costs_the_same_queries_for_one_or_many_notices(client, notice, office, workroom, graded, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    url = reverse("assessment:notice_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for semester in (2,):
        MemberAssessmentFactory(membership=graded.membership, semester=semester)
        notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, semester), actor=office)
    for year in (2023, 2024):
        MemberAssessmentFactory(membership=graded.membership, school_year=year)
        notices.notice_publish(kind=MEMBERS, subject=workroom, params=(year, 1), actor=office)
    with django_assert_max_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert html.count("成员考核结果") >= 4



def test_the_outstanding_member_does_not_change_while_the_list_stands(notice, graded, host):
    from assessment.honours.services import outstanding_member_name

    with pytest.raises(ValidationError, match="已公示，不能更改评选"):
        outstanding_member_name(assessment=graded, actor=host)
    from assessment.models import OutstandingMember

    assert not OutstandingMember.objects.exists()
