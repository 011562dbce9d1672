"""An action (review, decision, transition) with an invalid comment is
refused with a Chinese message and changes nothing; it never goes ahead
without the comment."""

import pytest

from core.forms import COMMENT_MAX_LENGTH
from core.models import StatusChange
from tests.workrooms.activities.test_funding import record
from tests.workrooms.records.factories import ReadingLogFactory
from workrooms.models import Expense, Workroom
from workrooms.records.models import ReviewStatus

TOO_LONG = "很" * (COMMENT_MAX_LENGTH + 1)
BAD_COMMENTS = [TOO_LONG, "含有\x00空字符"]


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("comment", BAD_COMMENTS)
def test_a_review_with_an_invalid_comment_is_refused(client, member, host, workroom, comment):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    client.force_login(host)
    r = client.post(f"/people/records/reading/{log.pk}/review/", {"action": "accept", "comment": comment}, follow=True)
    assert "未执行：意见" in messages_of(r)
    log.refresh_from_db()
    assert log.status == ReviewStatus.SUBMITTED and log.review_comment == "" and log.reviewed_by is None


@pytest.mark.parametrize("comment", BAD_COMMENTS)
def test_an_expense_decision_with_an_invalid_comment_is_refused(client, workroom, host, office, comment):
    expense = record(workroom, host, "100")
    client.force_login(office)
    r = client.post(f"/workrooms/expenses/{expense.pk}/decide/refuse/", {"comment": comment}, follow=True)
    assert "未执行：意见" in messages_of(r)
    expense.refresh_from_db()
    assert expense.status == Expense.Status.PENDING
    assert not StatusChange.objects.filter(object_id=expense.pk, to_status=Expense.Status.REFUSED).exists()


@pytest.mark.parametrize("comment", BAD_COMMENTS)
def test_a_workroom_transition_with_an_invalid_comment_is_refused(client, workroom, office, comment):
    client.force_login(office)
    before = workroom.status
    r = client.post(f"/workrooms/{workroom.pk}/transition/start_midterm/", {"comment": comment}, follow=True)
    assert "未执行：意见" in messages_of(r)
    workroom.refresh_from_db()
    assert workroom.status == before != Workroom.Status.MIDTERM


def test_a_comment_of_the_longest_length_is_accepted(client, workroom, office):
    client.force_login(office)
    client.post(f"/workrooms/{workroom.pk}/transition/start_midterm/", {"comment": "很" * COMMENT_MAX_LENGTH})
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.MIDTERM
