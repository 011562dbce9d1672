"""Benchmark: a 30,000-row assessment-like export through ``core.xlsx``
(columns, formats, totals, formula-safe text) against a bare openpyxl
write-only loop over the same rows. Each side runs in its own process so
that its peak memory (max RSS) is its own.

    DATABASE_URL=... .venv/bin/python bench/docs_export.py [--rows 30000]

Targets: peak memory < 200 MB; time <= 1.5x the bare loop."""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENTS = ["高一年级部", "高二年级部", "高三年级部", "初一年级部", "初二年级部", "初三年级部"]
NAMES = ["王喆", "李堃", "张昇", "赵敏", "钱峰", "孙悦", "周翔", "吴桐"]


def rows(n: int):
    """Rows as a monthly head-teacher assessment sheet has them (DOMAIN.md §9.1)."""
    for i in range(n):
        dept = Decimal(60 + i % 40) + Decimal(i % 10) / 10
        office = Decimal(55 + (i * 7) % 45) + Decimal((i * 3) % 10) / 10
        total = (dept * Decimal("0.6") + office * Decimal("0.4")).quantize(Decimal("0.1"))
        passed = total >= 60
        note = "=复核" if i % 500 == 0 else ("" if i % 3 else "按时提交")
        yield (
            NAMES[i % len(NAMES)] + str(i), f"T{i:06d}", DEPARTMENTS[i % len(DEPARTMENTS)], f"高{i % 3 + 1}（{i % 12 + 1}）班",
            date(2026, i % 10 + 1, 1), dept, office, total, "合格" if passed else "不合格",
            Decimal("200.00") if passed else Decimal("0.00"), note,
        )


HEADERS = ["姓名", "工号", "年级部", "班级", "月份", "年级部检查", "德育处抽查", "综合得分", "结果", "津贴（元）", "备注"]


def setup_ours() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()


def run_ours(n: int, path: str) -> None:
    from core.xlsx import DATE, DECIMAL_1, MONEY, Column, Export, write_xlsx

    fmt = {4: DATE, 5: DECIMAL_1, 6: DECIMAL_1, 7: DECIMAL_1, 9: MONEY}
    columns = [
        Column(h, itemgetter(i), width=12, number_format=fmt.get(i), total=(i == 9)) for i, h in enumerate(HEADERS)
    ]
    export = Export(title="班主任月考核汇总表", filename="x.xlsx", columns=columns, rows=lambda: rows(n), count=lambda: n, totals=True, numbered=False)
    write_xlsx(export, path, progress=lambda done: None)


def run_bare(n: int, path: str) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("bare")
    ws.append(HEADERS)
    for row in rows(n):
        ws.append(row)
    wb.save(path)


def child(mode: str, n: int) -> None:
    import openpyxl  # noqa: F401  (imports are not part of the timing)

    if mode == "ours":
        setup_ours()
        import archives.exports  # noqa: F401
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.xlsx")
        start, cpu_start = time.perf_counter(), time.process_time()
        (run_ours if mode == "ours" else run_bare)(n, path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        size = os.path.getsize(path)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": size}))


def measure(mode: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--rows", str(n)], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.rows)
    ours = [measure("ours", args.rows) for _ in range(args.repeat)]
    bare = [measure("bare", args.rows) for _ in range(args.repeat)]
    # CPU time is what the writer costs; wall time also shows other load on the machine.
    best = lambda runs, key: min(r[key] for r in runs)
    peak = max(r["peak_mb"] for r in ours)
    ratio = best(ours, "cpu") / best(bare, "cpu")
    print(f"rows: {args.rows}, best of {args.repeat} runs each")
    for label, runs in (("archives.exports.write_xlsx", ours), ("bare openpyxl write-only  ", bare)):
        print(f"{label}: cpu {best(runs, 'cpu'):.2f} s, wall {best(runs, 'seconds'):.2f} s, peak RSS {max(r['peak_mb'] for r in runs):.0f} MB")
    print(f"ratio (cpu): {ratio:.2f}x (target <= 1.5x), wall {best(ours, 'seconds') / best(bare, 'seconds'):.2f}x")
    print(f"peak memory {peak:.0f} MB (target < 200 MB): {'ok' if peak < 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
