"""Activities the host marks public appear on the workroom's public page and
in its feed (DOMAIN.md §3 辐射引领); the others, and what happened inside
them, never do."""

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import ActivityFactory
from tests.workrooms.outreach.test_showcase import page
from workrooms.models import Activity


@pytest.fixture
def activities(workroom, member):
    speaker = member.teacher
    speaker.phone = "13812345678"
    speaker.save()
    return (
        ActivityFactory(workroom=workroom, theme="班会课观摩研讨", place="报告厅", is_public=True, speaker=speaker,
                        minutes="家长电话 13900001111 已记录"),
        ActivityFactory(workroom=workroom, theme="内部工作例会", is_public=False),
    )


def test_it_shows_a_public_activity_and_not_a_private_one(client, workroom, showcase, activities):
    html = page(client, workroom)
    assert "班会课观摩研讨" in html and "报告厅" in html
    assert "内部工作例会" not in html
    assert "13812345678" not in html and "13900001111" not in html


def test_the_feed_lists_only_public_activities(client, workroom, showcase, activities):
    body = client.get(reverse("showcase:feed", args=[workroom.pk])).content.decode()
    assert "班会课观摩研讨" in body and "内部工作例会" not in body
    assert "13900001111" not in body


def test_the_host_marks_an_activity_public_on_its_form(client, workroom, host, showcase):
    from tests.workrooms.activities.test_views import activity_data

    client.force_login(host)
    form = client.get(reverse("workrooms:activity_create", args=[workroom.pk])).content.decode()
    assert "在展示页公开" in form
    client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(theme="班会课观摩研讨", is_public="on"))
    client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(theme="内部工作例会"))
    assert dict(Activity.objects.values_list("theme", "is_public")) == {"内部工作例会": False, "班会课观摩研讨": True}
    client.logout()
    html = page(client, workroom)
    assert "班会课观摩研讨" in html and "内部工作例会" not in html
