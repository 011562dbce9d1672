"""Applying to host, attachments, expert reviews, objections: the pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import StatusChange
from members.choices import Level, Title
from members.models import ProfileItem
from tests import factories as f
from tests.submit_twice import assert_refused_second, post_twice
from tests.workrooms.factories import (
    ExpertReviewFactory,
    HostApplicationFactory,
    ObjectionFactory,
    in_public_notice,
)
from workrooms.models import HostApplication

A = HostApplication.Status
NEW = "/workrooms/applications/new/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(**extra):
    data = {
        "research_direction": "班级文化与家校共育",
        "plan_summary": "三年内形成家校共育课程。",
        "achievements_summary": "市级优秀班主任。",
        "commits_future_years": "on",
    }
    data.update(extra)
    return data


def test_it_shows_the_hard_and_preferred_criteria_from_the_profile(client, teacher, ruleset):
    ProfileItem.objects.create(teacher=teacher, kind=ProfileItem.Kind.HONOUR, title="市优秀班主任", level=Level.MUNICIPAL,
                               year=2023, status=ProfileItem.Status.VERIFIED)
    client.force_login(teacher.user)
    body = client.get(NEW).content.decode()
    assert "须担任班主任满 6 年，档案记载 8 年" in body
    assert "须具有中级及以上职称，档案记载为中级" in body
    assert "市优秀班主任（市级，2023）" in body
    assert "无本人主持的市级及以上课题" in body
    assert "继续担任班主任不少于 3 年" in body


@pytest.mark.parametrize("status", [ProfileItem.Status.PENDING, ProfileItem.Status.REJECTED])
def test_it_leaves_items_the_office_has_not_verified_out_of_the_preferred_criteria(client, teacher, ruleset, status):
    ProfileItem.objects.create(teacher=teacher, kind=ProfileItem.Kind.HONOUR, title="市优秀班主任", level=Level.MUNICIPAL,
                               year=2023, status=status)
    client.force_login(teacher.user)
    body = client.get(NEW).content.decode()
    assert "市优秀班主任（市级，2023）" not in body
    assert "无荣誉称号记录" in body


def test_it_submits_an_application_with_several_attachments(client, teacher, ruleset):
    client.force_login(teacher.user)
    files = [SimpleUploadedFile("证书.pdf", PDF), SimpleUploadedFile("照片.png", PNG)]
    r = client.post(NEW, {**_form(), "attachments": files})
    application = HostApplication.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/workrooms/applications/{application.pk}/"
    assert application.status == A.DEPT_REVIEW
    assert application.ruleset == ruleset
    assert application.eligibility["ok"] is True
    assert {c["label"] for c in application.eligibility["criteria"]} >= {"班主任年限", "职称", "师德表现", "继续任职承诺"}
    assert sorted(a.file.original_name for a in application.attachments.select_related("file")) == ["照片.png", "证书.pdf"]
    assert StatusChange.objects.get().action == "submit"


def test_it_refuses_an_ineligible_teacher_and_keeps_what_was_typed(client, teacher, ruleset):
    teacher.title = Title.JUNIOR
    teacher.head_teacher_since = f.years_ago(5)
    teacher.save()
    client.force_login(teacher.user)
    r = client.post(NEW, _form(research_direction="我的研究方向"))
    body = r.content.decode()
    assert r.status_code == 200
    assert "不符合主持人申报条件" in body
    assert "班主任年限：须担任班主任满 6 年，档案记载 5 年" in body
    assert "职称：须具有中级及以上职称，档案记载为初级" in body
    assert 'value="我的研究方向"' in body
    assert not HostApplication.objects.exists()


def test_it_refuses_a_submission_without_the_commitment(client, teacher, ruleset):
    client.force_login(teacher.user)
    r = client.post(NEW, _form(commits_future_years=""))
    assert "继续任职承诺" in r.content.decode()
    assert not HostApplication.objects.exists()


def test_it_refuses_a_disguised_attachment_and_stores_nothing(client, teacher, ruleset):
    client.force_login(teacher.user)
    fake = SimpleUploadedFile("证书.pdf", b"<html><script>alert(1)</script></html>")
    r = client.post(NEW, {**_form(), "attachments": [fake]})
    assert "证书.pdf：不支持的文件类型" in r.content.decode()
    assert not HostApplication.objects.exists()


def test_it_allows_one_pending_application_per_teacher(client, application, teacher):
    client.force_login(teacher.user)
    assert "您已有一份进行中的申报" in client.get(NEW).content.decode()
    r = client.post(NEW, _form())
    assert "您已有一份进行中的主持人申报" in r.content.decode()
    assert HostApplication.objects.count() == 1


def test_it_refuses_a_teacher_who_hosts_an_open_workroom(client, host):
    client.force_login(host)
    r = client.post(NEW, _form())
    assert "您已主持一个未结题的工作室" in r.content.decode()
    assert not HostApplication.objects.exists()


def test_it_lets_a_teacher_apply_again_after_a_withdrawal(client, application, teacher):
    application.status = A.WITHDRAWN
    application.save()
    client.force_login(teacher.user)
    assert client.post(NEW, _form()).status_code == 302
    assert HostApplication.objects.filter(status=A.DEPT_REVIEW).count() == 1


@pytest.mark.parametrize("persona", ["office", "leader", "expert"])
def test_it_lets_only_teachers_apply(client, request, persona, ruleset):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403


def test_it_resubmits_a_returned_application_after_rechecking_eligibility(client, application, teacher, expert, ruleset):
    application.status = A.RETURNED
    application.save()
    application.experts.set([expert])
    ExpertReviewFactory(application=application, expert=expert)
    client.force_login(teacher.user)
    edit = f"/workrooms/applications/{application.pk}/edit/"
    teacher.is_head_teacher = False
    teacher.save()
    r = client.post(edit, _form(research_direction="改后的方向"))
    assert "须为在岗班主任" in r.content.decode()
    application.refresh_from_db()
    assert (application.status, application.research_direction) != (A.DEPT_REVIEW, "改后的方向")

    teacher.is_head_teacher = True
    teacher.save()
    r = client.post(edit, {**_form(research_direction="改后的方向"), "attachments": [SimpleUploadedFile("补充.pdf", PDF)]})
    assert r.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.research_direction) == (A.DEPT_REVIEW, "改后的方向")
    assert application.attachments.count() == 1
    assert (application.experts.count(), application.expert_reviews.count()) == (0, 0)


@pytest.mark.parametrize("persona, code", [("reviewer", 403), ("office", 403), ("outsider", 404)])
def test_it_lets_only_the_applicant_edit(client, request, application, persona, code):
    application.status = A.RETURNED
    application.save()
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/workrooms/applications/{application.pk}/edit/", _form(research_direction="x")).status_code == code
    application.refresh_from_db()
    assert application.research_direction != "x"


# --- attachments ----------------------------------------------------------------


@pytest.fixture
def attachment(client, teacher, ruleset):
    client.force_login(teacher.user)
    client.post(NEW, {**_form(), "attachments": [SimpleUploadedFile("证书.pdf", PDF)]})
    client.logout()
    return HostApplication.objects.get().attachments.get()


@pytest.mark.parametrize(
    "persona, code",
    [("applicant", 200), ("reviewer", 200), ("office", 200), ("leader", 200), ("outsider", 404), ("other_reviewer", 404), ("other_expert", 404)],
)
def test_it_serves_attachments_only_to_those_who_see_the_application(client, request, attachment, persona, code):
    user = attachment.application.applicant.user if persona == "applicant" else request.getfixturevalue(persona)
    client.force_login(user)
    r = client.get(f"/workrooms/applications/{attachment.application_id}/attachments/{attachment.pk}/")
    assert r.status_code == code
    if code == 200:
        assert b"".join(r.streaming_content) == PDF
        assert "attachment" in r["Content-Disposition"]


def test_it_does_not_serve_another_applications_attachment_through_a_visible_one(client, attachment, outsider, ruleset):
    own = HostApplicationFactory(applicant=outsider.teacher)
    client.force_login(outsider)
    assert client.get(f"/workrooms/applications/{own.pk}/attachments/{attachment.pk}/").status_code == 404


# --- expert reviews ------------------------------------------------------------------


@pytest.fixture
def under_review(application, expert, other_expert):
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert, other_expert])
    return application


def test_it_takes_an_expert_review_once(client, under_review, expert):
    client.force_login(expert)
    url = f"/workrooms/applications/{under_review.pk}/review/"
    r = client.post(url, {"score": "101", "recommend": "on", "comment": "优秀"})
    assert "100" in r.content.decode() and not under_review.expert_reviews.exists()
    assert client.post(url, {"score": "88.5", "recommend": "on", "comment": "优秀"}).status_code == 302
    r = client.post(url, {"score": "60", "comment": "再评"})
    assert "只能提交一次" in r.content.decode()
    assert list(under_review.expert_reviews.values_list("score", flat=True)) == [88.5]


def test_it_shows_an_expert_only_their_own_review_and_the_office_all(client, under_review, expert, other_expert, office):
    ExpertReviewFactory(application=under_review, expert=expert, comment="甲专家意见")
    ExpertReviewFactory(application=under_review, expert=other_expert, comment="乙专家意见")
    url = f"/workrooms/applications/{under_review.pk}/"
    client.force_login(expert)
    body = client.get(url).content.decode()
    assert "甲专家意见" in body and "乙专家意见" not in body
    client.force_login(office)
    body = client.get(url).content.decode()
    assert "甲专家意见" in body and "乙专家意见" in body
    client.force_login(under_review.applicant.user)
    body = client.get(url).content.decode()
    assert "甲专家意见" not in body


@pytest.mark.parametrize("persona, code", [("other_reviewer", 404), ("leader", 403), ("office", 403), ("reviewer", 403)])
def test_it_refuses_reviews_from_anyone_but_assigned_experts(client, request, application, persona, code):
    application.status = A.EXPERT_REVIEW
    application.save()
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/workrooms/applications/{application.pk}/review/", {"score": "90", "comment": "x"}).status_code == code
    assert not application.expert_reviews.exists()


# --- objections ----------------------------------------------------------------------


@pytest.mark.parametrize("persona, code", [("outsider", 302), ("member", 302), ("leader", 403), ("applicant", 403), ("expert", 403)])
def test_it_lets_any_teacher_but_the_applicant_object_during_the_notice(client, request, application, persona, code):
    in_public_notice(application)
    user = application.applicant.user if persona == "applicant" else request.getfixturevalue(persona)
    client.force_login(user)
    r = client.post(f"/workrooms/applications/{application.pk}/objections/new/", {"text": "有异议"})
    assert r.status_code == code
    assert application.objections.count() == (1 if code == 302 else 0)


def test_it_refuses_an_empty_objection(client, application, outsider):
    in_public_notice(application)
    client.force_login(outsider)
    r = client.post(f"/workrooms/applications/{application.pk}/objections/new/", {"text": ""})
    assert r.status_code == 200 and "这个字段是必填项" in r.content.decode()
    assert not application.objections.exists()


@pytest.mark.parametrize("persona, code", [("office", 302), ("admin", 302), ("leader", 403), ("outsider", 403), ("teacher", 403)])
def test_it_lets_only_the_office_answer_objections(client, request, application, persona, code):
    in_public_notice(application)
    objection = ObjectionFactory(application=application, raised_by=f.UserFactory())
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    r = client.post(f"/workrooms/applications/{application.pk}/objections/{objection.pk}/answer/", {"answer": "已核实"})
    assert r.status_code == code
    objection.refresh_from_db()
    assert (objection.answered_at is not None) is (code == 302)


def test_it_shows_objections_and_answers_on_the_detail_page(client, application, outsider, office):
    in_public_notice(application)
    ObjectionFactory(application=application, raised_by=outsider, text="异议甲", answer="答复甲", answered_by=office,
                     answered_at=application.notice_starts_at + timedelta(hours=1))
    client.force_login(outsider)
    body = client.get(f"/workrooms/applications/{application.pk}/").content.decode()
    assert "异议甲" in body and "答复甲" in body
    assert "提出人" not in body  # objectors are named to the office only
    client.force_login(office)
    assert "提出人：赵外" in client.get(f"/workrooms/applications/{application.pk}/").content.decode()


def test_an_objection_posted_twice_is_raised_once(client, application, outsider):
    in_public_notice(application)
    client.force_login(outsider)
    url = f"/workrooms/applications/{application.pk}/objections/new/"
    first, second = post_twice(client, url, url, lambda: {"text": "获奖证书年份有误。"})
    assert_refused_second(first, second)
    assert application.objections.count() == 1
