"""Each role's main pages on a phone (390×844) and on a desktop: no
accessibility violation (axe-core, WCAG 2 A/AA), and on the phone every
table scrolls inside its wrapper with no cell squeezed to a character or two,
while the page itself does not scroll sideways."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.models import Period, Result
from tests.assessment.factories import MonthPeriodFactory
from tests.workrooms.activities.factories import ActivityFactory, AttendanceFactory, ExpenseFactory
from tests.workrooms.records.factories import ReadingLogFactory
from workrooms.models import Attendance, RuleSet

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# What a cell may not be narrower than: three characters of its own font.
MEASURE = """() => {
  const cells = [...document.querySelectorAll("main td, main th")].filter(
    (c) => c.getClientRects().length && c.colSpan === 1 && c.textContent.trim());
  const narrow = cells.filter((c) => c.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(c).fontSize))
    .map((c) => c.textContent.trim().slice(0, 20));
  const outside = [...document.querySelectorAll("main table")].filter((t) => !t.parentElement.classList.contains("table-phone")).length;
  return {cells: cells.length, narrow, outside, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture
def school_life(workroom, host, member, department):
    """A workroom with an activity (signed in), an expense, a reading log and
    an achievement; a published month with results."""
    now = timezone.now()
    activity = ActivityFactory(workroom=workroom, theme="班级文化建设研讨", starts_at=now - timedelta(days=2))
    AttendanceFactory(activity=activity, teacher=member.teacher, status=Attendance.Status.PRESENT)
    ExpenseFactory(workroom=workroom)
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="给教师的建议", author="苏霍姆林斯基")
    period = MonthPeriodFactory(school=department.school, school_year=2025, month=10, status=Period.Status.PUBLICIZED)
    Result.objects.create(
        period=period, teacher=host.teacher, department=department, ruleset=RuleSet.objects.current(),
        outcome="合格", score=Decimal("88.5"),
    )
    return {"activity": activity}


def pages(persona, workroom, member, activity) -> list[str]:
    w = workroom.pk
    return {
        "host": [
            "/", f"/workrooms/{w}/", f"/workrooms/{w}/activities/", f"/workrooms/activities/{activity.pk}/",
            f"/workrooms/{w}/funding/", f"/workrooms/{w}/duties/", f"/workrooms/{w}/dashboard/",
            f"/people/workrooms/{w}/members/", "/people/mine/", "/people/records/reading/",
        ],
        "member": [
            "/", f"/workrooms/activities/{activity.pk}/", f"/workrooms/{w}/duties/members/{member.teacher.pk}/",
            "/people/mine/", "/people/records/reading/", "/people/records/writings/", "/people/records/research/",
            "/people/records/achievements/", "/assessment/mine/", f"/workrooms/{w}/funding/",
        ],
        "teacher": ["/", "/workrooms/", "/workrooms/applications/", "/people/mine/", "/assessment/mine/"],
        "office": ["/", "/dashboard/", "/workrooms/", "/workrooms/applications/", "/workrooms/duties/overview/", "/assessment/"],
        "leader": ["/", "/workrooms/", "/workrooms/duties/overview/", "/assessment/"],
    }[persona]


def _user(request, persona):
    user = request.getfixturevalue(persona)
    return user.user if persona == "teacher" else user


@pytest.mark.parametrize("persona", ["host", "member"])
def test_tables_scroll_inside_their_wrapper_on_a_phone(request, page, login, persona, workroom, member, school_life):
    page.set_viewport_size(PHONE)
    login(_user(request, persona))
    measured = 0
    for path in pages(persona, workroom, member, school_life["activity"]):
        page.goto(path)
        page.locator("nav.navbar").wait_for()
        m = page.evaluate(MEASURE)
        assert m["narrow"] == [], (path, m["narrow"])
        assert m["outside"] == 0, path
        assert m["overflow"] <= 0, (path, m["overflow"])
        measured += m["cells"]
    assert measured > 50  # the pages did show tables


def test_the_first_column_stays_while_a_wide_table_scrolls(page, login, host, workroom, school_life):
    page.set_viewport_size(PHONE)
    login(host)
    page.goto(f"/workrooms/{workroom.pk}/duties/")
    wrapper = page.locator("main .table-phone").filter(has=page.locator("tbody tr")).first
    first = wrapper.locator("tbody tr").first.locator("> :first-child")
    second = wrapper.locator("tbody tr").first.locator("> :nth-child(2)")
    before = (first.bounding_box()["x"], second.bounding_box()["x"])
    wrapper.evaluate("(el) => { el.scrollLeft = 120; }")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=wrapper.element_handle())
    after = (first.bounding_box()["x"], second.bounding_box()["x"])
    assert after[0] == before[0] and after[1] < before[1]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("persona", ["teacher", "host", "member", "office", "leader"])
def test_main_pages_meet_wcag_aa(request, page, login, axe, persona, size, workroom, member, school_life):
    page.set_viewport_size(size)
    login(_user(request, persona))
    for path in pages(persona, workroom, member, school_life["activity"]):
        page.goto(path)
        page.locator("nav.navbar").wait_for()
        assert axe("body") == [], (persona, size["width"], path)


def test_the_leaders_charts_are_drawn(page, login, leader, school_life):
    login(leader)
    page.goto("/")
    for chart in ("chart-status", "chart-activity", "chart-pass"):
        page.wait_for_function(
            "(id) => { const c = document.getElementById(id + '-canvas'); return window.Chart && Chart.getChart(c); }",
            arg=chart,
        )
    page.click("#dashboard-status a[aria-label^='查看运行中']")
    page.wait_for_url("**/workrooms/?status=running")
    assert page.locator("main table tbody tr").count() == 1

