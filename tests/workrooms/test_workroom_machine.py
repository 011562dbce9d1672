import pytest
from django.core.exceptions import PermissionDenied

from core.models import StatusChange
from core.workflow import TransitionRefused, history
from workrooms.models import Workroom
from workrooms.workflow import WORKROOM


def test_it_revokes_a_workroom_and_stops_its_funding(workroom, office):
    WORKROOM.apply(workroom, "start_midterm", actor=office)
    WORKROOM.apply(workroom, "revoke", actor=office, comment="中期评估不合格")
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.REVOKED
    assert workroom.funding_stopped is True
    steps = [(c.from_status, c.to_status, c.actor_id, c.comment) for c in history(workroom)]
    ended = "主持人任期与 0 名成员的聘期随之结束。"  # the host's term ends with the workroom (§11)
    assert steps == [("running", "midterm", office.pk, ""), ("midterm", "revoked", office.pk, f"中期评估不合格\n{ended}")]


def test_it_refuses_a_transition_from_the_wrong_state_and_changes_nothing(workroom, office):
    with pytest.raises(TransitionRefused, match="当前状态为「运行中」"):
        WORKROOM.apply(workroom, "complete", actor=office)
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.RUNNING
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("persona", ["host", "member", "leader", "teacher"])
def test_it_refuses_revocation_by_anyone_but_the_office(request, workroom, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    with pytest.raises(PermissionDenied):
        WORKROOM.apply(workroom, "revoke", actor=user, comment="x")
    workroom.refresh_from_db()
    assert (workroom.status, workroom.funding_stopped) == (Workroom.Status.RUNNING, False)


def test_it_requires_a_reason_to_revoke(workroom, office):
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        WORKROOM.apply(workroom, "revoke", actor=office, comment="  ")
    workroom.refresh_from_db()
    assert workroom.funding_stopped is False
