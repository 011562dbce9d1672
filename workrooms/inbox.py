"""Home-page sections for workrooms and host applications: what waits for
the signed-in user. Each section costs a bounded number of queries."""

from django.urls import reverse
from django.utils import timezone

from core.calendar import school_today
from core.inbox import Section
from members.roles import roles_of
from workrooms import selectors
from workrooms.models import Activity, Expense
from workrooms.plans.services import inbox_sections


def _detail(application):
    return reverse("workrooms:application_detail", args=[application.pk])


def _applications(title, rows_total, *, note, more=None, empty="暂无待办事项。") -> Section:
    rows, total = rows_total
    items = [(f"{a.applicant.name}：{a.research_direction}", _detail(a), note(a)) for a in rows]
    return Section(title, items, empty=empty, more_url=more, count=total)


def _dept(a):
    return a.applicant.department.name if a.applicant.department else ""


def _date(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def sections(user) -> list[Section]:
    r = roles_of(user)
    out: list[Section] = []
    listing = reverse("workrooms:application_list")
    if r.is_department_reviewer:
        out.append(
            _applications(
                "待系部审核的主持人申报", selectors.awaiting_department_review(user), note=_dept,
                more=f"{listing}?status=dept_review",
            )
        )
    if r.is_office:
        out.append(
            _applications(
                "待德育处审核的主持人申报", selectors.awaiting_office_review(), note=_dept,
                more=f"{listing}?status=office_review",
            )
        )
        out.append(
            _applications("专家评审已完成、待作结论", selectors.awaiting_conclusion(), note=lambda a: "请作出评审结论")
        )
        rows, total = selectors.unanswered_objections()
        out.append(
            Section(
                "待答复的公示异议",
                [
                    (f"{o.application.applicant.name}的申报：{o.text[:30]}", _detail(o.application), _date(o.created_at))
                    for o in rows
                ],
                count=total,
            )
        )
    if r.is_admin:
        out.append(
            _applications("公示期满、待审批的申报", selectors.ready_for_approval(), note=lambda a: f"公示至 {_date(a.notice_ends_at)}")
        )
    if r.is_expert:
        out.append(_applications("待我评审的主持人申报", selectors.awaiting_expert_review(user), note=_dept))
    if r.teacher is not None and not r.is_leader:
        rows, total = selectors.own_applications(r.teacher)
        out.append(
            Section(
                "我的主持人申报",
                [(f"{a.research_direction}", _detail(a), a.get_status_display()) for a in rows],
                empty="尚未申报。符合条件的教师可以在「主持人申报」页申报工作室主持人。",
            )
        )
        out.append(
            _applications(
                "正在公示的主持人申报（可提出异议）", selectors.open_public_notices(),
                note=lambda a: f"公示至 {_date(a.notice_ends_at)}", empty="目前没有正在公示的申报。",
            )
        )
    out.extend(ops_sections(user))
    out.extend(inbox_sections(user))
    return out


def ops_sections(user) -> list[Section]:
    """Expenses waiting for the office; today's activities to sign in to."""
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
        today = school_today()
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
