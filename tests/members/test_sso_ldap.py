"""LDAP/AD single sign-on (members.accounts.sso.LDAPBackend) against a real
OpenLDAP server that the test starts on loopback: the directory's password
signs the teacher with the entry's staff number in; a wrong one does not and
counts as a failure of the login policy; a person the roster does not know
is refused with a clear message, or becomes a teacher when the settings say so."""

import ldap
import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client
from django_auth_ldap.config import LDAPSearch

from members.models import Teacher
from tests import factories as f
from tests.sso.servers import LDAP_ADMIN, LDAP_ADMIN_PASSWORD, LDAP_PEOPLE, ldif_person, run_slapd

LOGIN = "/accounts/login/"


@pytest.fixture(scope="module")
def ldap_uri():
    people = [
        ldif_person("likun", password="ldap-pass-1", cn="李堃", staff_no="SF1001"),
        ldif_person("newbie", password="ldap-pass-2", cn="韩新", staff_no="SF2002", mail="han@example.edu.cn"),
        ldif_person("nostaff", password="ldap-pass-3", cn="无工号"),
    ]
    with run_slapd(people) as uri:
        yield uri


@pytest.fixture
def ldap_on(settings, ldap_uri):
    settings.LDAP_ENABLED = True
    settings.AUTH_LDAP_SERVER_URI = ldap_uri
    settings.AUTH_LDAP_BIND_DN = LDAP_ADMIN
    settings.AUTH_LDAP_BIND_PASSWORD = LDAP_ADMIN_PASSWORD
    settings.AUTH_LDAP_USER_SEARCH = LDAPSearch(LDAP_PEOPLE, ldap.SCOPE_SUBTREE, "(uid=%(user)s)")
    return settings


@pytest.fixture
def likun(department):
    return f.TeacherFactory(name="李堃", staff_no="SF1001", school=department.school, department=department)


def attempt(username, password):
    client = Client(REMOTE_ADDR="198.51.100.7")
    r = client.post(LOGIN, {"username": username, "password": password})
    return r, client


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_it_signs_the_teacher_with_the_entrys_staff_number_in(ldap_on, likun):
    r, client = attempt("likun", "ldap-pass-1")
    assert r.status_code == 302
    assert signed_in_as(client) == str(likun.user_id)
    assert client.get("/").status_code == 200
    # the login policy's record of successful logins saw it
    assert AccessLog.objects.filter(username=likun.user.username, ip_address="198.51.100.7").exists()


def test_a_wrong_directory_password_is_refused_and_counted(ldap_on, likun):
    r, client = attempt("likun", "wrong-pass")
    assert signed_in_as(client) is None
    assert "请输入一个正确的" in r.content.decode() or "不正确" in r.content.decode()
    assert AccessAttempt.objects.get(username="likun", ip_address="198.51.100.7").failures_since_start == 1


def test_the_local_password_still_works_with_ldap_on(ldap_on, likun):
    _, client = attempt(likun.user.username, f.PASSWORD)
    assert signed_in_as(client) == str(likun.user_id)


def test_it_refuses_a_person_the_roster_does_not_know(ldap_on, likun):
    count = Teacher.objects.count()
    r, client = attempt("newbie", "ldap-pass-2")
    assert signed_in_as(client) is None
    page = r.content.decode()
    assert "工号 SF2002" in page and "教师名册中没有这个工号" in page
    assert Teacher.objects.count() == count
    assert AccessAttempt.objects.filter(username="newbie").exists()


def test_an_entry_without_a_staff_number_is_refused(ldap_on, likun):
    r, client = attempt("nostaff", "ldap-pass-3")
    assert signed_in_as(client) is None
    assert "没有提供您的工号" in r.content.decode()


def test_with_the_setting_an_unknown_person_becomes_a_teacher(ldap_on, department):
    ldap_on.SSO_CREATE_UNKNOWN = True
    ldap_on.SSO_NEW_TEACHER_SCHOOL = department.school.name
    r, client = attempt("newbie", "ldap-pass-2")
    teacher = Teacher.objects.select_related("user").get(staff_no="SF2002")
    assert signed_in_as(client) == str(teacher.user_id)
    assert (teacher.name, teacher.school, teacher.email) == ("韩新", department.school, "han@example.edu.cn")
    assert not teacher.user.has_usable_password()
    assert not teacher.must_change_password
    # a second login finds the same teacher
    _, again = attempt("newbie", "ldap-pass-2")
    assert signed_in_as(again) == str(teacher.user_id)
    assert Teacher.objects.filter(staff_no="SF2002").count() == 1


def test_with_ldap_off_the_directory_password_does_not_sign_in(settings, ldap_uri, likun):
    settings.LDAP_ENABLED = False
    settings.AUTH_LDAP_SERVER_URI = ldap_uri
    _, client = attempt("likun", "ldap-pass-1")
    assert signed_in_as(client) is None


def test_a_directory_login_is_not_held_by_the_first_password_rule(ldap_on, likun):
    likun.must_change_password = True
    likun.save()
    _, client = attempt("likun", "ldap-pass-1")
    assert client.get("/").status_code == 200
    # the same account with its local first password must change it
    _, local = attempt(likun.user.username, f.PASSWORD)
    assert local.get("/")["Location"] == "/accounts/password/"
