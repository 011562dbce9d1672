import pytest

from members.choices import DepartmentKind
from tests.assessment.factories import MonthPeriodFactory


@pytest.fixture
def grade_dept(department):
    """The personas' department as a 年级部 of grade 1 (``reviewer`` reviews it)."""
    department.kind = DepartmentKind.GRADE
    department.grade = 1
    department.save()
    return department


@pytest.fixture
def month(school):
    return MonthPeriodFactory(school=school, school_year=2025, month=10)


@pytest.fixture
def after_notice(time_machine):
    """Move the clock to the day after a period's 公示 window (§12)."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    def _move(period):
        period.refresh_from_db()
        day = period.notice_ends_on + timedelta(days=1)
        time_machine.move_to(datetime.combine(day, time(9), tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False)

    return _move
