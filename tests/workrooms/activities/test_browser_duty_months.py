"""Main path in a real browser: the host opens the duty progress page and
sees, month by month, that November had no group study and which month's
first-Wednesday meeting was not held in person."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.workrooms.activities.factories import ActivityFactory
from workrooms.models import ActivityMode, ActivityType

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_host_sees_a_month_without_group_study_as_missing(page, login, axe, host, workroom, time_machine):
    time_machine.move_to("2026-12-05 10:00 +08:00", tick=True)
    ActivityFactory(workroom=workroom, type=ActivityType.GROUP_STUDY, starts_at=datetime(2026, 9, 16, 15, tzinfo=SHANGHAI))
    ActivityFactory(workroom=workroom, type=ActivityType.GROUP_STUDY, starts_at=datetime(2026, 10, 31, 20, tzinfo=SHANGHAI))
    ActivityFactory(workroom=workroom, type=ActivityType.REGULAR, starts_at=datetime(2026, 10, 7, 14, tzinfo=SHANGHAI))
    ActivityFactory(
        workroom=workroom, type=ActivityType.REGULAR, mode=ActivityMode.ONLINE,
        starts_at=datetime(2026, 11, 4, 14, tzinfo=SHANGHAI),
    )
    login(host)
    page.goto(f"/workrooms/{workroom.pk}/duties/")
    group = page.get_by_role("list", name="集中学习逐月检查")
    november = group.locator('[data-month="2026-11"]')
    november.wait_for()
    assert november.get_attribute("data-state") == "missing"
    assert "缺" in november.inner_text()
    assert group.locator('[data-month="2026-10"]').get_attribute("data-state") == "met"
    assert group.locator('[data-month="2026-12"]').inner_text().strip().startswith("12月")
    meetings = page.get_by_role("list", name="线下例会逐月检查")
    assert "10月7日" in meetings.locator('[data-month="2026-10"]').inner_text()
    assert meetings.locator('[data-month="2026-10"]').get_attribute("data-state") == "met"
    assert meetings.locator('[data-month="2026-11"]').get_attribute("data-state") == "missing"  # held online
    assert "2 / 5" in page.locator("tr", has_text="集中学习（每月）").inner_text()
    assert axe() == []
