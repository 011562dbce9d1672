"""OpenID Connect single sign-on (members.accounts.sso) in a real browser
against a real provider (the npm package oidc-provider) on loopback: the
teacher signs in on the provider's login page and lands on their dashboard;
an identity whose staff number the roster does not know comes back to the
login page with the reason."""

import pytest
from axes.models import AccessAttempt, AccessLog

from members.models import Teacher
from tests import factories as f
from tests.sso.servers import run_oidc_provider

pytestmark = pytest.mark.browser

PEOPLE = {
    "likun": {"password": "op-pass-1", "claims": {"staff_no": "SF1001", "name": "李堃", "email": "lk@example.edu.cn"}},
    "stranger": {"password": "op-pass-2", "claims": {"staff_no": "SF9009", "name": "路人甲"}},
}


@pytest.fixture(scope="module")
def provider_settings(live_server):
    with run_oidc_provider(redirect_uri=f"{live_server.url}/accounts/oidc/callback/", people=PEOPLE) as values:
        yield values


@pytest.fixture
def oidc_on(settings, provider_settings):
    for name, value in provider_settings.items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def likun(department):
    return f.TeacherFactory(name="李堃", staff_no="SF1001", school=department.school, department=department)


def sign_in_at_provider(page, login, password):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="统一身份认证登录").click()
    page.get_by_role("heading", name="统一身份认证").wait_for()
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="登录").click()


def test_it_signs_in_through_the_provider_and_lands_on_the_dashboard(page, live_server, oidc_on, likun, axe):
    page.goto("/accounts/login/")
    assert axe() == []
    sign_in_at_provider(page, "likun", "op-pass-1")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="李堃").wait_for()  # the navbar greets the teacher by name
    assert AccessLog.objects.filter(username=likun.user.username).exists()


def test_a_wrong_password_at_the_provider_stays_there(page, live_server, oidc_on, likun):
    sign_in_at_provider(page, "likun", "wrong")
    page.get_by_role("alert").filter(has_text="用户名或密码错误").wait_for()
    assert not AccessLog.objects.filter(username=likun.user.username).exists()


def test_an_identity_the_roster_does_not_know_is_refused_with_the_reason(page, live_server, oidc_on, likun):
    sign_in_at_provider(page, "stranger", "op-pass-2")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.get_by_text("工号 SF9009").wait_for()
    assert "教师名册中没有这个工号" in page.content()
    assert not Teacher.objects.filter(staff_no="SF9009").exists()
    assert AccessAttempt.objects.filter(username="SF9009").exists()


def test_with_the_setting_an_unknown_identity_becomes_a_teacher(page, live_server, oidc_on, department):
    oidc_on.SSO_CREATE_UNKNOWN = True
    oidc_on.SSO_NEW_TEACHER_SCHOOL = department.school.name
    sign_in_at_provider(page, "stranger", "op-pass-2")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="路人甲").wait_for()
    teacher = Teacher.objects.get(staff_no="SF9009")
    assert (teacher.name, teacher.school) == ("路人甲", department.school)


def test_without_oidc_the_login_page_has_no_button_and_the_address_is_not_found(client, settings):
    settings.OIDC_ENABLED = False
    assert "统一身份认证登录" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/login/").status_code == 404
