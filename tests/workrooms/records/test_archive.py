"""Workroom archives (DOMAIN.md §8): automatic filing of every record type
under its category, uploads into a category, files served only to those who
may see them, and a list whose query count does not grow with its rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import StoredFile
from tests import factories as f
from tests.submit_twice import assert_refused_second, post_twice
from tests.workrooms.records.factories import (
    PDF_BYTES,
    AchievementFactory,
    ArchiveEntryFactory,
    ReadingLogFactory,
    StoredFileFactory,
    WritingFactory,
    html_as_image,
    pdf_upload,
    png_upload,
    this_semester,
)
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file, archive_upload
from workrooms.records import services

Category = ArchiveEntry.Category


def test_it_files_an_accepted_reading_log_under_research(member, host, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="静悄悄的革命")
    assert not ArchiveEntry.objects.exists()  # not before the host accepts
    services.record_review(actor=host, record=log, action="accept")
    entry = ArchiveEntry.objects.get()
    assert (entry.workroom, entry.category, entry.kind, entry.member, entry.semester, entry.source) == (
        workroom, Category.RESEARCH, "读书记录", member.teacher, log.semester, log,
    )
    assert entry.title == "读书记录：《静悄悄的革命》"


def test_it_files_an_accepted_writing_with_its_file(member, host, workroom):
    stored = StoredFileFactory(original_name="设计.pdf")
    writing = WritingFactory(teacher=member.teacher, workroom=workroom, kind="class_meeting", file=stored)
    services.record_review(actor=host, record=writing, action="accept")
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.kind, entry.file, entry.source) == (Category.RESEARCH, "班会课设计", stored, writing)


def test_it_files_a_verified_achievement_under_achievements(member, office, workroom):
    a = AchievementFactory(teacher=member.teacher, workroom=workroom, title="优秀班主任", kind="honour", level="county")
    services.achievement_verify(actor=office, achievement=a, action="verify")
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.kind, entry.file, entry.member) == (Category.ACHIEVEMENTS, "荣誉称号", a.evidence, member.teacher)
    assert entry.title == f"优秀班主任（县级，{member.teacher.name}）"


def test_it_files_the_documents_of_a_closed_research_stage(project, member):
    services.stage_document_add(actor=member, project=project, kind="plan", title="研究方案", upload=pdf_upload())
    assert not ArchiveEntry.objects.exists()
    services.project_close_stage(actor=member, project=project)
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.kind, entry.member) == (Category.RESEARCH, "课题材料", member.teacher)
    assert entry.title == "课题《班级自主管理的实践研究》立项阶段·方案：研究方案"


def test_it_files_the_same_source_only_once(member, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    first = archive_file(workroom=workroom, category=Category.RESEARCH, title="一", source=log)
    second = archive_file(workroom=workroom, category=Category.RESEARCH, title="二", source=log)
    assert first.pk == second.pk and ArchiveEntry.objects.get().title == "二"


def test_it_lets_the_archivist_upload_into_a_category(client, archivist, workroom):
    client.force_login(archivist)
    r = client.post(f"/archives/workrooms/{workroom.pk}/upload/", {
        "category": "rules", "title": "工作室章程", "kind": "章程", "semester": this_semester(), "upload": pdf_upload("章程.pdf"),
    })
    assert r.status_code == 302
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.kind, entry.title, entry.file.original_name) == ("rules", "章程", "工作室章程", "章程.pdf")


@pytest.mark.parametrize(
    "upload, message",
    [
        (html_as_image(), "不支持的文件类型"),
        (SimpleUploadedFile("空.pdf", b""), "所提交的是空文件"),
        (SimpleUploadedFile("表格.docx", PDF_BYTES), "与扩展名「.docx」不符"),
        (SimpleUploadedFile("脚本.js", b"alert(1)"), "不支持的文件类型"),
    ],
)
def test_it_refuses_bad_uploads_with_a_message_and_keeps_the_form(client, host, workroom, upload, message):
    client.force_login(host)
    r = client.post(f"/archives/workrooms/{workroom.pk}/upload/", {
        "category": "other", "title": "活动照片", "semester": this_semester(), "upload": upload,
    })
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html and "活动照片" in html
    assert not ArchiveEntry.objects.exists() and not StoredFile.objects.exists()


def test_it_refuses_an_upload_over_the_size_limit(host, workroom, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="文件过大"):
        archive_upload(actor=host, workroom=workroom, category="other", title="大文件", semester=this_semester(),
                       upload=SimpleUploadedFile("大.pdf", PDF_BYTES * 10))
    assert not ArchiveEntry.objects.exists()


@pytest.mark.parametrize("persona", ["member", "leader", "other_host"])
def test_it_refuses_uploads_by_others(request, workroom, persona):
    with pytest.raises(PermissionDenied):
        archive_upload(actor=request.getfixturevalue(persona), workroom=workroom, category="other", title="x",
                       semester=this_semester(), upload=png_upload())
    assert not ArchiveEntry.objects.exists()


def test_it_serves_an_archived_file_only_to_those_who_see_the_archive(client, member, outsider, other_host, workroom):
    entry = ArchiveEntryFactory(workroom=workroom)
    url = f"/archives/entries/{entry.pk}/file/"
    for user in (outsider, other_host):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(member)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")


def test_it_deletes_uploads_but_not_filed_records(client, host, member, workroom):
    upload = ArchiveEntryFactory(workroom=workroom)
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    filed = archive_file(workroom=workroom, category=Category.RESEARCH, title="读书", source=log)
    client.force_login(host)
    client.post(f"/archives/entries/{upload.pk}/delete/")
    r = client.post(f"/archives/entries/{filed.pk}/delete/", follow=True)
    assert "系统自动归档的条目不能删除。" in r.content.decode()
    assert list(ArchiveEntry.objects.all()) == [filed]


def test_it_filters_the_archive_by_category_member_semester_type_and_search(client, host, member, workroom):
    ArchiveEntryFactory(workroom=workroom, category="rules", kind="章程", title="工作室章程")
    ArchiveEntryFactory(workroom=workroom, category="other", kind="简报", title="第一期简报", member=member.teacher)
    ArchiveEntryFactory(workroom=workroom, category="other", kind="简报", title="旧简报", semester="2020-2021学年第一学期")
    client.force_login(host)
    url = f"/archives/workrooms/{workroom.pk}/"

    def titles(**params):
        r = client.get(url, params)
        return sorted(e.title for e, _ in r.context["rows"])

    assert titles(category="rules") == ["工作室章程"]
    assert titles(member=member.teacher.pk) == ["第一期简报"]
    assert titles(semester=this_semester()) == ["工作室章程", "第一期简报"]
    assert titles(kind="简报") == ["旧简报", "第一期简报"]
    assert titles(q="章程") == ["工作室章程"]


def _archive_rows(workroom, member, n):
    for i in range(n):
        ArchiveEntryFactory(workroom=workroom, member=member.teacher if i % 2 else None)


@pytest.mark.parametrize("rows", [1, 50])
def test_it_lists_the_archive_in_a_constant_number_of_queries(client, host, member, workroom, rows,
                                                              django_assert_num_queries):
    _archive_rows(workroom, member, rows)
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    archive_file(workroom=workroom, category=Category.RESEARCH, title="读书", source=log, member=member.teacher)
    client.force_login(host)
    # session, user, groups, teacher, hosted ids, reviewed departments; workroom;
    # member ids; kind choices; member choices; count; page rows; the archivist
    # and the archivist choices (for the host); the header's unread count.
    # can_file asks nothing of a host.
    with django_assert_num_queries(15):
        r = client.get(f"/archives/workrooms/{workroom.pk}/")
    assert r.status_code == 200
    assert len(r.context["rows"]) == min(rows + 1, 20)


@pytest.mark.parametrize("rooms", [1, 30])
def test_it_lists_archives_in_a_constant_number_of_queries(client, office, school, rooms, django_assert_num_queries):
    for _ in range(rooms):
        ArchiveEntryFactory(workroom=f.WorkroomFactory(host=f.TeacherFactory(school=school)))
    client.force_login(office)
    # 6, and the header's unread count
    with django_assert_num_queries(7):
        r = client.get("/archives/")
    assert r.status_code == 200 and len(r.context["page_obj"]) == min(rooms, 20)


def test_it_keeps_one_archivist_per_workroom(client, host, archivist, second_member, workroom):
    from workrooms.selection.models import Membership

    client.force_login(host)
    r = client.post(f"/archives/workrooms/{workroom.pk}/archivist/", {"teacher": second_member.teacher.pk}, follow=True)
    assert f"档案管理员已设为{second_member.teacher.name}" in r.content.decode()
    assert list(Membership.objects.filter(is_archivist=True).values_list("teacher", flat=True)) == [second_member.teacher.pk]
    client.force_login(second_member)
    assert client.get(f"/archives/workrooms/{workroom.pk}/upload/").status_code == 200
    client.force_login(archivist)
    assert client.get(f"/archives/workrooms/{workroom.pk}/upload/").status_code == 403


def test_it_refuses_an_archivist_from_outside_the_workroom(host, workroom, other_host):
    from workrooms.archive.services import archivist_assign
    from workrooms.selection.models import Membership

    with pytest.raises(ValidationError, match="须为本工作室的在册成员"):
        archivist_assign(actor=host, workroom=workroom, teacher=other_host.teacher)
    assert not Membership.objects.filter(is_archivist=True).exists()


def test_it_opens_an_archived_record_to_the_other_members_of_the_workroom(client, member, host, second_member, workroom):
    accepted = ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="陶行知教育文集")
    waiting = ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="未审的书")
    services.record_review(actor=host, record=accepted, action="accept")
    client.force_login(second_member)
    r = client.get(f"/archives/workrooms/{workroom.pk}/")
    (entry, url), = r.context["rows"]
    assert client.get(url).status_code == 200
    assert client.get(f"/people/records/reading/{waiting.pk}/").status_code == 404
    assert client.get(f"/people/records/reading/{accepted.pk}/edit/").status_code == 403


def test_an_upload_posted_twice_is_filed_once(client, host, workroom):
    client.force_login(host)
    url = f"/archives/workrooms/{workroom.pk}/upload/"
    first, second = post_twice(client, url, url, lambda: {
        "category": "other", "title": "工作室章程", "semester": this_semester(), "upload": png_upload(),
    })
    assert_refused_second(first, second)
    assert ArchiveEntry.objects.count() == 1
