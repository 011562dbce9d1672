"""One access path for members' records (DOMAIN.md §7), growth handbooks
(§5) and workroom archives (§8), built on ``members.roles`` and
``workrooms.access``.

- a member sees and edits only their own records (accepted or verified ones
  are locked by the services, not here);
- a host sees and reviews the records of their own workroom;
- the office sees everything, verifies achievements and may review;
- the school leadership reads everything and changes nothing;
- anyone else gets 404 (``get_*_for_user``); a visible object the user may
  only read gives 403 on change (the views check ``can_*``)."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.models import Teacher
from members.roles import roles_of
from workrooms.access import can_manage_workroom, evaluated_workroom_ids, evidence_since
from workrooms.archive.models import ArchiveEntry
from workrooms.models import Workroom
from workrooms.records.models import Achievement, ReadingLog, ResearchProject, Writing
from workrooms.selection.models import Membership

_NOTHING = Q(pk__in=[])


def records_visible_to(user, qs):
    """Reading logs, writings and achievements a user may read: their own,
    all of the workrooms they host, and those of their workrooms that are
    accepted or verified (which are in the workroom's archive anyway)."""
    if not user.is_authenticated:
        return qs.none()
    r = roles_of(user)
    if r.sees_everything:
        return qs
    cond = _NOTHING
    if r.teacher is not None:
        cond |= Q(teacher=r.teacher)
    if r.hosted_workroom_ids:
        cond |= Q(workroom_id__in=r.hosted_workroom_ids)
    # Members, and the experts evaluating the workroom (read only, §9.5),
    # read what is shared with the workroom.
    shared_in = r.member_workroom_ids | evaluated_workroom_ids(user)
    if shared_in:
        cond |= Q(workroom_id__in=shared_in, status=qs.model.SHARED_STATUS)
    return qs.filter(cond)


def projects_visible_to(user, qs):
    """Research projects: those of the user's workrooms, led or joined."""
    if not user.is_authenticated:
        return qs.none()
    r = roles_of(user)
    if r.sees_everything:
        return qs
    cond = Q(workroom_id__in=r.hosted_workroom_ids | r.member_workroom_ids)
    if r.teacher is not None:
        joined = ResearchProject.participants.through.objects.filter(teacher=r.teacher).values("researchproject_id")
        cond |= Q(leader=r.teacher) | Q(pk__in=joined)
    return qs.filter(cond)


def is_owner(user, record) -> bool:
    return user.is_authenticated and record.teacher.user_id == user.pk


def can_edit_record(user, record) -> bool:
    """Only the owner changes a record (the service refuses locked ones)."""
    return is_owner(user, record)


def can_review_record(user, record) -> bool:
    """The host of the record's workroom (not for their own records) or the
    office; a teacher's record outside any workroom only the office."""
    if roles_of(user).is_office:
        return True
    if record.workroom_id is None:
        return False
    return can_manage_workroom(user, record.workroom) and not is_owner(user, record)


def can_verify_achievement(user, achievement) -> bool:
    return roles_of(user).is_office


def can_manage_project(user, project) -> bool:
    """Edit the project and close its stages: its leader, the host, the office."""
    if can_manage_workroom(user, project.workroom):
        return True
    return user.is_authenticated and project.leader.user_id == user.pk


def can_add_stage_document(user, project) -> bool:
    if can_manage_project(user, project):
        return True
    r = roles_of(user)
    return r.teacher is not None and project.participants.filter(pk=r.teacher.pk).exists()


def can_log_records(user) -> bool:
    """Every teacher logs their own reading, writings and achievements
    (DOMAIN.md §1), in a workroom or not; leaders only read."""
    r = roles_of(user)
    return r.teacher is not None and not r.is_leader


def workrooms_for_records(user):
    """The workrooms in which the user may log records: their current ones."""
    r = roles_of(user)
    if r.teacher is None:
        return Workroom.objects.none()
    ids = Membership.objects.filter(teacher=r.teacher, status=Membership.Status.ACTIVE).values("workroom_id")
    return Workroom.objects.filter(pk__in=ids).order_by("name")


def can_view_handbook(user, teacher) -> bool:
    """成长手册: the member, their host, the office and the leadership, and
    the experts evaluating the member's workroom (read only, §9.5)."""
    r = roles_of(user)
    if not user.is_authenticated:
        return False
    if r.sees_everything or teacher.user_id == user.pk:
        return True
    workrooms = r.hosted_workroom_ids | evaluated_workroom_ids(user)
    return bool(workrooms) and Membership.objects.filter(teacher=teacher, workroom_id__in=workrooms).exists()


def get_reading_for_user(user, pk) -> ReadingLog:
    qs = ReadingLog.objects.visible_to(user).select_related("teacher", "workroom", "reviewed_by", "ruleset")
    return get_object_or_404(qs, pk=pk)


def get_writing_for_user(user, pk) -> Writing:
    qs = Writing.objects.visible_to(user).select_related("teacher", "workroom", "reviewed_by", "file")
    return get_object_or_404(qs, pk=pk)


def get_achievement_for_user(user, pk) -> Achievement:
    qs = Achievement.objects.visible_to(user).select_related("teacher", "workroom", "verified_by", "evidence")
    return get_object_or_404(qs, pk=pk)


def get_project_for_user(user, pk) -> ResearchProject:
    qs = ResearchProject.objects.visible_to(user).select_related("leader", "workroom")
    return get_object_or_404(qs, pk=pk)


def get_handbook_teacher_for_user(user, pk) -> Teacher:
    teacher = get_object_or_404(Teacher.objects.select_related("school"), pk=pk)
    if not can_view_handbook(user, teacher):
        raise Http404("没有找到该成员。")
    return teacher


# --- archives (DOMAIN.md §8) --------------------------------------------


def _archive_workroom_ids(user):
    """Own workrooms, and those the user evaluates as an assigned expert
    (read only: filing checks ``can_file_to_archive``)."""
    r = roles_of(user)
    return r.hosted_workroom_ids | r.member_workroom_ids | evaluated_workroom_ids(user)


def archive_workrooms_visible_to(user, qs):
    """Whose archive a user may read: own workrooms; the office and leadership all."""
    if not user.is_authenticated:
        return qs.none()
    if roles_of(user).sees_everything:
        return qs
    return qs.filter(pk__in=_archive_workroom_ids(user))


def can_read_archive(user, workroom) -> bool:
    """The predicate form of ``archive_workrooms_visible_to``."""
    return user.is_authenticated and (roles_of(user).sees_everything or workroom.pk in _archive_workroom_ids(user))


def archive_entries_visible_to(user, qs):
    if not user.is_authenticated:
        return qs.none()
    if roles_of(user).sees_everything:
        return qs
    return qs.filter(workroom_id__in=_archive_workroom_ids(user))


def can_file_to_archive(user, workroom) -> bool:
    """Upload into (or remove uploads from) an archive: the office, the host
    and the workroom's archivist (档案管理员)."""
    if can_manage_workroom(user, workroom):
        return True
    r = roles_of(user)
    return r.teacher is not None and Membership.objects.current().filter(
        workroom=workroom, teacher=r.teacher, is_archivist=True
    ).exists()


def can_bundle_archive(user, workroom) -> bool:
    """档案打包: whoever files into the archive (office, host, archivist)
    and school leaders; members only read it."""
    return roles_of(user).sees_everything or can_file_to_archive(user, workroom)


def get_archive_workroom_for_user(user, pk):
    return get_object_or_404(archive_workrooms_visible_to(user, Workroom.objects.select_related("host")), pk=pk)


def get_archive_entry_for_user(user, pk):
    entry = get_object_or_404(ArchiveEntry.objects.visible_to(user).select_related("workroom", "file"), pk=pk)
    since = evidence_since(user, entry.workroom)
    if since and entry.filed_on < since:
        raise Http404
    return entry
