"""Annual report of a workroom and a member's growth handbook, read back."""

from django.utils import timezone

from archives import services
from archives.models import Job
from core.calendar import school_year_start
from members.choices import Level
from members.models import ProfileItem
from tests.conftest import pdftotext
from workrooms import workflow
from workrooms.models import Workroom


def _run(capture, **kwargs):
    with capture(execute=True):
        job = services.job_create(**kwargs)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return job


def test_it_writes_the_annual_report_of_a_workroom(workroom, member, office, django_capture_on_commit_callbacks):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.RUNNING)
    workflow.WORKROOM.apply(workroom, "start_midterm", actor=office, comment="按期启动")
    year = school_year_start(timezone.localdate())  # the school year under way
    job = _run(
        django_capture_on_commit_callbacks, kind=Job.Kind.WORKROOM_REPORT, title="年度报告", requested_by=office,
        params={"workroom_id": workroom.pk, "year": year},
    )
    text = pdftotext(job.result.file.path)
    flat = text.replace(" ", "")
    assert f"{year}-{year + 1}学年工作报告" in flat and workroom.name in flat
    assert "王喆" in text and "张昇" in text
    assert "成员1人" in flat
    assert "按期启动" in flat and "运行中→中期评估" in flat
    assert job.result.original_name == f"{workroom.name}{year}-{year + 1}学年工作报告.pdf"


def test_it_assembles_a_growth_handbook(member, office, django_capture_on_commit_callbacks):
    teacher = member.teacher
    ProfileItem.objects.create(teacher=teacher, kind=ProfileItem.Kind.HONOUR, title="市优秀班主任", level=Level.MUNICIPAL, year=2024)
    job = _run(
        django_capture_on_commit_callbacks, kind=Job.Kind.HANDBOOK, title="成长手册", requested_by=member,
        params={"teacher_id": teacher.pk},
    )
    flat = pdftotext(job.result.file.path).replace(" ", "")
    assert "成长手册" in flat and "张昇" in flat
    assert "市优秀班主任" in flat and "2024年" in flat
    assert "王喆名班主任工作室" in flat


def test_a_member_requests_their_own_handbook(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/archives/people/{member.teacher.pk}/handbook/")
    job = Job.objects.get()
    assert r["Location"] == f"/archives/jobs/{job.pk}/"
    assert client.get(f"/archives/jobs/{job.pk}/download/").status_code == 200


def test_a_teacher_cannot_request_someone_elses_handbook(client, member, teacher):
    client.force_login(teacher.user)
    r = client.post(f"/archives/people/{member.teacher.pk}/handbook/")
    assert r.status_code == 404
    assert not Job.objects.exists()
