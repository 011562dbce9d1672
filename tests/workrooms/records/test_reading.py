"""Reading logs (DOMAIN.md §7): the reflection minimum from the settings,
dates in the semester, the host's review and the lock after acceptance."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.calendar import recent_semesters
from core.workflow import TransitionRefused
from tests.submit_twice import assert_refused_second, post_twice
from tests.workrooms.records.factories import ReadingLogFactory, this_semester
from workrooms.archive.models import ArchiveEntry
from workrooms.models import RuleSet
from workrooms.records import services
from workrooms.records.models import ReadingLog, ReviewStatus


def _data(**overrides):
    data = {
        "semester": this_semester(), "kind": "book", "title": "给教师的建议", "author": "苏霍姆林斯基",
        "recommended": True, "read_on": timezone.localdate(), "reflection": "体" * 300,
    }
    data.update(overrides)
    return data


def _post(**overrides):
    data = _data(**overrides)
    data["read_on"] = data["read_on"].isoformat()
    if not data["recommended"]:
        del data["recommended"]
    return data


@pytest.fixture
def short_minimum(ruleset):
    """The school lowers the minimum to 10 characters (a new settings version)."""
    return RuleSet.objects.create(version=ruleset.version + 1, reflection_min_chars=10, change_note="读书体会 10 字")


def test_it_accepts_a_reflection_of_exactly_the_minimum_of_the_changed_setting(member, workroom, short_minimum):
    log = services.reading_create(actor=member, workroom=workroom, **_data(reflection="  " + "体" * 10 + "  "))
    assert log.reflection == "体" * 10
    assert log.ruleset == short_minimum
    assert log.status == ReviewStatus.SUBMITTED


def test_it_refuses_one_character_below_the_changed_minimum(member, workroom, short_minimum):
    with pytest.raises(ValidationError) as e:
        services.reading_create(actor=member, workroom=workroom, **_data(reflection="体" * 9))
    assert e.value.message_dict["reflection"] == ["读书体会至少需要 10 字，目前 9 字，还需 1 字。"]
    assert not ReadingLog.objects.exists()


def test_it_uses_the_default_minimum_of_300_characters(member, workroom):
    with pytest.raises(ValidationError, match="还需 1 字"):
        services.reading_create(actor=member, workroom=workroom, **_data(reflection="体" * 299))


def test_it_refuses_below_the_minimum_in_the_form_and_keeps_the_text(client, member, workroom, short_minimum):
    client.force_login(member)
    r = client.post("/people/records/reading/new/", {**_post(reflection="只写了几个字"), "workroom": workroom.pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert "还需 4 字" in html
    assert "只写了几个字" in html and "给教师的建议" in html
    assert not ReadingLog.objects.exists()


def test_it_refuses_a_date_outside_the_chosen_semester(client, member, workroom):
    previous = recent_semesters(timezone.localdate(), 2)[1]
    client.force_login(member)
    r = client.post("/people/records/reading/new/", {**_post(semester=previous.label), "workroom": workroom.pk})
    assert r.status_code == 200
    assert f"日期不在所选学期内：{previous.label}" in r.content.decode()
    assert not ReadingLog.objects.exists()


def test_it_refuses_a_date_in_the_future(member, workroom):
    with pytest.raises(ValidationError) as e:
        services.reading_create(actor=member, workroom=workroom, **_data(read_on=timezone.localdate() + timedelta(days=1)))
    assert e.value.message_dict["read_on"] == ["日期不能晚于今天。"]


def test_it_refuses_a_workroom_the_teacher_is_not_in(member, other_workroom):
    with pytest.raises(PermissionDenied):
        services.reading_create(actor=member, workroom=other_workroom, **_data())
    assert not ReadingLog.objects.exists()


def test_it_logs_a_reading_through_the_page(client, member, workroom):
    client.force_login(member)
    r = client.post("/people/records/reading/new/", {**_post(), "workroom": workroom.pk})
    log = ReadingLog.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/people/records/reading/{log.pk}/"
    assert (log.teacher, log.workroom, log.title, log.recommended) == (member.teacher, workroom, "给教师的建议", True)


def test_it_lets_the_host_accept_and_then_locks_the_log(client, member, host, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    client.force_login(host)
    r = client.post(f"/people/records/reading/{log.pk}/review/", {"action": "accept", "comment": "体会深刻"})
    assert r.status_code == 302
    log.refresh_from_db()
    assert (log.status, log.review_comment, log.reviewed_by) == (ReviewStatus.ACCEPTED, "体会深刻", host)

    client.force_login(member)
    r = client.post(f"/people/records/reading/{log.pk}/edit/", _post(title="改过的书名"))
    assert r.status_code == 200
    assert "该读书记录已通过主持人审阅，不能再修改。" in r.content.decode()
    assert "改过的书名" in r.content.decode()  # the form keeps what was typed
    log.refresh_from_db()
    assert log.title.startswith("班主任工作漫谈")


def test_it_redirects_the_owner_away_from_editing_an_accepted_log(client, member, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom, status=ReviewStatus.ACCEPTED)
    client.force_login(member)
    r = client.get(f"/people/records/reading/{log.pk}/edit/", follow=True)
    assert "不能再修改" in r.content.decode()


def test_it_requires_a_comment_to_return_a_log(member, host, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        services.record_review(actor=host, record=log, action="return", comment=" ")
    log.refresh_from_db()
    assert log.status == ReviewStatus.SUBMITTED


def test_it_sends_a_returned_log_back_for_review_after_the_owner_edits_it(member, host, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    services.record_review(actor=host, record=log, action="return", comment="请结合班级实际")
    log.refresh_from_db()
    assert log.status == ReviewStatus.RETURNED
    services.reading_update(actor=member, reading=log, **_data(reflection="结合班级实际" + "体" * 300))
    log.refresh_from_db()
    assert log.status == ReviewStatus.SUBMITTED
    assert log.reflection.startswith("结合班级实际")


def test_it_refuses_a_second_acceptance(member, host, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    services.record_review(actor=host, record=log, action="accept")
    with pytest.raises(TransitionRefused, match="当前状态为「已通过」"):
        services.record_review(actor=host, record=log, action="accept")
    assert ArchiveEntry.objects.count() == 1


def test_it_does_not_let_a_host_accept_their_own_log(host, workroom):
    log = ReadingLogFactory(teacher=host.teacher, workroom=workroom)
    with pytest.raises(PermissionDenied):
        services.record_review(actor=host, record=log, action="accept")
    log.refresh_from_db()
    assert log.status == ReviewStatus.SUBMITTED


def test_it_does_not_let_another_workrooms_host_review(member, other_host, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    with pytest.raises(PermissionDenied):
        services.record_review(actor=other_host, record=log, action="accept")
    log.refresh_from_db()
    assert log.status == ReviewStatus.SUBMITTED


def test_a_reading_log_posted_twice_is_recorded_once(client, member, workroom):
    client.force_login(member)
    url = "/people/records/reading/new/"
    first, second = post_twice(client, url, url, lambda: {**_post(), "workroom": workroom.pk})
    assert_refused_second(first, second)
    assert ReadingLog.objects.count() == 1
