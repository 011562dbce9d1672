"""Every teacher logs their own reading, writings and achievements (DOMAIN.md
§1), not only members: outside a workroom the record is the teacher's own,
the office verifies the achievements and nothing enters a workroom archive."""

import pytest

from core.calendar import school_today
from tests.workrooms.records.factories import pdf_upload, this_semester
from workrooms.archive.models import ArchiveEntry
from workrooms.records import services
from workrooms.records.models import Achievement, ReadingLog

R, A = "/people/records/reading", "/people/records/achievements"
REFLECTION = "读后体会：" + "班级管理要从学生出发。" * 40


@pytest.fixture
def loner(teacher):
    """李堃 belongs to no workroom."""
    return teacher


def test_a_teacher_in_no_workroom_logs_a_reading_from_the_menu(client, loner):
    client.force_login(loner.user)
    page = client.get(f"{R}/").content.decode()
    assert "登记读书记录" in page
    form = client.get(f"{R}/new/").content.decode()
    assert 'name="workroom"' not in form
    r = client.post(f"{R}/new/", {
        "semester": this_semester(), "kind": "book", "title": "班主任工作漫谈", "author": "魏书生",
        "read_on": school_today().isoformat(), "reflection": REFLECTION,
    })
    log = ReadingLog.objects.get()
    assert r.status_code == 302
    assert (log.teacher, log.workroom) == (loner, None)
    detail = client.get(f"{R}/{log.pk}/").content.decode()
    assert "个人记录，不属于工作室" in detail


def test_a_members_form_still_asks_for_the_workroom(client, member, workroom):
    client.force_login(member)
    assert 'name="workroom"' in client.get(f"{R}/new/").content.decode()


def test_hosts_neither_see_nor_review_a_teachers_own_record(client, loner, host, office):
    log = services.reading_create(actor=loner.user, semester=this_semester(), kind="book", title="给教师的建议",
                                  read_on=school_today(), reflection=REFLECTION)
    client.force_login(host)
    assert client.get(f"{R}/{log.pk}/").status_code == 404
    client.force_login(office)
    assert client.post(f"{R}/{log.pk}/review/", {"action": "accept"}).status_code == 302
    log.refresh_from_db()
    assert log.status == "accepted"
    assert not ArchiveEntry.objects.exists()


def test_the_office_verifies_a_teachers_own_achievement(client, loner, host, office):
    client.force_login(loner.user)
    r = client.post(f"{A}/new/", {
        "owner_kind": "self", "kind": "competition", "title": "市班主任基本功大赛一等奖", "level": "municipal",
        "achieved_on": school_today().isoformat(), "upload": pdf_upload(),
    })
    assert r.status_code == 302
    achievement = Achievement.objects.get()
    assert achievement.workroom is None
    client.force_login(host)
    assert client.post(f"{A}/{achievement.pk}/verify/", {"action": "verify"}).status_code == 404
    client.force_login(office)
    assert client.post(f"{A}/{achievement.pk}/verify/", {"action": "verify"}).status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.VERIFIED
    assert "个人记录" in client.get(f"{A}/").content.decode()
    assert not ArchiveEntry.objects.exists()


def test_leaders_still_log_nothing(client, leader):
    client.force_login(leader)
    assert client.get(f"{R}/new/").status_code == 403
