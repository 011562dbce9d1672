"""Activities file themselves into the workroom's archive (DOMAIN.md §8):
minutes and sign-in sheets under 其他类, files of a training under 教育科研类."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.workrooms.activities.factories import PNG_BYTES, ActivityFactory, ExpenseFactory
from workrooms.activities import services as activities
from workrooms.archive.models import ArchiveEntry
from workrooms.funding import services as funding


def archive_page(client, workroom, **params):
    return client.get(reverse("archive:archive_list", args=[workroom.pk]), params).content.decode()


def test_it_files_the_minutes_of_an_activity_under_other(client, host, member, activity, workroom):
    activities.activity_update(activity=activity, actor=host, minutes="会议讨论了班级文化建设的三项措施。")
    client.force_login(member)
    body = archive_page(client, workroom, category="other")
    assert "班级文化建设研讨" in body and "活动纪要/签到表" in body
    assert reverse("workrooms:activity_detail", args=[activity.pk]) in body
    assert "班级文化建设研讨" not in archive_page(client, workroom, category="research")


def test_it_does_not_file_an_activity_without_minutes_or_sheet(host, activity):
    activities.activity_update(activity=activity, actor=host, place="二楼会议室")
    assert not ArchiveEntry.objects.exists()


def test_it_files_the_sign_in_sheet_once_per_activity(client, host, member, activity, workroom):
    client.force_login(host)
    url = reverse("workrooms:attendance_sheet", args=[activity.pk])
    client.post(url, {f"t{member.teacher.pk}": "present", f"t{workroom.host_id}": "present"})
    activities.activity_update(activity=activity, actor=host, minutes="纪要")
    client.post(url, {f"t{member.teacher.pk}": "leave", f"t{workroom.host_id}": "present"})
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.source, entry.kind) == ("other", activity, "活动纪要/签到表")
    assert "班级文化建设研讨" in archive_page(client, workroom, category="other")


def upload(client, activity):
    client.post(
        reverse("workrooms:activity_file_upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("讲座.png", PNG_BYTES, content_type="image/png"), "description": "讲座课件"},
    )


def test_it_files_the_files_of_a_training_as_research_records(client, host, workroom):
    lecture = ActivityFactory(workroom=workroom, theme="心理健康专题讲座", training_hours=Decimal("3"))
    client.force_login(host)
    upload(client, lecture)
    body = archive_page(client, workroom, category="research")
    assert "心理健康专题讲座：讲座课件" in body and "培训资料" in body and "讲座.png" in body


def test_it_files_the_files_of_other_activities_under_other(client, host, workroom):
    meeting = ActivityFactory(workroom=workroom, theme="月度例会", training_hours=Decimal("0"))
    client.force_login(host)
    upload(client, meeting)
    assert "月度例会：讲座课件" in archive_page(client, workroom, category="other")
    assert "月度例会" not in archive_page(client, workroom, category="research")


def test_it_does_not_archive_an_approved_expense_receipt(client, office, host, workroom):
    expense = ExpenseFactory(workroom=workroom, amount=Decimal("50"))
    funding.expense_decide(expense=expense, action="approve", actor=office)
    expense.refresh_from_db()
    assert expense.status == "approved"
    assert not ArchiveEntry.objects.exists()
