"""The office batch-issues certificates in a real browser, watches the job
page update by itself, and downloads the zip (real worker on Redis)."""

import zipfile

import pytest

from archives.models import Certificate, Job

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_the_office_batch_issues_certificates_and_downloads_the_zip(page, login, worker, completed_workroom, office, tmp_path):
    login(office)
    page.goto("/")
    page.click("text=文档与证书")
    page.click("text=批量颁发证书")
    page.select_option("select[name=workroom]", label=completed_workroom.name)
    page.select_option("select[name=kind]", label="培训合格证书")
    page.click("text=查看符合条件的人员")
    assert page.locator("input[name=recipients]:checked").count() == 2  # everyone who qualifies, ticked
    labels = page.locator("form[method=post] label").all_inner_texts()
    assert any("张昇" in t for t in labels) and any("李堃" in t for t in labels)
    assert not any("钱退" in t for t in labels)
    page.click("text=颁发并生成证书")
    page.wait_for_url("**/archives/jobs/*/")
    # The page was not reloaded: the status and the bar change by polling.
    page.evaluate("window.__same_page = true")
    page.locator("#job-download").wait_for(state="visible", timeout=60_000)
    assert page.evaluate("window.__same_page") is True
    assert page.inner_text("#job-status") == "已完成"
    assert page.inner_text("#job-bar") == "100%"
    assert page.inner_text("#job-count") == "2/2"
    with page.expect_download() as info:
        page.click("#job-download")
    target = tmp_path / "certificates.zip"
    info.value.save_as(target)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
    serials = set(Certificate.objects.values_list("serial", flat=True))
    assert len(names) == 2 and len(serials) == 2
    assert all(any(serial in name for name in names) for serial in serials)
    assert Job.objects.get().status == Job.Status.DONE
