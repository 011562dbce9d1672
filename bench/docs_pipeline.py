"""Benchmark: one certificate through the whole pipeline (request → queue →
worker → stored file) against the bare WeasyPrint render of the same HTML,
measured in the same run.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/docs_pipeline.py [--runs 20]

Target: pipeline <= 1.3x the bare render (medians; both warm: the worker and
this process have each rendered once, so the font is loaded).

The pipeline ends when the worker records the job done with its stored file
(``Job.finished_at``); the time at which this script's polling notices it
(every 5 ms) is printed too. CPU: this process's request plus the worker's
processes, against the bare render's CPU."""

import argparse
import statistics
import time
from datetime import UTC, datetime

import docs_common  # noqa: F401  (Django set-up)
from django.db import transaction

from archives import services
from archives.documents import certificate_context
from archives.models import Certificate
from core.pdf import render_html


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo"])
    args = parser.parse_args()

    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    workroom, office, teachers = docs_common.make_workroom(0)
    host = teachers[0]
    worker = docs_common.start_worker(1, args.pool)
    font_config = FontConfiguration()
    pipeline, observed, bare, pipeline_cpu, bare_cpu = [], [], [], [], []
    print(docs_common.load())
    try:
        for i in range(args.runs + 1):
            honour = f"基准荣誉{i}"
            worker_cpu = docs_common.cpu_seconds(worker.pid)
            start, start_clock, cpu = time.perf_counter(), datetime.now(UTC), time.process_time()
            with transaction.atomic():
                job = services.certificates_batch_request(
                    workroom=workroom, kind="honour", teachers=[host], honour=honour, actor=office
                )
            request_cpu = time.process_time() - cpu
            finished_at = docs_common.wait_done(job, interval=0.005)
            seen = time.perf_counter() - start
            elapsed = (finished_at - start_clock).total_seconds()
            worker_cpu = docs_common.cpu_seconds(worker.pid) - worker_cpu

            cert = Certificate.objects.get(workroom=workroom, honour=honour)
            html = render_html("pdf/certificate.html", certificate_context(cert))
            start, cpu = time.perf_counter(), time.process_time()
            HTML(string=html).write_pdf(font_config=font_config)
            bare_elapsed, bare_cpu_s = time.perf_counter() - start, time.process_time() - cpu
            if i:  # the first round loads the fonts on both sides
                pipeline.append(elapsed)
                observed.append(seen)
                bare.append(bare_elapsed)
                pipeline_cpu.append(request_cpu + worker_cpu)
                bare_cpu.append(bare_cpu_s)
    finally:
        docs_common.stop_worker(worker)
    p, o, b = statistics.median(pipeline), statistics.median(observed), statistics.median(bare)
    pc, bc = statistics.median(pipeline_cpu), statistics.median(bare_cpu)
    print(f"runs: {args.runs}, worker pool: {args.pool}; {docs_common.load()}")
    print(f"pipeline (request → queue → worker → stored file): wall median {p * 1000:.0f} ms, cpu median {pc * 1000:.0f} ms")
    print(f"  ... as seen by polling every 5 ms:               wall median {o * 1000:.0f} ms")
    print(f"bare WeasyPrint render of the same HTML:           wall median {b * 1000:.0f} ms, cpu median {bc * 1000:.0f} ms")
    paired = statistics.median(x / y for x, y in zip(pipeline, bare))
    paired_cpu = statistics.median(x / y for x, y in zip(pipeline_cpu, bare_cpu))
    print(f"ratio of medians: wall {p / b:.2f}x (seen {o / b:.2f}x), cpu {pc / bc:.2f}x (target <= 1.3x)")
    print(f"median of each round's ratio: wall {paired:.2f}x, cpu {paired_cpu:.2f}x")


if __name__ == "__main__":
    main()
