"""Achievements (DOMAIN.md §7): verified by the office before they count,
then locked against their owner's edits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.workflow import TransitionRefused
from tests.workrooms.records.factories import AchievementFactory, pdf_upload
from workrooms.archive.models import ArchiveEntry
from workrooms.records import services
from workrooms.records.models import Achievement
from workrooms.records.selectors import NO_RECORDS, record_counts


def _data(**overrides):
    data = {"owner_kind": "self", "owner_name": "", "kind": "competition", "title": "市班主任基本功大赛一等奖",
            "level": "municipal", "achieved_on": timezone.localdate()}
    data.update(overrides)
    return data


def _counts(workroom, teacher):
    today = timezone.localdate()
    return record_counts(workroom_ids=[workroom.pk], start=today.replace(day=1), end=today).get(teacher.pk, NO_RECORDS)


def test_it_records_an_achievement_of_a_student_of_the_class(member, workroom):
    a = services.achievement_create(
        actor=member, workroom=workroom, upload=pdf_upload("证书.pdf"),
        **_data(owner_kind="student", owner_name="王小明", kind="competition"),
    )
    assert a.owner_display == "班级学生：王小明"
    assert a.status == Achievement.Status.PENDING


def test_it_requires_the_name_of_a_class_or_student(member, workroom):
    with pytest.raises(ValidationError) as e:
        services.achievement_create(actor=member, workroom=workroom, upload=pdf_upload(), **_data(owner_kind="class"))
    assert e.value.message_dict["owner_name"] == ["获得者为班级或学生时，请填写班级名称或学生姓名。"]


def test_it_counts_only_after_the_office_verifies(member, office, workroom):
    a = AchievementFactory(teacher=member.teacher, workroom=workroom)
    assert _counts(workroom, member.teacher).awarded_results == 0
    services.achievement_verify(actor=office, achievement=a, action="verify", comment="材料属实")
    a.refresh_from_db()
    assert (a.status, a.verified_by, a.verify_comment) == (Achievement.Status.VERIFIED, office, "材料属实")
    assert _counts(workroom, member.teacher).awarded_results == 1


@pytest.mark.parametrize("persona", ["host", "leader", "member"])
def test_it_refuses_verification_by_anyone_but_the_office(request, member, workroom, persona):
    a = AchievementFactory(teacher=member.teacher, workroom=workroom)
    with pytest.raises(PermissionDenied):
        services.achievement_verify(actor=request.getfixturevalue(persona), achievement=a, action="verify")
    a.refresh_from_db()
    assert a.status == Achievement.Status.PENDING and not ArchiveEntry.objects.exists()


def test_it_locks_a_verified_achievement_against_its_owner(client, member, office, workroom):
    a = AchievementFactory(teacher=member.teacher, workroom=workroom, title="原名称")
    services.achievement_verify(actor=office, achievement=a, action="verify")
    with pytest.raises(ValidationError, match="该成果已由德育处认定，不能再修改。"):
        services.achievement_update(actor=member, achievement=a, **_data(title="改名"))
    client.force_login(member)
    r = client.post(f"/people/records/achievements/{a.pk}/edit/", {**_data(title="改名"), "achieved_on": a.achieved_on.isoformat()})
    assert "该成果已由德育处认定，不能再修改。" in r.content.decode()
    a.refresh_from_db()
    assert a.title == "原名称"


def test_it_lets_the_owner_correct_a_rejected_achievement_for_another_check(member, office, workroom):
    a = AchievementFactory(teacher=member.teacher, workroom=workroom)
    with pytest.raises(TransitionRefused, match="需要填写意见"):
        services.achievement_verify(actor=office, achievement=a, action="reject")
    services.achievement_verify(actor=office, achievement=a, action="reject", comment="证书不清晰")
    services.achievement_update(actor=member, achievement=a, upload=pdf_upload("清晰证书.pdf"), **_data())
    a.refresh_from_db()
    assert a.status == Achievement.Status.PENDING and a.evidence.original_name == "清晰证书.pdf"


def test_it_refuses_an_achievement_without_evidence(client, member, workroom):
    client.force_login(member)
    r = client.post("/people/records/achievements/new/", {**_data(), "workroom": workroom.pk,
                                                            "achieved_on": timezone.localdate().isoformat()})
    assert r.status_code == 200
    assert "这个字段是必填项" in r.content.decode()
    assert not Achievement.objects.exists()


def test_it_refuses_an_achievement_dated_in_the_future(member, workroom):
    from datetime import timedelta

    with pytest.raises(ValidationError) as e:
        services.achievement_create(actor=member, workroom=workroom, upload=pdf_upload(),
                                    **_data(achieved_on=timezone.localdate() + timedelta(days=1)))
    assert e.value.message_dict["achieved_on"] == ["获得日期不能晚于今天。"]
    assert not Achievement.objects.exists()


def test_it_refuses_an_html_file_dressed_as_an_image_as_evidence(member, workroom):
    from tests.workrooms.records.factories import html_as_image

    with pytest.raises(ValidationError) as e:
        services.achievement_create(actor=member, workroom=workroom, upload=html_as_image("证书.jpg"), **_data())
    assert "不支持的文件类型" in e.value.message_dict["upload"][0]
    assert not Achievement.objects.exists()
