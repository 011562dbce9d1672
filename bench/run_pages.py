"""Measure every role's home page and the list pages on the benchmark data.

    DATABASE_URL=postgres://…/bench .venv/bin/python bench/run_pages.py [--requests 30]
        [--save bench/results.json] [--baseline bench/small.json] [--url 标签=/path/]

For each persona (admin, office, leader, department reviewer, expert, host,
member, teacher) and each page of ``PAGES``: one warm-up request, then N
requests through the in-process Django test client (DEBUG off, the real
PostgreSQL database), timing the server side of each; one more request under
``CaptureQueriesContext`` counts the queries. Prints p50/p95 and the query
count per page and persona; with ``--baseline`` (the saved result of a run on
the small data set) it shows whether the query count grew with the rows."""

import argparse
import json
import logging
import math
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")  # DEBUG = False

import django  # noqa: E402

django.setup()
# Refused pages (403/404) are expected for some personas; keep the table readable.
logging.getLogger("django.request").setLevel(logging.CRITICAL)
warnings.filterwarnings("ignore", message="No directory at")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from config.management.commands.bench_generate import PERSONAS  # noqa: E402
from workrooms.selection.models import Membership  # noqa: E402

TARGET_P95_MS = 300

# The pages measured: (label, URL). Placeholders: {workroom} = the host
# persona's workroom. Pages that do not exist (yet) are listed as skipped, so
# the list can name pages before they are built. Add new list pages here.
PAGES = [
    ("首页", "/"),
    ("工作室列表", "/workrooms/"),
    ("工作室·运行中", "/workrooms/?status=running"),
    ("主持人申报", "/workrooms/applications/"),
    ("申报·待系部审核", "/workrooms/applications/?status=dept_review"),
    ("申报·搜索", "/workrooms/applications/?q=学生"),
    ("申报·第5页", "/workrooms/applications/?page=5"),
    ("设置版本", "/workrooms/settings/versions/"),
    ("导入名册", "/people/roster/"),
    ("教师名录", "/people/teachers/"),
    ("我的工作室", "/people/mine/"),
    ("协议备案", "/people/agreements/"),
    ("成员变动", "/people/changes/"),
    ("工作室成员", "/people/workrooms/{workroom}/members/"),
    ("工作室详情", "/workrooms/{workroom}/"),
    ("活动列表", "/workrooms/{workroom}/activities/"),
    ("职责进度", "/workrooms/{workroom}/duties/"),
    ("职责进度总览", "/workrooms/duties/overview/"),
    ("经费台账", "/workrooms/{workroom}/funding/"),
    ("工作室档案", "/archives/workrooms/{workroom}/"),
    ("读书记录", "/people/records/reading/"),
    ("成果", "/people/records/achievements/"),
    ("考核周期", "/assessment/"),
    ("我的考核", "/assessment/mine/"),
    ("成员考核", "/assessment/members/"),
    ("否决情况", "/assessment/vetoes/"),
    ("文档与证书", "/archives/documents/"),
    ("证书", "/archives/certificates/"),
    ("后台任务", "/archives/jobs/"),
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def placeholders():
    host = User.objects.get(username=PERSONAS["host"])
    workroom = Membership.objects.filter(teacher__user=host, role=Membership.Role.HOST).values_list("workroom_id", flat=True).first()
    return {"workroom": workroom}


def exists(url):
    try:
        resolve(url.split("?")[0])
        return True
    except Resolver404:
        return False


def measure(pages, personas, requests):
    values = placeholders()
    results = []
    missing = [(label, pattern) for label, pattern in pages if not exists(pattern.format(**values))]
    for label, pattern in missing:
        print(f"跳过：{label} {pattern}（尚无此页面）")
    for persona in personas:
        user = User.objects.get(username=PERSONAS[persona])
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for label, pattern in pages:
            if (label, pattern) in missing:
                continue
            url = pattern.format(**values)
            client.get(url)  # warm-up
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            results.append({
                "persona": persona, "page": label, "url": pattern, "status": response.status_code,
                "p50": round(percentile(times, 50), 1), "p95": round(percentile(times, 95), 1), "queries": len(ctx),
            })
    return results


def report(results, baseline, target):
    base = {(r["persona"], r["url"]): r.get("queries") for r in baseline}
    header = f"{'角色':<9}{'页面':<10}{'状态':>5}{'p50 ms':>9}{'p95 ms':>9}{'查询数':>7}{'小数据集':>9}  结论"
    print(header)
    print("-" * 72)
    slow = grew = 0
    for r in results:
        small = base.get((r["persona"], r["url"]))
        verdicts = []
        if r["p95"] > target:
            verdicts.append(f"慢（p95 > {target} ms）")
            slow += 1
        if small is not None and small != r["queries"]:
            verdicts.append(f"查询数随数据增长（{small} → {r['queries']}）")
            grew += 1
        print(f"{r['persona']:<10}{r['page']:<10}{r['status']:>6}{r['p50']:>10}{r['p95']:>10}{r['queries']:>8}"
              f"{'' if small is None else small:>10}  {'；'.join(verdicts) or '通过'}")
    measured = results
    worst = max(measured, key=lambda r: r["p95"]) if measured else None
    print("-" * 72)
    print(f"共 {len(measured)} 项；p95 最慢：{worst['p95'] if worst else '—'} ms（{worst['persona']} {worst['page']}）；"
          f"超过目标 {slow} 项；查询数增长 {grew} 项{'（未与小数据集比较）' if not baseline else ''}。")
    return slow == 0 and grew == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20, help="每个页面每个角色的请求次数")
    parser.add_argument("--persona", action="append", choices=list(PERSONAS), help="只测这些角色（可重复）")
    parser.add_argument("--url", action="append", default=[], help="追加页面：标签=/路径/")
    parser.add_argument("--save", help="把结果存为 JSON（小数据集的结果用作 --baseline）")
    parser.add_argument("--baseline", help="小数据集上保存的结果，用来比较查询数")
    parser.add_argument("--target-ms", type=float, default=TARGET_P95_MS)
    args = parser.parse_args()
    pages = PAGES + [tuple(item.split("=", 1)) for item in args.url]
    print(f"数据库：{settings.DATABASES['default']['NAME']}，DEBUG={settings.DEBUG}，每项 {args.requests} 次请求")
    results = measure(pages, args.persona or list(PERSONAS), args.requests)
    if args.save:
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    baseline = json.loads(Path(args.baseline).read_text()) if args.baseline else []
    sys.exit(0 if report(results, baseline, args.target_ms) else 1)


if __name__ == "__main__":
    main()
