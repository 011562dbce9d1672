"""In a real browser: a teacher enters an honour with its evidence, the
office verifies it, and it then shows among the 优先 criteria of the
teacher's host application (DOMAIN.md §2, §4); the office adds a second
host on the workroom's host page (§3). Each new page passes axe."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_honour_verified_by_the_office_shows_in_the_host_application(page, login, axe, teacher, office, ruleset):
    login(teacher.user)
    page.get_by_role("link", name="我的荣誉成果").click()
    assert axe() == []
    page.get_by_role("link", name="登记档案条目").click()
    assert axe() == []
    page.select_option("select[name=kind]", label="荣誉称号")
    page.fill("input[name=title]", "市优秀班主任")
    page.select_option("select[name=level]", label="市级")
    page.fill("input[name=year]", "2020")
    page.set_input_files("input[name=upload]", files=[{"name": "荣誉证书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("档案条目已提交，等待德育处认定。")).to_be_visible()
    expect(page.get_by_role("link", name="荣誉证书.pdf")).to_be_visible()
    assert axe() == []

    # Not verified yet: the application's preferred criteria do not count it.
    page.goto("/workrooms/applications/new/")
    expect(page.get_by_text("无荣誉称号记录。")).to_be_visible()

    login(office)
    page.get_by_role("link", name="荣誉成果认定").click()
    page.get_by_role("link", name="市优秀班主任").click()
    assert axe() == []
    page.fill("textarea[name=comment]", "证书已核实")
    page.get_by_role("button", name="认定", exact=True).click()
    expect(page.get_by_text("认定结果已保存。")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("已认定")

    login(teacher.user)
    page.get_by_role("link", name="主持人申报").first.click()
    page.get_by_role("link", name="申报工作室主持人").click()
    expect(page.get_by_text("市优秀班主任（市级，2020）")).to_be_visible()


def test_the_office_adds_a_second_host_named_on_the_workroom_page(page, login, axe, workroom, office, ruleset):
    ruleset.max_hosts = 2
    ruleset.save()
    f.TeacherFactory(name="钱副", school=workroom.school)
    login(office)
    page.goto(f"/workrooms/{workroom.pk}/")
    page.get_by_role("link", name="主持人变更").click()
    assert axe() == []
    page.select_option("select[name=teacher]", label=page.locator("select[name=teacher] option", has_text="钱副").inner_text())
    page.fill("#cohost_reason", "经批准设两名领衔人")
    page.get_by_role("button", name="增设").click()
    expect(page.locator("#hosts")).to_contain_text("副主持人")
    expect(page.get_by_text("已达到每室主持人上限（2 名）")).to_be_visible()
    assert axe() == []
    page.get_by_role("link", name="返回工作室").click()
    expect(page.locator("#workroom-hosts")).to_contain_text("王喆（领衔人）、钱副（副主持人）")
