"""Services for activities, sign-in sheets and sign-in codes (DOMAIN.md §5, §6).

Planning rule: an activity is planned for the current semester or the next
one. Past semesters are closed because their duty figures are final; dates
further ahead than next semester are not planning but guessing."""

import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.calendar import next_semester, school_today, semester_of
from core.files import store_upload
from core.models import RobotDelivery, RobotEvent
from core.notify import announce
from members.roles import roles_of
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file
from workrooms.models import (
    Activity,
    ActivityFile,
    Attendance,
    LessonObservation,
    RuleSet,
    SignInAttempt,
    SignInCode,
)
from workrooms.outreach.showcase import public_flag_set
from workrooms.selection.models import Membership

# A code shown at the event is valid for this long, and a user may type at
# most SIGNIN_MAX_FAILURES wrong codes within SIGNIN_FAILURE_WINDOW.
SIGNIN_CODE_LIFETIME = timedelta(minutes=15)
SIGNIN_CODE_DIGITS = 6
SIGNIN_MAX_FAILURES = 5
SIGNIN_FAILURE_WINDOW = timedelta(minutes=10)

ACTIVITY_FIELDS = (
    "type", "mode", "starts_at", "place", "theme", "speaker", "recorder", "level", "training_hours",
    "is_expert_lecture", "is_cross_workroom", "minutes", "is_public",
)


class SignInRefused(Exception):
    """A sign-in that cannot be accepted; the message is for the user."""


def check_planning_date(starts_at) -> None:
    """Refuse dates outside the current or the next semester."""
    today = school_today()
    current = semester_of(today)
    following = next_semester(current)
    day = timezone.localtime(starts_at).date()
    if not (current.start <= day <= following.end):
        raise ValidationError(
            {"starts_at": f"活动日期须在本学期或下学期内（{current.start:%Y-%m-%d} 至 {following.end:%Y-%m-%d}）。"}
        )


def current_teacher_ids(workroom) -> set[int]:
    return set(Membership.objects.current().filter(workroom=workroom).values_list("teacher_id", flat=True))


def _check_people(activity: Activity) -> None:
    allowed = current_teacher_ids(activity.workroom)
    errors = {}
    for name in ("speaker", "recorder"):
        teacher_id = getattr(activity, f"{name}_id")
        if teacher_id is not None and teacher_id not in allowed:
            errors[name] = "只能选择本工作室的主持人或成员。"
    if errors:
        raise ValidationError(errors)


def is_training(activity: Activity) -> bool:
    """An activity that credits training hours (or is an expert lecture) is
    a training: its files are training records, 教育科研类 (DOMAIN.md §8)."""
    return activity.training_hours > 0 or activity.is_expert_lecture


def activity_archive(*, activity: Activity, actor) -> None:
    """File the activity's minutes and sign-in sheet into the workroom's
    archive under 其他类 (DOMAIN.md §8): one entry per activity, filed again
    when either changes, in the semester the activity took place."""
    day = timezone.localtime(activity.starts_at).date()
    archive_file(
        workroom=activity.workroom, category=ArchiveEntry.Category.OTHER, source=activity,
        title=f"{day:%Y-%m-%d} {activity.title}", kind="活动纪要/签到表",
        filed_on=day, actor=actor,
    )


def check_workroom_open(workroom) -> None:
    """Only a workroom that is approved or running (incl. its evaluations)
    plans activities and spends money (§3)."""
    if workroom.status not in workroom.OPEN_STATUSES:
        raise ValidationError(f"工作室当前状态为「{workroom.get_status_display()}」，不能再安排活动或登记支出。")


@transaction.atomic
def activity_create(*, workroom, actor, **data) -> Activity:
    """Plan an activity of ``workroom`` (§6)."""
    check_workroom_open(workroom)
    activity = Activity(workroom=workroom, created_by=actor, **{k: data[k] for k in ACTIVITY_FIELDS if k in data})
    activity.full_clean()
    check_planning_date(activity.starts_at)
    return _save(activity, actor)


@transaction.atomic
def activity_update(*, activity: Activity, actor, **data) -> Activity:
    """Change an activity; a new date must still be plannable."""
    old_start = Activity.objects.values_list("starts_at", flat=True).get(pk=activity.pk)
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    activity.full_clean()
    if activity.starts_at != old_start:
        check_planning_date(activity.starts_at)
    return _save(activity, actor)


def check_training_hours(activity: Activity) -> None:
    """One activity credits at most the school's cap of training hours
    (学校设置 ``activity_max_training_hours``, §6), so a typing slip cannot
    fill a member's yearly hours at once."""
    cap = RuleSet.objects.current().activity_max_training_hours
    if activity.training_hours is not None and activity.training_hours > cap:
        raise ValidationError(
            {"training_hours": f"每次活动的培训课时不能超过 {cap.normalize():f} 课时（学校设置）；现填 {activity.training_hours.normalize():f} 课时。"}
        )


def _save(activity: Activity, actor) -> Activity:
    """Check who speaks and records and the hours credited, save, and file
    the minutes in the archive."""
    _check_people(activity)
    check_training_hours(activity)
    activity.save()
    if activity.minutes.strip():
        activity_archive(activity=activity, actor=actor)
    return activity


@transaction.atomic
def activity_attach_file(*, activity: Activity, actor, upload, description: str = "") -> ActivityFile:
    """Attach minutes, a photo or a file to an activity afterwards; it is
    filed into the archive, as a training record when the activity is a
    training (教育科研类), otherwise under 其他类 (DOMAIN.md §8)."""
    stored = store_upload(upload, user=actor)
    attached = ActivityFile(activity=activity, file=stored, description=description)
    attached.full_clean()
    attached.save()
    training = is_training(activity)
    day = timezone.localtime(activity.starts_at).date()
    archive_file(
        workroom=activity.workroom, source=attached, file=stored, filed_on=day, actor=actor,
        category=ArchiveEntry.Category.RESEARCH if training else ArchiveEntry.Category.OTHER,
        title=f"{activity.theme}：{description or stored.original_name}", kind="培训资料" if training else "活动附件",
    )
    return attached


PHOTO_NOT_IMAGE = "只有图片可以作为活动照片在工作室主页公开。"
PHOTO_ACTIVITY_PRIVATE = "该活动尚未在工作室主页公开：请先编辑活动，勾选“在展示页公开”，再公开它的照片。"


def _photo_refusal(photo: ActivityFile) -> str:
    if not photo.is_photo:
        return PHOTO_NOT_IMAGE
    if not photo.activity.is_public:
        return PHOTO_ACTIVITY_PRIVATE
    return ""


def activity_photo_set_public(*, actor, photo: ActivityFile, is_public: bool) -> ActivityFile:
    """Show an activity photo on the workroom's public page, or stop showing
    it. A photo is an attached image, and it is shown only with its activity:
    refused, unchanged, for another file or while the activity is not public;
    an activity taken off the page takes its photos with it."""
    public_flag_set(record=photo, workroom=photo.activity.workroom, is_public=is_public, actor=actor,
                    refusal=_photo_refusal)
    return photo


def _check_started(activity: Activity) -> None:
    if timezone.localtime(activity.starts_at).date() > school_today():
        raise ValidationError("活动尚未开始，不能签到。")


@transaction.atomic
def attendance_record(*, activity: Activity, actor, statuses: dict[int, str]) -> int:
    """Save the sign-in sheet: one status per current member (§6).
    Returns the number of rows written."""
    _check_started(activity)
    allowed = current_teacher_ids(activity.workroom)
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError("签到表中有不属于本工作室的人员。")
    valid = set(Attendance.Status.values)
    if any(value not in valid for value in statuses.values()):
        raise ValidationError("签到状态只能是出席、请假或缺席。")
    existing = {a.teacher_id: a for a in Attendance.objects.select_for_update().filter(activity=activity)}
    to_create, to_update = [], []
    for teacher_id, status in statuses.items():
        row = existing.get(teacher_id)
        if row is None:
            to_create.append(Attendance(activity=activity, teacher_id=teacher_id, status=status, recorded_by=actor))
        elif row.status != status:
            row.status, row.source, row.recorded_by, row.recorded_at = status, Attendance.Source.SHEET, actor, timezone.now()
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "source", "recorded_by", "recorded_at"])
    activity_archive(activity=activity, actor=actor)
    return len(to_create) + len(to_update)


def signin_opened_announce(*, code) -> list[RobotDelivery]:
    """签到开始: the workroom's group hears that sign-in is open and until
    when; the code itself is never sent (only those present may use it)."""
    activity = code.activity
    until = timezone.localtime(code.expires_at)
    return announce(
        owners=[activity.workroom], event=RobotEvent.SIGNIN_OPEN, when=activity.starts_at,
        title=f"{activity.workroom.name}「{activity.theme}」已开始签到，请于{until:%H:%M}前在活动现场签到"[:200],
        url=reverse("workrooms:signin", args=[activity.pk]), key=f"signin-open:{code.pk}",
    )


@transaction.atomic
def signin_code_start(*, activity: Activity, actor) -> SignInCode:
    """Start a fresh code for the event; earlier codes stop working."""
    if timezone.localtime(activity.starts_at).date() != school_today():
        raise ValidationError("签到码只能在活动当天发起。")
    now = timezone.now()
    SignInCode.objects.filter(activity=activity, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10**SIGNIN_CODE_DIGITS):0{SIGNIN_CODE_DIGITS}d}"
    started = SignInCode.objects.create(activity=activity, code=code, created_by=actor, expires_at=now + SIGNIN_CODE_LIFETIME)
    signin_opened_announce(code=started)
    return started


def signin_failures_left(user) -> int:
    since = timezone.now() - SIGNIN_FAILURE_WINDOW
    failures = SignInAttempt.objects.filter(user=user, succeeded=False, created_at__gte=since).count()
    return max(SIGNIN_MAX_FAILURES - failures, 0)


def signin_with_code(*, activity: Activity, user, teacher, code: str) -> Attendance:
    """A member signs themselves in to ``activity`` with the code shown at
    the event (§5): valid only for this activity, before it expires, once.
    Wrong codes count against a per-user limit, so codes cannot be guessed."""
    if teacher is None or teacher.pk not in current_teacher_ids(activity.workroom):
        raise SignInRefused("只有本工作室的成员可以签到。")
    if signin_failures_left(user) == 0:
        minutes = int(SIGNIN_FAILURE_WINDOW.total_seconds() // 60)
        raise SignInRefused(f"签到码错误次数过多，请 {minutes} 分钟后再试。")
    code = (code or "").strip()
    now = timezone.now()
    matching = SignInCode.objects.filter(activity=activity, code=code).order_by("-expires_at").first()
    if matching is None:
        SignInAttempt.objects.create(user=user, succeeded=False)
        left = signin_failures_left(user)
        raise SignInRefused(f"签到码不正确，请核对活动现场显示的签到码（还可尝试 {left} 次）。")
    if matching.expires_at <= now:
        raise SignInRefused("签到码已失效，请主持人发起新的签到码。")
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(activity=activity, teacher=teacher).first()
        if row is not None and row.status == Attendance.Status.PRESENT:
            raise SignInRefused("您已签到，无需重复签到。")
        if row is None:
            try:
                with transaction.atomic():
                    row = Attendance.objects.create(
                        activity=activity, teacher=teacher, status=Attendance.Status.PRESENT,
                        source=Attendance.Source.CODE, recorded_by=user,
                    )
            except IntegrityError:
                raise SignInRefused("您已签到，无需重复签到。") from None
        else:
            row.status, row.source, row.recorded_by = Attendance.Status.PRESENT, Attendance.Source.CODE, user
            row.save(update_fields=["status", "source", "recorded_by", "recorded_at"])
        SignInAttempt.objects.create(user=user, succeeded=True)
        # Attempts older than the window no longer count; keep the table small.
        SignInAttempt.objects.filter(user=user, created_at__lt=now - SIGNIN_FAILURE_WINDOW).delete()
    return row


# --- 听课记录 (lesson observations by the host, DOMAIN.md §6) -------------------


def can_record_observations(user, workroom) -> bool:
    """Only the workroom's host records the lessons they observed."""
    return workroom.pk in roles_of(user).hosted_workroom_ids


def observation_save(*, record: LessonObservation, actor) -> LessonObservation:
    """Save a lesson observation of the host: the teacher observed is a
    current member of the workroom, the date not in the future."""
    if not can_record_observations(actor, record.workroom):
        raise PermissionDenied("只有本工作室主持人可以填写听课记录。")
    errors = {}
    if record.date and record.date > school_today():
        errors["date"] = "听课日期不能晚于今天。"
    members = Membership.objects.current().filter(workroom=record.workroom, role=Membership.Role.MEMBER)
    if record.teacher_id and not members.filter(teacher_id=record.teacher_id).exists():
        errors["teacher"] = "授课教师须是本工作室的在册成员。"
    if errors:
        raise ValidationError(errors)
    if record.recorded_by_id is None:
        record.recorded_by = actor
    record.full_clean()
    with transaction.atomic():
        record.save()
        # 听课记录 belong to 教育科研类 of the archive (DOMAIN.md §8), filed again when corrected.
        archive_file(
            workroom=record.workroom, category=ArchiveEntry.Category.RESEARCH, source=record, member=record.teacher,
            title=f"{record.date:%Y-%m-%d} 听课：{record.class_name} {record.teacher.name}《{record.topic}》",
            kind="听课记录", filed_on=record.date, actor=actor,
        )
    return record


def observation_delete(*, record: LessonObservation, actor) -> None:
    """A deleted observation leaves the archive too."""
    if not can_record_observations(actor, record.workroom):
        raise PermissionDenied("只有本工作室主持人可以删除听课记录。")
    with transaction.atomic():
        ArchiveEntry.objects.filter(
            source_type=ContentType.objects.get_for_model(LessonObservation), source_id=record.pk
        ).delete()
        record.delete()
