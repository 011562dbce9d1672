"""The workroom page links to the workroom's other pages, each only for
those who may open it, without costing a query per link."""

import pytest
from django.urls import reverse

from tests import factories as f

OPS = ["概览", "活动", "职责进度", "经费", "群机器人", "课题"]
VISIBLE = {
    "host": OPS + ["档案", "成员管理", "年度报告"],
    "member": OPS + ["档案"],
    "office": OPS + ["档案", "成员管理", "年度报告"],
    # reads the roster too, but 成员管理 is linked for those who manage; the
    # annual report is the school's as well as the host's
    "leader": OPS + ["档案", "年度报告"],
    "teacher": [],
    "expert": [],
}


def tab_links(html):
    """(label, url) of the page's workroom tabs, the current one left out."""
    if 'id="workroom-pages"' not in html:
        return {}
    bar = html.split('id="workroom-pages"', 1)[1].split("</ul>", 1)[0]
    links = {}
    for item in bar.split('<a class="nav-link')[1:]:
        href = item.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        label = item.split(">", 1)[1].split("<", 1)[0]
        if "active" not in item.split(">", 1)[0]:
            links[label] = href
    return links


@pytest.mark.parametrize("persona", VISIBLE)
def test_it_links_only_the_pages_a_persona_may_open(request, client, workroom, host, member, persona):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    r = client.get(reverse("workrooms:detail", args=[workroom.pk]))
    assert r.status_code == 200
    links = tab_links(r.content.decode())
    assert sorted(links) == sorted(VISIBLE[persona])
    for label, url in links.items():
        assert client.get(url).status_code == 200, label


def test_it_links_the_workrooms_own_projects(client, workroom, host, member):
    from workrooms.records import services as records

    records.project_create(actor=host, workroom=workroom, title="家校共育的实践研究", level="school",
                           leader=host.teacher, started_on=workroom.cycle_start)
    other = f.WorkroomFactory()
    records.project_create(actor=other.host.user, workroom=other, title="别家的课题", level="school",
                           leader=other.host, started_on=other.cycle_start)
    client.force_login(f.UserFactory(groups=["德育处"]))
    links = tab_links(client.get(reverse("workrooms:detail", args=[workroom.pk])).content.decode())
    html = client.get(links["课题"]).content.decode()
    assert "家校共育的实践研究" in html and "别家的课题" not in html


def test_it_shows_the_workroom_page_in_constant_queries(client, workroom, host, django_assert_num_queries):
    client.force_login(host)
    url = reverse("workrooms:detail", args=[workroom.pk])
    f.MembershipFactory(workroom=workroom)
    client.get(url)  # the content type of the history is cached after the first request
    # session, user, workroom, roster, then the roles (groups, teacher,
    # reviewed departments), application, history, hosted and member
    # workroom ids; 11 as before the links to the workroom's pages were
    # added: they are decided from the roles already read; and the header's
    # unread count
    with django_assert_num_queries(12):
        client.get(url)
    for _ in range(49):
        f.MembershipFactory(workroom=workroom)
    with django_assert_num_queries(12):
        client.get(url)
