"""The main paths in a real browser."""

import pytest
from playwright.sync_api import expect

from core.models import Notification
from tests.workrooms.outreach.factories import ShowcaseFactory

pytestmark = pytest.mark.browser


def test_a_visitor_message_appears_after_the_host_approves_it(page, login, workroom, host, member):
    ShowcaseFactory(workroom=workroom)
    page.context.clear_cookies()
    page.goto(f"/showcase/{workroom.pk}/")
    assert "王喆名班主任工作室" in page.inner_text("h1")
    assert "张昇" in page.inner_text("#member-names")
    page.fill("input[name=name]", "城西小学李老师")
    page.fill("input[name=school]", "城西小学")
    page.fill("textarea[name=body]", "贵室的班会课设计给了我们很多启发，期待交流！")
    page.click("button:has-text('提交留言')")
    assert "主持人审核后将显示" in page.inner_text(".alert")
    assert "期待交流" not in page.inner_text("#messages")

    login(host)
    page.click("#nav a:has-text('通知')")
    page.wait_for_url("**/people/notifications/")
    assert "访客留言待审核" in page.inner_text("body")
    page.goto(f"/workrooms/{workroom.pk}/messages/")
    page.click("button:has-text('通过')")
    assert "留言已通过" in page.inner_text(".alert")
    assert Notification.objects.filter(user=host).count() == 1

    page.context.clear_cookies()
    page.goto(f"/showcase/{workroom.pk}/")
    assert "期待交流" in page.inner_text("#messages")
    assert "城西小学李老师" in page.inner_text("#messages")


def test_the_office_returns_a_plan_and_the_host_sees_why(page, login, workroom, host, office):
    login(host)
    page.goto(f"/workrooms/{workroom.pk}/plans/submit/")
    page.select_option("select[name=kind]", "annual")
    page.fill("input[name=year]", "2026")
    page.fill("textarea[name=body]", "<p>本年度围绕班级文化建设开展研修</p><script>alert(1)</script>")
    page.click("button:has-text('提交')")
    assert "已提交第1版" in page.inner_text(".alert")

    login(office)
    page.goto("/workrooms/plans/?status=submitted")
    page.click("a:has-text('年度实施方案')")
    page.fill("textarea[name=comment]", "请补充培训课时安排")
    page.once("dialog", lambda d: d.accept())
    page.click("button:has-text('退回修改')")
    assert "已退回" in page.inner_text(".alert")

    login(host)
    assert page.inner_text("#unread-count") == "1"
    page.goto("/people/notifications/")
    page.click("button:has-text('查看')")
    expect(page.locator("body")).to_contain_text("请补充培训课时安排")
    assert "已退回" in page.content()


def test_a_member_writes_a_semester_summary_and_reads_the_host_comment(page, login, workroom, host, member):
    login(member)
    page.click("#nav a:has-text('计划与总结')")
    page.click("a:has-text('填写学期计划/总结')")
    page.select_option("select[name=kind]", "summary")
    page.fill("textarea[name=body]", "<p>本学期完成两篇教育叙事</p><img src=x onerror=alert(1)>")
    page.click("button:has-text('保存')")
    page.wait_for_url(lambda url: "/new/" not in url)
    assert "本学期完成两篇教育叙事" in page.inner_text(".rich-text")

    login(host)
    page.goto("/people/semester-records/?uncommented=true")
    page.click("a:has-text('张昇')")
    page.fill("textarea[name=host_comment]", "叙事选题贴近学生，继续保持。")
    page.click("button:has-text('保存点评')")
    assert "点评已保存" in page.inner_text(".alert")

    login(member)
    assert page.inner_text("#unread-count") == "1"
    page.goto("/people/notifications/")
    page.click("button:has-text('查看')")
    assert "叙事选题贴近学生" in page.inner_text("#host-comment")


def test_the_host_pairs_a_mentor_who_records_guidance_seen_by_the_trainee(page, login, workroom, host, member, teacher):
    login(host)
    page.goto(f"/people/workrooms/{workroom.pk}/mentoring/new/")
    page.select_option("select[name=mentor]", label="张昇")
    page.select_option("select[name=trainee]", label="李堃")
    page.click("button:has-text('结对')")
    assert "已结对：张昇（导师）与李堃（学员）" in page.inner_text(".alert")

    login(member)
    page.click("#nav a:has-text('导师制')")
    page.click("a:has-text('学员：李堃')")
    page.click("a:has-text('填写指导记录')")
    page.fill("input[name=date]", "2026-03-02")
    page.fill("textarea[name=content]", "<p>一起设计了“班级公约”主题班会</p>")
    page.click("button:has-text('保存')")
    assert "指导记录已保存" in page.inner_text(".alert")

    login(teacher.user)
    assert page.inner_text("#unread-count") == "1"
    page.click("#nav a:has-text('导师制')")
    page.click("a:has-text('导师：张昇')")
    assert "班级公约" in page.inner_text(".guidance")


def test_the_host_accepts_a_writing_marks_it_public_and_a_visitor_reads_it(page, login, workroom, host, member):
    from tests.workrooms.records.factories import WritingFactory

    ShowcaseFactory(workroom=workroom)
    writing = WritingFactory(workroom=workroom, teacher=member.teacher, title="走进小林的家",
                             text="那天下午，我第一次走进小林的家。家长电话 13900001111。")
    login(host)
    page.goto(f"/people/records/writings/{writing.pk}/")
    assert "只有主持人审阅通过的写作可以在工作室主页公开" in page.inner_text("#public-panel")
    page.click("button:has-text('通过')")
    page.click("#public-panel button:has-text('在工作室主页公开')")
    assert "「走进小林的家」已在工作室主页公开。" in page.inner_text(".alert")
    assert "已在工作室主页公开" in page.inner_text("#public-panel")

    page.context.clear_cookies()
    page.goto(f"/showcase/{workroom.pk}/")
    item = page.inner_text(f"#writing-{writing.pk}")
    assert "教育叙事：走进小林的家" in item and "那天下午，我第一次走进小林的家。" in item and "张昇" in item
    assert "13900001111" not in page.content()
