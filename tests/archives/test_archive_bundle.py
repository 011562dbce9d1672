"""A workroom's archive bundle: a zip of the PDF list of entries and their
files, built as a job with progress."""

import zipfile

import pytest

from archives.errors import JobError
from archives.models import Job
from archives.tasks import describe
from tests.archives.test_pdf import pdffonts
from tests.conftest import pdftotext
from tests.workrooms.records.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ArchiveEntryFactory,
    pdf_upload,
    png_upload,
    this_semester,
)
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_upload


@pytest.fixture
def archive(workroom, host, member):
    """Two uploads named alike in two categories, and an entry without a file."""
    archive_upload(actor=host, workroom=workroom, category="plans", title="2025学年工作计划", upload=pdf_upload("计划.pdf"), semester=this_semester())
    archive_upload(actor=host, workroom=workroom, category="other", title="王喆主持研讨会照片", upload=png_upload("照片.png"), semester=this_semester())
    archive_upload(actor=host, workroom=workroom, category="other", title="李堃发言材料", upload=pdf_upload("计划.pdf"), semester=this_semester())
    ArchiveEntryFactory(workroom=workroom, category="research", title="读书记录：《静悄悄的革命》", file=None, member=member.teacher)
    return workroom


def _bundle(client, user, workroom, capture, query=""):
    client.force_login(user)
    with capture(execute=True):
        r = client.post(f"/archives/workrooms/{workroom.pk}/bundle/{query}")
    job = Job.objects.get()
    assert r["Location"] == f"/archives/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return job


def test_it_bundles_the_archive_with_a_pdf_summary(client, host, archive, tmp_path, django_capture_on_commit_callbacks):
    job = _bundle(client, host, archive, django_capture_on_commit_callbacks)
    assert (job.kind, job.done, job.total) == (Job.Kind.ARCHIVE_BUNDLE, 4, 4)  # the summary and three files
    assert job.result.original_name == f"{archive.name}档案.zip"
    with zipfile.ZipFile(job.result.file.path) as zf:
        names = zf.namelist()
        assert names[0] == "档案目录.pdf"
        assert sorted(names[1:]) == ["其他类/003-照片.png", "其他类/004-计划.pdf", "计划总结类/001-计划.pdf"]
        assert zf.read("其他类/003-照片.png") == PNG_BYTES and zf.read("计划总结类/001-计划.pdf") == PDF_BYTES
        (tmp_path / "summary.pdf").write_bytes(zf.read("档案目录.pdf"))
    text = pdftotext(tmp_path / "summary.pdf")
    flat = text.replace(" ", "")
    assert "档案目录" in flat and archive.name in flat
    assert "计划总结类" in flat and "教育科研类" in flat and "其他类" in flat
    assert "王喆主持研讨会照片" in flat and "李堃发言材料" in flat and "张昇" in flat
    assert "共4项，附文件3个" in flat and "（无文件）" in flat
    fonts = [line.split() for line in pdffonts(tmp_path / "summary.pdf").splitlines()[2:]]
    assert fonts and all(row[-5] == "yes" for row in fonts)
    assert client.get(f"/archives/jobs/{job.pk}/download/").status_code == 200


def test_it_bundles_what_the_archive_page_filters_show(client, office, archive, django_capture_on_commit_callbacks):
    job = _bundle(client, office, archive, django_capture_on_commit_callbacks, query="?category=plans")
    with zipfile.ZipFile(job.result.file.path) as zf:
        assert zf.namelist() == ["档案目录.pdf", "计划总结类/001-计划.pdf"]


def test_a_missing_file_fails_the_job_with_a_reason(client, host, archive, django_capture_on_commit_callbacks):
    entry = ArchiveEntry.objects.get(title="李堃发言材料")
    entry.file.file.storage.delete(entry.file.file.name)
    client.force_login(host)
    # Tests run tasks eagerly and propagate; the worker stores this message on the job.
    with pytest.raises(JobError, match="档案「李堃发言材料」的文件缺失") as failure, django_capture_on_commit_callbacks(execute=True):
        client.post(f"/archives/workrooms/{archive.pk}/bundle/")
    job = Job.objects.get()
    assert job.result is None and job.status != Job.Status.DONE
    assert describe(failure.value) == "档案「李堃发言材料」的文件缺失，请联系管理员。"


@pytest.mark.parametrize(
    "persona, expected", [(None, 302), ("outsider", 404), ("member", 403), ("host", 302), ("office", 302), ("leader", 302)]
)
def test_who_may_bundle_an_archive(client, request, workroom, member, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    r = client.post(f"/archives/workrooms/{workroom.pk}/bundle/")
    assert r.status_code == expected
    if persona is None:
        assert r["Location"].startswith("/accounts/login/")
    elif expected == 302:
        assert r["Location"].startswith("/archives/jobs/")
    assert Job.objects.exists() == (expected == 302 and persona is not None)


def test_the_archive_page_offers_the_bundle_to_the_host_only(client, host, member, workroom):
    client.force_login(host)
    assert 'id="archive-bundle"' in client.get(f"/archives/workrooms/{workroom.pk}/").content.decode()
    client.force_login(member)
    assert 'id="archive-bundle"' not in client.get(f"/archives/workrooms/{workroom.pk}/").content.decode()
