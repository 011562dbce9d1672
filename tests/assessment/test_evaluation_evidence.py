"""§9.5 evaluation evidence: the assigned experts read the workroom's records
(read only, while they score), the host's 自评报告, the rubric weights as
settings, and the excellent members recommended as the next hosts."""

from datetime import datetime
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import EvaluationReport
from assessment.rules.evaluation import rubric_items
from core.models import Publication, StoredFile
from members import roles
from tests import factories as f
from tests.assessment.factories import OutstandingMemberFactory
from tests.workrooms.records.factories import PDF_BYTES, pdf_upload, this_semester
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_upload
from workrooms.models import RuleSet
from workrooms.selection.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_expert(db):
    return f.UserFactory(username="expert2", groups=[roles.EXPERT])


@pytest.fixture
def evaluation(workroom, office, expert):
    return services.evaluation_open(workroom=workroom, kind="midterm", experts=[expert], actor=office)


@pytest.fixture
def entry(workroom, host):
    return archive_upload(
        actor=host,
        workroom=workroom,
        category="rules",
        title="工作室章程",
        semester=this_semester(),
        upload=pdf_upload("章程.pdf"),
    )


@pytest.fixture
def member_teacher(member):
    return member.teacher


def _conclude(evaluation, expert, office, value="80"):
    services.evaluation_scores_save(
        evaluation=evaluation, scores={i.code: D(value) for i in rubric_items()}, actor=expert
    )
    return services.evaluation_conclude(evaluation=evaluation, actor=office)


def _reading_pages(workroom, entry, teacher):
    return {
        "archive": reverse("archive:archive_list", args=[workroom.pk]),
        "archive_file": reverse("archive:archive_entry_file", args=[entry.pk]),
        "activities": reverse("workrooms:activity_list", args=[workroom.pk]),
        "duties": reverse("workrooms:duty_progress", args=[workroom.pk]),
        "member_duties": reverse("workrooms:member_progress", args=[workroom.pk, teacher.pk]),
        "handbook": reverse("records:member_handbook", args=[teacher.pk]),
    }


# --- reading the workroom's records ----------------------------------------------------


@pytest.mark.parametrize("page", ["archive", "archive_file", "activities", "duties", "member_duties", "handbook"])
@pytest.mark.parametrize(
    "persona, status",
    [
        ("expert", 200),  # assigned, scoring
        ("other_expert", 404),  # an expert not on this panel
        ("host", 200),
        ("member", 200),  # their own duties and handbook
        ("office", 200),
        ("leader", 200),
        ("outsider", 404),
    ],
)
def test_it_lets_the_assigned_expert_read_the_records(
    request, client, evaluation, entry, member_teacher, page, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    url = _reading_pages(evaluation.workroom, entry, member_teacher)[page]
    assert client.get(url).status_code == status


@pytest.mark.parametrize("page", ["archive", "archive_file", "activities", "duties", "member_duties", "handbook"])
def test_the_expert_reads_nothing_once_the_evaluation_has_its_result(
    client, evaluation, entry, member_teacher, expert, office, page
):
    _conclude(evaluation, expert, office)
    client.force_login(expert)
    assert client.get(_reading_pages(evaluation.workroom, entry, member_teacher)[page]).status_code == 404


def test_the_expert_reads_the_records_of_the_cycle_under_evaluation(client, evaluation, entry, expert, host, office):
    """After a renewal the workroom's earlier cycle stays with its own people."""
    from datetime import timedelta

    from tests.workrooms.activities.factories import ActivityFactory

    workroom = evaluation.workroom
    earlier = ActivityFactory(workroom=workroom, theme="上一周期的研讨",
                              starts_at=timezone.make_aware(datetime.combine(workroom.cycle_start - timedelta(days=30),
                                                                             datetime.min.time().replace(hour=15))))
    current = ActivityFactory(workroom=workroom, theme="本周期的研讨")
    ArchiveEntry.objects.filter(pk=entry.pk).update(filed_on=workroom.cycle_start - timedelta(days=30))
    client.force_login(expert)
    activities = client.get(reverse("workrooms:activity_list", args=[workroom.pk])).content.decode()
    assert current.theme in activities and earlier.theme not in activities
    assert client.get(reverse("workrooms:activity_detail", args=[earlier.pk])).status_code == 404
    assert entry.title not in client.get(reverse("archive:archive_list", args=[workroom.pk])).content.decode()
    assert client.get(reverse("archive:archive_entry_file", args=[entry.pk])).status_code == 404
    for insider in (host, office):  # the workroom's own people and the office read every cycle
        client.force_login(insider)
        assert earlier.theme in client.get(reverse("workrooms:activity_list", args=[workroom.pk])).content.decode()
        assert entry.title in client.get(reverse("archive:archive_list", args=[workroom.pk])).content.decode()


def test_the_expert_reads_nothing_once_unassigned(client, evaluation, entry, expert):
    evaluation.experts.remove(expert)
    client.force_login(expert)
    assert client.get(reverse("archive:archive_list", args=[evaluation.workroom_id])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, evaluation, entry, member_teacher):
    for url in _reading_pages(evaluation.workroom, entry, member_teacher).values():
        assert client.get(url).status_code == 302


def test_the_expert_sees_no_edit_buttons(client, evaluation, entry, expert, member):
    client.force_login(expert)
    body = client.get(reverse("archive:archive_list", args=[evaluation.workroom_id])).content.decode()
    assert "工作室章程" in body
    assert "上传档案" not in body and "删除" not in body and "打包下载" not in body
    body = client.get(reverse("workrooms:activity_list", args=[evaluation.workroom_id])).content.decode()
    assert "新建活动" not in body
    body = client.get(reverse("workrooms:duty_progress", args=[evaluation.workroom_id])).content.decode()
    assert "张昇" in body and "导出成员培训学时统计" not in body


def test_the_expert_changes_nothing(client, evaluation, entry, expert, workroom, member_teacher):
    client.force_login(expert)
    refused = [
        client.post(
            reverse("archive:archive_upload", args=[workroom.pk]),
            {
                "category": "other",
                "title": "专家上传",
                "semester": this_semester(),
                "upload": pdf_upload(),
            },
        ),
        client.post(reverse("archive:archive_entry_delete", args=[entry.pk])),
        client.post(reverse("archive:archivist_set", args=[workroom.pk]), {"teacher": member_teacher.pk}),
        client.post(reverse("workrooms:activity_create", args=[workroom.pk]), {"theme": "专家的活动"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert list(ArchiveEntry.objects.values_list("title", flat=True)) == ["工作室章程"]
    assert not Membership.objects.filter(is_archivist=True).exists()


def test_the_evaluation_page_links_the_expert_to_the_records_while_scoring(client, evaluation, expert, office):
    client.force_login(expert)
    body = client.get(reverse("assessment:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert reverse("archive:archive_list", args=[evaluation.workroom_id]) in body
    assert reverse("workrooms:duty_progress", args=[evaluation.workroom_id]) in body
    _conclude(evaluation, expert, office)
    body = client.get(reverse("assessment:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert reverse("archive:archive_list", args=[evaluation.workroom_id]) not in body


# --- 自评报告 ------------------------------------------------------------------------------


def _upload(client, evaluation, name="自评报告.pdf", content=PDF_BYTES):
    return client.post(
        reverse("assessment:evaluation_report_upload", args=[evaluation.pk]),
        {"upload": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    "persona, status",
    [
        ("host", 302),
        ("expert", 403),
        ("office", 403),
        ("leader", 403),
        ("member", 404),
        ("outsider", 404),
        ("other_expert", 404),
    ],
)
def test_only_the_host_uploads_the_report(request, client, evaluation, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert _upload(client, evaluation).status_code == status
    assert EvaluationReport.objects.count() == (1 if status == 302 else 0)


def test_anonymous_visitors_cannot_upload(client, evaluation):
    assert _upload(client, evaluation).status_code == 302
    assert not EvaluationReport.objects.exists()


def test_the_host_cannot_upload_once_the_evaluation_has_its_result(client, evaluation, host, expert, office):
    _conclude(evaluation, expert, office)
    client.force_login(host)
    assert _upload(client, evaluation).status_code == 403
    assert not EvaluationReport.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused_in_words(client, evaluation, host):
    client.force_login(host)
    r = _upload(client, evaluation, name="自评报告.pdf", content=b"<script>alert(1)</script>")
    assert r.status_code == 302
    body = client.get(r.url).content.decode()
    assert "自评报告未上传" in body and "不支持的文件类型" in body
    assert not EvaluationReport.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("expert", 200),
        ("office", 200),
        ("leader", 200),
        ("host", 200),
        ("member", 404),
        ("outsider", 404),
        ("other_expert", 404),
    ],
)
def test_the_panel_and_the_office_download_the_report(request, client, evaluation, host, persona, status):
    client.force_login(host)
    _upload(client, evaluation)
    report = EvaluationReport.objects.get()
    client.force_login(request.getfixturevalue(persona))
    r = client.get(reverse("assessment:evaluation_report_file", args=[report.pk]))
    assert r.status_code == status
    if status == 200:
        assert b"".join(r.streaming_content) == PDF_BYTES


def test_replacing_the_report_keeps_the_earlier_one_with_who_and_when(client, evaluation, host, expert, time_machine):
    client.force_login(host)
    time_machine.move_to(datetime(2026, 4, 1, 9, tzinfo=timezone.get_current_timezone()), tick=False)
    _upload(client, evaluation, name="自评报告初稿.pdf")
    time_machine.move_to(datetime(2026, 4, 8, 9, tzinfo=timezone.get_current_timezone()), tick=False)
    _upload(client, evaluation, name="自评报告定稿.pdf")
    client.force_login(expert)
    body = client.get(reverse("assessment:evaluation_detail", args=[evaluation.pk])).content.decode()
    current, earlier = EvaluationReport.objects.all()
    assert (current.file.original_name, current.uploaded_by) == ("自评报告定稿.pdf", host)
    assert (earlier.file.original_name, earlier.uploaded_by) == ("自评报告初稿.pdf", host)
    assert body.index("自评报告定稿.pdf") < body.index("以前的版本（1）") < body.index("自评报告初稿.pdf")
    assert "王喆 于 2026-04-08 09:00 上传" in body and "2026-04-01 09:00" in body
    assert "上传自评报告" not in body  # the expert only reads


# --- rubric weights as settings ---------------------------------------------------------


def test_the_evaluation_computes_with_the_weights_in_force(evaluation, expert, office):
    # 总体要求 at 50, everything else at 100: equal weights → 87.5; 总体要求 at 40 of 100 points → 80.0
    sheet = {item.code: D(50) if item.first == "总体要求" else D(100) for item in rubric_items()}
    services.evaluation_scores_save(evaluation=evaluation, scores=sheet, actor=expert)
    current = RuleSet.objects.current()
    changed = RuleSet.objects.get(pk=current.pk)
    changed.pk, changed.version = None, current.version + 1
    changed.evaluation_weight_overall, changed.evaluation_weight_members = D("40"), D("10")
    changed.save()
    result = services.evaluation_conclude(evaluation=evaluation, actor=office)
    assert (result.total, result.grade, result.ruleset.version) == (D("80.0"), "合格", changed.version)


def test_the_equal_default_weights_keep_the_earlier_totals(evaluation, expert, office):
    sheet = {item.code: D(50) if item.first == "总体要求" else D(100) for item in rubric_items()}
    services.evaluation_scores_save(evaluation=evaluation, scores=sheet, actor=expert)
    assert services.evaluation_conclude(evaluation=evaluation, actor=office).total == D("87.5")


def test_the_evaluation_page_shows_the_weights_in_force(client, evaluation, office, ruleset):
    RuleSet.objects.filter(pk=ruleset.pk).update(evaluation_weight_overall=D("40"), evaluation_weight_results=D("10"))
    client.force_login(office)
    body = client.get(reverse("assessment:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "总体要求 40.0%" in body and "建设成效 10.0%" in body and "工作室成员 25.0%" in body


# --- recommended as the next hosts ----------------------------------------------------------


def _final_member_grades(workroom, school_year=2025, semester=1, *, final=True):
    now = timezone.now()
    return Publication.objects.create(
        content_type=ContentType.objects.get_for_model(workroom),
        object_id=workroom.pk,
        topic=f"members:{school_year}:{semester}",
        starts_on=now.date(),
        ends_on=now.date(),
        published_at=now,
        finalized_at=now if final else None,
    )


def _outstanding(school, n, *, start=0, school_year=2025):
    for i in range(start, start + n):
        room = f.WorkroomFactory(host=f.TeacherFactory(school=school, name=f"主持{i}"), name=f"第{i}工作室")
        m = f.MembershipFactory(workroom=room, teacher=f.TeacherFactory(school=school, name=f"成员{i:02d}"))
        OutstandingMemberFactory(assessment__membership=m, assessment__school_year=school_year)
        _final_member_grades(room, school_year)


URL = "/assessment/outstanding/recommended/"


@pytest.mark.parametrize(
    "persona, status",
    [
        ("office", 200),
        ("leader", 200),
        ("admin", 200),
        ("host", 404),
        ("member", 404),
        ("expert", 404),
        ("outsider", 404),
    ],
)
def test_the_recommended_list_is_for_the_office_and_leaders(request, client, workroom, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == status


def test_anonymous_visitors_are_sent_to_log_in_from_the_recommended_list(client):
    assert client.get(URL).status_code == 302


def test_it_lists_only_final_results_by_name_linking_to_each_teacher(client, office, school, workroom):
    _outstanding(school, 2)
    pending = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(school=school, name="待定稿"))
    OutstandingMemberFactory(assessment__membership=pending)
    _final_member_grades(workroom, final=False)  # still in 公示
    reopened = f.WorkroomFactory(host=f.TeacherFactory(school=school, name="主持9"), name="第9工作室")
    m = f.MembershipFactory(workroom=reopened, teacher=f.TeacherFactory(school=school, name="已重开"))
    OutstandingMemberFactory(assessment__membership=m)
    Publication.objects.filter(pk=_final_member_grades(reopened).pk).update(reopened_at=timezone.now())
    client.force_login(office)
    body = client.get(URL).content.decode()
    assert body.index("成员00") < body.index("成员01")
    assert "待定稿" not in body and "已重开" not in body
    teacher = f.TeacherFactory._meta.model.objects.get(name="成员00")
    assert reverse("members:teacher_detail", args=[teacher.pk]) in body


def test_it_filters_by_school_year_workroom_and_name(client, office, school):
    _outstanding(school, 2)
    _outstanding(school, 1, start=2, school_year=2024)
    client.force_login(office)
    body = client.get(URL, {"school_year": 2024}).content.decode()
    assert "成员02" in body and "成员00" not in body
    room = f.WorkroomFactory._meta.model.objects.get(name="第1工作室")
    body = client.get(URL, {"workroom": room.pk}).content.decode()
    assert "成员01" in body and "成员00" not in body
    body = client.get(URL, {"q": "成员00"}).content.decode()
    assert "成员00" in body and "成员01" not in body


def test_it_pages_the_list(client, office, school):
    _outstanding(school, 21)  # one more than a page
    client.force_login(office)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert "成员19" in first and "成员20" not in first
    assert "成员20" in second and "成员00" not in second


def test_the_recommended_list_costs_the_same_for_many_rows(client, office, school):
    _outstanding(school, 1)
    client.force_login(office)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    _outstanding(school, 6, start=1)
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).content.decode()
    assert "成员06" in body
    assert len(many) == len(one)
