"""A person's calendar feed (iCalendar, RFC 5545) behind a secret address,
so that phones show the activities and deadlines of their workrooms.

Each app registers the functions ``(user) -> [FeedEvent]`` that fill the
feed (``@feed_sources.register``); this module only writes the file and
keeps the secret token."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar, Event

from core.models import CalendarFeed
from core.registry import Hook

feed_sources = Hook("calendar_feed")
DEFAULT_LENGTH = timedelta(hours=2)


@dataclass(frozen=True)
class FeedEvent:
    uid: str  # stable across downloads, e.g. "activity-12"
    title: str
    start: datetime | date  # a date: an all-day entry (a deadline)
    url: str = ""
    location: str = ""
    end: datetime | None = None


def feed_token(user) -> str:
    """The person's current token, created on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed.token if feed else feed_token_regenerate(user=user)


def feed_token_regenerate(*, user) -> str:
    """A new secret address; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        try:
            CalendarFeed.objects.update_or_create(user=user, defaults={"token": token, "created_at": timezone.now()})
        except IntegrityError:  # a token already taken: astronomically unlikely, try once more
            return feed_token_regenerate(user=user)
    return token


def feed_user(token: str):
    """The active user whose feed ``token`` opens, or None."""
    if not token:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    return feed.user if feed and feed.user.is_active else None


def feed_ics(user) -> bytes:
    """The feed of ``user``: every registered source, times in the school's
    time zone (Asia/Shanghai)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//workrooms//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{settings.SITE_NAME}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "workrooms"
    for found in feed_sources(user):
        for item in found:
            ev = Event()
            ev.add("uid", f"{item.uid}@{host}")
            ev.add("dtstamp", stamp)
            ev.add("summary", item.title)
            if isinstance(item.start, datetime):
                start = item.start.astimezone(tz)
                ev.add("dtstart", start)
                ev.add("dtend", (item.end or item.start + DEFAULT_LENGTH).astimezone(tz))
            else:
                ev.add("dtstart", item.start)
                ev.add("dtend", item.start + timedelta(days=1))
            if item.location:
                ev.add("location", item.location)
            if item.url:
                link = f"{settings.SITE_URL}{item.url}" if item.url.startswith("/") else item.url
                ev.add("url", link)
                ev.add("description", link)
            cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
