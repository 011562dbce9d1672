"""No value in a query string makes a page fail (500): a bad year, month,
page number, date or id is either ignored by the page's filter or refused
with a Chinese message (400/404)."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

BAD_VALUES = ["0", "9" * 20, "abc", "2026-13-45", "\x00"]
KEYS = ["year", "semester", "month", "page", "date", "start", "end", "period", "workroom", "teacher",
        "school_year", "status", "kind", "department", "q", "id", "pk", "term", "category"]
SKIP = ("admin/", "accounts/logout/")


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def pages(pk: int):
    """Every page, its numeric arguments filled with ``pk`` (pages of other
    kinds of object answer 404, which is fine) and text arguments with a word."""
    found = set()
    for route in _routes(get_resolver().url_patterns):
        if "(" in route or route.startswith(SKIP):
            continue
        path = re.sub(r"<int:\w+>", str(pk), route)
        path = re.sub(r"<(str:|slug:)?\w+>", "x", path)
        found.add("/" + path)
    return sorted(found)


@pytest.mark.parametrize("value", BAD_VALUES)
def test_no_query_value_breaks_a_page(client, office, admin, workroom, member, value):
    query = urlencode(dict.fromkeys(KEYS, value))
    failures = []
    for user in (office, admin):
        client.force_login(user)
        for path in pages(workroom.pk):
            status = client.get(f"{path}?{query}").status_code
            if status >= 500:
                failures.append((user.username, path, status))
    assert failures == []


@pytest.mark.parametrize("year", ["0", "-1", "9" * 20, "abc", "1999"])
def test_a_member_assessment_refuses_a_year_it_cannot_use(client, host, workroom, member, year):
    membership = member.teacher.memberships.get(workroom=workroom)
    client.force_login(host)
    r = client.get(f"/assessment/members/{membership.pk}/", {"year": year})
    assert r.status_code == 400
    assert "学年" in r.content.decode()


def test_a_member_assessment_refuses_a_semester_it_cannot_use(client, host, workroom, member):
    membership = member.teacher.memberships.get(workroom=workroom)
    client.force_login(host)
    r = client.get(f"/assessment/members/{membership.pk}/", {"year": "2025", "semester": "3"})
    assert r.status_code == 400
    assert "学期只能是 1 或 2" in r.content.decode()
