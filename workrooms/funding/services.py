"""专项经费 (DOMAIN.md §3): the yearly allocation, expenses and the ledger.

Funding is counted per calendar year (the budget year). The host records an
expense with its receipt; the office approves or refuses it. Approved and
pending expenses together may never exceed the year's allocation."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from core.calendar import school_today
from core.files import check_upload, store_upload
from core.history import tracked
from core.workflow import Machine, Transition
from members.roles import office as _office
from workrooms.activities.services import check_workroom_open
from workrooms.models import Expense, RuleSet, Workroom
from workrooms.notifications import expense_event_notify, expense_recorded_notify

ZERO = Decimal("0.00")


def annual_allocation(*, annual_funding: Decimal, funding_stopped: bool) -> Decimal:
    """§3: the year's special fund; nothing once funding is stopped (a
    workroom revoked at the mid-term evaluation loses its funding)."""
    return ZERO if funding_stopped else Decimal(annual_funding)


@dataclass(frozen=True)
class Headroom:
    allocation: Decimal
    committed: Decimal  # approved + pending

    @property
    def available(self) -> Decimal:
        return max(self.allocation - self.committed, ZERO)


def check_within_allocation(*, headroom: Headroom, amount: Decimal) -> None:
    """§3 no spending beyond the year's allocation: exactly the allocation
    is allowed, one fen more is refused."""
    if amount <= 0:
        raise ValidationError({"amount": "金额必须大于 0 元。"})
    if headroom.committed + amount > headroom.allocation:
        raise ValidationError(
            {
                "amount": f"超出本年度经费额度：年度额度 {headroom.allocation} 元，已批准及待审核 {headroom.committed} 元，"
                f"本次最多可登记 {headroom.available} 元。"
            }
        )


def committed_in_year(workroom, year: int) -> Decimal:
    total = (
        Expense.objects.filter(workroom=workroom, spent_on__year=year)
        .exclude(status=Expense.Status.REFUSED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or ZERO


def expense_record(
    *, workroom: Workroom, actor, category: str, amount: Decimal, spent_on: date, description: str,
    receipt, activity=None, research_project=None,
) -> Expense:
    """Record an expense with its receipt (§3). The workroom row is locked
    so that two expenses recorded at once cannot together overspend."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "金额必须大于 0 元。"})
    check_workroom_open(workroom)
    if spent_on > school_today():
        raise ValidationError({"spent_on": "支出日期不能晚于今天。"})
    if activity is not None and activity.workroom_id != workroom.pk:
        raise ValidationError({"activity": "只能关联本工作室的活动。"})
    if research_project is not None and research_project.workroom_id != workroom.pk:
        raise ValidationError({"research_project": "只能关联本工作室的课题。"})
    try:
        check_upload(receipt)
    except ValidationError as e:
        raise ValidationError({"receipt": e.messages}) from None
    ruleset = RuleSet.objects.current()
    with transaction.atomic():
        locked = Workroom.objects.select_for_update().get(pk=workroom.pk)
        headroom = Headroom(
            allocation=annual_allocation(annual_funding=ruleset.annual_funding, funding_stopped=locked.funding_stopped),
            committed=committed_in_year(locked, spent_on.year),
        )
        check_within_allocation(headroom=headroom, amount=amount)
        expense = Expense(
            workroom=locked, category=category, amount=amount, spent_on=spent_on, description=description,
            activity=activity, research_project=research_project, ruleset=ruleset, recorded_by=actor,
        )
        expense.receipt = store_upload(receipt, user=actor)
        expense.full_clean()
        tracked(expense, actor=actor, reason="登记支出").save()
        expense_recorded_notify(expense=expense)
    return expense


S = Expense.Status

# 经费支出审核: the office approves or refuses (with a reason) a pending expense.
EXPENSE = Machine(
    "expense",
    [
        Transition("approve", "批准", (S.PENDING,), S.APPROVED, _office),
        Transition("refuse", "不予批准", (S.PENDING,), S.REFUSED, _office, needs_comment=True, button="danger"),
    ],
    on_change=expense_event_notify,
)


def expense_decide(*, expense: Expense, action: str, actor, comment: str = ""):
    """Approve or refuse an expense through the ``EXPENSE`` machine; the
    decision and its reason go into the expense's 修改记录."""
    decided = {t.action: t.label for t in EXPENSE.transitions}
    tracked(expense, actor=actor, reason=comment or decided.get(action, ""))
    return EXPENSE.apply(expense, action, actor=actor, comment=comment)


def balance_on(*, allocation: Decimal, approved_to_date: Decimal) -> Decimal:
    """The ledger balance: the year's allocation less what was approved and
    spent up to the date."""
    return allocation - approved_to_date
