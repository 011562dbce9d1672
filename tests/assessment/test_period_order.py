"""Assessment periods are listed in calendar order, newest first: school year,
semester, then the month's place in the school year (9月 … 12月, 1月)."""

import re

from django.urls import reverse

from assessment.models import Period
from tests.assessment.factories import MonthPeriodFactory


def test_months_are_listed_in_calendar_order(client, school, office):
    for year, month in ((2025, 9), (2025, 10), (2025, 11), (2025, 12), (2025, 1), (2025, 3), (2024, 6)):
        MonthPeriodFactory(school=school, school_year=year, month=month)
    assert [(p.school_year, p.month) for p in Period.objects.filter(kind=Period.Kind.MONTH)] == [
        (2025, 3), (2025, 1), (2025, 12), (2025, 11), (2025, 10), (2025, 9), (2024, 6)
    ]
    client.force_login(office)
    body = client.get(reverse("assessment:period_list")).content.decode()
    shown = [int(m) for m in re.findall(r"年(\d{1,2})月", body)]
    assert shown[:6] == [3, 1, 12, 11, 10, 9], body
