"""One access path for generated documents, jobs and certificates.

A job and its file belong to the person who asked and to the office; anyone
else gets 404. Certificates are seen by the office and school leaders (read
only) and by their recipient."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from archives.models import Certificate, Job
from members.roles import roles_of
from workrooms.access import can_export_roster


def jobs_visible_to(user, qs):
    if not user.is_authenticated:
        return qs.none()
    if roles_of(user).is_office:
        return qs
    return qs.filter(requested_by=user)


def get_job_for_user(user, pk):
    return get_object_or_404(Job.objects.visible_to(user).select_related("result", "requested_by__teacher"), pk=pk)


def certificates_visible_to(user, qs):
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    if r.teacher is None:
        return qs.none()
    return qs.filter(recipient=r.teacher)


def get_certificate_for_user(user, pk):
    qs = Certificate.objects.visible_to(user).select_related("recipient", "workroom", "file", "reissue_of")
    return get_object_or_404(qs, pk=pk)


def can_issue_certificates(user) -> bool:
    return roles_of(user).is_office


def can_generate_workroom_report(user, workroom) -> bool:
    return can_export_roster(user, workroom)


def can_generate_handbook(user, teacher) -> bool:
    r = roles_of(user)
    if r.sees_everything or (r.teacher is not None and r.teacher.pk == teacher.pk):
        return True
    hosted = r.hosted_workroom_ids
    return bool(hosted) and teacher.memberships.filter(workroom_id__in=hosted).exists()


def can_download_notice(user, result) -> bool:
    """考核结果通知单: the teacher themself, the office and school leaders."""
    r = roles_of(user)
    return r.sees_everything or (r.teacher is not None and r.teacher.pk == result.teacher_id)




# --- 继续教育学分台账 (DOMAIN.md §6, §10) ----------------------------------------------


def credit_memberships_visible_to(user, qs):
    """The ledger rows ``user`` may read: the office and school leaders all,
    a host the rows of the workrooms they host, anyone their own rows."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    if r.teacher is None:
        return qs.none()
    return qs.filter(Q(workroom_id__in=r.hosted_workroom_ids) | Q(teacher=r.teacher))


def can_see_credits(user) -> bool:
    """Whoever has rows in the ledger: the office, school leaders, and every
    teacher who is or was in a workroom. Anyone else gets 404."""
    r = roles_of(user)
    if not user.is_authenticated:
        return False
    if r.sees_everything or r.hosted_workroom_ids:
        return True
    return r.teacher is not None and r.teacher.memberships.exists()


def can_export_credits(user) -> bool:
    """The platform spreadsheet: the office, school leaders (read only) and
    hosts, as a workroom's other ledgers; a member reads their row only (403)."""
    r = roles_of(user)
    return r.sees_everything or bool(r.hosted_workroom_ids)
