"""Time the workroom duty progress page and the office overview on the data
of ``bench/ops_data.py``; print p50/p95 and the query count of each page.

    DATABASE_URL=postgres://…/bench_db DJANGO_SETTINGS_MODULE=config.settings.test \\
        .venv/bin/python bench/ops_pages.py [runs]"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from workrooms.models import Activity, Attendance, Workroom  # noqa: E402

TARGET_MS = 300


def measure(client, url, runs):
    client.get(url)  # warm caches and connections
    times, counts = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.add(len(ctx))
    times.sort()
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    return statistics.median(times), p95, sorted(counts)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(
        f"data: {Workroom.objects.count()} workrooms, {Activity.objects.count()} activities, "
        f"{Attendance.objects.count()} sign-ins"
    )
    office = User.objects.get(username="bench-office")
    workrooms = list(Workroom.objects.order_by("pk").values_list("pk", flat=True))
    host = Workroom.objects.select_related("host__user").get(pk=workrooms[len(workrooms) // 2]).host.user
    pages = [
        ("工作室职责进度（主持人）", host, reverse("workrooms:duty_progress", args=[workrooms[len(workrooms) // 2]])),
        ("工作室职责进度（德育处）", office, reverse("workrooms:duty_progress", args=[workrooms[0]])),
        ("各工作室职责进度 第1页", office, reverse("workrooms:duty_overview")),
        ("各工作室职责进度 第10页", office, reverse("workrooms:duty_overview") + "?page=10"),
        ("活动列表", host, reverse("workrooms:activity_list", args=[workrooms[len(workrooms) // 2]])),
        ("工作室概览（图表）", host, reverse("workrooms:dashboard", args=[workrooms[len(workrooms) // 2]])),
    ]
    failed = False
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        p50, p95, counts = measure(client, url, runs)
        ok = p95 <= TARGET_MS and len(counts) == 1
        failed |= not ok
        print(f"{label:<22} {url:<40} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  queries {counts}  {'ok' if ok else 'SLOW'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
