"""The personal calendar feed: a secret address per person, read back with
the icalendar library; regenerating ends the old address."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.calendar import school_today, semester_of
from core.ical import feed_token
from tests.workrooms.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def read_feed(client, user):
    r = client.get(reverse("members:calendar_feed", args=[feed_token(user)]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(r.content)


def events(cal):
    return {str(e["uid"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_a_member_reads_the_workrooms_activities_and_deadlines_in_shanghai_time(client, workroom, member):
    start = timezone.make_aware(datetime.combine(school_today() + timedelta(days=3), datetime.min.time()), SHANGHAI)
    start += timedelta(hours=14, minutes=30)
    a = ActivityFactory(workroom=workroom, starts_at=start, theme="主题班会研讨", place="三楼会议室")
    elsewhere = ActivityFactory(theme="别的工作室的活动")

    found = events(read_feed(client, member))  # no sign-in: the token is the key

    entry = found[f"activity-{a.pk}"]
    assert "主题班会研讨" in str(entry["summary"]) and str(entry["location"]) == "三楼会议室"
    dtstart = entry.decoded("dtstart")
    assert dtstart == start and dtstart.utcoffset() == timedelta(hours=8)
    assert str(entry["dtstart"].params.get("TZID")) == "Asia/Shanghai"
    assert str(entry["url"]).endswith(reverse("workrooms:activity_detail", args=[a.pk]))
    assert f"activity-{elsewhere.pk}" not in found
    term = semester_of(school_today())
    assert found[f"duties-{term.code}"].decoded("dtstart") == term.last_day
    assert found[f"cycle-end-{workroom.pk}"].decoded("dtstart") == workroom.cycle_end


def test_an_outsider_sees_nothing_of_the_workroom(client, workroom, outsider):
    ActivityFactory(workroom=workroom, theme="内部活动")
    assert events(read_feed(client, outsider)) == {}


def test_regenerating_kills_the_old_address(client, member):
    old = reverse("members:calendar_feed", args=[feed_token(member)])
    client.force_login(member)
    r = client.post(reverse("members:calendar_feed_page"))
    assert r.status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("members:calendar_feed", args=[feed_token(member)])
    assert new != old and client.get(new).status_code == 200


@pytest.mark.parametrize("token", ["", "x", "not-a-real-token-0123456789abcdef"])
def test_an_unknown_token_is_not_found(client, token, member):
    feed_token(member)
    url = reverse("members:calendar_feed", args=["TOKEN"]).replace("TOKEN", token)
    assert url.startswith("/people/calendar-feed/")
    assert client.get(url).status_code == 404


def test_the_feed_of_a_disabled_account_is_gone(client, member):
    url = reverse("members:calendar_feed", args=[feed_token(member)])
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 404


def test_the_page_shows_ones_own_address_and_needs_sign_in(client, member, host, leader):
    url = reverse("members:calendar_feed_page")
    r = client.get(url)
    assert r.status_code == 302 and "/accounts/login/" in r.url
    for person in (member, host, leader):  # everyone has their own feed
        client.force_login(person)
        html = client.get(url).content.decode()
        assert feed_token(person) in html
    assert feed_token(member) not in html


def test_the_feed_keeps_its_queries_with_many_activities(client, workroom, member, django_assert_num_queries,
                                                        django_assert_max_num_queries):
    ActivityFactory(workroom=workroom)
    url = reverse("members:calendar_feed", args=[feed_token(member)])
    # the token with its user, the teacher, the workrooms hosted and joined,
    # the activities, the open workrooms
    with django_assert_max_num_queries(6) as one:
        client.get(url)
    for _ in range(30):
        ActivityFactory(workroom=workroom, starts_at=timezone.now() + timedelta(days=2))
    with django_assert_num_queries(len(one.captured_queries)):
        r = client.get(url)
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) >= 31
