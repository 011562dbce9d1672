"""One access path for the assessment app.

Outsiders get 404 (the object is not visible to them); a visible object the
user may only read gives 403 on change."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessment.models import (
    AnnualMemberAssessment,
    Evaluation,
    EvaluationReport,
    Period,
    PeriodObjection,
    Result,
)
from core.models import Publication
from members.choices import DepartmentKind
from members.roles import roles_of
from workrooms.models import NoticeScope, RuleSet, Workroom
from workrooms.selection.access import concerning_teacher_visible_to
from workrooms.selection.models import Membership


def periods_visible_to(user, qs):
    """The office and leaders see every period; a teacher their school's."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    if r.teacher is None:
        return qs.none()
    return qs.filter(school_id=r.teacher.school_id)


def vetoes_visible_to(user, qs):
    """The office and leaders see every case; a reviewer their 年级部's; a
    teacher their own."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    cond = Q(teacher__department_id__in=r.reviewed_department_ids)
    if r.teacher is not None:
        cond |= Q(teacher=r.teacher)
    return qs.filter(cond)


def results_visible_to(user, qs):
    """The office and school leaders see all; a reviewer their 年级部; a
    teacher their own published results; a host their members' published
    results."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    cond = Q(pk__in=[])
    if r.reviewed_department_ids:
        cond |= Q(department_id__in=r.reviewed_department_ids)
    published = Q(period__status__in=[Period.Status.PUBLICIZED, Period.Status.FROZEN])
    if r.teacher is not None:
        cond |= published & Q(teacher=r.teacher)
    if r.hosted_workroom_ids:
        cond |= published & Q(
            teacher__memberships__workroom_id__in=r.hosted_workroom_ids,
            teacher__memberships__status__in=["pending_agreement", "active"],
        )
    return qs.filter(cond).distinct()


def sees_full_results(user) -> bool:
    """Who reads a period's full table (amounts, ranks, details): the office,
    leaders and reviewers (their 年级部's rows)."""
    r = roles_of(user)
    return r.sees_everything or bool(r.reviewed_department_ids)


def notice_results_visible_to(user, period: Period, qs):
    """公示名单 (DOMAIN.md §12): while a period is in 公示, the staff
    concerned see its list (name, department, score, outcome): the
    teachers of the same department, or of the whole school, as the
    settings that computed it say. Nobody else, and nobody outside 公示."""
    r = roles_of(user)
    if not user.is_authenticated or period.status != Period.Status.PUBLICIZED:
        return qs.none()
    if r.sees_everything:
        return qs
    if r.teacher is None or r.teacher.school_id != period.school_id:
        return qs.none()
    scope = period.ruleset.public_notice_scope if period.ruleset else NoticeScope.DEPARTMENT
    if scope == NoticeScope.SCHOOL:
        return qs
    return qs.filter(Q(department_id=r.teacher.department_id) | Q(teacher=r.teacher))


def can_see_bonus_awards(user) -> bool:
    """加分项 list (and its download): the office and school leaders; 404 for others."""
    return roles_of(user).sees_everything


def can_enter_dept_scores(user, department) -> bool:
    return department.kind == DepartmentKind.GRADE and department.pk in roles_of(user).reviewed_department_ids


def can_enter_office_scores(user) -> bool:
    return roles_of(user).is_office


def can_see_grid(user, department) -> bool:
    r = roles_of(user)
    return r.sees_everything or department.pk in r.reviewed_department_ids


def can_manage_assessment(user) -> bool:
    return roles_of(user).is_office


def get_period_for_user(user, pk) -> Period:
    return get_object_or_404(Period.objects.visible_to(user).select_related("school", "ruleset"), pk=pk)


def objections_visible_to(user, qs):
    """公示异议 (DOMAIN.md §12): the text and the author are seen by the
    objector and the office only; nobody else sees anyone's objection."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.is_office:
        return qs
    return qs.filter(raised_by=user)


def get_objection_for_user(user, pk) -> PeriodObjection:
    """An objection for the office to answer. Leaders read every period and
    so meet the 403 of a read-only role (the caller refuses the change);
    anyone else who may not see the objection gets 404."""
    qs = PeriodObjection.objects.filter(period__in=Period.objects.visible_to(user)).select_related("period")
    if not roles_of(user).sees_everything:
        qs = objections_visible_to(user, qs)
    return get_object_or_404(qs, pk=pk)


def get_result_for_user(user, pk) -> Result:
    qs = Result.objects.visible_to(user).select_related("period", "teacher", "department", "ruleset")
    return get_object_or_404(qs, pk=pk)


def member_assessments_visible_to(user, qs):
    return concerning_teacher_visible_to(user, qs, via="membership__")


def evaluations_visible_to(user, qs):
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    return qs.filter(Q(experts=user) | Q(workroom_id__in=r.hosted_workroom_ids)).distinct()


def workrooms_under_evaluation_by(user):
    """The workrooms whose records ``user`` reads as an expert assigned to
    their evaluation (DOMAIN.md §9.5), only while the panel is scoring: once
    the evaluation is concluded or the expert unassigned, nothing. Registered
    on ``workrooms.access.evaluation_readers``."""
    return Evaluation.objects.filter(experts=user, status=Evaluation.Status.SCORING).values_list("workroom_id", flat=True)


def get_evaluation_for_user(user, pk) -> Evaluation:
    qs = evaluations_visible_to(user, Evaluation.objects.select_related("workroom__host", "ruleset"))
    return get_object_or_404(qs, pk=pk)


def can_upload_evaluation_report(user, evaluation) -> bool:
    """自评报告: the host of the evaluated workroom, while the panel scores
    (§9.5); the experts, the office and leaders read it."""
    return evaluation.status == Evaluation.Status.SCORING and evaluation.workroom_id in roles_of(user).hosted_workroom_ids


def get_evaluation_report_for_user(user, pk):
    """A 自评报告 of an evaluation ``user`` may see, or 404."""
    report = get_object_or_404(EvaluationReport.objects.select_related("file"), pk=pk)
    get_evaluation_for_user(user, report.evaluation_id)
    return report




# --- honours (§9.1, §9.4, §9.5) ---------------------------------------------------------


def outstanding_visible_to(user, qs):
    """优秀工作室成员 lists: the office and leaders see every workroom's, a
    host their own workrooms'."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    return qs.filter(workroom_id__in=r.hosted_workroom_ids)


def can_see_recommended_hosts(user) -> bool:
    """推荐为下一届主持人 (§9.5): the office and school leaders."""
    return roles_of(user).sees_everything


def can_see_outstanding_list(user) -> bool:
    r = roles_of(user)
    return r.sees_everything or bool(r.hosted_workroom_ids)


def can_name_outstanding(user, workroom_id) -> bool:
    """Only the host of the workroom names its 优秀工作室成员 (§9.4)."""
    return workroom_id in roles_of(user).hosted_workroom_ids


def class_titles_visible_to(user, qs):
    """优秀班级 / 窗口班级: the office and leaders see every grade
    department's, a reviewer their own departments'."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    return qs.filter(department_id__in=r.reviewed_department_ids)


def can_see_class_titles(user) -> bool:
    r = roles_of(user)
    return r.sees_everything or r.is_department_reviewer


def can_name_class_titles(user, department) -> bool:
    """Whoever enters a grade department's inspection scores in the monthly
    grid names its weekly and monthly classes (§9.1): its reviewer."""
    return can_enter_dept_scores(user, department)


def can_record_honour_veto(user) -> bool:
    return roles_of(user).is_office


def can_see_honour_vetoes(user, teacher) -> bool:
    """Why a teacher is vetoed from honours: the office, leaders and the
    teacher themself (the reasons include 师德 records)."""
    r = roles_of(user)
    return r.sees_everything or (r.teacher is not None and r.teacher.pk == teacher.pk)


def can_export_assessment(user) -> bool:
    """考核汇总表: the office and leaders (whole school), reviewers (their
    年级部's rows, as the results they may see)."""
    r = roles_of(user)
    return r.sees_everything or bool(r.reviewed_department_ids)


def can_export_member_assessments(user) -> bool:
    """成员考核表: whoever the member-assessment list is for (hosts their
    workrooms; the office and leaders every workroom)."""
    r = roles_of(user)
    return r.sees_everything or bool(r.hosted_workroom_ids)


# --- 成员年度考核 (DOMAIN.md §9.4, §11) -------------------------------------------


def annual_member_assessments_visible_to(user, qs):
    """The office and leaders see every workroom's; a host their workroom's
    (drafts included); a member only their own, once published."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    cond = Q(membership__workroom_id__in=r.hosted_workroom_ids)
    if r.teacher is not None:
        cond |= Q(membership__teacher=r.teacher, status=AnnualMemberAssessment.Status.PUBLISHED)
    return qs.filter(cond)


def can_see_annual_member_list(user) -> bool:
    """The annual list (and its export): hosts, the office and leaders."""
    r = roles_of(user)
    return r.sees_everything or bool(r.hosted_workroom_ids)


def can_assess_annually(user, membership) -> bool:
    """The host of the member's workroom, or the office."""
    r = roles_of(user)
    return r.is_office or membership.workroom_id in r.hosted_workroom_ids


def get_annual_membership_for_user(user, pk, *, change: bool = False):
    """A member whose annual assessment page ``user`` opens: their host and
    the office change it; leaders and the member read (403 on change);
    anyone else gets 404."""
    membership = concerning_teacher_visible_to(
        user, Membership.objects.select_related("teacher", "workroom"), via=""
    ).filter(pk=pk, role=Membership.Role.MEMBER).first()
    if membership is None:
        raise Http404("成员不存在。")
    if change and not can_assess_annually(user, membership):
        raise PermissionDenied("只有本工作室主持人或德育处可以进行成员年度考核。")
    return membership


# --- 公示 of member grades and workroom evaluations (DOMAIN.md §12) ------------------


def _notice_workroom_ids(r) -> frozenset[int]:
    return r.hosted_workroom_ids | r.member_workroom_ids


def publications_visible_to(user, qs):
    """The notices a user finds on the 公示 board: the office and leaders
    all; otherwise the lists of the staff they belong to (their workrooms'
    member grades and evaluations, the evaluations they scored, the periods
    of their school), or every list when the school publishes to all staff."""
    r = roles_of(user)
    if not user.is_authenticated:
        return qs.none()
    if r.sees_everything:
        return qs
    ct_workroom = ContentType.objects.get_for_model(Workroom)
    ct_evaluation = ContentType.objects.get_for_model(Evaluation)
    ct_period = ContentType.objects.get_for_model(Period)
    cond = Q(content_type=ct_period, object_id__in=Period.objects.visible_to(user).values("pk"))
    if r.teacher is not None and RuleSet.objects.current().public_notice_scope == NoticeScope.SCHOOL:
        return qs.filter(cond | Q(content_type__in=[ct_workroom, ct_evaluation]))
    workrooms = _notice_workroom_ids(r)
    evaluations = Evaluation.objects.filter(Q(workroom_id__in=workrooms) | Q(experts=user)).values("pk")
    cond |= Q(content_type=ct_workroom, object_id__in=workrooms) | Q(content_type=ct_evaluation, object_id__in=evaluations)
    return qs.filter(cond)


def get_notice_for_user(user, pk) -> Publication:
    """A notice of member grades or an evaluation (404 for whoever is not
    concerned; periods have their own page)."""
    qs = publications_visible_to(user, Publication.objects.exclude(topic="")).select_related(
        "content_type", "published_by__teacher", "reopened_by__teacher", "finalized_by__teacher"
    )
    return get_object_or_404(qs, pk=pk)


def can_object_to_notice(user, workroom_id: int) -> bool:
    """Who may object to a workroom's list: its members and host (the
    people on it and the one who assessed them); never the office, which
    answers."""
    r = roles_of(user)
    return not r.is_office and workroom_id in _notice_workroom_ids(r)
