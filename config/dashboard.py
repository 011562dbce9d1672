"""The school leader's dashboard (全校概览): the figures of the apps below,
each with the filtered list behind it. A fixed number of queries whatever
the number of workrooms, activities or results."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from assessment.selectors import monthly_pass_rates
from core.calendar import school_today, semester_of
from members.roles import roles_of
from workrooms.activities import duties
from workrooms.activities.selectors import monthly_activity, school_duty_tallies
from workrooms.models import Activity, RuleSet, Workroom
from workrooms.selectors import workroom_status_counts


def can_see_school_dashboard(user) -> bool:
    """School leaders (whose home page it is) and the office."""
    return roles_of(user).sees_everything


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Chart:
    """One chart: what Chart.js draws (passed with ``json_script``) and the
    same figures as the table shown with it."""

    id: str
    title: str
    description: str
    spec: dict


def school_dashboard(*, today: date | None = None) -> dict:
    """Workrooms by status, the semester's duty progress, twelve months of
    activities and attendance, and the latest monthly pass rates per 年级部.
    Six queries (five while no month is published)."""
    today = today or school_today()
    open_statuses = set(Workroom.OPEN_STATUSES)
    statuses = [
        {"label": label, "count": n, "url": _url("workrooms:list", status=value), "open": value in open_statuses}
        for value, label, n in workroom_status_counts()
    ]
    rules = duties.duty_rules_from(RuleSet.objects.current())
    tallies = school_duty_tallies(rules, today=today)
    months = monthly_activity(Activity.objects.all(), today=today)
    pass_rates = [
        {
            "rate": rate,
            "label": rate.department,
            "url": _url("assessment:period_detail", rate.period.pk, department=rate.department_id),
            "failed_url": _url("assessment:period_detail", rate.period.pk, department=rate.department_id, outcome="不合格"),
        }
        for rate in monthly_pass_rates()
    ]
    overview_url = _url("workrooms:duty_overview")
    charts = [
        Chart(
            "chart-status", "工作室状态", "各状态的工作室数量",
            {"type": "bar", "horizontal": True, "labels": [s["label"] for s in statuses],
             "datasets": [{"label": "工作室数", "data": [s["count"] for s in statuses]}],
             "links": [s["url"] for s in statuses]},
        ),
        Chart(
            "chart-duties", "本学期职责进度", "已完成与未完成各项职责的工作室数量",
            {"type": "bar", "horizontal": True, "stacked": True, "labels": [t.label for t in tallies],
             "datasets": [{"label": "已完成", "data": [t.met for t in tallies]},
                          {"label": "未完成", "data": [t.not_met for t in tallies]}],
             "links": [overview_url for _ in tallies]},
        ),
        Chart(
            "chart-activity", "近一年活动与出勤", "每月活动次数与出勤率",
            {"type": "bar", "labels": [m.label for m in months], "rate_axis": True,
             "datasets": [{"label": "活动次数", "data": [m.activities for m in months]},
                          {"label": "出勤率（%）", "type": "line", "yAxisID": "rate",
                           "data": [m.attendance_rate for m in months]}],
             "links": []},
        ),
        Chart(
            "chart-pass", "月考核合格率（按年级部）", "最近一次公布的月考核中各年级部的合格率",
            {"type": "bar", "percent": True, "labels": [p["label"] for p in pass_rates],
             "datasets": [{"label": "合格率（%）", "data": [p["rate"].percent for p in pass_rates]}],
             "links": [p["url"] for p in pass_rates]},
        ),
    ]
    return {
        "today": today,
        "semester": semester_of(today),
        "statuses": statuses,
        "tallies": tallies,
        "months": months,
        "pass_rates": pass_rates,
        "overview_url": overview_url,
        "running_url": _url("workrooms:duty_overview", status=Workroom.Status.RUNNING),
        "charts": {c.id: c for c in charts},
    }
