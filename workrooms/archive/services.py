"""Filing into a workroom's archive (DOMAIN.md §8).

Everything the workroom produces in the system appears in its archive
automatically: the services that accept, verify or close a record call
``archive_file`` with the record as ``source``; filing the same source
again updates its entry instead of adding a second one. Other files are
uploaded into a category with ``archive_upload``."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from core.calendar import parse_semester, school_today, semester_of
from core.files import store_upload
from core.models import StoredFile
from workrooms.access import can_manage_workroom
from workrooms.archive.models import ArchiveEntry
from workrooms.records.access import can_file_to_archive
from workrooms.selection.models import Membership

Category = ArchiveEntry.Category

# Where an entry's source is shown: "app_label.model" -> URL name taking the pk.
SOURCE_URL_NAMES = {
    "workrooms.readinglog": "records:reading_detail",
    "workrooms.writing": "records:writing_detail",
    "workrooms.achievement": "records:achievement_detail",
    "workrooms.stagedocument": "records:stage_document_file",
    "workrooms.activity": "workrooms:activity_detail",
    "workrooms.activityfile": "workrooms:activity_file",
    "workrooms.developmentplan": "plans:development_plan",
    "workrooms.semesterrecord": "plans:semester_record",
    "workrooms.workroomplan": "plans:plan_detail",
}

UPLOAD_KIND = "上传文件"


def source_url(entry: ArchiveEntry) -> str | None:
    """The page of an entry's source (needs ``source_type`` selected)."""
    if entry.source_id is None:
        return None
    name = SOURCE_URL_NAMES.get(f"{entry.source_type.app_label}.{entry.source_type.model}")
    return reverse(name, args=[entry.source_id]) if name else None


@transaction.atomic
def archive_file(
    *,
    workroom,
    category: str,
    title: str,
    source=None,
    member=None,
    semester: str | None = None,
    file: StoredFile | None = None,
    kind: str = "",
    filed_on: date | None = None,
    actor=None,
) -> ArchiveEntry:
    """File ``source`` (or a bare file) into ``workroom``'s archive under
    ``category`` (one of the five of DOMAIN.md §8) and return the entry.

    Categories: plans and summaries → ``Category.PLANS``; charter, rules and
    duties → ``RULES``; reading notes, writings, lesson observations,
    training records, research → ``RESEARCH``; certificates and awards →
    ``ACHIEVEMENTS``; minutes, sign-in sheets, bulletins, contact lists →
    ``OTHER``. ``kind`` is the type shown and filtered on (default: the
    source's verbose name); ``semester`` (a label of
    ``core.calendar``) defaults to the semester of ``filed_on`` (today
    by default). Filing the same source again updates its entry. Register
    the page of a new kind of source in ``SOURCE_URL_NAMES``."""
    filed_on = filed_on or school_today()
    values = {
        "workroom": workroom,
        "category": category,
        "title": title[:300],
        "member": member,
        "semester": semester or semester_of(filed_on).label,
        "file": file,
        "kind": (kind or (source._meta.verbose_name if source is not None else UPLOAD_KIND))[:30],
        "filed_on": filed_on,
        "filed_by": actor,
    }
    if source is None:
        entry = ArchiveEntry(**values)
    else:
        source_type = ContentType.objects.get_for_model(source)
        entry = ArchiveEntry.objects.filter(source_type=source_type, source_id=source.pk).first()
        entry = entry or ArchiveEntry(source_type=source_type, source_id=source.pk)
        for field, value in values.items():
            setattr(entry, field, value)
    entry.full_clean()
    entry.save()
    return entry


def archive_upload(*, actor, workroom, category: str, title: str, upload, semester: str, kind: str = "", member=None) -> ArchiveEntry:
    """An uploaded file filed by the host, the archivist or the office."""
    if not can_file_to_archive(actor, workroom):
        raise PermissionDenied("只有主持人、档案管理员或德育处可以上传档案。")
    if parse_semester(semester) is None:
        raise ValidationError({"semester": "请选择有效的学期。"})
    with transaction.atomic():
        try:
            stored = store_upload(upload, user=actor)
        except ValidationError as e:
            raise ValidationError({"upload": e.messages}) from e
        return archive_file(
            workroom=workroom, category=category, title=title, member=member, semester=semester,
            file=stored, kind=kind or UPLOAD_KIND, actor=actor,
        )


@transaction.atomic
def archivist_assign(*, actor, workroom, teacher) -> None:
    """Make ``teacher`` the workroom's one archivist 档案管理员 (DOMAIN.md §8),
    or nobody when ``teacher`` is None. The host or the office decides."""
    if not can_manage_workroom(actor, workroom):
        raise PermissionDenied("只有主持人或德育处可以指定档案管理员。")
    current = Membership.objects.current().select_for_update().filter(workroom=workroom)
    if teacher is not None and not current.filter(teacher=teacher).exists():
        raise ValidationError({"teacher": "档案管理员须为本工作室的在册成员。"})
    current.filter(is_archivist=True).exclude(teacher=teacher).update(is_archivist=False)
    if teacher is not None:
        current.filter(teacher=teacher).update(is_archivist=True)


def archive_entry_delete(*, actor, entry: ArchiveEntry) -> None:
    """Remove an uploaded entry; entries of records stay as long as their record."""
    if not can_file_to_archive(actor, entry.workroom):
        raise PermissionDenied("只有主持人、档案管理员或德育处可以删除档案。")
    if not entry.is_upload:
        raise ValidationError("系统自动归档的条目不能删除。")
    entry.delete()
