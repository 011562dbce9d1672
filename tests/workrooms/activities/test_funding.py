"""专项经费 (DOMAIN.md §3): allocation, overspending, approval and the ledger."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from core.models import StatusChange
from core.workflow import TransitionRefused
from tests import factories as f
from tests.workrooms.activities.factories import (
    ActivityFactory,
    ExpenseFactory,
    html_as_jpg,
    pdf_upload,
)
from workrooms.activities.selectors import ledger_summary
from workrooms.funding import services as funding
from workrooms.models import Expense, ExpenseCategory, RuleSet, Workroom


def record(workroom, user, amount, **extra):
    values = dict(
        workroom=workroom, actor=user, category=ExpenseCategory.MATERIALS, amount=Decimal(amount),
        spent_on=timezone.localdate(), description="购买德育书籍", receipt=pdf_upload(),
    )
    values.update(extra)
    return funding.expense_record(**values)


@pytest.mark.parametrize(
    "annual, stopped, expected",
    [(Decimal("3000"), False, Decimal("3000")), (Decimal("5000"), False, Decimal("5000")), (Decimal("3000"), True, Decimal("0"))],
)
def test_it_allocates_the_yearly_fund_unless_stopped(annual, stopped, expected):
    assert funding.annual_allocation(annual_funding=annual, funding_stopped=stopped) == expected


@pytest.mark.parametrize(
    "committed, amount, ok",
    [("0", "3000.00", True), ("2999.99", "0.01", True), ("2999.99", "0.02", False), ("2000", "1001", False), ("3000", "0.01", False)],
)
def test_it_allows_spending_up_to_exactly_the_allocation(committed, amount, ok):
    headroom = funding.Headroom(allocation=Decimal("3000"), committed=Decimal(committed))
    if ok:
        funding.check_within_allocation(headroom=headroom, amount=Decimal(amount))
    else:
        with pytest.raises(ValidationError, match="超出本年度经费额度"):
            funding.check_within_allocation(headroom=headroom, amount=Decimal(amount))


def test_it_records_exactly_the_allocation_and_refuses_one_more_yuan(workroom, host):
    record(workroom, host, "2000")
    last = record(workroom, host, "1000")
    assert last.status == Expense.Status.PENDING and last.ruleset == RuleSet.objects.current()
    with pytest.raises(ValidationError) as e:
        record(workroom, host, "1")
    assert "本次最多可登记 0.00 元" in str(e.value)
    assert Expense.objects.count() == 2


def test_it_frees_the_amount_of_a_refused_expense(workroom, host, office):
    first = record(workroom, host, "3000")
    funding.expense_decide(expense=first, action="refuse", actor=office, comment="票据不全")
    assert record(workroom, host, "3000").amount == Decimal("3000")


def test_it_counts_each_calendar_year_separately(workroom, host):
    today = timezone.localdate()
    ExpenseFactory(workroom=workroom, amount=Decimal("3000"), spent_on=date(today.year - 1, 12, 31))
    assert record(workroom, host, "3000").amount == Decimal("3000")


@pytest.mark.parametrize("amount", ["0", "-5", "0.00"])
def test_it_refuses_zero_or_negative_amounts(workroom, host, amount):
    with pytest.raises(ValidationError, match="金额必须大于 0 元"):
        record(workroom, host, amount)
    assert not Expense.objects.exists()


def test_it_refuses_spending_once_funding_stopped(workroom, host):
    Workroom.objects.filter(pk=workroom.pk).update(funding_stopped=True)
    workroom.refresh_from_db()
    with pytest.raises(ValidationError, match="年度额度 0.00 元"):
        record(workroom, host, "10")


def test_it_refuses_a_future_date_or_a_foreign_activity(workroom, host, department):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        record(workroom, host, "10", spent_on=timezone.localdate() + timedelta(days=1))
    foreign = ActivityFactory(workroom=f.WorkroomFactory(host=f.TeacherFactory(school=department.school)))
    with pytest.raises(ValidationError, match="只能关联本工作室的活动"):
        record(workroom, host, "10", activity=foreign)
    assert not Expense.objects.exists()


def test_it_refuses_an_html_file_dressed_as_a_jpg_receipt(workroom, host):
    with pytest.raises(ValidationError) as e:
        record(workroom, host, "10", receipt=html_as_jpg())
    assert "不支持的文件类型" in str(e.value)
    assert not Expense.objects.exists()


def test_it_lets_only_the_office_decide(workroom, host, leader, office):
    expense = record(workroom, host, "100")
    for wrong in (host, leader):
        with pytest.raises(PermissionDenied):
            funding.expense_decide(expense=expense, action="approve", actor=wrong)
        expense.refresh_from_db()
        assert expense.status == Expense.Status.PENDING
    assert not StatusChange.objects.exists()
    funding.expense_decide(expense=expense, action="approve", actor=office)
    expense.refresh_from_db()
    assert expense.status == Expense.Status.APPROVED
    assert StatusChange.objects.get().actor == office


def test_it_needs_a_reason_to_refuse_and_refuses_deciding_twice(workroom, host, office):
    expense = record(workroom, host, "100")
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        funding.expense_decide(expense=expense, action="refuse", actor=office)
    funding.expense_decide(expense=expense, action="approve", actor=office)
    with pytest.raises(TransitionRefused, match="已批准"):
        funding.expense_decide(expense=expense, action="refuse", actor=office, comment="改变主意")
    expense.refresh_from_db()
    assert expense.status == Expense.Status.APPROVED


def test_it_shows_the_balance_at_any_date(workroom):
    year = timezone.localdate().year
    for day, amount, status in [
        (date(year, 1, 10), "500", Expense.Status.APPROVED),
        (date(year, 3, 1), "700", Expense.Status.APPROVED),
        (date(year, 3, 2), "300", Expense.Status.PENDING),
        (date(year, 3, 3), "900", Expense.Status.REFUSED),
    ]:
        ExpenseFactory(workroom=workroom, spent_on=day, amount=Decimal(amount), status=status)
    assert ledger_summary(workroom, year=year, as_of=date(year, 1, 9)).balance == Decimal("3000")
    assert ledger_summary(workroom, year=year, as_of=date(year, 1, 10)).balance == Decimal("2500")
    end = ledger_summary(workroom, year=year, as_of=date(year, 12, 31))
    assert (end.balance, end.pending, end.available) == (Decimal("1800"), Decimal("300"), Decimal("1500"))


@pytest.mark.django_db(transaction=True)
def test_it_refuses_the_second_of_two_concurrent_expenses_that_together_overspend(department):
    workroom = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
    host = workroom.host.user
    barrier = threading.Barrier(2)
    results = []

    def attempt():
        try:
            barrier.wait()
            results.append(record(workroom, host, "2000"))
        except ValidationError as e:
            results.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "超出本年度经费额度" in str(refused[0])
    assert Expense.objects.count() == 1


def test_it_links_an_expense_to_a_research_project_of_the_workroom(workroom, host, project):
    expense = record(workroom, host, "300", category=ExpenseCategory.RESEARCH, research_project=project)
    assert expense.research_project == project and list(project.expenses.all()) == [expense]


def test_it_refuses_a_research_project_of_another_workroom(workroom, host, department):
    from workrooms.records.models import ResearchProject

    other = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
    foreign = ResearchProject.objects.create(
        workroom=other, title="别家的课题", level="school", leader=other.host, started_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as e:
        record(workroom, host, "300", research_project=foreign)
    assert e.value.message_dict["research_project"] == ["只能关联本工作室的课题。"]
    assert not Expense.objects.exists()
