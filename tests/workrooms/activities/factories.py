"""Factories for activities, attendance and expenses."""

from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import StoredFile
from members.choices import Level
from tests.factories import WorkroomFactory
from workrooms.models import (
    Activity,
    ActivityType,
    Attendance,
    Expense,
    ExpenseCategory,
    RuleSet,
)

# Smallest valid PDF header the content sniffer recognises.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def pdf_upload(name="票据.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def html_as_jpg(name="photo.jpg"):
    return SimpleUploadedFile(name, b"<!doctype html><html><script>alert(1)</script></html>", content_type="image/jpeg")


class StoredFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoredFile

    file = factory.django.FileField(filename="x", data=PDF_BYTES)
    original_name = "票据.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    workroom = factory.SubFactory(WorkroomFactory)
    type = ActivityType.REGULAR
    starts_at = factory.LazyFunction(timezone.now)
    place = "学校会议室"
    theme = factory.Sequence(lambda n: f"班级管理主题研讨{n}")
    level = Level.SCHOOL
    training_hours = Decimal("2")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    status = Attendance.Status.PRESENT


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    workroom = factory.SubFactory(WorkroomFactory)
    category = ExpenseCategory.MATERIALS
    amount = Decimal("100.00")
    spent_on = factory.LazyFunction(timezone.localdate)
    description = factory.Sequence(lambda n: f"购买德育书籍{n}")
    receipt = factory.SubFactory(StoredFileFactory)
    ruleset = factory.LazyFunction(lambda: RuleSet.objects.current())
