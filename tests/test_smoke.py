"""The site is up: login page in Chinese, home requires login, admin only for administrators."""


def test_it_shows_the_login_page_in_chinese(client, db):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert "登录" in r.content.decode()


def test_it_sends_anonymous_users_to_login(client, db):
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_it_shows_the_home_page_to_a_teacher(client, teacher):
    client.force_login(teacher.user)
    r = client.get("/")
    assert r.status_code == 200
    assert teacher.name in r.content.decode()


def test_it_opens_django_admin_to_administrators_only(client, admin, office):
    client.force_login(office)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_it_locks_out_after_repeated_failures(client, teacher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": teacher.user.username, "password": "wrong"})
    r = client.post("/accounts/login/", {"username": teacher.user.username, "password": "test-pass-123"})
    assert "暂时锁定" in r.content.decode()
    assert "_auth_user_id" not in client.session
