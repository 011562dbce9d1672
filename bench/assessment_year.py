"""Benchmark: a whole school year of head-teacher results (DOMAIN.md §9.1–§9.3)
for a large school — 3,000 head teachers × 10 months — in PostgreSQL.

Usage (against a PostgreSQL database that has been migrated):
    DATABASE_URL=postgres://… python bench/assessment_year.py [--teachers 3000] [--runs 3]

It generates the data once (kept under the school 「基准测试学校」 and reused on
later runs), then measures loading the year (constant queries) and computing
everything: monthly results, semester composites with bonus points and class
titles, allowances with substitutes, and the annual ranking into tiers —
under both schemes — and then the stored computation of the year period."""

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessment import services  # noqa: E402
from assessment.models import (  # noqa: E402
    BonusAward,
    ClassConditions,
    MonthlyScore,
    Period,
    SubstituteCover,
    VetoCase,
)
from assessment.rules import rules_from_ruleset  # noqa: E402
from assessment.rules.school_year import whole_year  # noqa: E402
from assessment.selectors import year_inputs  # noqa: E402
from members.models import Department, School, Teacher  # noqa: E402
from workrooms.models import RuleSet  # noqa: E402

SCHOOL = "基准测试学校"
YEAR = 2025
MONTHS = (9, 10, 11, 12, 1, 3, 4, 5, 6, 7)


@transaction.atomic
def generate(n: int) -> School:
    rnd = random.Random(20251001)
    school, _ = School.objects.get_or_create(name=SCHOOL)
    if Teacher.objects.filter(school=school).count() >= n:
        return school
    depts = [
        Department.objects.get_or_create(school=school, name=f"{g}年级部", defaults={"kind": "grade", "grade": g})[0]
        for g in range(1, 13)
    ]
    start = Teacher.objects.filter(school=school).count()
    users = User.objects.bulk_create(User(username=f"bench{i:05d}") for i in range(start, n))
    teachers = Teacher.objects.bulk_create(
        Teacher(user=u, name=f"班主任{i}", staff_no=f"B{i:05d}", school=school, department=depts[i % 12], is_head_teacher=True)
        for i, u in zip(range(start, n), users, strict=True)
    )
    periods = []
    for m in MONTHS:
        p, _ = Period.objects.get_or_create(school=school, kind="month", school_year=YEAR, month=m, semester=1 if m >= 8 or m == 1 else 2)
        periods.append(p)
    MonthlyScore.objects.bulk_create(
        (
            MonthlyScore(
                period=p, teacher=t, department_id=t.department_id,
                dept_score=Decimal(rnd.randint(450, 1000)) / 10, office_score=Decimal(rnd.randint(450, 1000)) / 10,
            )
            for t in teachers
            for p in periods
        ),
        batch_size=5000,
    )
    VetoCase.objects.bulk_create(
        VetoCase(period=rnd.choice(periods), teacher=t, kind=2, description="基准数据", confirmed_at="2025-10-01T00:00Z")
        for t in rnd.sample(teachers, len(teachers) // 100)
    )
    SubstituteCover.objects.bulk_create(
        SubstituteCover(period=rnd.choice(periods), teacher=t, substitute=rnd.choice(teachers), days=rnd.randint(1, 20))
        for t in rnd.sample(teachers, len(teachers) // 20)
    )
    levels = ["school", "county", "municipal", "provincial", "national"]
    cats = ["student_prize", "class_prize", "student_publication", "teacher_work", "class_meeting"]
    BonusAward.objects.bulk_create(
        BonusAward(teacher=t, school_year=YEAR, semester=rnd.choice((1, 2)), category=rnd.choice(cats),
                   event=f"赛事{rnd.randint(1, 30)}", level=rnd.choice(levels))
        for t in teachers
        for _ in range(rnd.randint(0, 4))
    )
    ClassConditions.objects.bulk_create(
        ClassConditions(
            teacher=t, school_year=YEAR, semester=s,
            student_commended=rnd.random() < 0.5, urgent_tasks=rnd.random() < 0.5,
            student_prizes=rnd.random() < 0.5, class_team_prize=rnd.random() < 0.5,
            core_pass_rate=Decimal(rnd.choice(["1", "0.98"])), core_excellence_rate=Decimal(rnd.randint(60, 100)) / 100,
            other_pass_rate=Decimal(rnd.randint(95, 100)) / 100, test_score=Decimal(rnd.randint(50, 100)),
        )
        for t in teachers
        for s in (1, 2)
    )
    return school


def measure(school, rules, runs):
    best = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            data = year_inputs(school_id=school.pk, school_year=YEAR)
            loaded = time.perf_counter()
            out = whole_year(data, rules)
            done, cpu = time.perf_counter(), time.process_time() - cpu
        run = (done - start, loaded - start, done - loaded, len(queries.captured_queries), cpu)
        best = min(best or run, run)
    total, load, compute, nqueries, cpu = best
    lines = sum(len(v) for v in out.values())
    print(f"scheme={rules.scheme} teachers={len(data.teachers)} months={len(data.months)} results={lines}")
    print(f"  whole year: {total:.3f} s (load {load:.3f} s, compute {compute:.3f} s; {cpu:.3f} s of this process's CPU), {nqueries} queries")


def measure_stored(school):
    """The service the office's button calls for the year period: load,
    compute and store 3,000 results (rolled back afterwards)."""
    office = User.objects.filter(is_superuser=True).first() or User.objects.create(username="bench-admin", is_superuser=True)
    with transaction.atomic():
        period, _ = Period.objects.get_or_create(school=school, kind="year", school_year=YEAR, semester=None, month=None)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            count = services.period_compute(period=period, actor=office)
            elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    print(f"  period_compute(year) storing {count} results: {elapsed:.3f} s, {len(queries.captured_queries)} queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    school = generate(args.teachers)
    print(f"data ready in {time.perf_counter() - t0:.1f} s: {MonthlyScore.objects.filter(period__school=school).count()} monthly scores")
    rules = rules_from_ruleset(RuleSet.objects.current())
    for scheme in ("default", "alternative"):
        measure(school, replace(rules, scheme=scheme), args.runs)
    measure_stored(school)


if __name__ == "__main__":
    main()
