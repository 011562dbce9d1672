"""Main pages in a real browser under the Content-Security-Policy: nothing
the pages need is blocked (no violation reported), their scripts still work
(character count, progress bars, chart), an injected inline script does not
run, and axe-core finds no accessibility violation."""

import pytest
from django.urls import reverse

from tests.workrooms.outreach.factories import ShowcaseFactory

pytestmark = pytest.mark.browser

# Collects every violation the browser reports, from the first byte of each page.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def check(page, axe, path, shows):
    """Open ``path``, wait for what it shows, and return the CSP and the
    accessibility violations of the whole page."""
    page.goto(path)
    page.locator(shows).first.wait_for()
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations"), axe("body")


def test_public_pages_satisfy_the_policy(watched, axe, workroom, db):
    ShowcaseFactory(workroom=workroom, accept_messages=True)
    for path, shows in [
        ("/accounts/login/", "button[type=submit]"),
        ("/archives/verify/", "#verify-code"),
        (reverse("showcase:page", args=[workroom.pk]), f"h1:has-text('{workroom.name}')"),
    ]:
        assert check(watched, axe, path, shows) == ([], []), path


def test_signed_in_pages_satisfy_the_policy_and_their_scripts_work(watched, axe, login, workroom, member, host):
    login(member)
    assert check(watched, axe, "/", "text=您好") == ([], [])
    assert check(watched, axe, "/people/records/reading/new/", "textarea[data-min-chars]") == ([], [])
    # the character count (a static script now) still counts
    area = watched.locator("textarea[data-min-chars]").first
    area.fill("读书")
    watched.locator(".char-count", has_text="已写 2 字").first.wait_for()

    login(host)
    assert check(watched, axe, f"/workrooms/{workroom.pk}/dashboard/", "canvas") == ([], [])
    bar = watched.locator(".progress-bar[data-width]").first
    assert bar.evaluate("el => el.style.width") == bar.get_attribute("data-width") + "%"


def test_an_injected_inline_script_does_not_run(watched, db):
    watched.goto("/accounts/login/")
    watched.locator("button[type=submit]").wait_for()
    ran = watched.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
                   document.body.append(s); return window.__ran === true; }"""
    )
    assert ran is False
    watched.wait_for_function("window.__cspViolations.length > 0")
    assert watched.evaluate("window.__cspViolations")[0].startswith("script-src")
