"""Printing in a real browser: the applicant downloads the 申报表 from the
application page, the host the 签到表 from the activity page; both pages
pass the accessibility check and both downloads are PDFs that read back."""

import pytest
from playwright.sync_api import expect

from tests.conftest import pdftotext
from tests.workrooms.activities.factories import ActivityFactory
from tests.workrooms.factories import HostApplicationFactory

pytestmark = pytest.mark.browser


def _download(page, link, target):
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    return pdftotext(target).replace(" ", "")


def test_the_applicant_and_the_host_download_their_forms(page, login, axe, teacher, workroom, member, tmp_path):
    application = HostApplicationFactory(applicant=teacher, research_direction="班级文化与家校共育")
    login(teacher.user)
    page.goto(f"/workrooms/applications/{application.pk}/")
    link = page.get_by_role("link", name="下载申报表（PDF）")
    expect(link).to_be_visible()
    assert axe() == []
    text = _download(page, link, tmp_path / "form.pdf")
    assert "名班主任工作室申报表" in text and "李堃" in text and "班级文化与家校共育" in text and "学校意见" in text

    activity = ActivityFactory(workroom=workroom, theme="家校沟通专题研讨")
    login(workroom.host.user)
    page.goto(f"/workrooms/activities/{activity.pk}/")
    link = page.get_by_role("link", name="打印签到表（PDF）")
    expect(link).to_be_visible()
    assert axe() == []
    text = _download(page, link, tmp_path / "sheet.pdf")
    assert "活动签到表" in text and "家校沟通专题研讨" in text and "王喆" in text and "张昇" in text and "签名" in text


def test_the_member_prints_the_agreement_from_the_agreement_page(page, login, axe, workroom, member, tmp_path):
    membership = workroom.memberships.get(teacher__user=member)
    login(member)
    page.goto(f"/people/memberships/{membership.pk}/agreement/")
    link = page.get_by_role("link", name="打印协议书（PDF）")
    expect(link).to_be_visible()
    assert axe() == []
    text = _download(page, link, tmp_path / "agreement.pdf")
    assert "成员协议书" in text and "王喆" in text and "张昇" in text and "乙方（成员）签字：" in text
