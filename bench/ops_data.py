"""City-scale data for the activity and duty pages (DOMAIN.md §5, §6).

200 workrooms, 2,400 members (12 each, plus 200 hosts), 100,000 activities
spread over the last three school years and one sign-in row per member and
activity (about 1.2 million), written in batches with COPY, and 20,000
reading logs.

    DATABASE_URL=postgres://…/bench_db DJANGO_SETTINGS_MODULE=config.settings.test \\
        .venv/bin/python bench/ops_data.py

It refuses to run on a database that already holds workrooms."""

import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.calendar import semester_of  # noqa: E402
from members.choices import Level  # noqa: E402
from members.models import School, Teacher
from workrooms.models import Activity, ActivityType, Attendance, RuleSet, Workroom  # noqa: E402
from workrooms.records.models import ReadingLog
from workrooms.selection.models import Membership  # noqa: E402

WORKROOMS = int(os.environ.get("BENCH_WORKROOMS", 200))
MEMBERS_PER_WORKROOM = 12
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", 100_000))
READING_LOGS = int(os.environ.get("BENCH_READING_LOGS", 20_000))
BATCH = 20_000
STATUSES = ["present"] * 8 + ["leave", "absent"]


def copy_rows(model, rows):
    """COPY ``rows`` (dicts by column name) into ``model``'s table. Django
    keeps field defaults in Python, not in the table, so a column a row
    leaves out is filled with its field's default (or NULL): a field added
    to the model later needs no change here."""
    given = set(rows[0]) if rows else set()
    fields = [f for f in model._meta.concrete_fields if f.column in given or not f.primary_key]
    fill = {}
    for f in fields:
        if f.column in given:
            continue
        default = f.get_default()  # "" for a text field without one, as Django saves it
        if default is None and not f.null:
            raise SystemExit(f"{model._meta.db_table}.{f.column} needs a value in the benchmark rows")
        fill[f.column] = f.get_db_prep_save(default, connection)
    columns = [f.column for f in fields]
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] if c in row else fill[c] for c in columns])


def main():
    call_command("migrate", verbosity=0)
    if Workroom.objects.exists():
        sys.exit("This database already holds workrooms; use an empty one.")
    rng = random.Random(2026)
    started = time.monotonic()
    ruleset = RuleSet.objects.current()
    school = School.objects.create(name="全市基准学校")
    Group.objects.get_or_create(name="德育处")
    office = User.objects.create_user("bench-office")
    office.groups.add(Group.objects.get(name="德育处"))
    people = WORKROOMS * (MEMBERS_PER_WORKROOM + 1)
    with transaction.atomic():
        User.objects.bulk_create([User(username=f"bench{i:05d}", password="!") for i in range(people)], batch_size=BATCH)
        users = list(User.objects.filter(username__startswith="bench0").order_by("username"))
        Teacher.objects.bulk_create(
            [Teacher(user=u, name=f"教师{i:05d}", staff_no=f"B{i:05d}", school=school, is_head_teacher=True) for i, u in enumerate(users)],
            batch_size=BATCH,
        )
        teachers = list(Teacher.objects.filter(school=school).order_by("staff_no"))
        today = timezone.localdate()
        cycle_start = today.replace(year=today.year - 3)
        workrooms = Workroom.objects.bulk_create(
            [
                Workroom(
                    name=f"{teachers[i * 13].name}名班主任工作室", host=teachers[i * 13], school=school,
                    status=Workroom.Status.RUNNING, cycle_start=cycle_start, cycle_end=today.replace(year=today.year + 1),
                    ruleset=ruleset,
                )
                for i in range(WORKROOMS)
            ]
        )
        memberships, roster = [], {}
        for i, w in enumerate(workrooms):
            group = teachers[i * 13 : i * 13 + 13]
            roster[w.pk] = [t.pk for t in group]
            memberships.append(Membership(workroom=w, teacher=group[0], role="host", status="active", joined_on=cycle_start))
            memberships += [Membership(workroom=w, teacher=t, role="member", status="active", joined_on=cycle_start) for t in group[1:]]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
    print(f"people and workrooms: {time.monotonic() - started:.1f}s", flush=True)

    # Activities spread over three school years up to now, with their sign-ins.
    now = timezone.now()
    span = int(timedelta(days=3 * 365).total_seconds())
    types = ActivityType.values
    levels = Level.values
    per_workroom = ACTIVITIES // WORKROOMS
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM workrooms_activity")
        next_id = cursor.fetchone()[0] + 1
    activity_rows, attendance_rows = [], []
    for w in workrooms:
        ids = roster[w.pk]
        for _ in range(per_workroom):
            starts = now - timedelta(seconds=rng.randrange(span))
            kind = rng.choice(types)
            activity_rows.append(
                {
                    "id": next_id, "workroom_id": w.pk, "type": kind, "starts_at": starts, "place": "会议室",
                    "theme": f"{kind} 主题", "speaker_id": rng.choice(ids), "recorder_id": rng.choice(ids),
                    "level": rng.choice(levels), "training_hours": Decimal(rng.choice([1, 2, 3, 4])),
                    "is_expert_lecture": kind == "expert_lecture", "is_cross_workroom": rng.random() < 0.05,
                    "created_at": now,
                }
            )
            for t in ids:
                attendance_rows.append(
                    {"activity_id": next_id, "teacher_id": t, "status": rng.choice(STATUSES), "source": "sheet",
                     "recorded_at": now}
                )
            next_id += 1
    copy_rows(Activity, activity_rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('workrooms_activity', 'id'), (SELECT max(id) FROM workrooms_activity))")
    print(f"activities: {len(activity_rows)} in {time.monotonic() - started:.1f}s", flush=True)
    for start in range(0, len(attendance_rows), 200_000):
        copy_rows(Attendance, attendance_rows[start : start + 200_000])
    print(f"sign-ins: {len(attendance_rows)} in {time.monotonic() - started:.1f}s", flush=True)

    # Reading logs over the same three years, half accepted, feeding the
    # record duties of the progress pages.
    member_rooms = [(t, w.pk) for w in workrooms for t in roster[w.pk][1:]]
    logs = []
    for i in range(READING_LOGS):
        teacher_id, workroom_id = member_rooms[i % len(member_rooms)]
        read_on = today - timedelta(days=rng.randrange(3 * 365))
        logs.append(
            ReadingLog(
                teacher_id=teacher_id, workroom_id=workroom_id, semester=semester_of(read_on).label,
                kind=rng.choice(["book", "book", "paper"]), title=f"书目{i}", read_on=read_on,
                reflection="读书体会" * 80, ruleset=ruleset, status=rng.choice(["submitted", "accepted"]),
            )
        )
    ReadingLog.objects.bulk_create(logs, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"reading logs: {len(logs)} in {time.monotonic() - started:.1f}s", flush=True)


if __name__ == "__main__":
    main()
