"""Passwords (members.accounts): reset by e-mail, the office's one-time
codes, and the first password that must be changed."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from members.models import PasswordCode, Teacher
from tests import factories as f
from tests.members.roster_files import roster_row, upload, xlsx_bytes

NEW_PASSWORD = "Qingshan-2027!"
LOGIN = "/accounts/login/"


def code_url(teacher):
    return f"/people/teachers/{teacher.pk}/password-code/"


def can_sign_in(username, password, **meta) -> bool:
    client = Client(**meta)
    client.post(LOGIN, {"username": username, "password": password})
    return "_auth_user_id" in client.session


def issue_code(client, teacher) -> str:
    page = client.post(code_url(teacher)).content.decode()
    return re.search(r'id="password-code">([A-Z0-9-]+)<', page).group(1)


def use_code(code, password=NEW_PASSWORD, password2=None):
    return Client().post("/accounts/code/", {"code": code, "new_password1": password,
                                             "new_password2": password2 or password})


# --- reset by e-mail ---------------------------------------------------------


def reset_link(teacher_email, settings) -> str:
    Client().post("/accounts/password/reset/", {"email": teacher_email})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/password/reset/\S+/)", body)
    assert link, body
    return link.group(1)


def test_it_mails_a_link_on_the_site_address_to_the_profiles_address(teacher, settings):
    settings.SITE_URL = "https://wr.example.edu.cn"
    teacher.email = "likun@example.edu.cn"
    teacher.save()
    assert teacher.user.email == ""  # known only on the teacher's profile
    reset_link("LIKUN@example.edu.cn", settings)
    message = mail.outbox[0]
    assert message.to == ["likun@example.edu.cn"]
    assert "设置新密码" in message.subject and "李堃" in message.body and "https://wr.example.edu.cn/" in message.body


def test_the_link_sets_a_password_once(teacher, settings):
    teacher.email = "likun@example.edu.cn"
    teacher.save()
    client = Client()
    link = reset_link(teacher.email, settings)
    r = client.get(link, follow=True)
    assert "设置新密码" in r.content.decode()
    r = client.post(r.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/done/"
    assert can_sign_in(teacher.user.username, NEW_PASSWORD)
    # the same link again: used
    again = Client().get(link, follow=True)
    assert "该链接无效" in again.content.decode()
    assert can_sign_in(teacher.user.username, NEW_PASSWORD)


def test_an_expired_link_is_refused(teacher, settings):
    teacher.email = "likun@example.edu.cn"
    teacher.save()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = reset_link(teacher.email, settings)
        clock.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
        page = Client().get(link, follow=True).content.decode()
    assert "该链接无效" in page
    assert can_sign_in(teacher.user.username, f.PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(teacher):
    r = Client().post("/accounts/password/reset/", {"email": "nobody@example.edu.cn"})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_flood_of_reset_requests_from_one_address_is_stopped(teacher, settings):
    settings.PASSWORD_RESET_REQUESTS = 2
    teacher.email = "likun@example.edu.cn"
    teacher.save()
    client = Client()
    for _ in range(2):
        client.post("/accounts/password/reset/", {"email": teacher.email})
    r = client.post("/accounts/password/reset/", {"email": teacher.email})
    assert "次数过多" in r.content.decode() and 'value="likun@example.edu.cn"' in r.content.decode()
    assert len(mail.outbox) == 2


# --- the office's one-time code ------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "get_status", "post_status"),
    [("outsider", 404, 404), ("leader", 403, 403), ("host", 403, 403), ("office", 200, 200)],
)
def test_code_page_permissions(request, client, member, persona, get_status, post_status):
    teacher = Teacher.objects.get(user=member)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(code_url(teacher)).status_code == get_status
    assert client.post(code_url(teacher)).status_code == post_status
    assert PasswordCode.objects.exists() == (persona == "office")


def test_code_page_sends_anonymous_visitors_to_login(client, teacher):
    r = client.get(code_url(teacher))
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_code_is_shown_once_and_kept_only_as_a_digest(client, office, teacher, settings):
    settings.SITE_URL = "https://wr.example.edu.cn"
    client.force_login(office)
    page = client.post(code_url(teacher)).content.decode()
    code = re.search(r'id="password-code">([A-Z0-9-]+)<', page).group(1)
    link = f"/accounts/code/{code.replace('-', '')}/"
    assert f"https://wr.example.edu.cn{link}" in page
    assert f'value="{code}"' in Client().get(link).content.decode()  # the link fills the code in
    row = PasswordCode.objects.get()
    assert (row.user, row.created_by) == (teacher.user, office)
    assert code.replace("-", "") not in row.digest
    assert code not in client.get(code_url(teacher)).content.decode()


def test_a_code_sets_the_password_once_and_lifts_the_lockout(client, office, teacher, settings):
    username = teacher.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        can_sign_in(username, "wrong")
    assert not can_sign_in(username, f.PASSWORD)  # locked out from here
    client.force_login(office)
    code = issue_code(client, teacher)
    r = use_code(code.lower())  # typed in small letters
    assert r.status_code == 302 and r["Location"] == LOGIN
    assert can_sign_in(username, NEW_PASSWORD)
    assert PasswordCode.objects.get().used_at is not None
    # used: the same code again changes nothing
    r = use_code(code, password="Another-pass-99")
    assert "已经用过" in r.content.decode()
    assert can_sign_in(username, NEW_PASSWORD)


def test_an_expired_code_is_refused(client, office, teacher, settings):
    client.force_login(office)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code = issue_code(client, teacher)
        clock.shift(timedelta(hours=settings.PASSWORD_CODE_HOURS, minutes=1))
        r = use_code(code)
    assert "已过期" in r.content.decode()
    assert can_sign_in(teacher.user.username, f.PASSWORD)


def test_a_new_code_voids_the_earlier_one(client, office, teacher):
    client.force_login(office)
    first = issue_code(client, teacher)
    second = issue_code(client, teacher)
    assert "已作废" in use_code(first).content.decode()
    assert use_code(second).status_code == 302


def test_a_wrong_code_or_mismatched_passwords_keep_what_was_typed(client, office, teacher):
    r = use_code("ABCD-EFGH-JKMN")
    page = r.content.decode()
    assert "设置密码码不正确" in page and 'value="ABCD-EFGH-JKMN"' in page
    client.force_login(office)
    code = issue_code(client, teacher)
    r = use_code(code, password=NEW_PASSWORD, password2="Different-pass-1")
    assert r.status_code == 200 and PasswordCode.objects.get().used_at is None
    assert f'value="{code}"' in r.content.decode()
    r = use_code(code, password="12345678")  # too common, all digits
    assert r.status_code == 200 and PasswordCode.objects.get().used_at is None


def test_guessing_codes_from_one_address_is_stopped(db, settings):
    settings.PASSWORD_CODE_TRIES = 3
    client = Client()
    for _ in range(3):
        client.post("/accounts/code/", {"code": "ABCD-EFGH-JKMN", "new_password1": NEW_PASSWORD,
                                        "new_password2": NEW_PASSWORD})
    r = client.post("/accounts/code/", {"code": "ABCD-EFGH-JKMN", "new_password1": NEW_PASSWORD,
                                        "new_password2": NEW_PASSWORD})
    assert "次数过多" in r.content.decode()


# --- the first password ----------------------------------------------------------


@pytest.fixture
def imported(department):
    """An account the roster import created, given a first password by an administrator."""
    return f.TeacherFactory(name="韩新", school=department.school, department=department, must_change_password=True)


def test_the_first_password_must_be_changed_before_anything_else(imported):
    client = Client()
    r = client.post(LOGIN, {"username": imported.user.username, "password": f.PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == "/accounts/password/"
    assert "请先修改密码" in r.content.decode()
    for path in ("/", "/people/teachers/", f"/people/teachers/{imported.pk}/"):
        r = client.get(path)
        assert r.status_code == 302 and r["Location"] == "/accounts/password/", path
    r = client.post("/accounts/password/", {"old_password": f.PASSWORD, "new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    imported.refresh_from_db()
    assert not imported.must_change_password


def test_a_rejected_change_keeps_the_rule(imported):
    client = Client()
    client.post(LOGIN, {"username": imported.user.username, "password": f.PASSWORD})
    r = client.post("/accounts/password/", {"old_password": "wrong", "new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    assert r.status_code == 200
    assert client.get("/")["Location"] == "/accounts/password/"
    imported.refresh_from_db()
    assert imported.must_change_password


def test_setting_the_password_with_a_code_meets_the_rule(client, office, imported):
    client.force_login(office)
    use_code(issue_code(client, imported))
    imported.refresh_from_db()
    assert not imported.must_change_password
    teacher_client = Client()
    teacher_client.post(LOGIN, {"username": imported.user.username, "password": NEW_PASSWORD})
    assert teacher_client.get("/").status_code == 200


def test_the_roster_import_marks_the_accounts_it_creates(client, office, department):
    known = f.TeacherFactory(staff_no="T001", school=department.school)
    client.force_login(office)
    content = xlsx_bytes([roster_row("T001", "王喆"), roster_row("T002", "李堃")])
    r = client.post("/people/roster/", {"file": upload(content)})
    client.post(r["Location"] + "confirm/")
    assert Teacher.objects.get(staff_no="T002").must_change_password
    known.refresh_from_db()
    assert not known.must_change_password
    assert not User.objects.get(username="T002").has_usable_password()
