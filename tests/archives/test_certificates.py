"""Certificates (DOMAIN.md §10): serials, batch issue, PDFs, revoke and
re-issue, the public verification page."""

import importlib
import re
import subprocess
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from archives import services
from archives.jobs import job_execute
from archives.models import Certificate, Job, SerialCounter
from archives.selectors import certificate_candidates
from core.models import Notification
from tests.conftest import pdftotext
from tests.workrooms.selection.test_concurrency import race
from workrooms.archive.models import ArchiveEntry

SERIAL = re.compile(r"^\d{4}-(PX|RY|MB)-\d{6}$")


def _issue_batch(workroom, kind, office, capture, honour=""):
    teachers = [m.teacher for m in certificate_candidates(workroom=workroom, kind=kind)]
    with capture(execute=True):
        job = services.certificates_batch_request(
            workroom=workroom, kind=kind, teachers=teachers, honour=honour, actor=office
        )
    job.refresh_from_db()
    return job


def test_it_allocates_serials_in_order_and_never_reuses_them(completed_workroom, office):
    year = timezone.localdate().year
    a, _ = services.certificate_issue(kind="training", recipient=completed_workroom.host, workroom=completed_workroom, actor=office)
    services.certificate_revoke(certificate=a, actor=office, reason="信息有误")
    b, created = services.certificate_issue(kind="training", recipient=completed_workroom.host, workroom=completed_workroom, actor=office)
    assert created
    assert a.serial == f"{year}-PX-000001" and b.serial == f"{year}-PX-000002"
    assert SerialCounter.objects.get(prefix=f"{year}-PX").last == 2


def test_it_finds_the_existing_certificate_instead_of_a_second_serial(completed_workroom, office):
    a, created_a = services.certificate_issue(kind="title", recipient=completed_workroom.host, workroom=completed_workroom, actor=office)
    b, created_b = services.certificate_issue(kind="title", recipient=completed_workroom.host, workroom=completed_workroom, actor=office)
    assert (created_a, created_b) == (True, False)
    assert a.pk == b.pk
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_runs_issuing_the_same_certificate_at_once_take_one_serial(completed_workroom, office, attempt):
    issue = lambda: services.certificate_issue(
        kind="title", recipient=completed_workroom.host, workroom=completed_workroom, actor=office
    )
    results = race(issue, issue)

    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].serial == results[1][0].serial
    assert Certificate.objects.count() == 1
    assert SerialCounter.objects.get().last == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_issuing_different_certificates_at_once_take_consecutive_serials(completed_workroom, office):
    member = completed_workroom.memberships.exclude(teacher=completed_workroom.host).first().teacher
    results = race(*(
        lambda t=t: services.certificate_issue(kind="training", recipient=t, workroom=completed_workroom, actor=office)
        for t in (completed_workroom.host, member)
    ))

    assert sorted(cert.serial[-6:] for cert, _ in results) == ["000001", "000002"]


def test_it_picks_who_qualifies_for_each_kind(completed_workroom):
    names = lambda kind: sorted(m.teacher.name for m in certificate_candidates(workroom=completed_workroom, kind=kind))
    assert names("title") == ["王喆"]
    assert names("training") == ["张昇", "李堃"]
    assert "钱退" not in names("honour")


def test_it_issues_a_batch_as_one_zip_of_pdfs(completed_workroom, office, django_capture_on_commit_callbacks):
    job = _issue_batch(completed_workroom, "training", office, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and (job.done, job.total) == (2, 2)
    certs = list(Certificate.objects.order_by("serial"))
    assert [c.recipient_name for c in certs] == ["张昇", "李堃"]
    assert all(SERIAL.match(c.serial) for c in certs)
    with zipfile.ZipFile(job.result.file.path) as zf:
        names = sorted(zf.namelist())
        assert len(names) == 2
        assert all(n.endswith(".pdf") and "培训合格证书" in n for n in names)


def test_it_files_each_certificate_in_the_archive_and_tells_its_recipient(
    completed_workroom, office, django_capture_on_commit_callbacks
):
    _issue_batch(completed_workroom, "training", office, django_capture_on_commit_callbacks)
    certs = {c.recipient_name: c for c in Certificate.objects.select_related("recipient")}
    entries = ArchiveEntry.objects.filter(workroom=completed_workroom).select_related("member")
    filed = {e.member.name: e for e in entries if e.kind == "证书"}
    assert sorted(filed) == ["张昇", "李堃"]
    entry = filed["张昇"]
    assert entry.category == ArchiveEntry.Category.ACHIEVEMENTS
    assert entry.file_id == certs["张昇"].file_id and certs["张昇"].serial in entry.title
    note = Notification.objects.get(user=certs["张昇"].recipient.user)
    assert note.title == f"您获颁培训合格证书（{completed_workroom.name}）"
    assert note.url == f"/archives/certificates/{certs['张昇'].pk}/"
    # A second run of the job files and tells nothing twice.
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job_execute(job_id=job.pk)
    assert ArchiveEntry.objects.filter(kind="证书").count() == 2
    assert Notification.objects.filter(kind="certificate_issued").count() == 2


def test_it_prints_the_name_serial_and_verification_address(completed_workroom, office, django_capture_on_commit_callbacks, tmp_path):
    _issue_batch(completed_workroom, "title", office, django_capture_on_commit_callbacks)
    cert = Certificate.objects.get()
    text = pdftotext(cert.file.file.path)
    flat = text.replace(" ", "")
    assert "名班主任称号证书" in flat
    assert "王喆" in text
    assert cert.serial in text
    # the address may wrap at the line's end
    assert f"{settings.SITE_URL}/archives/verify/{cert.serial}/{cert.check_code}/" in re.sub(r"\s+", "", text)
    assert "特授予「名班主任」称号" in flat
    info = subprocess.run(["pdfinfo", cert.file.file.path], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), "a certificate is one landscape page"


def test_the_printed_qr_code_scans_to_the_verification_page(completed_workroom, office, django_capture_on_commit_callbacks, tmp_path):
    _issue_batch(completed_workroom, "title", office, django_capture_on_commit_callbacks)
    cert = Certificate.objects.get()
    # The page as a 300 dpi print, read by a barcode scanner.
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", cert.file.file.path, str(tmp_path / "page")], check=True)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert scanned.returncode == 0, scanned.stderr
    assert scanned.stdout.strip() == f"{settings.SITE_URL}/archives/verify/{cert.serial}/{cert.check_code}/"


def test_it_writes_the_honour_on_a_honour_certificate(workroom, member, office, django_capture_on_commit_callbacks):
    job = _issue_batch(workroom, "honour", office, django_capture_on_commit_callbacks, honour="优秀学员")
    assert job.status == Job.Status.DONE
    cert = Certificate.objects.get(recipient__name="张昇")
    assert "优秀学员" in pdftotext(cert.file.file.path).replace(" ", "")


def test_it_refuses_a_honour_batch_without_a_title(workroom, member, office):
    with pytest.raises(ValidationError):
        services.certificates_batch_request(workroom=workroom, kind="honour", teachers=[workroom.host], actor=office)
    assert not Job.objects.exists()


def test_a_rerun_of_the_same_job_issues_nothing_new(completed_workroom, office, django_capture_on_commit_callbacks):
    from archives.jobs import job_execute

    job = _issue_batch(completed_workroom, "training", office, django_capture_on_commit_callbacks)
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)  # as if redelivered before finishing
    job_execute(job_id=job.pk)
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == serials


def test_it_records_revocation_and_reissue(completed_workroom, office, django_capture_on_commit_callbacks):
    _issue_batch(completed_workroom, "title", office, django_capture_on_commit_callbacks)
    old = Certificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        new, job = services.certificate_reissue(certificate=old, actor=office, reason="证书遗失")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.revoked_at and old.revoked_by == office and old.revoke_reason == "证书遗失"
    assert new.reissue_of == old and new.serial != old.serial and new.revoked_at is None
    assert new.file is not None and new.serial in pdftotext(new.file.file.path)
    with pytest.raises(ValidationError):
        services.certificate_reissue(certificate=old, actor=office, reason="再次")
    assert Certificate.objects.count() == 2


# --- the public verification page ------------------------------------------------------


@pytest.fixture
def issued(completed_workroom, office):
    cert, _ = services.certificate_issue(kind="training", recipient=completed_workroom.memberships.get(teacher__name="张昇").teacher, workroom=completed_workroom, actor=office)
    return cert


def test_it_confirms_a_genuine_certificate_without_login(client, issued):
    r = client.get(f"/archives/verify/{issued.serial}/{issued.check_code}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "证书真实有效" in body and "张昇" in body and issued.workroom_name in body
    # nothing beyond what the certificate prints
    assert issued.recipient.staff_no not in body


def test_it_shows_a_revoked_certificate_with_its_date(client, issued, office):
    services.certificate_revoke(certificate=issued, actor=office, reason="内部原因")
    r = client.get(f"/archives/verify/{issued.serial}/{issued.check_code}/")
    body = r.content.decode()
    day = timezone.localtime(Certificate.objects.get(pk=issued.pk).revoked_at)
    assert "已于" in body and f"{day.year}年{day.month}月{day.day}日" in body and "撤销" in body
    assert "内部原因" not in body  # the reason is internal
    assert "证书真实有效" not in body


def test_it_says_when_a_serial_does_not_exist(client, db):
    r = client.get("/archives/verify/2026-PX-999999/ABCDEFGHJK/")
    assert r.status_code == 404
    assert "未找到编号为「2026-PX-999999」且验证码相符的证书" in r.content.decode()


def test_the_serial_alone_finds_nothing(client, issued):
    # Serials are sequential: walking 000001, 000002… must not reveal names.
    r = client.get(f"/archives/verify/{issued.serial}/")
    assert r.status_code == 404
    assert "张昇" not in r.content.decode() and "证书真实有效" not in r.content.decode()


def test_a_wrong_check_code_finds_nothing(client, issued):
    wrong = "".join(reversed(issued.check_code)) if issued.check_code != issued.check_code[::-1] else "ABCDEFGHJK"
    r = client.get(f"/archives/verify/{issued.serial}/{wrong}/")
    assert r.status_code == 404
    assert "张昇" not in r.content.decode()


def test_every_certificate_has_its_own_check_code(completed_workroom, office):
    certs = [
        services.certificate_issue(kind=kind, recipient=completed_workroom.host, workroom=completed_workroom, actor=office)[0]
        for kind in ("training", "title")
    ]
    codes = [c.check_code for c in certs]
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", c) for c in codes)
    assert codes[0] != codes[1]


def test_the_migration_gives_existing_certificates_a_code(completed_workroom, office):
    migration = importlib.import_module("archives.migrations.0007_certificate_check_code")
    a, _ = services.certificate_issue(kind="training", recipient=completed_workroom.host, workroom=completed_workroom, actor=office)
    b, _ = services.certificate_issue(kind="title", recipient=completed_workroom.host, workroom=completed_workroom, actor=office)
    Certificate.objects.update(check_code="")  # as they were before the field existed
    migration.give_every_certificate_a_code(apps, None)
    a.refresh_from_db()
    b.refresh_from_db()
    assert len(a.check_code) == len(b.check_code) == 10 and a.check_code != b.check_code


def test_it_limits_how_often_one_address_may_look_up(client, issued, settings):
    settings.VERIFY_RATE_LIMIT = 3
    addr = f"10.9.{issued.pk % 250}.{timezone.now().microsecond % 250}"
    codes = [client.get(f"/archives/verify/{issued.serial}/{issued.check_code}/", REMOTE_ADDR=addr).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_a_proxy_one_visitors_look_ups_do_not_block_another(client, issued, settings):
    settings.VERIFY_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_HOPS = 1
    url = f"/archives/verify/{issued.serial}/{issued.check_code}/"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    codes = [client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.20", **proxy).status_code == 200


def test_the_verify_form_goes_to_the_certificate_page(client, issued):
    r = client.get("/archives/verify/", {"serial": issued.serial.lower(), "code": f" {issued.check_code.lower()} "})
    assert r.status_code == 302 and r["Location"] == f"/archives/verify/{issued.serial}/{issued.check_code}/"


def test_the_verify_form_asks_for_the_check_code(client, issued):
    r = client.get("/archives/verify/", {"serial": issued.serial})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请同时填写证书编号与验证码" in body and issued.serial in body
