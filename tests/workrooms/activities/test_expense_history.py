"""修改记录 of a workroom's expenses (DOMAIN.md §12): recorded, decided,
who, when and why, on the ledger page for those who see the ledger."""

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import pdf_upload
from workrooms.models import Expense

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(client, host, office, workroom, time_machine):
    time_machine.move_to("2026-03-10 10:00 +08:00", tick=False)
    client.force_login(host)
    client.post(reverse("workrooms:expense_create", args=[workroom.pk]), {
        "category": "materials", "amount": "1200.00", "spent_on": "2026-03-09",
        "description": "购买《给教师的建议》", "receipt": pdf_upload(),
    })
    expense = Expense.objects.get()
    time_machine.move_to("2026-03-12 16:45 +08:00", tick=False)
    client.force_login(office)
    client.post(reverse("workrooms:expense_decide", args=[expense.pk, "refuse"]), {"comment": "票据抬头不是本校"})
    client.logout()
    return expense


def _table(body):
    start = body.index('id="change-history"')
    return body[start:body.index("</table>", start)]


def test_it_shows_who_refused_an_expense_when_and_why(client, refused, workroom, office):
    client.force_login(office)
    table = _table(client.get(reverse("workrooms:ledger", args=[workroom.pk]) + "?year=2026").content.decode())
    assert "2026-03-12 16:45" in table and "office" in table
    assert "状态" in table and "待审核 → 未批准" in table and "票据抬头不是本校" in table
    assert "2026-03-10 10:00" in table and "王喆" in table and "登记支出" in table
    assert "2026-03-09 购买《给教师的建议》" in table


@pytest.mark.parametrize("persona, code", [("anonymous", 302), ("outsider", 404), ("member", 200), ("leader", 200), ("office", 200)])
def test_it_shows_the_expense_history_to_those_who_see_the_ledger(client, request, refused, workroom, persona, code):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    r = client.get(reverse("workrooms:ledger", args=[workroom.pk]) + "?year=2026")
    assert r.status_code == code
    if code == 200:
        assert "票据抬头不是本校" in _table(r.content.decode())
