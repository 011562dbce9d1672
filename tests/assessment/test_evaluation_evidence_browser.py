"""The main path of evaluation evidence (DOMAIN.md §9.5) in a real browser:
the host files the 自评报告, an assigned expert opens the workroom's archive
from the evaluation page and downloads the host's report."""

import pytest
from django.urls import reverse

from assessment import services
from tests.workrooms.records.factories import PDF_BYTES, pdf_upload, this_semester
from workrooms.archive.services import archive_upload

pytestmark = pytest.mark.browser


def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_an_expert_reads_the_archive_and_downloads_the_report(
    page, login, axe, transactional_db, workroom, host, office, expert
):
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=[expert], actor=office)
    archive_upload(
        actor=host,
        workroom=workroom,
        category="rules",
        title="工作室章程",
        semester=this_semester(),
        upload=pdf_upload("章程.pdf"),
    )
    url = reverse("assessment:evaluation_detail", args=[evaluation.pk])

    login(host)
    page.goto(url)
    page.set_input_files(
        "#id_upload", files=[{"name": "自评报告.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    _go(page, "#evaluation-report button[type=submit]")
    assert "自评报告已上传" in page.inner_text("main")

    login(expert)
    page.goto(url)
    assert "自评报告.pdf" in page.inner_text("#evaluation-report")
    assert page.locator("#id_upload").count() == 0  # the expert only reads
    assert axe() == []
    _go(page, "#evaluation-records a:has-text('工作室档案')")
    assert "工作室章程" in page.inner_text("main")
    assert page.locator("text=上传档案").count() == 0
    assert axe() == []

    page.go_back()
    page.wait_for_selector("#report-download")
    with page.expect_download() as info:
        page.click("#report-download")
    download = info.value
    assert download.suggested_filename == "自评报告.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read() == PDF_BYTES
