"""Every role's home page and main lists pass axe-core's WCAG 2 A/AA checks
(colour contrast of the navigation and of muted text included) on a desktop
and on a phone."""

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "office": ["/", "/workrooms/applications/", "/assessment/"],
    "leader": ["/", "/workrooms/", "/assessment/"],
    "host": ["/", "/workrooms/", "/workrooms/applications/"],
    "member": ["/", "/workrooms/", "/assessment/"],
    "teacher": ["/", "/workrooms/", "/workrooms/applications/"],
    "expert": ["/", "/workrooms/applications/"],
}


def _user(request, persona):
    user = request.getfixturevalue(persona)
    return user.user if persona == "teacher" else user


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("persona", list(PAGES))
def test_pages_meet_wcag_aa(request, page, login, axe, persona, width, height, workroom):
    page.set_viewport_size({"width": width, "height": height})
    login(_user(request, persona))
    for path in PAGES[persona]:
        page.goto(path)
        page.locator("nav.navbar").wait_for()
        assert axe("body") == [], (persona, width, path)
