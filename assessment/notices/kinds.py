"""The kinds of published lists besides the periods' (DOMAIN.md §12). A
publication's ``topic`` names its kind and what of the subject it covers:
``members:2025:1`` (a workroom's member grades of a semester),
``annual:2025`` (its annual member grades), ``evaluation`` (a workroom
evaluation, whose subject is the evaluation)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from assessment.models import SEMESTER_LABELS, AnnualMemberAssessment, Evaluation, MemberAssessment
from workrooms.models import Workroom


@dataclass(frozen=True)
class NoticeRow:
    """One line of a published list: nothing private (§12)."""

    key: int
    name: str
    department: str
    score: Decimal | None
    outcome: str


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str
    subject_model: type
    title: Callable  # (subject, params) -> str
    rows: Callable  # (subject, params) -> list[NoticeRow]
    history: Callable  # (subject, params) -> (history queryset, key of a historical row)
    back_url: Callable  # (subject, params) -> url of the records' own page
    workroom_id: Callable  # subject -> the workroom whose people are concerned


def _year_label(year: int) -> str:
    return f"{year}–{year + 1}学年"


def _member_rows(workroom, params) -> list[NoticeRow]:
    year, semester = params
    qs = (
        MemberAssessment.objects.filter(membership__workroom=workroom, school_year=year, semester=semester)
        .select_related("membership__teacher__department", "outstanding")
        .order_by("membership__teacher__staff_no")
    )
    rows = []
    for a in qs:
        outstanding = getattr(a, "outstanding", None) is not None
        teacher = a.membership.teacher
        rows.append(NoticeRow(
            a.membership_id, teacher.name, teacher.department.name if teacher.department else "", a.total,
            a.grade + ("（优秀工作室成员）" if outstanding else ""),
        ))
    return rows


def _annual_rows(workroom, params) -> list[NoticeRow]:
    (year,) = params
    qs = (
        AnnualMemberAssessment.objects.filter(membership__workroom=workroom, school_year=year)
        .select_related("membership__teacher__department")
        .order_by("membership__teacher__staff_no")
    )
    return [
        NoticeRow(a.membership_id, a.membership.teacher.name,
                  a.membership.teacher.department.name if a.membership.teacher.department else "", a.total, a.grade)
        for a in qs
    ]


def _evaluation_rows(evaluation, params) -> list[NoticeRow]:
    return [NoticeRow(
        evaluation.pk, evaluation.workroom.name, evaluation.workroom.host.name if evaluation.workroom.host_id else "",
        evaluation.total, f"{evaluation.get_kind_display()}{evaluation.grade}",
    )]


MEMBERS = NoticeKind(
    "members", "成员学期考核", Workroom,
    title=lambda w, p: f"{w.name}{_year_label(p[0])}{SEMESTER_LABELS[p[1]]}成员考核结果",
    rows=_member_rows,
    history=lambda w, p: (
        MemberAssessment.history.filter(membership__workroom=w, school_year=p[0], semester=p[1]),
        lambda r: r.membership_id,
    ),
    back_url=lambda w, p: reverse("assessment:member_list") + f"?year={p[0]}&semester={p[1]}&workroom={w.pk}",
    workroom_id=lambda w: w.pk,
)
ANNUAL = NoticeKind(
    "annual", "成员年度考核", Workroom,
    title=lambda w, p: f"{w.name}{_year_label(p[0])}成员年度考核结果",
    rows=_annual_rows,
    history=lambda w, p: (
        AnnualMemberAssessment.history.filter(membership__workroom=w, school_year=p[0]), lambda r: r.membership_id
    ),
    back_url=lambda w, p: reverse("assessment:annual_list") + f"?year={p[0]}",
    workroom_id=lambda w: w.pk,
)
EVALUATION = NoticeKind(
    "evaluation", "工作室评估", Evaluation,
    title=lambda e, p: f"{e.workroom.name}{e.get_kind_display()}结果",
    rows=_evaluation_rows,
    history=lambda e, p: (Evaluation.history.filter(id=e.pk), lambda r: r.id),
    back_url=lambda e, p: reverse("assessment:evaluation_detail", args=[e.pk]),
    workroom_id=lambda e: e.workroom_id,
)
KINDS = {k.code: k for k in (MEMBERS, ANNUAL, EVALUATION)}


def topic_of(kind: NoticeKind, *params: int) -> str:
    return ":".join([kind.code, *map(str, params)])


def parse_topic(topic: str) -> tuple[NoticeKind, tuple[int, ...]]:
    code, *params = topic.split(":")
    return KINDS[code], tuple(int(p) for p in params)
