"""Honours (DOMAIN.md §9.1, §9.4, §9.5, and the 师德 veto of §3/§4):
naming 优秀工作室成员 and the weekly/monthly classes, the honours veto and
what it takes away.

Writes follow the services conventions: keyword-only arguments, one
transaction, a Chinese ``ValidationError`` or ``PermissionDenied`` that
changes nothing. The refusal rules themselves are pure functions in
``assessment.rules.honours``; reads cost a fixed number of queries."""

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from assessment import access
from assessment.models import (
    SEMESTER_LABELS,
    ClassTitle,
    Distinction,
    Evaluation,
    HostVeto,
    MemberAssessment,
    OutstandingMember,
)
from assessment.notices.kinds import MEMBERS, topic_of
from assessment.rules.honours import (
    ClassTitleCase,
    OutstandingCase,
    class_title_refusal,
    outstanding_member_refusal,
    period_label,
    period_start,
)
from core.calendar import school_today
from core.models import NotificationKind
from core.notify import notify
from core.publicity import publication_current
from core.registry import Hook
from members.choices import DepartmentKind
from members.models import Department, EthicsRecord, Teacher
from workrooms.models import RuleSet, Workroom
from workrooms.selection.models import Membership

ETHICS_TEXT = "师德一票否决"


def _teacher_page(teacher) -> str:
    return reverse("members:teacher_detail", args=[teacher.pk])


# --- the honours veto: who is vetoed and why ---------------------------------------------


def vetoed_q(teacher_field: str = "pk") -> Q:
    """Rows whose teacher (``teacher_field``) is vetoed from all honours: a
    host veto on a final evaluation (§9.5) or a confirmed 师德 violation
    (§3, §4). For ``filter``/``exclude``; see ``with_veto`` to annotate."""
    ref = OuterRef(teacher_field)
    return Exists(HostVeto.objects.filter(teacher_id=ref)) | Exists(
        EthicsRecord.objects.filter(teacher_id=ref, confirmed=True)
    )


def with_veto(qs, teacher_field: str = "pk"):
    """``qs`` with a boolean ``honours_vetoed`` per row, in the same query."""
    return qs.annotate(honours_vetoed=ExpressionWrapper(vetoed_q(teacher_field), output_field=BooleanField()))


def is_vetoed(teacher_id: int) -> bool:
    """One query."""
    return Teacher.objects.filter(pk=teacher_id).filter(vetoed_q()).exists()


def vetoed_teacher_ids(teacher_ids) -> set[int]:
    """Of ``teacher_ids``, those vetoed from honours (one query)."""
    ids = {i for i in teacher_ids if i is not None}
    if not ids:
        return set()
    return set(Teacher.objects.filter(pk__in=ids).filter(vetoed_q()).values_list("pk", flat=True))


@dataclass(frozen=True)
class VetoReason:
    label: str  # what vetoes: the §9.5 finding or the 师德 veto
    detail: str  # the office's account
    on: date | None
    source: str  # e.g. the workroom of the final evaluation

    def __str__(self):
        return self.label


def veto_reasons(teacher_ids) -> dict[int, list[VetoReason]]:
    """Teacher id → the reasons they are vetoed from honours, oldest first
    (two queries)."""
    ids = {i for i in teacher_ids if i is not None}
    reasons: dict[int, list[VetoReason]] = {}
    for v in HostVeto.objects.filter(teacher_id__in=ids).select_related("evaluation__workroom").order_by("recorded_at", "pk"):
        reasons.setdefault(v.teacher_id, []).append(
            VetoReason(HostVeto.TEXT, v.reason, timezone.localtime(v.recorded_at).date(), f"{v.evaluation.workroom.name}终期评估")
        )
    for e in EthicsRecord.objects.filter(teacher_id__in=ids, confirmed=True).order_by("occurred_on", "pk"):
        reasons.setdefault(e.teacher_id, []).append(VetoReason(ETHICS_TEXT, e.description, e.occurred_on, "师德记录"))
    return reasons


def veto_text(reasons: list[VetoReason]) -> str:
    """The short form used in refusals: 「师德一票否决」, without the details."""
    return "；".join(dict.fromkeys(r.label for r in reasons))


def _veto_of(teacher) -> str:
    return veto_text(veto_reasons([teacher.pk]).get(teacher.pk, []))


# --- 优秀工作室成员 (§9.4) ---------------------------------------------------------------------


def _semester_label(school_year: int, semester: int) -> str:
    return f"{school_year}–{school_year + 1}学年{SEMESTER_LABELS[semester]}"


def _require_not_published(workroom, school_year: int, semester: int) -> None:
    """优秀工作室成员 is on the semester's published member list (§12): while
    that list stands, the naming does not change."""
    latest = publication_current(workroom, topic_of(MEMBERS, school_year, semester))
    if latest is not None and latest.stands:
        raise ValidationError("本学期成员考核结果（含优秀工作室成员）已公示，不能更改评选；如需更正，请德育处在异议成立后重新开放。")


@transaction.atomic
def outstanding_member_name(*, assessment: MemberAssessment, actor) -> OutstandingMember:
    """The host names a member 优秀工作室成员 for the semester of
    ``assessment`` (DOMAIN.md §9.4), among the members graded 优秀; one per
    workroom and semester (``outstandingmember_one_per_semester``). The
    member is notified."""
    membership = Membership.objects.select_related("teacher__user", "workroom").get(pk=assessment.membership_id)
    workroom = membership.workroom
    if not access.can_name_outstanding(actor, workroom.pk):
        raise PermissionDenied("只有本工作室主持人可以评选优秀工作室成员。")
    # The workroom row is the lock: two namings at once wait for each other.
    Workroom.objects.select_for_update().get(pk=workroom.pk)
    assessment = MemberAssessment.objects.get(pk=assessment.pk)
    semester = _semester_label(assessment.school_year, assessment.semester)
    _require_not_published(workroom, assessment.school_year, assessment.semester)
    named = (
        OutstandingMember.objects.filter(workroom=workroom, school_year=assessment.school_year, semester=assessment.semester)
        .select_related("teacher")
        .first()
    )
    refusal = outstanding_member_refusal(OutstandingCase(
        member=membership.teacher.name,
        semester=semester,
        grade=assessment.grade,
        is_current_member=membership.status in Membership.CURRENT_STATUSES,
        named_already=named.teacher.name if named else "",
        veto=_veto_of(membership.teacher),
    ))
    if refusal:
        raise ValidationError(refusal)
    title = OutstandingMember(
        assessment=assessment, workroom=workroom, teacher=membership.teacher,
        school_year=assessment.school_year, semester=assessment.semester, named_by=actor,
    )
    title.full_clean(exclude=["assessment", "workroom", "teacher", "named_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            title.save()
    except IntegrityError as exc:  # named meanwhile by another request
        raise ValidationError(f"本工作室{semester}已评出优秀工作室成员，每学期只能评选一名。") from exc
    notify(
        users=[membership.teacher.user_id], kind=NotificationKind.RESULT_PUBLISHED,
        title=f"您被评为{workroom.name}{semester}优秀工作室成员", url=_teacher_page(membership.teacher),
    )
    return title


@transaction.atomic
def outstanding_member_withdraw(*, outstanding: OutstandingMember, actor) -> None:
    """The host withdraws a naming (e.g. the wrong member was chosen); the
    workroom may then name someone else for that semester."""
    if not access.can_name_outstanding(actor, outstanding.workroom_id):
        raise PermissionDenied("只有本工作室主持人可以撤回优秀工作室成员的评选。")
    title = OutstandingMember.objects.select_for_update().select_related("teacher", "workroom").get(pk=outstanding.pk)
    _require_not_published(title.workroom, title.school_year, title.semester)
    title.delete()
    notify(
        users=[title.teacher.user_id], kind=NotificationKind.RESULT_PUBLISHED,
        title=f"{title.workroom.name}{title.semester_label}优秀工作室成员的评选已由主持人撤回",
        url=_teacher_page(title.teacher),
    )


def outstanding_by_workroom(*, workroom_ids, school_year: int, semester: int) -> dict[int, OutstandingMember]:
    """Workroom id → its 优秀工作室成员 of the semester (one query)."""
    qs = OutstandingMember.objects.filter(
        workroom_id__in=list(workroom_ids), school_year=school_year, semester=semester
    ).select_related("teacher")
    return {o.workroom_id: o for o in qs}


# --- 优秀班级 / 窗口班级 (§9.1) -----------------------------------------------------------------


def class_title_limit(ruleset: RuleSet, kind: str) -> int:
    if kind == ClassTitle.Kind.EXCELLENT:
        return ruleset.excellent_classes_per_week
    return ruleset.window_classes_per_month


@transaction.atomic
def class_title_name(*, department: Department, teacher: Teacher, kind: str, day: date, actor, today: date | None = None) -> ClassTitle:
    """A grade department names a head teacher's class 优秀班级 for the week
    of ``day`` or 窗口班级 for its month (DOMAIN.md §9.1), within the limit
    of the school settings in force (recorded with the title). The head
    teacher is notified."""
    if kind not in ClassTitle.Kind.values:
        raise ValidationError({"kind": "请选择优秀班级或窗口班级。"})
    if department.kind != DepartmentKind.GRADE:
        raise ValidationError({"department": "只有年级部评选优秀班级和窗口班级。"})
    if not access.can_name_class_titles(actor, department):
        raise PermissionDenied(f"只有{department.name}的审核人可以评选本年级部的班级。")
    today = today or school_today()
    starts_on = period_start(kind, day)
    ruleset = RuleSet.objects.current()
    limit = class_title_limit(ruleset, kind)
    # The department row is the lock: the count and the insert see the same state.
    Department.objects.select_for_update().get(pk=department.pk)
    named = ClassTitle.objects.filter(department=department, kind=kind, starts_on=starts_on)
    case = ClassTitleCase(
        kind=kind,
        period=period_label(kind, starts_on),
        department=department.name,
        head_teacher=teacher.name,
        class_name=teacher.class_name,
        is_head_teacher=teacher.is_head_teacher,
        in_department=teacher.department_id == department.pk,
        starts_in_future=starts_on > today,
        already_named=named.filter(teacher=teacher).exists(),
        named_so_far=named.count(),
        limit=limit,
        veto=_veto_of(teacher),
    )
    refusal = class_title_refusal(case)
    if refusal:
        raise ValidationError(refusal)
    title = ClassTitle(
        kind=kind, department=department, teacher=teacher, class_name=teacher.class_name, starts_on=starts_on,
        ruleset=ruleset, named_by=actor,
    )
    title.full_clean(exclude=["department", "teacher", "ruleset", "named_by"], validate_constraints=False)
    title.save()
    notify(
        users=[teacher.user_id], kind=NotificationKind.RESULT_PUBLISHED,
        title=f"您的班级{title.class_name}被{department.name}评为{title.period_label}{title.get_kind_display()}",
        url=_teacher_page(teacher),
    )
    return title


@transaction.atomic
def class_title_withdraw(*, title: ClassTitle, actor) -> None:
    """The grade department withdraws a class title it named by mistake."""
    if not access.can_name_class_titles(actor, title.department):
        raise PermissionDenied(f"只有{title.department.name}的审核人可以撤回本年级部评选的班级。")
    ClassTitle.objects.filter(pk=title.pk).delete()


# --- recording a veto, and what it takes away ---------------------------------------------

# Called when a 名班主任 title is taken back: ``(teacher, workroom_id or None
# for every workroom, reason, actor) -> number of title certificates revoked``.
# The documents layer registers the revocation of its certificates.
master_title_taken = Hook("master_title_taken")


def _take_master_titles(*, teacher, reason: str, actor, evaluation: Evaluation | None = None) -> tuple[int, int]:
    """Revoke the 名班主任 title (§9.5) of ``teacher``: the distinctions and
    the valid title certificates, of one evaluation's workroom or all of
    them. Returns (distinctions, certificates) revoked."""
    distinctions = Distinction.objects.filter(teacher=teacher, kind=Distinction.Kind.MASTER, revoked_at__isnull=True)
    if evaluation is not None:
        distinctions = distinctions.filter(evaluation=evaluation)
    taken = distinctions.update(revoked_at=timezone.now(), revoke_reason=reason)
    workroom_id = evaluation.workroom_id if evaluation is not None else None
    revoked = sum(master_title_taken(teacher=teacher, workroom_id=workroom_id, reason=reason, actor=actor))
    return taken, revoked


@transaction.atomic
def host_veto_record(*, evaluation: Evaluation, reason: str, actor) -> HostVeto:
    """The office records on a final evaluation that the host did not meet
    the targets or did things only for show (DOMAIN.md §9.5): the host is
    vetoed from all honours. A 名班主任 title the evaluation gave is taken
    back and its certificate revoked; concluding the evaluation later gives
    none. The host is notified."""
    if not access.can_record_honour_veto(actor):
        raise PermissionDenied("只有德育处可以记录荣誉一票否决。")
    evaluation = Evaluation.objects.select_for_update().select_related("workroom__host").get(pk=evaluation.pk)
    if evaluation.kind != Evaluation.Kind.FINAL:
        raise ValidationError("荣誉一票否决只能在终期评估上记录。")
    if HostVeto.objects.filter(evaluation=evaluation).exists():
        raise ValidationError("本次终期评估已记录荣誉一票否决。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写情况说明。"})
    host = evaluation.workroom.host
    veto = HostVeto(evaluation=evaluation, teacher=host, reason=reason.strip(), recorded_by=actor)
    veto.full_clean(exclude=["evaluation", "teacher", "recorded_by"], validate_unique=False, validate_constraints=False)
    veto.save()
    _take_master_titles(
        teacher=host, evaluation=evaluation, actor=actor, reason=f"荣誉一票否决：{HostVeto.TEXT}。{veto.reason}",
    )
    notify(
        users=[host.user_id], kind=NotificationKind.RESULT_PUBLISHED,
        title=f"{evaluation.workroom.name}终期评估：{HostVeto.TEXT}，您的一切荣誉一票否决",
        body=veto.reason, url=_teacher_page(host),
    )
    return veto


@transaction.atomic
def ethics_violation_record(*, teacher: Teacher, occurred_on: date, description: str, actor) -> EthicsRecord:
    """The office records a confirmed 师德 violation (师德一票否决, DOMAIN.md
    §3, §4): the teacher may no longer host, is vetoed from all honours,
    and a 名班主任 title they hold is removed, every valid title
    certificate revoked with the reason (the verification page then shows
    it revoked). The teacher is notified."""
    if not access.can_record_honour_veto(actor):
        raise PermissionDenied("只有德育处可以登记师德违规。")
    if not description.strip():
        raise ValidationError({"description": "请填写情况说明。"})
    if occurred_on > school_today():
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})
    record = EthicsRecord(
        teacher=teacher, occurred_on=occurred_on, description=description.strip(), confirmed=True,
        confirmed_by=actor, confirmed_at=timezone.now(),
    )
    record.full_clean(exclude=["teacher", "confirmed_by"])
    record.save()
    titles, certificates = _take_master_titles(teacher=teacher, actor=actor, reason=f"{ETHICS_TEXT}：{record.description}")
    taken = "，名班主任称号已撤销" if titles or certificates else ""
    notify(
        users=[teacher.user_id], kind=NotificationKind.RESULT_PUBLISHED,
        title=f"经查实的师德违规：一切荣誉一票否决{taken}", body=record.description, url=_teacher_page(teacher),
    )
    return record


# --- the construction cycle (§9.5) ------------------------------------------------------------


def final_evaluation_of(workroom, *, lock: bool = False) -> Evaluation | None:
    """The workroom's latest concluded final evaluation: the one an
    extension of the cycle rests on."""
    qs = Evaluation.objects.filter(workroom=workroom, kind=Evaluation.Kind.FINAL, status=Evaluation.Status.CONCLUDED)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-concluded_at", "-pk").first()


# --- what a teacher's page shows ---------------------------------------------------------------


def teacher_honours(teacher: Teacher, *, with_vetoes: bool, with_ethics: bool) -> dict:
    """A teacher's honours for their page: 优秀工作室成员, their class's
    优秀班级/窗口班级, titles from evaluations (with any revocation) and,
    for those who may see them, why they are vetoed; the account of a 师德
    record only for those who may read 师德 records. Three to five queries."""
    vetoes = veto_reasons([teacher.pk]).get(teacher.pk, []) if with_vetoes else []
    if not with_ethics:
        vetoes = [replace(r, detail="") if r.label == ETHICS_TEXT else r for r in vetoes]
    return {
        "outstanding": list(OutstandingMember.objects.filter(teacher=teacher).select_related("workroom")),
        "class_titles": list(ClassTitle.objects.filter(teacher=teacher).select_related("department")),
        "distinctions": list(
            Distinction.objects.filter(teacher=teacher).select_related("evaluation__workroom").order_by("awarded_at")
        ),
        "honour_vetoes": vetoes,
    }
