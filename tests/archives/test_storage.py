"""Files only through Django's storage API: with a storage that is not a
folder (Django's in-memory storage stands in for an object store shared by
several machines), the whole certificate path works and nothing is written
under MEDIA_ROOT."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile

from archives.models import Certificate, Job
from archives.selectors import certificate_candidates
from core.files import store_upload
from tests.archives.conftest import ROOT
from tests.conftest import pdftotext


@pytest.fixture
def object_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    assert isinstance(storages["default"], InMemoryStorage)
    yield storages["default"]
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*")), "nothing on disk"


def _text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)  # pdftotext reads a path; this copy is the test's, not the app's
    return pdftotext(path)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_certificates_are_issued_stored_and_downloaded_through_the_storage(
    client, office, completed_workroom, object_store, tmp_path, django_capture_on_commit_callbacks
):
    teachers = [m.teacher.pk for m in certificate_candidates(workroom=completed_workroom, kind="training")]
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/archives/certificates/issue/?workroom={completed_workroom.pk}&kind=training",
                        {"recipients": teachers})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/archives/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.error

    certs = list(Certificate.objects.order_by("serial"))
    assert len(certs) == 2
    for cert in certs:
        assert object_store.exists(cert.file.file.name)
        r = client.get(f"/archives/certificates/{cert.pk}/download/")
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        text = _text(_body(r), tmp_path, f"{cert.serial}.pdf")
        assert cert.serial in text and cert.recipient_name in text.replace(" ", "")

    r = client.get(f"/archives/jobs/{job.pk}/download/")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(_body(r))) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(c.file.original_name for c in certs)
        for cert in certs:
            with object_store.open(cert.file.file.name, "rb") as stored:
                assert zf.read(cert.file.original_name) == stored.read()


def test_an_upload_is_kept_and_served_by_the_storage(client, member, object_store):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    stored = store_upload(SimpleUploadedFile("记录.pdf", pdf, content_type="application/pdf"), user=member)
    assert object_store.exists(stored.file.name)
    with object_store.open(stored.file.name, "rb") as f:
        assert f.read() == pdf


def test_several_machines_share_an_object_store_set_by_the_environment():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "STORAGE_S3_BUCKET": "workrooms-files",
           "STORAGE_S3_ENDPOINT_URL": "http://127.0.0.1:9", "STORAGE_S3_ACCESS_KEY": "k", "STORAGE_S3_SECRET_KEY": "s"}
    code = ("import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
            "print(type(s).__module__, s.bucket_name, s.endpoint_url, s.default_acl)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["storages.backends.s3", "workrooms-files", "http://127.0.0.1:9", "private"]
