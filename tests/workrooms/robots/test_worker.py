"""The real Celery worker (a separate process on Redis) posts a robot
message, waits, and retries it after the endpoint's 500."""

import pytest

from core.models import RobotDelivery
from core.notify import robot_test_send
from tests.archives.conftest import wait_for

pytestmark = pytest.mark.worker


def test_the_worker_retries_after_a_500_and_delivers(robot_worker, dingtalk_robot, endpoint):
    endpoint.script = [(500, {})]

    delivery = robot_test_send(robot=dingtalk_robot)  # autocommit: queued at once

    def settled():
        delivery.refresh_from_db()
        return delivery.status in (RobotDelivery.Status.SENT, RobotDelivery.Status.FAILED)

    wait_for(settled, timeout=60, interval=0.2, message="robot delivery")
    assert delivery.status == RobotDelivery.Status.SENT, delivery.error
    assert delivery.attempts == 2 and len(endpoint.requests) == 2
    assert all(r["query"]["sign"] for r in endpoint.requests)
