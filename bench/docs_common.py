"""Shared set-up of the document benchmarks: Django on the configured
database, a private media folder, real Celery workers on Redis."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
# Workers keep their database connection between tasks and run without
# DEBUG (no query log), as in production.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
os.environ.setdefault("DJANGO_DEBUG", "0")
if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    sys.exit("Set DATABASE_URL (PostgreSQL, migrated) and REDIS_URL first.")

import django  # noqa: E402

django.setup()


def start_worker(concurrency: int, pool: str = "prefork") -> subprocess.Popen:
    from config.celery import app

    app.control.purge()
    cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", f"--concurrency={concurrency}",
           "--without-mingle", "--without-gossip", "-l", "warning", "-n", f"bench-{uuid.uuid4().hex[:6]}@%h"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ))
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("worker did not start")
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(30)


def make_workroom(members: int):
    """A completed workroom with ``members`` members and an office user."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from members.models import School, Teacher
    from members.roles import OFFICE
    from workrooms.models import RuleSet, Workroom
    from workrooms.selection.models import Membership

    tag = uuid.uuid4().hex[:8]
    school = School.objects.create(name=f"基准学校{tag}")
    office = User.objects.create(username=f"bench-office-{tag}")
    office.groups.add(Group.objects.get_or_create(name=OFFICE)[0])
    users = User.objects.bulk_create([User(username=f"bench-{tag}-{i}") for i in range(members + 1)])
    names = ["王喆", "李堃", "张昇", "赵敏"]
    teachers = Teacher.objects.bulk_create(
        [Teacher(user=u, name=f"{names[i % 4]}{i}", staff_no=f"B{tag}{i:05d}", school=school) for i, u in enumerate(users)]
    )
    today = timezone.localdate()
    workroom = Workroom.objects.create(
        name=Workroom.name_for(teachers[0].name), host=teachers[0], school=school, status=Workroom.Status.COMPLETED,
        cycle_start=today.replace(year=today.year - 3), cycle_end=today, ruleset=RuleSet.objects.current(),
    )
    Membership.objects.bulk_create(
        [Membership(workroom=workroom, teacher=t, role=Membership.Role.HOST if i == 0 else Membership.Role.MEMBER,
                    status=Membership.Status.ACTIVE) for i, t in enumerate(teachers)]
    )
    return workroom, office, teachers


def wait_done(job, *, interval: float):
    """Poll until the job is done; return the moment the worker recorded it
    done with its file (``finished_at``), which polling sees a little later."""
    from archives.models import Job

    while True:
        status, finished_at = Job.objects.filter(pk=job.pk).values_list("status", "finished_at").get()
        if status == Job.Status.DONE:
            return finished_at
        if status == Job.Status.FAILED:
            raise RuntimeError(Job.objects.get(pk=job.pk).error)
        time.sleep(interval)


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its direct children, from the scheduler's
    own nanosecond count (``/proc/<pid>/schedstat``): what the worker spent,
    whatever else the machine was doing."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if int(entry.name) == pid or ppid == pid:
                total += int((entry / "schedstat").read_text().split()[0])
        except OSError:
            continue
    return total / 1e9


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"
