"""Factories for members' records and archive entries."""

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.calendar import semester_of
from core.models import StoredFile
from workrooms.archive.models import ArchiveEntry
from workrooms.models import RuleSet
from workrooms.records.models import Achievement, ReadingLog, Writing

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
HTML_BYTES = b"<!doctype html><html><body><script>alert('x')</script></body></html>"


def pdf_upload(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name="照片.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def html_as_image(name="照片.jpg"):
    return SimpleUploadedFile(name, HTML_BYTES, content_type="image/jpeg")


def this_semester() -> str:
    return semester_of(timezone.localdate()).label


class StoredFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoredFile

    original_name = "证书.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="upload"))


class ReadingLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadingLog

    teacher = None  # required
    workroom = None  # required
    semester = factory.LazyFunction(this_semester)
    title = factory.Sequence(lambda n: f"班主任工作漫谈{n}")
    author = "魏书生"
    read_on = factory.LazyFunction(timezone.localdate)
    reflection = "读" * 300
    ruleset = factory.LazyFunction(lambda: RuleSet.objects.current())


class WritingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Writing

    teacher = None
    workroom = None
    semester = factory.LazyFunction(this_semester)
    kind = Writing.Kind.NARRATIVE
    title = factory.Sequence(lambda n: f"一次家访{n}")
    text = "那天下午……"
    written_on = factory.LazyFunction(timezone.localdate)


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    teacher = None
    workroom = None
    kind = Achievement.Kind.COMPETITION
    title = factory.Sequence(lambda n: f"班主任基本功大赛一等奖{n}")
    level = "municipal"
    achieved_on = factory.LazyFunction(timezone.localdate)
    semester = factory.LazyAttribute(lambda o: semester_of(o.achieved_on).label)
    evidence = factory.SubFactory(StoredFileFactory)


class ArchiveEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArchiveEntry

    workroom = None
    category = ArchiveEntry.Category.OTHER
    kind = "上传文件"
    title = factory.Sequence(lambda n: f"工作室简报第{n}期")
    semester = factory.LazyFunction(this_semester)
    filed_on = factory.LazyFunction(timezone.localdate)
    file = factory.SubFactory(StoredFileFactory)
