"""Plans on record (DOMAIN.md §3): submit, file, return, versions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Notification, NotificationKind, StatusChange
from core.workflow import TransitionRefused, history
from tests.workrooms.outreach.conftest import XSS, assert_no_script
from workrooms.plans import services as plans
from workrooms.plans.models import PlanVersion, WorkroomPlan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(workroom, host, body="<p>第一版</p>", **kw):
    return plans.plan_submit(workroom=workroom, kind=WorkroomPlan.Kind.ANNUAL, year=2026, body=body, actor=host, **kw)


def test_it_files_a_plan_and_tells_the_host(workroom, host, office):
    v = submit(workroom, host)
    plans.plan_decide(plan=v.plan, action="file", actor=office, comment="同意备案")
    v.plan.refresh_from_db()
    assert v.plan.status == WorkroomPlan.Status.FILED
    assert [(c.action, c.actor_id, c.comment) for c in history(v.plan)] == [("file", office.pk, "同意备案")]
    n = Notification.objects.get(user=host, kind=NotificationKind.PLAN_FILED)
    assert n.title == "2026年年度实施方案已备案"
    assert n.url == reverse("plans:plan_detail", args=[v.plan.pk])


def test_it_tells_the_office_a_plan_waits_for_filing(workroom, host, office):
    submit(workroom, host)
    assert Notification.objects.filter(user=office, kind=NotificationKind.REVIEW_TODO).count() == 1


def test_it_returns_a_plan_with_comments_and_keeps_every_version(workroom, host, office):
    v1 = submit(workroom, host)
    plans.plan_decide(plan=v1.plan, action="return", actor=office, comment="目标不够具体")
    assert Notification.objects.get(user=host, kind=NotificationKind.PLAN_RETURNED).title.endswith("目标不够具体")
    v2 = submit(workroom, host, body="<p>第二版</p>")
    plan = WorkroomPlan.objects.get()
    assert (plan.status, plan.version_count, v2.number) == (WorkroomPlan.Status.SUBMITTED, 2, 2)
    assert list(plan.versions.values_list("number", "body")) == [(2, "<p>第二版</p>"), (1, "<p>第一版</p>")]
    assert [c.action for c in history(plan)] == ["return", "resubmit"]
    assert history(plan)[0].comment == "目标不够具体"


def test_it_shows_an_old_version_on_its_own_page(client, workroom, host, office):
    v1 = submit(workroom, host)
    plans.plan_decide(plan=v1.plan, action="return", actor=office, comment="请修改")
    submit(workroom, host, body="<p>第二版</p>")
    client.force_login(office)
    r = client.get(reverse("plans:plan_version", args=[v1.plan.pk, 1]))
    assert "第一版" in r.content.decode() and "第二版" not in r.content.decode()


def test_it_refuses_a_return_without_comment_and_changes_nothing(workroom, host, office):
    v = submit(workroom, host)
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        plans.plan_decide(plan=v.plan, action="return", actor=office, comment=" ")
    v.plan.refresh_from_db()
    assert v.plan.status == WorkroomPlan.Status.SUBMITTED
    assert not StatusChange.objects.exists()


def test_it_refuses_a_new_version_while_the_office_has_not_decided(workroom, host):
    submit(workroom, host)
    with pytest.raises(ValidationError, match="等待德育处备案"):
        submit(workroom, host, body="<p>又一版</p>")
    assert PlanVersion.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "leader", "office", "outsider"])
def test_it_refuses_submission_by_anyone_but_the_host(request, workroom, persona):
    with pytest.raises(PermissionDenied):
        submit(workroom, request.getfixturevalue(persona))
    assert not WorkroomPlan.objects.exists()


@pytest.mark.parametrize("persona", ["host", "member", "leader"])
def test_it_refuses_filing_by_anyone_but_the_office(request, workroom, host, persona):
    v = submit(workroom, host)
    with pytest.raises(PermissionDenied):
        plans.plan_decide(plan=v.plan, action="file", actor=request.getfixturevalue(persona))
    v.plan.refresh_from_db()
    assert v.plan.status == WorkroomPlan.Status.SUBMITTED


def test_it_requires_text_or_a_file(workroom, host):
    with pytest.raises(ValidationError, match="请填写计划正文或上传计划文件"):
        submit(workroom, host, body="<p> </p><script>x</script>")
    assert not WorkroomPlan.objects.exists()


def test_it_keeps_an_uploaded_plan_file_and_serves_it_to_insiders_only(client, workroom, host, member, outsider):
    v = submit(workroom, host, body="", upload=SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf"))
    url = reverse("plans:plan_version_file", args=[v.plan.pk, 1])
    client.force_login(member)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_submit_page_keeps_what_was_typed_on_a_bad_file(client, workroom, host):
    client.force_login(host)
    r = client.post(reverse("plans:plan_submit", args=[workroom.pk]), {
        "kind": "annual", "year": 2026, "body": "<p>保留的正文</p>",
        "file": SimpleUploadedFile("a.pdf", b"<html><script>x</script></html>", content_type="application/pdf"),
    })
    assert r.status_code == 200
    assert "不支持的文件类型" in r.content.decode() and "保留的正文" in r.content.decode()
    assert not WorkroomPlan.objects.exists()


def test_it_files_and_returns_through_the_page(client, workroom, host, office):
    v = submit(workroom, host)
    client.force_login(office)
    r = client.post(reverse("plans:plan_transition", args=[v.plan.pk, "return"]), {"comment": ""}, follow=True)
    assert "需要填写意见" in r.content.decode()
    client.post(reverse("plans:plan_transition", args=[v.plan.pk, "file"]), {"comment": ""})
    v.plan.refresh_from_db()
    assert v.plan.status == WorkroomPlan.Status.FILED


@pytest.mark.parametrize("payload", XSS)
def test_it_strips_scripts_from_plan_text_when_stored_and_shown(client, workroom, host, payload):
    v = submit(workroom, host, body=payload)
    v.refresh_from_db()
    assert_no_script(v.body)
    assert "正文" in v.body
    # a row written around the model (e.g. by an old import) is cleaned again on display
    PlanVersion.objects.filter(pk=v.pk).update(body=payload)
    client.force_login(host)
    html = client.get(reverse("plans:plan_detail", args=[v.plan.pk])).content.decode()
    assert_no_script(html.split('<div class="card-body rich-text">', 1)[1].split("</div>", 1)[0])


def test_a_filed_plan_lands_in_the_archive_under_plans_and_summaries(client, workroom, host, office):
    from workrooms.archive.models import ArchiveEntry

    v = submit(workroom, host)
    assert not ArchiveEntry.objects.exists()  # only what the office filed is on record
    plans.plan_decide(plan=v.plan, action="file", actor=office)
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.workroom, entry.title) == ("plans", workroom, "王喆名班主任工作室2026年年度实施方案（第1版）")
    client.force_login(host)
    html = client.get(reverse("archive:archive_list", args=[workroom.pk])).content.decode()
    assert reverse("plans:plan_detail", args=[v.plan.pk]) in html


def test_it_publishes_only_filed_plans(workroom, host, office):
    v = submit(workroom, host)
    with pytest.raises(ValidationError, match="只有已备案的计划可以公开"):
        plans.plan_set_public(plan=v.plan, is_public=True, actor=host)
    plans.plan_decide(plan=v.plan, action="file", actor=office)
    plans.plan_set_public(plan=v.plan, is_public=True, actor=host)
    v.plan.refresh_from_db()
    assert v.plan.is_public


def test_the_home_page_shows_the_office_what_waits_for_filing(client, workroom, host, office):
    submit(workroom, host)
    client.force_login(office)
    html = client.get("/").content.decode()
    assert "待备案的工作室计划" in html and "王喆名班主任工作室 2026年年度实施方案" in html


def test_the_home_page_leads_the_host_to_plans_outreach_and_messages(client, workroom, host):
    from tests.workrooms.outreach.factories import VisitorMessageFactory

    VisitorMessageFactory(workroom=workroom)
    client.force_login(host)
    html = client.get("/").content.decode()
    assert reverse("workrooms:outreach", args=[workroom.pk]) in html and "1 条待审核" in html


def test_the_host_sees_no_filing_buttons_and_the_office_no_submit_button(client, workroom, host, office):
    v = submit(workroom, host)
    url = reverse("plans:plan_detail", args=[v.plan.pk])
    client.force_login(host)
    html = client.get(url).content.decode()
    assert "备案</button>" not in html and 'name="comment"' not in html and "提交新版本" not in html
    client.force_login(office)
    html = client.get(url).content.decode()
    assert "备案</button>" in html and "退回修改" in html and "提交新版本" not in html
    plans.plan_decide(plan=v.plan, action="return", actor=office, comment="请修改")
    client.force_login(host)
    assert "提交新版本" in client.get(url).content.decode()
