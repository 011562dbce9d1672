"""A host application in 公示 or approved: everyone signed in sees what a
notice board shows (name, department, research direction); the dossier
(attachments, plan and achievements, expert names, reviewers' comments) is
for the applicant, the reviewers and the office; objections are for the
objector and the office; the objector is told the answer (DOMAIN.md §4, §12)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Notification, NotificationKind
from tests import factories as f
from tests.workrooms.factories import ExpertReviewFactory, in_public_notice
from workrooms import services
from workrooms.models import HostApplication
from workrooms.workflow import HOST_APPLICATION

A = HostApplication.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {
    "research_direction": "班级文化与家校共育", "plan_summary": "三年内形成家校共育课程。",
    "achievements_summary": "市级优秀班主任。", "commits_future_years": "on",
}


@pytest.fixture
def noticed(client, teacher, reviewer, office, expert, ruleset):
    """``teacher``'s application with an attachment, the department's and the
    office's comments and an expert's review, now in 公示."""
    client.force_login(teacher.user)
    client.post("/workrooms/applications/new/", {**FORM, "attachments": [SimpleUploadedFile("获奖证书.pdf", PDF)]})
    client.logout()
    application = HostApplication.objects.get()
    HOST_APPLICATION.apply(application, "dept_pass", actor=reviewer, comment="系部内部意见：材料偏少")
    application.experts.set([expert])
    ExpertReviewFactory(application=application, expert=expert, comment="专家意见：建议立项")
    return in_public_notice(application)


@pytest.fixture
def approved(noticed):
    noticed.status = A.APPROVED
    noticed.save()
    return noticed


DOSSIER = ("获奖证书.pdf", "三年内形成家校共育课程", "系部内部意见", "评审专家</dt>")
NOTICE_BOARD = ("李堃", "高一年级部", "班级文化与家校共育")


def _user(request, persona, application):
    if persona == "applicant":
        return application.applicant.user
    user = request.getfixturevalue(persona)
    return getattr(user, "user", user)


@pytest.mark.parametrize("state", ["noticed", "approved"])
@pytest.mark.parametrize(
    "persona, sees_dossier",
    [("outsider", False), ("member", False), ("other_expert", False), ("applicant", True), ("reviewer", True),
     ("expert", True), ("office", True), ("leader", True)],
)
def test_it_shows_the_dossier_only_to_applicant_reviewers_and_office(client, request, state, persona, sees_dossier):
    application = request.getfixturevalue(state)
    client.force_login(_user(request, persona, application))
    body = client.get(f"/workrooms/applications/{application.pk}/").content.decode()
    assert all(text in body for text in NOTICE_BOARD)
    assert [text in body for text in DOSSIER] == [sees_dossier] * len(DOSSIER)


@pytest.mark.parametrize(
    "persona, code",
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("other_expert", 404), ("applicant", 200),
     ("reviewer", 200), ("expert", 200), ("office", 200), ("leader", 200)],
)
def test_it_serves_an_attachment_in_public_notice_only_to_the_dossier_readers(client, request, noticed, persona, code):
    if persona != "anonymous":
        client.force_login(_user(request, persona, noticed))
    attachment = noticed.attachments.get()
    r = client.get(f"/workrooms/applications/{noticed.pk}/attachments/{attachment.pk}/")
    assert r.status_code == code
    if code == 200:
        assert b"".join(r.streaming_content) == PDF


@pytest.fixture
def objection(noticed, outsider):
    return services.objection_raise(application=noticed, actor=outsider, text="该教师去年未担任班主任")


@pytest.mark.parametrize(
    "persona, sees", [("outsider", True), ("member", False), ("applicant", False), ("reviewer", False),
                      ("leader", False), ("office", True)],
)
def test_it_shows_an_objection_only_to_the_objector_and_the_office(client, request, objection, persona, sees):
    client.force_login(_user(request, persona, objection.application))
    r = client.get(f"/workrooms/applications/{objection.application_id}/")
    assert r.status_code == 200
    assert ("该教师去年未担任班主任" in r.content.decode()) is sees


def test_it_tells_the_objector_the_answer_after_it_is_saved(client, objection, outsider, office, django_capture_on_commit_callbacks):
    client.force_login(office)
    answered = Notification.objects.filter(kind=NotificationKind.OBJECTION_ANSWERED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(
            f"/workrooms/applications/{objection.application_id}/objections/{objection.pk}/answer/",
            {"answer": "经核实，该教师去年担任高一（3）班班主任"},
        )
    assert r.status_code == 302
    assert not answered.exists()
    for callback in callbacks:
        callback()
    note = answered.get()
    assert note.user == outsider
    assert note.title == "您对李堃的主持人申报公示提出的异议已答复"
    assert note.body == "经核实，该教师去年担任高一（3）班班主任"
    assert note.url == f"/workrooms/applications/{objection.application_id}/"


def test_it_tells_nobody_when_an_answer_is_refused(client, objection, office, django_capture_on_commit_callbacks):
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/workrooms/applications/{objection.application_id}/objections/{objection.pk}/answer/", {"answer": " "})
    assert not Notification.objects.filter(kind=NotificationKind.OBJECTION_ANSWERED).exists()
    objection.refresh_from_db()
    assert objection.answered_at is None


def test_it_keeps_the_notice_board_for_a_teacher_of_another_school(client, noticed):
    stranger = f.TeacherFactory(name="钱远", school=f.SchoolFactory(name="城东中学")).user
    client.force_login(stranger)
    body = client.get(f"/workrooms/applications/{noticed.pk}/").content.decode()
    assert "申报材料、评审意见与评审专家只有申报人、审核人与德育处可以查看" in body
