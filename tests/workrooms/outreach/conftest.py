"""Fixtures for plans, mentoring, the public page and notifications."""

import pytest
from django.core.cache import cache

from tests import factories as f
from tests.workrooms.outreach import factories as of

XSS = [
    '<script>alert("x")</script>正文',
    '<img src=x onerror="alert(1)">正文',
    '<a href="javascript:alert(1)">链接</a>正文',
    '<p onclick="alert(1)" style="x">正文</p>',
    '<svg onload=alert(1)>正文</svg>',
    '<iframe src="https://evil.example"></iframe>正文',
]


def assert_no_script(html: str):
    low = html.lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg"):
        assert bad not in low, bad


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The public page and the rate limit live in the cache; every test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member_membership(member, workroom):
    return member.teacher.memberships.get(workroom=workroom)


@pytest.fixture
def showcase(workroom):
    return of.ShowcaseFactory(workroom=workroom)


@pytest.fixture
def second_member(workroom):
    m = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="刘芳", school=f.SchoolFactory(name="第二中学")))
    return m.teacher.user
