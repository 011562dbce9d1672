"""Log lines name their request or job; failed jobs log their traceback;
sign-ins, failed sign-ins and sign-outs are recorded, kept for the retention
setting and shown to the administrator."""

import logging
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog, AccessLog
from django.test import Client
from django.utils import timezone

from archives import tasks
from archives.models import Job
from core.logins import login_records_purge

PASSWORD = "test-pass-123"


def test_every_line_of_a_request_names_the_request(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="proxy-0123456789")
    assert response.status_code == 404 and response["X-Request-ID"] == "proxy-0123456789"
    lines = [r for r in caplog.records if r.name == "django.request"]
    assert lines and all(r.context == "req-proxy-0123456789" for r in lines)


def test_a_request_without_an_id_gets_a_new_one_and_a_forged_one_is_not_believed(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    first = client.get("/no-such-page/", HTTP_X_REQUEST_ID="bad id\nINFO forged")["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]
    assert first != second and "\n" not in first
    assert [r.context for r in caplog.records if r.name == "django.request"] == [f"req-{first}", f"req-{second}"]


def test_lines_outside_requests_and_jobs_say_so(caplog):
    logging.getLogger("workrooms.test").warning("outside")
    assert caplog.records[-1].context == "-"


def test_the_readable_format_shows_the_context(client, settings):
    formatter = logging.Formatter(settings.LOGGING["formatters"]["readable"]["format"])
    record = logging.getLogger("x").makeRecord("x", logging.WARNING, __file__, 1, "hello", (), None)
    assert "[-] x: hello" in formatter.format(record)


def test_a_failed_job_logs_its_traceback_with_its_task_id(teacher, caplog):
    job = Job.objects.create(kind=Job.Kind.HANDBOOK, title="成长手册", requested_by=teacher.user,
                             params={"teacher_id": 0}, total=1)
    result = tasks.job_run.apply(args=[job.pk], task_id="4d1c2b9e-job", throw=False)
    job.refresh_from_db()
    assert result.failed() and job.status == Job.Status.FAILED
    failure = next(r for r in caplog.records if r.getMessage() == f"job {job.pk} failed")
    assert failure.levelno == logging.ERROR and failure.context == "task-4d1c2b9e-job"
    assert failure.exc_info and "教师不存在" in caplog.text and "Traceback" in caplog.text


def test_sign_in_failure_and_sign_out_are_recorded_with_the_client_address(teacher, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    browser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    username = teacher.user.username
    browser.post("/accounts/login/", {"username": username, "password": "wrong"})
    browser.post("/accounts/login/", {"username": username, "password": PASSWORD})
    browser.post("/accounts/logout/")
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address) == (username, "198.51.100.7")
    access = AccessLog.objects.get()
    assert (access.username, access.ip_address) == (username, "198.51.100.7")
    assert access.logout_time is not None


@pytest.mark.parametrize("model", ["sign-ins", "failures"])
def test_the_administrator_sees_the_records_with_filters(client, admin, teacher, model):
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        Client().post("/accounts/login/", {"username": teacher.user.username, "password": "wrong" if model == "failures" else PASSWORD})
    client.force_login(admin)
    url = {"sign-ins": "/admin/axes/accesslog/", "failures": "/admin/axes/accessfailurelog/"}[model]
    page = client.get(url).content.decode()
    assert teacher.user.username in page and "attempt_time" in page


def test_the_clean_up_removes_only_records_older_than_the_setting(teacher, settings):
    settings.LOGIN_RECORD_RETENTION_DAYS = 190
    now = timezone.now()
    for days in (191, 189):
        with time_machine.travel(now - timedelta(days=days)):
            AccessLog.objects.create(username=f"old-{days}", ip_address="198.51.100.1", user_agent="", path_info="/accounts/login/")
            AccessFailureLog.objects.create(username=f"old-{days}", ip_address="198.51.100.1", user_agent="", path_info="/accounts/login/")
    with time_machine.travel(now):
        assert login_records_purge() == 2
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["old-189"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["old-189"]

