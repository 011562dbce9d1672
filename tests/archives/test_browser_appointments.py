"""审批 in a real browser issues the host's 聘书 and the workroom's 挂牌证书:
the new host finds them under 文档与证书 → 我的证书, opens the 聘书 and
downloads its PDF, and sees both in the workroom's archive."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import pdftotext
from tests.workrooms.factories import HostApplicationFactory, in_public_notice

pytestmark = pytest.mark.browser


def test_the_host_finds_the_appointment_letter_after_approval(page, login, axe, teacher, admin, ruleset, tmp_path):
    application = in_public_notice(HostApplicationFactory(applicant=teacher), ends_in=timedelta(seconds=-1))

    login(admin)
    page.goto(f"/workrooms/applications/{application.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="批准立项", exact=True))
    form.get_by_role("button", name="批准立项", exact=True).click()
    expect(page.locator("#status")).to_have_text("已批准")

    login(teacher.user)
    page.get_by_role("link", name="文档与证书").first.click()
    page.get_by_role("link", name="我的证书").click()
    letter = page.get_by_role("row", name=re.compile("主持人聘书"))
    expect(letter).to_contain_text("李堃名班主任工作室")
    expect(page.get_by_role("row", name=re.compile("挂牌证书"))).to_contain_text("有效")
    assert axe() == []

    letter.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("主持人聘书")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载证书 PDF").click()
    target = tmp_path / "letter.pdf"
    info.value.save_as(target)
    assert "兹聘任李堃同志为李堃名班主任工作室主持人" in re.sub(r"\s+", "", pdftotext(target))
    assert axe() == []

    application.refresh_from_db()
    page.goto(f"/archives/workrooms/{application.workroom_id}/")
    expect(page.get_by_text(re.compile(r"主持人聘书（李堃，\d{4}-PS-\d{6}）"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"挂牌证书（李堃，\d{4}-GP-\d{6}）"))).to_be_visible()
