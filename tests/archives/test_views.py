"""Permission matrix of the documents pages, the job page and its status
endpoint, retry of a failed job."""

import pytest
from django.core.files.base import ContentFile

from archives import services
from archives.models import Job
from core.models import StoredFile

ANON = "anonymous"


@pytest.fixture
def job(teacher):
    """A finished export that ``teacher`` asked for."""
    stored = StoredFile(original_name="导出.xlsx", content_type="application/zip", size=4, uploaded_by=teacher.user)
    stored.file.save("x", ContentFile(b"PK\x03\x04"), save=False)
    stored.save()
    return Job.objects.create(
        kind=Job.Kind.EXPORT, title="导出", requested_by=teacher.user, status=Job.Status.DONE, result=stored, done=1, total=1
    )


@pytest.fixture
def persona(request, admin, office, leader, teacher, host, member, outsider):
    if request.param == ANON:
        return None
    return {"office": office, "leader": leader, "teacher": teacher.user, "host": host, "member": member,
            "outsider": outsider, "admin": admin}[request.param]


def _get(client, user, url, method="get", data=None):
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def _expect(r, code):
    if code == "login":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    else:
        assert r.status_code == code


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 404), ("leader", 404), ("member", 404), ("teacher", 200), ("office", 200)],
    indirect=["persona"],
)
@pytest.mark.parametrize("suffix", ["", "status/", "download/"])
def test_job_pages_belong_to_the_requester_and_the_office(client, job, persona, code, suffix):
    r = _get(client, persona, f"/archives/jobs/{job.pk}/{suffix}")
    _expect(r, code)
    if code == 200 and suffix == "download/":
        assert b"".join(r.streaming_content) == b"PK\x03\x04"


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 404), ("teacher", 302), ("office", 302)],
    indirect=["persona"],
)
def test_only_the_requester_and_the_office_retry(client, job, persona, code, django_capture_on_commit_callbacks):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="生成失败")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = _get(client, persona, f"/archives/jobs/{job.pk}/retry/", "post")
    _expect(r, code)
    job.refresh_from_db()
    if code == 302:
        assert job.status == Job.Status.QUEUED and job.error == "" and len(callbacks) == 1
    else:
        assert job.status == Job.Status.FAILED and not callbacks


def test_it_reports_progress_as_json(client, teacher, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=3, total=12, result=None)
    client.force_login(teacher.user)
    data = client.get(f"/archives/jobs/{job.pk}/status/").json()
    assert data == {"status": "running", "status_label": "生成中", "done": 3, "total": 12, "percent": 25,
                    "error": "", "download_url": "", "can_retry": False}


def test_it_refuses_to_retry_a_job_that_did_not_fail(client, teacher, job):
    client.force_login(teacher.user)
    r = client.post(f"/archives/jobs/{job.pk}/retry/", follow=True)
    assert "只有失败的任务或排队过久的任务可以重试" in r.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_the_job_page_shows_the_error_and_a_retry_button(client, teacher, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="生成超时，请缩小范围后重试。")
    client.force_login(teacher.user)
    body = client.get(f"/archives/jobs/{job.pk}/").content.decode()
    assert "生成超时，请缩小范围后重试。" in body and "重试" in body


@pytest.mark.parametrize("rows", [1, 30])
def test_the_job_list_costs_the_same_for_many_rows(client, teacher, job, rows, django_assert_num_queries):
    for _ in range(rows - 1):
        Job.objects.create(kind=Job.Kind.EXPORT, title="导出", requested_by=teacher.user)
    client.force_login(teacher.user)
    # session, user, groups, teacher, hosted and member workroom ids, reviewed
    # departments (nav), count, page of jobs, the header's unread count
    with django_assert_num_queries(10):
        r = client.get("/archives/jobs/")
    assert r.content.decode().count("导出") >= min(rows, 20)


# --- certificates ---------------------------------------------------------------------


@pytest.fixture
def cert(completed_workroom, office, member):
    c, _ = services.certificate_issue(kind="training", recipient=member.teacher, workroom=completed_workroom, actor=office)
    stored = StoredFile(original_name="证书.pdf", content_type="application/pdf", size=5, uploaded_by=office)
    stored.file.save("x", ContentFile(b"%PDF-"), save=False)
    stored.save()
    c.file = stored
    c.save()
    return c


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 404), ("host", 404), ("member", 200), ("leader", 200), ("office", 200)],
    indirect=["persona"],
)
@pytest.mark.parametrize("suffix", ["", "download/"])
def test_certificates_are_seen_by_their_recipient_and_the_school(client, cert, persona, code, suffix):
    _expect(_get(client, persona, f"/archives/certificates/{cert.pk}/{suffix}"), code)


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 404), ("member", 403), ("leader", 403), ("office", 302)],
    indirect=["persona"],
)
def test_only_the_office_revokes(client, cert, persona, code):
    r = _get(client, persona, f"/archives/certificates/{cert.pk}/revoke/", "post", {"reason": "信息有误"})
    _expect(r, code)
    cert.refresh_from_db()
    assert (cert.revoked_at is not None) == (code == 302)


def test_revoking_without_a_reason_keeps_the_certificate(client, cert, office):
    client.force_login(office)
    r = client.post(f"/archives/certificates/{cert.pk}/revoke/", {"reason": ""})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    cert.refresh_from_db()
    assert cert.revoked_at is None


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 403), ("leader", 403), ("host", 403), ("office", 200), ("admin", 200)],
    indirect=["persona"],
)
def test_only_the_office_batch_issues(client, completed_workroom, persona, code):
    r = _get(client, persona, "/archives/certificates/issue/", data={"workroom": completed_workroom.pk, "kind": "training"})
    _expect(r, code)
    if code == 200:
        body = r.content.decode()
        assert "张昇" in body and "李堃" in body and "钱退" not in body


def test_it_queues_a_batch_from_the_form(client, completed_workroom, office, django_capture_on_commit_callbacks):
    client.force_login(office)
    url = f"/archives/certificates/issue/?workroom={completed_workroom.pk}&kind=training"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(url, {"recipients": [completed_workroom.memberships.get(teacher__name="李堃").teacher_id]})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    assert job.params["teacher_ids"] == [completed_workroom.memberships.get(teacher__name="李堃").teacher_id]
    assert len(callbacks) == 1


def test_a_honour_batch_needs_a_title_and_keeps_the_ticks(client, workroom, member, office):
    client.force_login(office)
    zhang = workroom.memberships.get(teacher__name="张昇").teacher_id
    r = client.post(f"/archives/certificates/issue/?workroom={workroom.pk}&kind=honour", {"recipients": [zhang], "honour": ""})
    assert r.status_code == 400 and "荣誉证书须填写荣誉称号" in r.content.decode()
    assert f'value="{zhang}" ' in r.content.decode() and "checked" in r.content.decode()
    assert not Job.objects.exists()


# --- spreadsheets and reports -----------------------------------------------------------


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 403), ("member", 403), ("host", 200), ("leader", 200), ("office", 200)],
    indirect=["persona"],
)
@pytest.mark.parametrize("suffix", ["documents/", "roster.xlsx"])
def test_rosters_go_to_the_host_and_the_school(client, workroom, persona, code, suffix):
    _expect(_get(client, persona, f"/archives/workrooms/{workroom.pk}/{suffix}"), code)


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("teacher", 403), ("host", 403), ("leader", 200), ("office", 200)],
    indirect=["persona"],
)
def test_the_workroom_list_export_is_for_the_school(client, workroom, persona, code):
    _expect(_get(client, persona, "/archives/export/workrooms/"), code)


@pytest.mark.parametrize(
    "persona, code",
    [(ANON, "login"), ("outsider", 403), ("member", 403), ("host", 302), ("office", 302)],
    indirect=["persona"],
)
def test_annual_reports_are_requested_by_the_host_and_the_school(client, workroom, persona, code):
    r = _get(client, persona, f"/archives/workrooms/{workroom.pk}/report/", "post", {"year": 2026})
    _expect(r, code)
    assert Job.objects.filter(kind=Job.Kind.WORKROOM_REPORT).exists() == (code == 302)


def test_the_nav_shows_documents_to_teachers_and_the_school(client, office, leader, teacher, member, expert):
    # Teachers and members find their certificates and growth handbook there.
    for user in (office, leader, teacher.user, member):
        client.force_login(user)
        assert "文档与证书" in client.get("/").content.decode(), user
    client.force_login(expert)  # an external expert has no certificates or handbook
    assert "文档与证书" not in client.get("/").content.decode()


def test_the_office_reissues_from_the_certificate_page(client, cert, office, django_capture_on_commit_callbacks):
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/archives/certificates/{cert.pk}/reissue/", {"reason": "证书遗失"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    new = cert.reissues.get()
    cert.refresh_from_db()
    assert cert.revoked_at and cert.revoke_reason == "证书遗失"
    assert new.serial != cert.serial and new.file is not None and job.result_id == new.file_id
    body = client.get(f"/archives/certificates/{cert.pk}/").content.decode()
    assert new.serial in body and "已撤销" in body


@pytest.mark.parametrize("rows", [1, 30])
def test_the_certificate_list_costs_the_same_for_many_rows(client, completed_workroom, office, rows, django_assert_num_queries):
    for i in range(rows):
        services.certificate_issue(
            kind="honour", honour=f"优秀学员{i}", recipient=completed_workroom.host, workroom=completed_workroom, actor=office
        )
    client.force_login(office)
    # session, user, groups, teacher (nav), count, page of certificates, the
    # header's unread count
    with django_assert_num_queries(7):
        r = client.get("/archives/certificates/")
    assert r.content.decode().count("优秀学员") == min(rows, 20)


def test_the_documents_page_offers_what_each_role_may_do(client, office, member):
    client.force_login(office)
    body = client.get("/archives/documents/").content.decode()
    assert "批量颁发证书" in body and "导出工作室一览表" in body
    client.force_login(member)
    body = client.get("/archives/documents/").content.decode()
    assert "批量颁发证书" not in body and "导出工作室一览表" not in body
    assert f"/archives/people/{member.teacher.pk}/handbook/" in body and "我的证书" in body
