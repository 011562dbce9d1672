"""Writings (DOMAIN.md §7): text or file, published/awarded with level,
uploads checked by content, the host's review and the lock."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.calendar import recent_semesters
from core.models import StoredFile
from tests.workrooms.records.factories import (
    WritingFactory,
    html_as_image,
    pdf_upload,
    this_semester,
)
from workrooms.records import services
from workrooms.records.models import ReviewStatus, Writing


def _data(**overrides):
    data = {
        "semester": this_semester(), "kind": "student_case", "title": "小林的转变", "text": "",
        "written_on": timezone.localdate(), "submitted": False, "published": False, "publication": "",
        "awarded": False, "award_level": "",
    }
    data.update(overrides)
    return data


def test_it_keeps_a_writing_as_a_file(member, workroom):
    writing = services.writing_create(actor=member, workroom=workroom, upload=pdf_upload("个案.pdf"), **_data())
    assert writing.file.original_name == "个案.pdf"
    assert writing.file.content_type == "application/pdf"


def test_it_refuses_a_writing_without_text_or_file(member, workroom):
    with pytest.raises(ValidationError) as e:
        services.writing_create(actor=member, workroom=workroom, **_data())
    assert e.value.message_dict["text"] == ["请填写正文或上传文件。"]
    assert not Writing.objects.exists()


def test_it_requires_the_level_of_an_award(member, workroom):
    with pytest.raises(ValidationError) as e:
        services.writing_create(actor=member, workroom=workroom, **_data(text="正文", awarded=True))
    assert e.value.message_dict["award_level"] == ["已获奖的写作请选择获奖级别。"]


def test_it_counts_a_published_writing_as_submitted(member, workroom):
    writing = services.writing_create(
        actor=member, workroom=workroom, **_data(text="正文", kind="paper", published=True, publication="班主任之友")
    )
    assert (writing.submitted, writing.published) == (True, True)


def test_it_refuses_an_html_file_dressed_as_an_image_and_keeps_the_form(client, member, workroom):
    client.force_login(member)
    data = {k: v for k, v in _data(title="伪装的文件").items() if v not in (False, "")}
    data.update(workroom=workroom.pk, written_on=timezone.localdate().isoformat(), upload=html_as_image())
    r = client.post("/people/records/writings/new/", data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "不支持的文件类型" in html
    assert "伪装的文件" in html
    assert not Writing.objects.exists() and not StoredFile.objects.exists()


def test_it_locks_an_accepted_writing(member, host, workroom):
    writing = WritingFactory(teacher=member.teacher, workroom=workroom)
    services.record_review(actor=host, record=writing, action="accept", comment="好")
    with pytest.raises(ValidationError, match="该写作已通过主持人审阅，不能再修改。"):
        services.writing_update(actor=member, writing=writing, **_data(text="改写"))
    writing.refresh_from_db()
    assert writing.text == "那天下午……" and writing.status == ReviewStatus.ACCEPTED


def test_it_serves_the_file_only_to_those_who_may_see_the_writing(client, member, host, outsider, workroom):
    writing = services.writing_create(actor=member, workroom=workroom, upload=pdf_upload("个案.pdf"), **_data())
    url = f"/people/records/writings/{writing.pk}/file/"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(host)
    r = client.get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content).startswith(b"%PDF")


def test_it_refuses_a_writing_dated_outside_its_semester_and_keeps_the_form(client, member, workroom):
    previous = recent_semesters(timezone.localdate(), 2)[1]
    client.force_login(member)
    r = client.post("/people/records/writings/new/", {
        "workroom": workroom.pk, "semester": previous.label, "kind": "narrative", "title": "第一次班会",
        "text": "正文内容", "written_on": timezone.localdate().isoformat(),
    })
    html = r.content.decode()
    assert r.status_code == 200
    assert f"日期不在所选学期内：{previous.label}" in html and "第一次班会" in html and "正文内容" in html
    assert not Writing.objects.exists()


def test_it_shows_the_review_buttons_to_the_host_only(client, member, host, workroom):
    writing = WritingFactory(teacher=member.teacher, workroom=workroom)
    client.force_login(member)
    assert "退回修改" not in client.get(f"/people/records/writings/{writing.pk}/").content.decode()
    client.force_login(host)
    html = client.get(f"/people/records/writings/{writing.pk}/").content.decode()
    assert "通过" in html and "退回修改" in html
