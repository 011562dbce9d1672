"""听课记录: the host records the members' lessons they observed; the
records are listed with filters and pages and count for the host's duty
"主持人听成员课" (DOMAIN.md §6: at least 10 a year)."""

from datetime import date

import pytest
from django.urls import reverse

from core.lists import PER_PAGE
from tests import factories as f
from workrooms.activities import selectors
from workrooms.models import LessonObservation

pytestmark = pytest.mark.django_db


def observe(workroom, teacher, day, **kw):
    fields = {"class_name": "七年级（3）班", "topic": "主题班会：诚信", **kw}
    return LessonObservation.objects.create(workroom=workroom, teacher=teacher, date=day, **fields)


def form_data(teacher, **extra):
    return {"date": "2026-11-18", "class_name": "八年级（2）班", "teacher": teacher.pk, "topic": "班会课：学会感恩",
            "notes": "学生参与度高，环节紧凑。", **extra}


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-11-20 10:00 +08:00", tick=False)


def test_the_host_records_an_observation_of_a_member(client, host, workroom, member, today):
    client.force_login(host)
    r = client.post(reverse("workrooms:observation_new", args=[workroom.pk]), form_data(member.teacher))
    assert r.status_code == 302 and r["Location"] == reverse("workrooms:observations", args=[workroom.pk])
    record = LessonObservation.objects.get()
    assert (record.teacher, record.class_name, record.date, record.recorded_by) == (
        member.teacher, "八年级（2）班", date(2026, 11, 18), host,
    )
    page = client.get(reverse("workrooms:observations", args=[workroom.pk])).content.decode()
    assert "班会课：学会感恩" in page and "张昇" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"date": "2026-11-21"}, "听课日期不能晚于今天。"),
        ({"class_name": ""}, "这个字段是必填项。"),
        ({"topic": ""}, "这个字段是必填项。"),
    ],
)
def test_it_refuses_bad_input_keeping_what_was_typed(client, host, workroom, member, today, changes, message):
    client.force_login(host)
    r = client.post(reverse("workrooms:observation_new", args=[workroom.pk]), form_data(member.teacher, **changes))
    body = r.content.decode()
    assert r.status_code == 200 and message in body
    assert "学生参与度高" in body
    assert not LessonObservation.objects.exists()


def test_it_refuses_a_teacher_who_is_not_a_member(client, host, workroom, member, outsider, today):
    client.force_login(host)
    r = client.post(reverse("workrooms:observation_new", args=[workroom.pk]), form_data(outsider.teacher))
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    assert not LessonObservation.objects.exists()


def test_who_may_see_and_who_may_record(client, host, workroom, member, office, outsider, today):
    record = observe(workroom, member.teacher, date(2026, 11, 2))
    list_url = reverse("workrooms:observations", args=[workroom.pk])
    new_url = reverse("workrooms:observation_new", args=[workroom.pk])
    edit_url = reverse("workrooms:observation_edit", args=[record.pk])
    delete_url = reverse("workrooms:observation_delete", args=[record.pk])

    assert client.get(list_url)["Location"].startswith("/accounts/login/")  # anonymous
    client.force_login(outsider)
    assert [client.get(u).status_code for u in (list_url, new_url, edit_url)] == [404, 404, 404]
    assert client.post(delete_url).status_code == 404
    for reader in (office, member):  # read only
        client.force_login(reader)
        assert client.get(list_url).status_code == 200
        assert "新增听课记录" not in client.get(list_url).content.decode()
        assert [client.get(u).status_code for u in (new_url, edit_url)] == [403, 403]
        assert client.post(delete_url).status_code == 403
        assert client.post(new_url, form_data(member.teacher)).status_code == 403
    assert LessonObservation.objects.count() == 1
    client.force_login(host)
    assert client.get(edit_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    assert not LessonObservation.objects.exists()


def test_the_host_corrects_an_observation(client, host, workroom, member, today):
    record = observe(workroom, member.teacher, date(2026, 11, 2))
    client.force_login(host)
    client.post(reverse("workrooms:observation_edit", args=[record.pk]), form_data(member.teacher, topic="班会课：感恩父母"))
    record.refresh_from_db()
    assert record.topic == "班会课：感恩父母"


def test_the_list_filters_by_text_and_term(client, host, workroom, member, today):
    observe(workroom, member.teacher, date(2026, 10, 8), topic="班会课：诚信")
    observe(workroom, member.teacher, date(2026, 5, 8), topic="班会课：安全", class_name="九年级（1）班")
    client.force_login(host)
    url = reverse("workrooms:observations", args=[workroom.pk])
    topics = lambda r: [o.topic for o in r.context["page_obj"]]  # noqa: E731
    assert topics(client.get(url, {"q": "安全"})) == ["班会课：安全"]
    assert topics(client.get(url, {"q": "九年级"})) == ["班会课：安全"]
    assert topics(client.get(url, {"semester": "2026-1"})) == ["班会课：诚信"]
    assert topics(client.get(url, {"date_from": "2026-09-01", "date_to": "2026-12-31"})) == ["班会课：诚信"]


@pytest.mark.parametrize("rows", [1, PER_PAGE + 5])
def test_the_list_pages_with_constant_queries(client, host, workroom, member, today, rows, django_assert_num_queries):
    for i in range(rows):
        observe(workroom, f.MembershipFactory(workroom=workroom).teacher, date(2026, 11, 1 + i % 19))
    client.force_login(host)
    url = reverse("workrooms:observations", args=[workroom.pk])
    client.get(url)  # warm the rule set and content-type caches
    with django_assert_num_queries(11):
        r = client.get(url)
    assert len(r.context["page_obj"]) == min(rows, PER_PAGE)
    if rows > PER_PAGE:
        assert len(client.get(url, {"page": 2}).context["page_obj"]) == 5


def test_observations_count_for_the_hosts_duty_in_the_school_year(workroom, member, today):
    for day in (date(2026, 9, 10), date(2026, 11, 2), date(2026, 11, 3)):
        observe(workroom, member.teacher, day)
    observe(workroom, member.teacher, date(2026, 6, 30))  # the school year before
    duty = {d.label: d for d in selectors.workroom_progress(workroom).workroom_duties}["主持人听成员课"]
    assert (duty.done, duty.required, duty.period) == (3, 10, "本学年")


def test_an_observation_is_filed_in_the_archive_and_leaves_it_when_deleted(client, host, workroom, member, today):
    from workrooms.archive.models import ArchiveEntry

    client.force_login(host)
    client.post(reverse("workrooms:observation_new", args=[workroom.pk]), form_data(member.teacher))
    record = LessonObservation.objects.get()
    entry = ArchiveEntry.objects.get(workroom=workroom)
    assert (entry.category, entry.kind, entry.member, entry.title) == (
        ArchiveEntry.Category.RESEARCH, "听课记录", member.teacher, "2026-11-18 听课：八年级（2）班 张昇《班会课：学会感恩》",
    )
    client.post(reverse("workrooms:observation_edit", args=[record.pk]), form_data(member.teacher, topic="班会课：感恩父母"))
    assert ArchiveEntry.objects.get(workroom=workroom).title.endswith("《班会课：感恩父母》")  # filed again, not twice
    client.post(reverse("workrooms:observation_delete", args=[record.pk]))
    assert not LessonObservation.objects.exists() and not ArchiveEntry.objects.exists()
