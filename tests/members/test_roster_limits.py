"""Large and hostile rosters: limits checked before parsing, large files
read in a background job with progress."""

import io
import time
import zipfile

import pytest
from kombu.exceptions import OperationalError

from members.models import RosterImport, Teacher
from members.roster import services
from tests.members.roster_files import roster_row, upload, xlsx_bytes

UPLOAD_URL = "/people/roster/"


@pytest.fixture
def office_client(client, office, department):
    client.force_login(office)
    return client


def _zip_bomb(megabytes: int) -> bytes:
    """A valid roster with one more part that decompresses to ``megabytes``
    MB of zeros (the upload itself is a few hundred KB)."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx_bytes([roster_row("B1", "李堃")]))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info))
        with bomb.open("xl/media/image1.bin", "w") as part:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_quickly_without_parsing(office_client, monkeypatch):
    content = _zip_bomb(300)
    assert len(content) < 1024 * 1024
    monkeypatch.setattr("members.roster.services.load_workbook", _never_parsed)
    assert office_client.get(UPLOAD_URL).status_code == 200  # templates and session warmed up
    started = time.monotonic()
    r = office_client.post(UPLOAD_URL, {"file": upload(content)})
    elapsed = time.monotonic() - started
    page = r.content.decode()
    assert r.status_code == 200 and "文件解压后约 300 MB，超过上限 50 MB" in page
    assert elapsed < 3  # a loaded test machine; the check itself takes well under a millisecond
    assert not RosterImport.objects.exists() and not Teacher.objects.filter(staff_no="B1").exists()


def test_the_decompressed_limit_is_a_setting(office_client, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 3 * 1024 * 1024
    r = office_client.post(UPLOAD_URL, {"file": upload(_zip_bomb(4))})
    assert "超过上限 3 MB" in r.content.decode()
    assert not RosterImport.objects.exists()


def _never_parsed(*args, **kwargs):
    raise AssertionError("the workbook was parsed")


def _large_roster(n: int) -> bytes:
    rows = [roster_row(f"G{i:04d}", f"教师{i}", title="副高" if i % 40 == 0 else "中级") for i in range(n)]
    rows.append(roster_row("G0001", "重复工号"))
    return xlsx_bytes(rows)


def test_a_large_roster_is_read_in_a_background_job_with_progress_and_the_same_result(
    office_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    content = _large_roster(120)
    settings.IMPORT_BACKGROUND_ROWS = 1000
    office_client.post(UPLOAD_URL, {"file": upload(content)})
    at_once = RosterImport.objects.get()
    assert at_once.status == RosterImport.Status.PENDING

    settings.IMPORT_BACKGROUND_ROWS = 50
    monkeypatch.setattr(services, "PROGRESS_EVERY", 25)
    seen = []
    read = services.read_roster

    def watched(*args, progress=None, **kwargs):
        def report(done):
            progress(done)
            seen.append(RosterImport.objects.get(pk=job_import.pk).rows_read)
        return read(*args, progress=report, **kwargs)

    monkeypatch.setattr(services, "read_roster", watched)
    with django_capture_on_commit_callbacks() as callbacks:
        r = office_client.post(UPLOAD_URL, {"file": upload(content)})
    job_import = RosterImport.objects.exclude(pk=at_once.pk).get()
    assert r.status_code == 302 and r["Location"] == f"/people/roster/{job_import.pk}/"
    assert (job_import.status, job_import.rows, job_import.rows_total) == (RosterImport.Status.READING, [], 121)
    page = office_client.get(r["Location"]).content.decode()
    assert "正在后台读取" in page and "0/121" in page
    assert office_client.get(f"/people/roster/{job_import.pk}/status/").json()["status"] == "running"
    assert office_client.post(f"/people/roster/{job_import.pk}/confirm/").status_code == 302
    assert Teacher.objects.filter(staff_no__startswith="G").count() == 0  # nothing imported while reading

    for callback in callbacks:
        callback()  # the job (run in-process by the test settings)
    job_import.refresh_from_db()
    assert seen == [25, 50, 75, 100]
    assert job_import.status == RosterImport.Status.PENDING and job_import.rows_read == 121
    assert job_import.rows == at_once.rows
    status = office_client.get(f"/people/roster/{job_import.pk}/status/").json()
    assert (status["status"], status["done"], status["percent"]) == ("done", 121, 100)
    preview = office_client.get(r["Location"]).content.decode()
    assert "第42行 F列「职称」" in preview and "与第3行重复" in preview


def test_a_job_that_cannot_be_sent_is_shown_failed(office_client, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 50

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("members.roster.views.roster_read.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        r = office_client.post(UPLOAD_URL, {"file": upload(_large_roster(60))})
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.FAILED
    assert "后台读取暂时无法开始" in office_client.get(r["Location"]).content.decode()


def test_a_background_read_of_a_file_that_is_not_a_roster_fails_with_the_reason(office_client, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 50
    content = xlsx_bytes([roster_row(f"W{i}", f"教师{i}") for i in range(60)], headers=["工号", "名字", *services.HEADERS[2:]])
    with django_capture_on_commit_callbacks(execute=True):
        r = office_client.post(UPLOAD_URL, {"file": upload(content)})
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.FAILED
    assert "表头与模板不符（第1行）：B列应为「姓名」" in office_client.get(r["Location"]).content.decode()
