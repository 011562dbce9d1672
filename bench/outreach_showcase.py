"""Benchmark: the public workroom page and the header's unread count on a
city-scale data set (200 workrooms, 2,400 members).

    DATABASE_URL=postgres://… REDIS_URL=redis://… \
        .venv/bin/python bench/outreach_showcase.py [--requests 1000]

The data set is generated once into the database named by DATABASE_URL
(recognised by its schools named 「基准测试学校N」) and reused afterwards."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.calendar import semester_of  # noqa: E402
from core.models import (
    Notification,
    StoredFile,  # noqa: E402
)
from core.notify import unread_count  # noqa: E402
from members.models import School, Teacher
from workrooms.models import (
    Activity,
    ActivityFile,
    OutreachRecord,
    RuleSet,
    ShowcaseSettings,
    VisitorMessage,
    Workroom,
)
from workrooms.plans.models import PlanVersion, WorkroomPlan
from workrooms.records.models import Achievement, ReviewStatus, Writing  # noqa: E402
from workrooms.selection.models import Membership

WORKROOMS = 200
MEMBERS_PER_WORKROOM = 12
SCHOOLS = 20
PREFIX = "基准测试学校"

settings.DEBUG = False
settings.ALLOWED_HOSTS = ["*"]


def generate() -> list[int]:
    existing = list(Workroom.objects.filter(school__name__startswith=PREFIX).values_list("pk", flat=True))
    if len(existing) >= WORKROOMS:
        return existing
    print("generating the city-scale data set …", flush=True)
    password = make_password("bench-pass-123")
    ruleset = RuleSet.objects.current()
    today = date.today()
    with transaction.atomic():
        schools = School.objects.bulk_create([School(name=f"{PREFIX}{i}") for i in range(SCHOOLS)])
        people = WORKROOMS * (1 + MEMBERS_PER_WORKROOM)
        users = User.objects.bulk_create([User(username=f"bench{i:05d}", password=password) for i in range(people)])
        teachers = Teacher.objects.bulk_create([
            Teacher(user=u, name=f"教师{i:05d}", staff_no=f"B{i:05d}", school=schools[i % SCHOOLS],
                    phone=f"139{i:08d}", email=f"bench{i}@example.cn", is_head_teacher=True)
            for i, u in enumerate(users)
        ])
        hosts, members = teachers[:WORKROOMS], teachers[WORKROOMS:]
        rooms = Workroom.objects.bulk_create([
            Workroom(name=Workroom.name_for(h.name), host=h, school=h.school, status=Workroom.Status.RUNNING,
                     research_direction="班级文化建设与家校共育", description="工作室简介。" * 20,
                     cycle_start=today - timedelta(days=400), cycle_end=today + timedelta(days=700), ruleset=ruleset)
            for h in hosts
        ])
        memberships = [Membership(workroom=w, teacher=w.host, role="host", status="active") for w in rooms]
        memberships += [
            Membership(workroom=rooms[i // MEMBERS_PER_WORKROOM], teacher=t, role="member", status="active")
            for i, t in enumerate(members)
        ]
        Membership.objects.bulk_create(memberships)
        ShowcaseSettings.objects.bulk_create([
            ShowcaseSettings(workroom=w, is_published=True, intro="<p>面向校外的介绍。</p>" * 5) for w in rooms
        ])
        plans = WorkroomPlan.objects.bulk_create([
            WorkroomPlan(workroom=w, kind=k, year=today.year, status="filed", is_public=True, version_count=1)
            for w in rooms for k in WorkroomPlan.Kind.values
        ])
        PlanVersion.objects.bulk_create([PlanVersion(plan=p, number=1, body="<p>计划正文。</p>" * 40) for p in plans])
        OutreachRecord.objects.bulk_create([
            OutreachRecord(workroom=w, kind=OutreachRecord.Kind.values[j % 3], date=today - timedelta(days=j * 20),
                           audience="兄弟学校班主任", topic=f"专题讲座{j}", hours=Decimal("2"), notes="<p>情况记录</p>",
                           is_public=j % 2 == 0)
            for w in rooms for j in range(10)
        ])
        VisitorMessage.objects.bulk_create([
            VisitorMessage(workroom=w, name=f"访客{j}", school="外校", body="很受启发，期待交流。" * 5,
                           status="approved" if j % 3 else "pending", ip_address="203.0.113.1")
            for w in rooms for j in range(30)
        ])
        generate_records(rooms, members, today)
        Notification.objects.bulk_create([
            Notification(user=hosts[0].user, kind="review_todo", title=f"通知{j}", read_at=None if j % 2 else timezone.now())
            for j in range(500)
        ])
    return [w.pk for w in rooms]


def generate_records(rooms, members, today) -> None:
    """Per workroom: 30 activities (half public, each public one with three
    public photos), 20 accepted writings and 10 verified achievements, half
    of each marked public."""
    semester = semester_of(today).label
    activities = Activity.objects.bulk_create([
        Activity(workroom=w, type="seminar", starts_at=timezone.now() - timedelta(days=j * 7), place="会议室",
                 theme=f"主题研讨{j}", is_public=j % 2 == 0)
        for w in rooms for j in range(30)
    ])
    public = [a for a in activities if a.is_public]
    files = StoredFile.objects.bulk_create([
        StoredFile(file=f"bench/photo-{i}.png", original_name="合影.png", content_type="image/png", size=1000)
        for i in range(len(public) * 3 + len(rooms) * 10)
    ])
    photos, evidence = files[: len(public) * 3], files[len(public) * 3:]
    ActivityFile.objects.bulk_create([
        ActivityFile(activity=a, file=photos[i * 3 + k], description=f"活动照片{k}", is_public=True)
        for i, a in enumerate(public) for k in range(3)
    ])
    by_room = {w.pk: [m for m in members[i * MEMBERS_PER_WORKROOM:(i + 1) * MEMBERS_PER_WORKROOM]]
               for i, w in enumerate(rooms)}
    Writing.objects.bulk_create([
        Writing(workroom=w, teacher=by_room[w.pk][j % MEMBERS_PER_WORKROOM], semester=semester, kind="case",
                title=f"教育叙事{j}", text="班级管理的一点体会。" * 60, written_on=today - timedelta(days=j),
                status=ReviewStatus.ACCEPTED, is_public=j % 2 == 0)
        for w in rooms for j in range(20)
    ])
    Achievement.objects.bulk_create([
        Achievement(workroom=w, teacher=by_room[w.pk][j % MEMBERS_PER_WORKROOM], kind="competition",
                    title=f"班会课竞赛获奖{j}", level="municipal", achieved_on=today - timedelta(days=j * 9),
                    semester=semester, evidence=evidence[i * 10 + j], status=Achievement.Status.VERIFIED,
                    is_public=j % 2 == 0)
        for i, w in enumerate(rooms) for j in range(10)
    ])


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def time_requests(client, urls) -> list[float]:
    times = []
    for url in urls:
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return times


def report(label, times):
    print(f"{label:<34} n={len(times):>5}  p50={statistics.median(times):6.1f} ms  "
          f"p95={percentile(times, 95):6.1f} ms  max={max(times):6.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    ids = generate()
    print(f"data set: {Workroom.objects.count()} workrooms, "
          f"{Membership.objects.filter(role='member').count()} members, "
          f"{VisitorMessage.objects.count()} messages, {OutreachRecord.objects.count()} outreach records, "
          f"{Activity.objects.count()} activities, {ActivityFile.objects.count()} photos, "
          f"{Writing.objects.count()} writings, {Achievement.objects.count()} achievements")
    client = Client()
    rng = random.Random(6)
    urls = [f"/showcase/{rng.choice(ids)}/" for _ in range(args.requests)]

    cache.clear()
    cold = []
    for url in urls[:200]:
        cache.clear()
        cold += time_requests(client, [url])
    report("public page, cache empty", cold)
    time_requests(client, [f"/showcase/{pk}/" for pk in ids])  # warm every page once
    report("public page, cached (p95 ≤ 100 ms)", time_requests(client, urls))
    report("Atom feed, cached", time_requests(client, [u + "feed/" for u in urls[:200]]))

    host = Workroom.objects.get(pk=ids[0]).host.user
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        n = unread_count(host)
        elapsed = (time.perf_counter() - t0) * 1000
    print(f"header unread count: {n} unread, {len(ctx)} query, {elapsed:.1f} ms")


if __name__ == "__main__":
    main()
