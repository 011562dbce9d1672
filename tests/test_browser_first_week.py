"""A newcomer's first week in every role, from the demo school: every entry
of the role's menu and every link of its home page opens (no dead end),
shows its heading, names people rather than login names, offers no raw
``---------`` choice, and passes
axe-core's WCAG 2 A/AA checks at desktop size."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from config.management.commands.load_demo import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["teacher", "host", "member", "office", "leader", "expert1", "reviewer", "admin"]
LOGIN_NAMES = re.compile(r"\b(teacher|host|member|office|leader|expert[12]|reviewer|admin)\b")
# Links that leave the pages a newcomer reads: downloads and the admin site.
NOT_PAGES = re.compile(r"\.(xlsx|pdf|zip|csv)$|/download/|/admin/|/export/|^#|^mailto:|/accounts/logout")


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=StringIO())


def _same_site(href: str) -> bool:
    return href.startswith("/") and not href.startswith("//")


def _menu(page) -> list[tuple[str, str]]:
    links = page.locator("nav.navbar a.nav-link:not(.dropdown-toggle), nav.navbar a.dropdown-item")
    return [(a.inner_text().strip(), a.get_attribute("href")) for a in links.all()]


def _problems(page, axe, href) -> list:
    """What a newcomer would trip on at ``href``: [] when nothing."""
    response = page.goto(href)
    if response.status != 200:
        return [(href, response.status)]
    problems = []
    if page.locator("main h1").count() == 0 or not page.locator("main h1").first.inner_text().strip():
        problems.append((href, "no heading"))
    login_name = LOGIN_NAMES.search(page.locator("main").inner_text())
    if login_name:
        problems.append((href, "login name", login_name.group(0)))
    if "---------" in page.locator("main").inner_html():
        problems.append((href, "raw empty choice ---------"))
    problems += [(href, *violation) for violation in axe("body")]
    return problems


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_entry_and_home_link_leads_somewhere(demo, page, login, axe, username):
    login(User.objects.get(username=username), password=PASSWORD)
    page.goto("/")
    menu = [(label, href) for label, href in _menu(page) if _same_site(href) and not NOT_PAGES.search(href)]
    assert len(menu) >= 3, (username, menu)
    home_links = {a.get_attribute("href") for a in page.locator("main a[href]").all()}
    problems = []
    for _label, href in menu:
        problems += _problems(page, axe, href)
    # The home page's links (its to-do list and shortcuts) answer too.
    for href in sorted(h for h in home_links if _same_site(h) and not NOT_PAGES.search(h)):
        status = page.request.get(href).status
        if status != 200:
            problems.append((href, status))
    assert problems == [], username


def test_office_and_admin_see_why_a_step_must_wait(demo, page, login):
    from django.utils import timezone

    from workrooms.models import HostApplication

    A = HostApplication.Status
    in_review = HostApplication.objects.filter(status=A.EXPERT_REVIEW).first()
    on_notice = HostApplication.objects.filter(status=A.PUBLIC_NOTICE, notice_ends_at__gt=timezone.now()).first()

    login(User.objects.get(username="office"), password=PASSWORD)
    page.goto(f"/workrooms/applications/{in_review.pk}/")
    start = page.get_by_role("button", name="评审通过，开始公示")
    assert start.is_disabled()
    assert "还有 1 份评审未提交" in page.locator("[data-refusal=start_notice]").inner_text()
    assert page.get_by_role("button", name="退回申报人").is_enabled()

    login(User.objects.get(username="admin"), password=PASSWORD)
    page.goto(f"/workrooms/applications/{on_notice.pk}/")
    assert page.get_by_role("button", name="批准立项").is_disabled()
    ends = timezone.localtime(on_notice.notice_ends_at)
    assert f"公示期至 {ends.month}月{ends.day}日" in page.locator("[data-refusal=approve]").inner_text()


@pytest.mark.parametrize("username", ["teacher", "member"])
def test_teachers_reach_their_certificates_and_handbook_from_the_menu(demo, page, login, username):
    login(User.objects.get(username=username), password=PASSWORD)
    page.goto("/")
    page.locator("nav.navbar").get_by_role("link", name="文档与证书").click()
    page.get_by_role("heading", name="文档与证书").wait_for()
    assert page.get_by_role("button", name="生成成长手册").is_visible()
    page.get_by_role("link", name="我的证书").click()
    page.locator("main h1").wait_for()
    assert page.url.endswith("/archives/certificates/")
