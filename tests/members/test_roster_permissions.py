"""Who may use the roster import: office and administrators import, leaders
only look (403 on changes), teachers have no access (403, or 404 for an
import they cannot see), anonymous users are sent to the login page."""

import pytest

from members.models import RosterImport, Teacher
from tests.members.roster_files import roster_row, upload, xlsx_bytes


@pytest.fixture
def roster_import(office, department):
    from members.roster.services import roster_import_create

    return roster_import_create(upload=upload(xlsx_bytes([roster_row("P1", "李堃"), roster_row("P2", "", title="副高")])),
                                user=office)


def _persona(request, name):
    if name == "anonymous":
        return None
    user = request.getfixturevalue(name)
    return user.user if isinstance(user, Teacher) else user


VIEWS = [
    # (method, url, allowed status)
    ("get", "/people/roster/", 200),
    ("get", "/people/roster/template.xlsx", 200),
    ("get", "/people/roster/{pk}/", 200),
    ("get", "/people/roster/{pk}/errors.xlsx", 200),
    ("get", "/people/roster/{pk}/status/", 200),
    ("post", "/people/roster/", 302),  # to the preview
    ("post", "/people/roster/{pk}/confirm/", 302),
]

# persona -> expected status per method (None = the allowed status)
EXPECTED = {
    "anonymous": {"get": 302, "post": 302, "object": 302},
    "outsider": {"get": 403, "post": 403, "object": 404},
    "teacher": {"get": 403, "post": 403, "object": 404},
    "host": {"get": 403, "post": 403, "object": 404},
    "leader": {"get": None, "post": 403, "object": None},
    "office": {"get": None, "post": None, "object": None},
    "admin": {"get": None, "post": None, "object": None},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("method, url, allowed", VIEWS)
def test_the_permission_matrix(client, request, roster_import, persona, method, url, allowed):
    user = _persona(request, persona)
    if user is not None:
        client.force_login(user)
    has_object = "{pk}" in url
    expected = EXPECTED[persona]["object" if has_object and method == "get" else method]
    if has_object and method == "post" and persona in ("outsider", "teacher", "host"):
        expected = 404  # the import is not visible to them at all
    expected = allowed if expected is None else expected
    data = {"file": upload(xlsx_bytes([roster_row("Z1", "张昇")]))} if url == "/people/roster/" else {"only_valid": "on"}
    r = getattr(client, method)(url.format(pk=roster_import.pk), data if method == "post" else None)
    assert r.status_code == expected
    if expected == 302 and persona == "anonymous":
        assert r["Location"].startswith("/accounts/login/")
    roster_import.refresh_from_db()
    changed = roster_import.status == RosterImport.Status.IMPORTED
    assert changed == (method == "post" and "confirm" in url and persona in ("office", "admin"))
    if not (method == "post" and persona in ("office", "admin")):
        assert not Teacher.objects.filter(staff_no__in=["P1", "Z1"]).exists()


def test_the_nav_shows_the_import_to_the_office_only(client, office, leader, teacher):
    for user, shown in ((office, True), (leader, False), (teacher.user, False)):
        client.force_login(user)
        assert ("导入名册" in client.get("/").content.decode()) == shown


def test_the_leader_sees_the_page_without_the_upload_form(client, leader):
    client.force_login(leader)
    page = client.get("/people/roster/").content.decode()
    assert "您可以查看和下载模板" in page and 'type="file"' not in page
