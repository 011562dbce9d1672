"""Recommended books (推荐书目, DOMAIN.md §6, §7) are counted apart from the
other books a member reads; how many a school asks for is a setting."""

from datetime import date

import pytest
from django.urls import reverse

from tests.workrooms.records.factories import ReadingLogFactory
from tests.workrooms.test_settings import URL, _data
from workrooms.activities import selectors
from workrooms.models import RuleSet
from workrooms.records.models import ReadingLog, ReviewStatus

pytestmark = pytest.mark.django_db


def by_label(duty_list):
    return {d.label: d for d in duty_list}


def test_recommended_books_count_for_the_year_and_other_books_for_the_term(client, host, workroom, member, time_machine):
    time_machine.move_to("2027-03-10 10:00 +08:00", tick=False)
    teacher = member.teacher
    # autumn term, same school year: counts for the year's recommended books only
    ReadingLogFactory(teacher=teacher, workroom=workroom, recommended=True, read_on=date(2026, 10, 8),
                      semester="2026-2027学年第一学期")
    ReadingLogFactory(teacher=teacher, workroom=workroom, recommended=True, read_on=date(2027, 3, 2))
    ReadingLogFactory(teacher=teacher, workroom=workroom, recommended=False, read_on=date(2027, 3, 3))
    ReadingLogFactory(teacher=teacher, workroom=workroom, recommended=False, read_on=date(2027, 3, 4))
    # a returned log and a recommended paper are not recommended books
    ReadingLogFactory(teacher=teacher, workroom=workroom, recommended=True, read_on=date(2027, 3, 5),
                      status=ReviewStatus.RETURNED)
    ReadingLogFactory(teacher=teacher, workroom=workroom, recommended=True, read_on=date(2027, 3, 6),
                      kind=ReadingLog.Kind.PAPER)
    client.force_login(host)
    r = client.get(reverse("workrooms:member_progress", args=[workroom.pk, teacher.pk]))
    row = by_label(r.context["row"].duties)
    recommended, other = row["推荐书目（德育/心理著作）"], row["其他书籍"]
    assert (recommended.done, recommended.required, recommended.met, recommended.period) == (2, 2, True, "本学年")
    assert (other.done, other.required, other.period) == (2, 0, "本学期")
    page = client.get(reverse("workrooms:duty_progress", args=[workroom.pk]))
    totals = by_label(page.context["progress"].member_totals)
    assert totals["推荐书目（德育/心理著作）"].done == 2 and totals["其他书籍"].done == 2
    assert 'data-duty="推荐书目（德育/心理著作）"' in page.content.decode()


def test_a_school_asks_for_more_recommended_books(workroom, member, ruleset, time_machine):
    time_machine.move_to("2027-03-10 10:00 +08:00", tick=False)
    RuleSet.objects.filter(pk=ruleset.pk).update(duty_recommended_books_per_year=3, duty_books_per_semester=2)
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, recommended=True, read_on=date(2027, 3, 2))
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, recommended=False, read_on=date(2027, 3, 2))
    progress = selectors.workroom_progress(workroom)
    row = by_label(progress.members[0].duties)
    assert (row["推荐书目（德育/心理著作）"].done, row["推荐书目（德育/心理著作）"].required) == (1, 3)
    assert (row["其他书籍"].done, row["其他书籍"].required, row["其他书籍"].met) == (1, 2, False)


def test_the_default_follows_the_sources(db):
    # one recommended work per member per semester (000), two a school year
    field = RuleSet._meta.get_field("duty_recommended_books_per_year")
    assert field.default == 2 and RuleSet._meta.get_field("duty_books_per_semester").default == 0


@pytest.mark.parametrize("name", ["duty_recommended_books_per_year", "duty_books_per_semester"])
def test_the_settings_refuse_a_negative_number_of_books(client, admin, ruleset, name):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, **{name: "-1"}, change_note="读书要求"))
    assert r.status_code == 200
    assert "确保该值大于或等于0" in r.content.decode()
    assert f'name="{name}" value="-1"' in r.content.decode()
    assert RuleSet.objects.count() == 1


def test_the_settings_accept_zero_recommended_books(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, duty_recommended_books_per_year="0", change_note="不要求推荐书目"))
    assert r.status_code == 302
    assert RuleSet.objects.current().duty_recommended_books_per_year == 0


def test_ruleset_problems_name_a_negative_book_count_in_chinese(ruleset):
    from workrooms.models import ruleset_problems

    ruleset.duty_recommended_books_per_year = -1
    assert ruleset_problems(ruleset)["duty_recommended_books_per_year"] == ["每人每学年推荐书目（本）不能为负数。"]
