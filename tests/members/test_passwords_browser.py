"""The office hands a teacher a one-time code, the teacher sets a password
with it and signs in; an imported account changes its first password
before anything else (real browser, pages checked with axe)."""

import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Qingshan-2027!"


def test_the_office_hands_a_code_and_the_teacher_sets_a_password(page, login, axe, office, teacher):
    login(office)
    page.goto(f"/people/teachers/{teacher.pk}/")
    page.get_by_role("link", name="生成一次性设置密码码").click()
    assert axe() == []
    page.get_by_role("button", name="确认生成设置密码码").click()
    code = page.locator("#password-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert axe() == []

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="使用德育处发放的设置密码码").click()
    assert axe() == []
    page.get_by_label("设置密码码").fill(code)
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="设置密码").click()
    page.get_by_text("密码已设置，请用工号和新密码登录。").wait_for()
    login(teacher.user, NEW_PASSWORD)
    page.get_by_role("button", name="李堃").wait_for()


def test_an_imported_account_changes_its_first_password_first(page, login, axe, department):
    imported = f.TeacherFactory(name="韩新", school=department.school, department=department, must_change_password=True)
    login(imported.user)
    page.get_by_text("请先修改密码").wait_for()
    assert page.url.endswith("/accounts/password/")
    assert axe() == []
    page.goto("/people/teachers/")
    page.get_by_text("请先修改密码").wait_for()
    page.locator("input[name=old_password]").fill(f.PASSWORD)
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存").click()
    page.goto("/")
    page.get_by_role("button", name="韩新").wait_for()
    assert page.url.endswith("/")


def test_the_reset_pages_pass_the_accessibility_check(page, axe, db):
    page.goto("/accounts/password/reset/")
    assert axe() == []
    page.get_by_label("电子邮箱").fill("nobody@example.edu.cn")
    page.get_by_role("button", name="发送设置密码链接").click()
    page.get_by_role("heading", name="请查收邮件").wait_for()
    assert axe() == []
