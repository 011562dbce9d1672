"""Main path in a real browser: a member logs a reading reflection, the host
accepts it, and it appears in the workroom's archive and the member's
growth handbook."""

import pytest
from playwright.sync_api import expect

from workrooms.models import RuleSet
from workrooms.records.models import ReadingLog, ReviewStatus

pytestmark = pytest.mark.browser


def test_it_takes_a_reading_reflection_from_the_member_to_the_archive(page, login, member, host, workroom, ruleset):
    RuleSet.objects.create(version=ruleset.version + 1, reflection_min_chars=20)

    login(member)
    page.click("text=我的记录")
    page.click("text=登记读书记录")
    page.fill("input[name=title]", "给教师的建议")
    page.fill("input[name=author]", "苏霍姆林斯基")
    page.check("input[name=recommended]")
    page.fill("textarea[name=reflection]", "太短了")
    assert page.inner_text(".char-count") == "已写 3 字，还需 17 字。"
    page.click("button:has-text('保存')")
    expect(page.locator("body")).to_contain_text("还需 17 字")
    assert page.input_value("input[name=title]") == "给教师的建议"  # kept

    page.fill("textarea[name=reflection]", "读后深受启发：教育首先是人学，要相信每一个孩子都能成长。")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=读书记录已提交")
    log = ReadingLog.objects.get()

    login(host)
    page.goto("/people/records/reading/?status=submitted")
    page.click("text=《给教师的建议》")
    page.fill("textarea[name=comment]", "体会真切，请在班会中实践。")
    page.click("button:has-text('通过')")
    page.wait_for_selector("text=审阅意见已保存")
    log.refresh_from_db()
    assert log.status == ReviewStatus.ACCEPTED

    page.click("text=档案")
    page.click(f"text={workroom.name}")
    page.wait_for_selector("text=读书记录：《给教师的建议》")
    assert "教育科研类" in page.content()

    login(member)
    page.goto("/people/records/handbook/")
    page.wait_for_selector("text=《给教师的建议》")
    assert "已通过" in page.content()
    page.goto(f"/people/records/reading/{log.pk}/")
    assert page.locator("main a:has-text('修改')").count() == 0  # accepted: locked
    assert "体会真切，请在班会中实践。" in page.content()
