"""Personas and shared fixtures.

Personas (DOMAIN.md §1): ``admin`` (管理员), ``office`` (德育处), ``leader``
(校领导, read-only), ``expert`` (专家), ``reviewer`` (系部审核人 of
``department``), ``teacher`` (an ordinary teacher in ``department``),
``host`` (of ``workroom``), ``member`` (of ``workroom``) and ``outsider``
(a teacher of another school with no relation to anything)."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from members import roles
from members.schoolyear.services import calendars
from tests import factories as f

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# that browser tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# The tests whose outcome depends on "today" (terms, school years, deadlines,
# dashboards, reminders, reports): scripts/test_dates.sh runs them with the
# clock at each boundary of the school year.
DATE_SENSITIVE = (
    "tests/core/",
    "tests/members/test_school_calendar.py",
    "tests/workrooms/activities/",
    "tests/workrooms/records/",
    "tests/workrooms/outreach/test_notifications.py",
    "tests/assessment/test_services.py",
    "tests/assessment/test_member_and_evaluation.py",
    "tests/assessment/test_publicity.py",
    "tests/assessment/test_notices.py",
    "tests/archives/test_report_chapters.py",
    "tests/members/test_calendar_feed.py",
    "tests/workrooms/robots/test_events.py",
)


def pytest_collection_modifyitems(config, items):
    root = str(config.rootpath) + "/"
    for item in items:
        if str(item.path).removeprefix(root).startswith(DATE_SENSITIVE):
            item.add_marker(pytest.mark.calendar)


# Module-level parametrisation reads the calendar while tests are collected.
calendars.reset(empty=True)


@pytest.fixture(autouse=True)
def _no_school_calendars_yet():
    """Each test starts with no school calendar set (the defaults of
    DOMAIN.md §11); calendars a test saves are seen at once."""
    calendars.reset(empty=True)
    yield
    calendars.reset(empty=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test starts with no rate-limit counts: django-ratelimit keeps them
    in the shared Redis cache, under a prefix that is new for every test."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"


@pytest.fixture
def ruleset(db):
    from workrooms.models import RuleSet

    return RuleSet.objects.current()


@pytest.fixture
def school(db):
    return f.SchoolFactory()


@pytest.fixture
def department(school):
    return f.DepartmentFactory(school=school, name="高一年级部")


@pytest.fixture
def admin(db):
    return f.UserFactory(username="admin", is_staff=True, is_superuser=True, groups=[roles.ADMIN])


@pytest.fixture
def office(db):
    return f.UserFactory(username="office", groups=[roles.OFFICE])


@pytest.fixture
def leader(db):
    return f.UserFactory(username="leader", groups=[roles.LEADER])


@pytest.fixture
def expert(db):
    return f.UserFactory(username="expert", groups=[roles.EXPERT])


@pytest.fixture
def reviewer(department):
    t = f.TeacherFactory(name="系部主任", school=department.school, department=department)
    department.reviewers.add(t.user)
    return t.user


@pytest.fixture
def teacher(department):
    return f.TeacherFactory(name="李堃", school=department.school, department=department)


@pytest.fixture
def workroom(department, ruleset):
    host = f.TeacherFactory(name="王喆", school=department.school, department=department)
    return f.WorkroomFactory(host=host)


@pytest.fixture
def host(workroom):
    return workroom.host.user


@pytest.fixture
def member(workroom):
    other_school = f.SchoolFactory(name="实验小学")
    m = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="张昇", school=other_school))
    return m.teacher.user


@pytest.fixture
def outsider(db):
    far = f.SchoolFactory(name="远郊中学")
    return f.TeacherFactory(name="赵外", school=far, department=f.DepartmentFactory(school=far)).user


# --- browser -------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    # Reduced motion, as many users set it: buttons change colour without a
    # transition, so the accessibility check never measures a colour halfway.
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def login(page):
    """Sign ``user`` in through the real login form."""

    def _login(user, password=f.PASSWORD):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe(page):
    """Check the page with axe-core (WCAG 2 A and AA rules): ``axe()``
    returns the violations in the page's main content, as (rule, help,
    first targets). Evaluated through the browser's debugging protocol, so
    the Content-Security-Policy does not stand in its way."""

    def _check(selector: str = "main") -> list:
        page.evaluate(AXE.read_text())
        result = page.evaluate(
            "(sel) => axe.run(sel, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})", selector
        )
        return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]

    return _check


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
