"""Benchmark: a batch of 500 certificates with two worker processes against
one (the batch is split into chunks that the workers share).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/docs_workers.py [--count 500]

Target: two processes finish at least 1.7x as fast as one (on a machine with
at least two free cores). The script first measures what this machine gives
two processes at all: the same pure-Python loop run by one process, then by
two at once (the ceiling any two workers can reach here)."""

import argparse
import multiprocessing
import time

import docs_common  # noqa: F401  (Django set-up)
from django.db import transaction

from archives import services
from archives.models import Certificate


def run(workroom, office, teachers, concurrency: int) -> tuple[float, float]:
    worker = docs_common.start_worker(concurrency)
    try:
        cpu = docs_common.cpu_seconds(worker.pid)
        start = time.perf_counter()
        with transaction.atomic():
            job = services.certificates_batch_request(
                workroom=workroom, kind="honour", teachers=teachers, honour=f"并发{concurrency}", actor=office
            )
        docs_common.wait_done(job, interval=0.2)
        elapsed = time.perf_counter() - start
        cpu = docs_common.cpu_seconds(worker.pid) - cpu
    finally:
        docs_common.stop_worker(worker)
    assert Certificate.objects.filter(workroom=workroom, honour=f"并发{concurrency}", file__isnull=False).count() == len(teachers)
    return elapsed, cpu


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def machine_ceiling(n: int = 15_000_000) -> float:
    """Throughput of two processes against one on the same CPU-bound loop."""
    ctx = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with ctx.Pool(1) as pool:
        pool.map(_spin, [n])
    one = time.perf_counter() - start
    start = time.perf_counter()
    with ctx.Pool(2) as pool:
        pool.map(_spin, [n, n])
    two = time.perf_counter() - start
    return 2 * one / two


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    workroom, office, teachers = docs_common.make_workroom(args.count - 1)
    print(docs_common.load())
    ceiling = machine_ceiling()
    print(f"this machine: two processes of a pure-Python loop run {ceiling:.2f}x as fast as one")
    (one, one_cpu), (two, two_cpu) = run(workroom, office, teachers, 1), run(workroom, office, teachers, 2)
    n = len(teachers)
    print(f"certificates: {n}; {docs_common.load()}")
    print(f"one worker process:   {one:.1f} s ({n / one:.1f}/s), worker cpu {one_cpu:.1f} s ({one_cpu / one:.2f} cores busy)")
    print(f"two worker processes: {two:.1f} s ({n / two:.1f}/s), worker cpu {two_cpu:.1f} s ({two_cpu / two:.2f} cores busy)")
    print(f"speed-up: {one / two:.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main()
