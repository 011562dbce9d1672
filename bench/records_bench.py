"""Benchmark of members' records and archives on city-scale data.

Builds (once) 200 workrooms with 12 members each (2,400), 20,000 reading
logs, 10,000 writings, 5,000 achievements and 20,000 archive entries in the
database named by DATABASE_URL, then measures:

- ``record_counts`` for all workrooms over a semester and for one workroom;
- a workroom's archive page and the office's reading-log list (the pages,
  through the full request cycle), with their query counts.

Run:  DATABASE_URL=postgres://.../wr_bench python bench/records_bench.py [runs]
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")  # DEBUG off, any host

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.calendar import semester_of  # noqa: E402
from core.models import StoredFile
from members import roles  # noqa: E402
from members.models import School, Teacher
from workrooms.archive.models import ArchiveEntry  # noqa: E402
from workrooms.models import RuleSet, Workroom  # noqa: E402
from workrooms.records.models import Achievement, ReadingLog, Writing  # noqa: E402
from workrooms.records.selectors import record_counts  # noqa: E402
from workrooms.selection.models import Membership

SCHOOL = "基准测试学校"
WORKROOMS, MEMBERS, READINGS, WRITINGS, ACHIEVEMENTS, ENTRIES = 200, 12, 20_000, 10_000, 5_000, 20_000
START = date(2025, 9, 1)


def build():
    if School.objects.filter(name=SCHOOL).exists():
        return
    school = School.objects.create(name=SCHOOL)
    ruleset = RuleSet.objects.current()
    n_teachers = WORKROOMS * (MEMBERS + 1)
    users = User.objects.bulk_create(User(username=f"bench{i:05d}") for i in range(n_teachers))
    teachers = Teacher.objects.bulk_create(
        Teacher(user=u, name=f"教师{i}", staff_no=f"B{i:05d}", school=school) for i, u in enumerate(users)
    )
    hosts, members = teachers[:WORKROOMS], teachers[WORKROOMS:]
    rooms = Workroom.objects.bulk_create(
        Workroom(name=f"{h.name}名班主任工作室", host=h, school=school, status="running", cycle_start=START,
                 cycle_end=START.replace(year=START.year + 3), ruleset=ruleset)
        for h in hosts
    )
    Membership.objects.bulk_create(
        [Membership(workroom=w, teacher=h, role="host", status="active") for w, h in zip(rooms, hosts)]
        + [Membership(workroom=rooms[i // MEMBERS], teacher=t, role="member", status="active") for i, t in enumerate(members)]
    )
    room_of = {t.pk: rooms[i // MEMBERS] for i, t in enumerate(members)}

    def day(i):
        return START + timedelta(days=i % 300)

    ReadingLog.objects.bulk_create(
        (ReadingLog(teacher=members[i % len(members)], workroom=room_of[members[i % len(members)].pk],
                    semester=semester_of(day(i)).label, kind="book" if i % 3 else "paper", title=f"书{i}",
                    read_on=day(i), reflection="读" * 300, ruleset=ruleset, status=("submitted", "accepted")[i % 2])
         for i in range(READINGS)), batch_size=2000,
    )
    Writing.objects.bulk_create(
        (Writing(teacher=members[i % len(members)], workroom=room_of[members[i % len(members)].pk],
                 semester=semester_of(day(i)).label, kind=Writing.Kind.values[i % 6], title=f"文{i}", text="正文",
                 written_on=day(i), submitted=bool(i % 2))
         for i in range(WRITINGS)), batch_size=2000,
    )
    evidence = StoredFile(original_name="证书.pdf", content_type="application/pdf", size=8)
    evidence.file.save("upload", ContentFile(b"%PDF-1.4"), save=True)
    Achievement.objects.bulk_create(
        (Achievement(teacher=members[i % len(members)], workroom=room_of[members[i % len(members)].pk],
                     kind=Achievement.Kind.values[i % 7], title=f"奖{i}", level=("school", "county", "municipal")[i % 3],
                     achieved_on=day(i), semester=semester_of(day(i)).label, evidence=evidence,
                     status=("pending", "verified")[i % 2])
         for i in range(ACHIEVEMENTS)), batch_size=2000,
    )
    ArchiveEntry.objects.bulk_create(
        (ArchiveEntry(workroom=rooms[i % WORKROOMS], category=ArchiveEntry.Category.values[i % 5], kind="上传文件",
                      title=f"档案{i}", member=members[i % len(members)], semester=semester_of(day(i)).label,
                      filed_on=day(i), file=evidence)
         for i in range(ENTRIES)), batch_size=2000,
    )
    office = User.objects.create_user("bench-office", password="bench-pass")
    office.groups.add(Group.objects.get_or_create(name=roles.OFFICE)[0])


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def page(client, url, runs):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    median, p95 = timed(lambda: client.get(url), runs)
    return median, p95, len(queries)


def main(runs=30):
    build()
    rooms = list(Workroom.objects.filter(school__name=SCHOOL).values_list("pk", flat=True))
    semester = semester_of(START)
    with CaptureQueriesContext(connection) as ctx:
        counts = record_counts(workroom_ids=rooms, start=semester.start, end=semester.end)
    print(f"record_counts, {len(rooms)} workrooms, one semester: {len(counts)} members, {len(ctx.captured_queries)} queries")
    print("  median {:.1f} ms, p95 {:.1f} ms".format(*timed(lambda: record_counts(workroom_ids=rooms, start=semester.start, end=semester.end), runs)))
    print("record_counts, one workroom: median {:.1f} ms, p95 {:.1f} ms".format(*timed(lambda: record_counts(workroom_ids=rooms[:1], start=semester.start, end=semester.end), runs)))

    host = Workroom.objects.get(pk=rooms[0]).host.user
    client = Client()
    client.force_login(host)
    print("archive page of a workroom (host): median {:.1f} ms, p95 {:.1f} ms, {} queries".format(
        *page(client, f"/archives/workrooms/{rooms[0]}/", runs)))
    office = Client()
    office.force_login(User.objects.get(username="bench-office"))
    print("reading-log list, office (all {}): median {:.1f} ms, p95 {:.1f} ms, {} queries".format(
        ReadingLog.objects.count(), *page(office, "/people/records/reading/", runs)))
    print("archive index, office: median {:.1f} ms, p95 {:.1f} ms, {} queries".format(*page(office, "/archives/", runs)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
