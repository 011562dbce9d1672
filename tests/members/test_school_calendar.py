"""校历 (DOMAIN.md §11): the office sets a school year's terms and counted
months; a refused calendar keeps what was typed and changes nothing; every
figure that depends on terms follows the saved calendar."""

from datetime import date

import pytest
from django.urls import reverse

from core.calendar import semester_of
from members.models import SchoolCalendar

GOOD = {
    "term1_start": "2026-08-31", "term1_end": "2027-01-22",
    "term2_start": "2027-02-23", "term2_end": "2027-07-10",
    "counted_months": ["9", "10", "11", "12", "1", "3", "4", "5", "6"],
    "holidays_text": "2026-10-01 2026-10-07 国庆节",
}


def edit_url(school, year=2026):
    return reverse("members:calendar_edit", args=[school.pk, year])


@pytest.mark.parametrize(
    "persona, method, status",
    [
        ("anonymous", "get", 302),
        ("outsider", "get", 404),
        ("teacher", "get", 403),
        ("leader", "get", 403),
        ("leader", "post", 403),
        ("office", "get", 200),
        ("admin", "get", 200),
    ],
)
def test_only_the_office_edits_a_calendar(client, request, school, department, teacher, persona, method, status):
    if persona != "anonymous":
        user = teacher.user if persona == "teacher" else request.getfixturevalue(persona)
        client.force_login(user)
    response = getattr(client, method)(edit_url(school), GOOD if method == "post" else None)
    assert response.status_code == status
    assert not SchoolCalendar.objects.exists()


@pytest.mark.parametrize("persona, status", [("anonymous", 302), ("teacher", 200), ("leader", 200), ("office", 200)])
def test_the_calendar_list_is_readable_by_the_schools_staff(client, request, school, teacher, persona, status):
    if persona != "anonymous":
        client.force_login(teacher.user if persona == "teacher" else request.getfixturevalue(persona))
    response = client.get(reverse("members:calendar_list"))
    assert response.status_code == status
    if status == 200:
        assert "2026-2027学年" in response.content.decode() or "学年" in response.content.decode()


def test_a_teacher_sees_only_their_own_schools_calendar(client, school, teacher, outsider):
    client.force_login(outsider)
    response = client.get(reverse("members:calendar_list"), {"school": school.pk})
    assert school.name not in response.content.decode()


def test_the_office_saves_a_calendar_and_every_term_follows_it(client, office, school, time_machine):
    time_machine.move_to(date(2026, 12, 5))
    client.force_login(office)
    response = client.post(edit_url(school), GOOD)
    assert response.status_code == 302
    row = SchoolCalendar.objects.get(school=school, start_year=2026)
    assert row.updated_by == office and row.holidays == [["2026-10-01", "2026-10-07", "国庆节"]]
    assert semester_of(date(2027, 2, 10)).label == "2026-2027学年第一学期"  # winter holiday
    assert semester_of(date(2027, 2, 23)).start == date(2027, 2, 23)
    page = client.get(reverse("members:calendar_list")).content.decode()
    assert "2027年2月23日" in page and "本学年" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"term2_start": "2027-01-10"}, "两个学期的日期重叠"),
        ({"counted_months": ["8", "9", "10"]}, "8月大部分日子不在学期内"),
        ({"term2_end": "2027-09-10"}, "第二学期须在2026-2027学年内"),
        ({"holidays_text": "国庆 十月"}, "第 1 行应为"),
    ],
)
def test_a_refused_calendar_keeps_what_was_typed_and_saves_nothing(client, office, school, change, message):
    client.force_login(office)
    response = client.post(edit_url(school), {**GOOD, **change})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert GOOD["term1_end"] in page  # what was typed stays
    assert not SchoolCalendar.objects.exists()


def test_a_calendar_may_not_run_into_the_next_years(client, office, school):
    SchoolCalendar.objects.create(
        school=school, start_year=2027, term1_start=date(2027, 8, 25), term1_end=date(2028, 1, 20),
        term2_start=date(2028, 2, 20), term2_end=date(2028, 7, 10), counted_months=[9, 10, 11, 12, 3, 4, 5, 6, 7],
    )
    client.force_login(office)
    response = client.post(edit_url(school), {**GOOD, "term2_end": "2027-08-28"})
    assert "第二学期须在2027-2028学年开始" in response.content.decode()
    assert not SchoolCalendar.objects.filter(start_year=2026).exists()


def test_an_impossible_year_is_not_found(client, office, school):
    client.force_login(office)
    assert client.get(edit_url(school, 1900)).status_code == 404
