"""Services that write members' records (DOMAIN.md §7) and file them into
the workroom's archive (§8).

Every service takes keyword arguments, checks who acts, validates with the
rules of ``workrooms.records.rules`` and ``full_clean``, and writes in one
transaction. Refusals raise ``ValidationError`` (field -> Chinese message),
``PermissionDenied`` or ``TransitionRefused`` and leave the data unchanged."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.calendar import parse_semester, school_today, semester_of
from core.files import store_upload
from core.workflow import TransitionRefused
from members.roles import roles_of
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file
from workrooms.models import RuleSet
from workrooms.outreach.showcase import public_flag_set
from workrooms.records.access import (
    can_add_stage_document,
    can_edit_record,
    can_log_records,
    can_manage_project,
    workrooms_for_records,
)
from workrooms.records.models import (
    Achievement,
    ReadingLog,
    ResearchProject,
    ResearchStage,
    ReviewStatus,
    StageDocument,
    Writing,
)
from workrooms.records.notifications import (
    achievement_created_notify,
    record_created_notify,
)
from workrooms.records.rules import (
    STAGES,
    ResearchStatus,
    record_date_error,
    reflection_error,
)
from workrooms.records.workflow import ACHIEVEMENT, RECORD_REVIEW, RESEARCH_PROJECT
from workrooms.selection.models import Membership

Category = ArchiveEntry.Category


def _teacher_in(actor, workroom, *, personal: bool = True):
    """The actor's teacher profile if they may log records in ``workroom``
    (``None``: a teacher's own record outside any workroom, when ``personal``)."""
    if workroom is None and personal:
        if not can_log_records(actor):
            raise PermissionDenied("只有教师本人可以登记记录。")
        return roles_of(actor).teacher
    if workroom is None or not workrooms_for_records(actor).filter(pk=workroom.pk).exists():
        raise PermissionDenied("您不是该工作室的在册成员，不能在此登记记录。")
    return roles_of(actor).teacher


def _store(upload, *, actor, field: str):
    try:
        return store_upload(upload, user=actor)
    except ValidationError as e:
        raise ValidationError({field: e.messages}) from e


def _check_dates(errors: dict, *, semester: str, day: date, field: str) -> None:
    parsed = parse_semester(semester)
    if parsed is None:
        errors["semester"] = "请选择有效的学期。"
        return
    message = record_date_error(day, parsed, school_today())
    if message:
        errors[field] = message


def _check_editable(actor, record, *, locked_message: str) -> None:
    if not can_edit_record(actor, record):
        raise PermissionDenied("只有记录的登记人可以修改。")
    if record.is_locked:
        raise ValidationError(locked_message)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _resubmit_if_returned(record, machine, *, actor, returned: str) -> None:
    if record.status == returned:
        machine.apply(record, "resubmit", actor=actor)


# --- reading ------------------------------------------------------------

READING_LOCKED = "该读书记录已通过主持人审阅，不能再修改。"


def _reading_errors(*, semester, read_on, reflection, min_chars) -> dict:
    errors: dict = {}
    _check_dates(errors, semester=semester, day=read_on, field="read_on")
    short = reflection_error(reflection, min_chars)
    if short:
        errors["reflection"] = short
    return errors


@transaction.atomic
def reading_create(*, actor, workroom=None, semester: str, kind: str, title: str, author: str = "",
                   recommended: bool = False, read_on: date, reflection: str) -> ReadingLog:
    """Log a book or paper read, with its reflection (DOMAIN.md §7); the
    reflection must reach ``RuleSet.reflection_min_chars`` characters."""
    teacher = _teacher_in(actor, workroom)
    ruleset = RuleSet.objects.current()
    _raise(_reading_errors(semester=semester, read_on=read_on, reflection=reflection, min_chars=ruleset.reflection_min_chars))
    log = ReadingLog(
        teacher=teacher, workroom=workroom, semester=semester, kind=kind, title=title, author=author,
        recommended=recommended, read_on=read_on, reflection=reflection.strip(), ruleset=ruleset,
    )
    log.full_clean()
    log.save()
    record_created_notify(record=log, label=f"读书记录《{log.title}》", url=reverse("records:reading_detail", args=[log.pk]))
    return log


@transaction.atomic
def reading_update(*, actor, reading: ReadingLog, semester: str, kind: str, title: str, author: str = "",
                   recommended: bool = False, read_on: date, reflection: str) -> ReadingLog:
    """The owner corrects a reading log; a returned one goes back for review.
    Accepted logs are locked."""
    reading = ReadingLog.objects.select_for_update().select_related("teacher").get(pk=reading.pk)
    _check_editable(actor, reading, locked_message=READING_LOCKED)
    ruleset = RuleSet.objects.current()
    _raise(_reading_errors(semester=semester, read_on=read_on, reflection=reflection, min_chars=ruleset.reflection_min_chars))
    for field, value in dict(semester=semester, kind=kind, title=title, author=author, recommended=recommended,
                             read_on=read_on, reflection=reflection.strip(), ruleset=ruleset).items():
        setattr(reading, field, value)
    reading.full_clean()
    reading.save()
    _resubmit_if_returned(reading, RECORD_REVIEW, actor=actor, returned=ReviewStatus.RETURNED)
    return reading


# --- writings -----------------------------------------------------------

WRITING_LOCKED = "该写作已通过主持人审阅，不能再修改。"


@transaction.atomic
def writing_create(*, actor, workroom=None, semester: str, kind: str, title: str, text: str = "", upload=None,
                   written_on: date, submitted: bool = False, published: bool = False, publication: str = "",
                   awarded: bool = False, award_level: str = "") -> Writing:
    """Log a narrative, case, student case, paper, class-meeting design or
    essay (DOMAIN.md §7), as text or as a file."""
    teacher = _teacher_in(actor, workroom)
    errors: dict = {}
    _check_dates(errors, semester=semester, day=written_on, field="written_on")
    _raise(errors)
    writing = Writing(
        teacher=teacher, workroom=workroom, semester=semester, kind=kind, title=title, text=text.strip(),
        written_on=written_on, submitted=submitted or published, published=published, publication=publication,
        awarded=awarded, award_level=award_level,
    )
    if upload is not None:
        writing.file = _store(upload, actor=actor, field="upload")
    writing.full_clean()
    writing.save()
    record_created_notify(record=writing, label=f"{writing.get_kind_display()}「{writing.title}」",
                          url=reverse("records:writing_detail", args=[writing.pk]))
    return writing


@transaction.atomic
def writing_update(*, actor, writing: Writing, semester: str, kind: str, title: str, text: str = "", upload=None,
                   written_on: date, submitted: bool = False, published: bool = False, publication: str = "",
                   awarded: bool = False, award_level: str = "") -> Writing:
    writing = Writing.objects.select_for_update().select_related("teacher").get(pk=writing.pk)
    _check_editable(actor, writing, locked_message=WRITING_LOCKED)
    errors: dict = {}
    _check_dates(errors, semester=semester, day=written_on, field="written_on")
    _raise(errors)
    for field, value in dict(semester=semester, kind=kind, title=title, text=text.strip(), written_on=written_on,
                             submitted=submitted or published, published=published, publication=publication,
                             awarded=awarded, award_level=award_level).items():
        setattr(writing, field, value)
    if upload is not None:
        writing.file = _store(upload, actor=actor, field="upload")
    writing.full_clean()
    writing.save()
    _resubmit_if_returned(writing, RECORD_REVIEW, actor=actor, returned=ReviewStatus.RETURNED)
    return writing


# --- host review of reading logs and writings ---------------------------


def _file_reviewed(record, actor) -> None:
    if isinstance(record, ReadingLog):
        title, kind, file, day = f"读书记录：《{record.title}》", "读书记录", None, record.read_on
    else:
        title, kind, file, day = record.title, record.get_kind_display(), record.file, record.written_on
    if record.workroom_id is None:  # a teacher's own record: no workroom archive to file into
        return
    archive_file(
        workroom=record.workroom, category=Category.RESEARCH, title=title, source=record, member=record.teacher,
        semester=record.semester, file=file, kind=kind, filed_on=day, actor=actor,
    )


@transaction.atomic
def record_review(*, actor, record: ReadingLog | Writing, action: str, comment: str = "") -> None:
    """The host accepts (``accept``) or returns (``return``, comment needed)
    a reading log or writing. Accepted records are locked and filed into the
    workroom's archive under 教育科研类 (DOMAIN.md §8)."""
    if action not in ("accept", "return"):
        raise TransitionRefused("未知的操作。")
    record.review_comment = comment.strip()
    RECORD_REVIEW.apply(record, action, actor=actor, comment=comment, save_fields=("review_comment",))
    if action == "accept":
        _file_reviewed(record, actor)


# --- on the workroom's public page (DOMAIN.md §3 辐射引领) -------------------

WRITING_NOT_PUBLIC = "只有主持人审阅通过的写作可以在工作室主页公开。"
ACHIEVEMENT_NOT_PUBLIC = "只有德育处认定的成果可以在工作室主页公开。"


def writing_set_public(*, actor, writing: Writing, is_public: bool) -> Writing:
    """Show an accepted writing on the workroom's public page, or stop
    showing it; refused, unchanged, for a writing not accepted."""
    public_flag_set(record=writing, workroom=writing.workroom, is_public=is_public, actor=actor,
                    refusal=lambda w: "" if w.status == ReviewStatus.ACCEPTED else WRITING_NOT_PUBLIC)
    return writing


def achievement_set_public(*, actor, achievement: Achievement, is_public: bool) -> Achievement:
    """Show a verified achievement on the workroom's public page, or stop
    showing it; refused, unchanged, for one the office has not verified."""
    public_flag_set(record=achievement, workroom=achievement.workroom, is_public=is_public, actor=actor,
                    refusal=lambda a: "" if a.status == Achievement.Status.VERIFIED else ACHIEVEMENT_NOT_PUBLIC)
    return achievement


# --- research projects --------------------------------------------------

PROJECT_CLOSED = "课题已结题，不能再修改。"
CLOSE_ACTIONS = {
    ResearchStatus.APPROVAL: "close_approval",
    ResearchStatus.OPENING: "close_opening",
    ResearchStatus.MIDTERM: "close_midterm",
    ResearchStatus.CONCLUSION: "conclude",
}


def _check_team(workroom, leader, participants) -> None:
    current = set(
        Membership.objects.filter(workroom=workroom, status=Membership.Status.ACTIVE).values_list("teacher_id", flat=True)
    )
    errors = {}
    if leader.pk not in current:
        errors["leader"] = "课题负责人须为本工作室的在册成员或主持人。"
    outside = [t.name for t in participants if t.pk not in current]
    if outside:
        errors["participants"] = f"参与人须为本工作室的在册成员：{'、'.join(outside)} 不是。"
    _raise(errors)


@transaction.atomic
def project_create(*, actor, workroom, title: str, level: str, leader, participants=(), description: str = "",
                   started_on: date) -> ResearchProject:
    """Register a research project (DOMAIN.md §7) at its first stage 立项."""
    _teacher_in(actor, workroom, personal=False)
    _check_team(workroom, leader, participants)
    if started_on > school_today():
        raise ValidationError({"started_on": "立项日期不能晚于今天。"})
    project = ResearchProject(
        workroom=workroom, title=title, level=level, leader=leader, description=description,
        started_on=started_on, created_by=actor,
    )
    project.full_clean()
    project.save()
    project.participants.set(participants)
    ResearchStage.objects.bulk_create(
        ResearchStage(project=project, stage=stage, order=i) for i, stage in enumerate(STAGES, start=1)
    )
    return project


@transaction.atomic
def project_update(*, actor, project: ResearchProject, title: str, level: str, leader, participants=(),
                   description: str = "", started_on: date) -> ResearchProject:
    project = ResearchProject.objects.select_for_update().select_related("leader").get(pk=project.pk)
    if not can_manage_project(actor, project):
        raise PermissionDenied("只有课题负责人、主持人或德育处可以修改课题。")
    if project.status == ResearchStatus.COMPLETED:
        raise ValidationError(PROJECT_CLOSED)
    _check_team(project.workroom, leader, participants)
    if started_on > school_today():
        raise ValidationError({"started_on": "立项日期不能晚于今天。"})
    for field, value in dict(title=title, level=level, leader=leader, description=description, started_on=started_on).items():
        setattr(project, field, value)
    project.full_clean()
    project.save()
    project.participants.set(participants)
    return project


@transaction.atomic
def stage_document_add(*, actor, project: ResearchProject, kind: str, title: str, upload) -> StageDocument:
    """Attach a document to the stage in progress."""
    project = ResearchProject.objects.select_for_update().select_related("leader").get(pk=project.pk)
    if not can_add_stage_document(actor, project):
        raise PermissionDenied("只有课题负责人、参与人或主持人可以上传课题材料。")
    if project.status == ResearchStatus.COMPLETED:
        raise ValidationError(PROJECT_CLOSED)
    stage = ResearchStage.objects.get(project=project, stage=project.status)
    document = StageDocument(stage=stage, kind=kind, title=title, uploaded_by=actor)
    document.file = _store(upload, actor=actor, field="upload")
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def project_close_stage(*, actor, project: ResearchProject, comment: str = "") -> ResearchProject:
    """Close the stage in progress and move to the next (立项 → 开题 → 中期 →
    结题 → 已结题). Refused, naming what is missing, unless the stage's
    required documents are on file (DOMAIN.md §7); the closed stage's
    documents are filed into the archive under 教育科研类."""
    action = CLOSE_ACTIONS.get(project.status)
    if action is None:
        raise TransitionRefused(PROJECT_CLOSED)
    closing = project.status
    RESEARCH_PROJECT.apply(project, action, actor=actor, comment=comment)
    stage = ResearchStage.objects.get(project=project, stage=closing)
    stage.closed_at, stage.closed_by = timezone.now(), actor
    stage.save(update_fields=["closed_at", "closed_by"])
    today = school_today()
    label = ResearchStatus(closing).label
    for document in stage.documents.select_related("file"):
        archive_file(
            workroom=project.workroom, category=Category.RESEARCH, source=document, member=project.leader,
            title=f"课题《{project.title}》{label}阶段·{document.get_kind_display()}：{document.title}",
            semester=semester_of(today).label, file=document.file, kind="课题材料", filed_on=today, actor=actor,
        )
    return project


# --- achievements -------------------------------------------------------

ACHIEVEMENT_LOCKED = "该成果已由德育处认定，不能再修改。"


def _achievement_errors(achieved_on: date) -> dict:
    if achieved_on > school_today():
        return {"achieved_on": "获得日期不能晚于今天。"}
    return {}


@transaction.atomic
def achievement_create(*, actor, workroom=None, owner_kind: str, owner_name: str = "", kind: str, title: str, level: str,
                       achieved_on: date, upload) -> Achievement:
    """Record an achievement or honour with its evidence (DOMAIN.md §7); it
    counts once the office has verified it."""
    teacher = _teacher_in(actor, workroom)
    _raise(_achievement_errors(achieved_on))
    achievement = Achievement(
        teacher=teacher, workroom=workroom, owner_kind=owner_kind, owner_name=owner_name.strip(), kind=kind,
        title=title, level=level, achieved_on=achieved_on, semester=semester_of(achieved_on).label,
    )
    achievement.evidence = _store(upload, actor=actor, field="upload") if upload is not None else None
    if achievement.evidence is None:
        raise ValidationError({"upload": "请上传证书、文件等证明材料。"})
    achievement.full_clean()
    achievement.save()
    achievement_created_notify(achievement=achievement)
    return achievement


@transaction.atomic
def achievement_update(*, actor, achievement: Achievement, owner_kind: str, owner_name: str = "", kind: str,
                       title: str, level: str, achieved_on: date, upload=None) -> Achievement:
    achievement = Achievement.objects.select_for_update().select_related("teacher").get(pk=achievement.pk)
    _check_editable(actor, achievement, locked_message=ACHIEVEMENT_LOCKED)
    _raise(_achievement_errors(achieved_on))
    for field, value in dict(owner_kind=owner_kind, owner_name=owner_name.strip(), kind=kind, title=title, level=level,
                             achieved_on=achieved_on, semester=semester_of(achieved_on).label).items():
        setattr(achievement, field, value)
    if upload is not None:
        achievement.evidence = _store(upload, actor=actor, field="upload")
    achievement.full_clean()
    achievement.save()
    _resubmit_if_returned(achievement, ACHIEVEMENT, actor=actor, returned=Achievement.Status.REJECTED)
    return achievement


@transaction.atomic
def achievement_verify(*, actor, achievement: Achievement, action: str, comment: str = "") -> None:
    """The office verifies (``verify``) or rejects (``reject``, comment
    needed) an achievement. Verified ones count, are locked and are filed
    under 各类成果类 (DOMAIN.md §8)."""
    if action not in ("verify", "reject"):
        raise TransitionRefused("未知的操作。")
    achievement.verify_comment = comment.strip()
    ACHIEVEMENT.apply(achievement, action, actor=actor, comment=comment, save_fields=("verify_comment",))
    if action == "verify" and achievement.workroom_id is not None:
        archive_file(
            workroom=achievement.workroom, category=Category.ACHIEVEMENTS, source=achievement,
            title=f"{achievement.title}（{achievement.get_level_display()}，{achievement.owner_display}）",
            member=achievement.teacher, semester=achievement.semester, file=achievement.evidence,
            kind=achievement.get_kind_display(), filed_on=achievement.achieved_on, actor=actor,
        )
