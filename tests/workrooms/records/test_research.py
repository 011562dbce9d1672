"""Research projects (DOMAIN.md §7): 立项 → 开题 → 中期 → 结题, each stage
closed only with its required documents."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import StatusChange
from core.workflow import TransitionRefused, history
from tests.workrooms.records.factories import pdf_upload
from workrooms.archive.models import ArchiveEntry
from workrooms.records import services
from workrooms.records.models import ResearchProject

DOCS = {
    "approval": ["plan"],
    "opening": ["plan", "measures"],
    "midterm": ["activity_record", "stage_summary"],
    "conclusion": ["stage_summary", "result_analysis"],
}


def _add(project, actor, *kinds):
    for kind in kinds:
        services.stage_document_add(actor=actor, project=project, kind=kind, title=f"{kind}文档", upload=pdf_upload())


def test_it_starts_a_project_at_approval_with_four_stages(project):
    assert project.status == "approval"
    assert [s.get_stage_display() for s in project.stages.all()] == ["立项", "开题", "中期", "结题"]


def test_it_refuses_to_close_a_stage_without_its_documents_and_names_them(project, member):
    _add(project, member, "activity_record")
    with pytest.raises(TransitionRefused) as e:
        services.project_close_stage(actor=member, project=project)
    assert str(e.value) == "「立项」阶段缺少必需材料：方案。请先上传，再结束本阶段。"
    project.refresh_from_db()
    assert project.status == "approval"
    assert not StatusChange.objects.exists()
    assert project.stages.get(stage="approval").closed_at is None


def test_it_names_every_missing_document(project, member):
    _add(project, member, "plan")
    services.project_close_stage(actor=member, project=project)
    _add(project, member, "plan", "measures")
    services.project_close_stage(actor=member, project=project)
    with pytest.raises(TransitionRefused, match="「中期」阶段缺少必需材料：活动记录、阶段总结。"):
        services.project_close_stage(actor=member, project=project)


def test_it_takes_a_project_through_all_stages_with_their_documents(project, member, host):
    for stage, kinds in DOCS.items():
        _add(project, member, *kinds)
        services.project_close_stage(actor=member, project=project, comment=f"{stage}完成")
    project.refresh_from_db()
    assert project.status == "completed"
    assert [c.to_status for c in history(project)] == ["opening", "midterm", "conclusion", "completed"]
    assert all(s.closed_by == member for s in project.stages.all())
    entries = ArchiveEntry.objects.filter(workroom=project.workroom, category=ArchiveEntry.Category.RESEARCH)
    assert entries.count() == 7
    assert entries.filter(title__startswith="课题《班级自主管理的实践研究》结题阶段·结果分析").exists()
    with pytest.raises(TransitionRefused, match="已结题"):
        services.project_close_stage(actor=host, project=project)


def test_it_refuses_documents_once_the_project_is_completed(project, member):
    for kinds in DOCS.values():
        _add(project, member, *kinds)
        services.project_close_stage(actor=member, project=project)
    with pytest.raises(ValidationError, match="课题已结题"):
        _add(project, member, "plan")


@pytest.mark.parametrize("persona", ["leader", "second_member", "outsider"])
def test_it_refuses_stage_closing_by_others(request, project, member, persona):
    _add(project, member, "plan")
    with pytest.raises(PermissionDenied):
        services.project_close_stage(actor=request.getfixturevalue(persona), project=project)
    project.refresh_from_db()
    assert project.status == "approval"


def test_it_lets_a_participant_upload_but_not_close(project, host, second_member):
    _add(project, host, "plan")  # the host is a participant and may also close
    with pytest.raises(PermissionDenied):
        _add(project, second_member, "measures")


def test_it_shows_the_missing_documents_after_a_refused_close(client, project, member):
    client.force_login(member)
    r = client.post(f"/people/records/research/{project.pk}/close-stage/", follow=True)
    html = r.content.decode()
    assert "「立项」阶段缺少必需材料：方案" in html
    assert "方案（缺）" in html
    assert ResearchProject.objects.get().status == "approval"


def test_it_refuses_a_leader_who_is_not_in_the_workroom(member, workroom, other_host):
    with pytest.raises(ValidationError) as e:
        services.project_create(actor=member, workroom=workroom, title="x", level="school",
                                leader=other_host.teacher, participants=[], started_on=timezone.localdate())
    assert "课题负责人须为本工作室的在册成员或主持人" in e.value.message_dict["leader"][0]


def test_it_keeps_the_document_form_when_the_upload_is_refused(client, project, member):
    from tests.workrooms.records.factories import html_as_image

    client.force_login(member)
    r = client.post(f"/people/records/research/{project.pk}/documents/",
                    {"kind": "plan", "title": "研究方案（初稿）", "upload": html_as_image("方案.png")})
    assert r.status_code == 400
    html = r.content.decode()
    assert "不支持的文件类型" in html and "研究方案（初稿）" in html
    assert not project.stages.get(stage="approval").documents.exists()


def test_it_refuses_changes_to_a_completed_project(project, member):
    for kinds in DOCS.values():
        _add(project, member, *kinds)
        services.project_close_stage(actor=member, project=project)
    with pytest.raises(ValidationError, match="课题已结题，不能再修改。"):
        services.project_update(actor=member, project=project, title="新名", level="national", leader=member.teacher,
                                participants=[], started_on=project.started_on)
    project.refresh_from_db()
    assert (project.title, project.level) == ("班级自主管理的实践研究", "county")
