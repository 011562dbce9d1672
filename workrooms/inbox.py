"""Home-page sections for workrooms and host applications: what waits for
the signed-in user. Each section costs a bounded number of queries."""

from dataclasses import dataclass, field


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)  # (label, url, note)
    empty: str = "暂无待办事项。"
    more_url: str | None = None
    count: int | None = None


def sections(user) -> list[Section]:
    return [*ops_sections(user)]


def ops_sections(user) -> list[Section]:
    """Expenses waiting for the office; today's activities to sign in to."""
    from django.urls import reverse
    from django.utils import timezone

    from members.roles import roles_of

    from .models import Activity, Expense

    r = roles_of(user)
    found = []
    if r.is_office:
        pending = Expense.objects.filter(status=Expense.Status.PENDING).select_related("workroom").order_by("recorded_at")
        found.append(
            Section(
                title="待审核的经费支出",
                items=[
                    (f"{e.workroom.name}：{e.description}", reverse("workrooms:ledger", args=[e.workroom_id]), f"{e.amount} 元")
                    for e in pending[:5]
                ],
                count=pending.count(),
            )
        )
    workroom_ids = r.member_workroom_ids | r.hosted_workroom_ids
    if workroom_ids:
        today = timezone.localdate()
        todays = Activity.objects.filter(workroom_id__in=workroom_ids, starts_at__date=today).order_by("starts_at")
        found.append(
            Section(
                title="今日活动签到",
                items=[
                    (f"{timezone.localtime(a.starts_at):%H:%M} {a.theme}", reverse("workrooms:activity_detail", args=[a.pk]), a.place)
                    for a in todays[:5]
                ],
                empty="今天没有工作室活动。",
            )
        )
    return found
