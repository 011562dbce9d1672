"""Reads of the annual member assessment (DOMAIN.md §9.4, §11): a member's
school year as the rule needs it, and the lists of the page and its export."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.http import Http404

from assessment.models import AnnualMemberAssessment, MemberAssessment
from assessment.rules.member import AnnualInput
from core.calendar import school_today, school_year_of, semester, term_of
from members.roles import roles_of
from workrooms.activities.duties import SEMESTER, DutyProgress
from workrooms.activities.selectors import member_attendance, member_progress
from workrooms.selection.models import Membership


@dataclass(frozen=True)
class YearDuty:
    period: str  # the semester's or the year's label
    progress: DutyProgress


@dataclass(frozen=True)
class AnnualRecord:
    """What the annual grade is computed from (§9.4): the semester
    assessments of the year, attendance over the year, the §6 duties of
    each semester and of the year."""

    school_year: int
    label: str
    semesters: dict  # 1 / 2 -> MemberAssessment or None
    attended: int
    held: int
    duties: list[YearDuty]

    @property
    def duties_met(self) -> int:
        return sum(d.progress.met for d in self.duties)

    def rule_input(self) -> AnnualInput:
        assessed = [a for a in self.semesters.values() if a is not None]
        return AnnualInput(
            semester_totals=tuple(a.total for a in assessed),
            semester_grades=tuple(a.grade for a in assessed),
            activities_total=self.held,
            activities_attended=self.attended,
            duties_total=len(self.duties),
            duties_met=self.duties_met,
        )


def school_year_asked(value) -> int:
    """The school year a page or export asks for (its starting calendar
    year), the current one when left blank; ``Http404`` for nonsense."""
    if not value:
        return term_of(school_today())[0]
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _as_of(start: date, end: date, today: date) -> date:
    return min(end, max(start, today))


def annual_record(*, membership: Membership, school_year: int) -> AnnualRecord:
    """The member's year: both semester assessments (one query), attendance
    over the school year since joining (one query), and the duties — each
    semester's semester duties as they stood at its end, and the year's
    duties at the end of the year (or today, while it runs)."""
    year = school_year_of(date(school_year, 9, 1))
    today = school_today()
    assessed = {
        a.semester: a
        for a in MemberAssessment.objects.filter(membership=membership, school_year=school_year)
    }
    attended, held = member_attendance(membership, year)
    duties: list[YearDuty] = []
    for term in (1, 2):
        period = semester(school_year, term)
        row, _ = member_progress(membership.workroom, membership.teacher, today=_as_of(period.start, period.end, today))
        for d in row.duties if row is not None else []:
            if d.period == SEMESTER:
                duties.append(YearDuty(period.label, d))
            elif term == 2:
                duties.append(YearDuty(year.label, d))
    return AnnualRecord(
        school_year=school_year, label=f"{school_year}–{school_year + 1}学年",
        semesters={1: assessed.get(1), 2: assessed.get(2)}, attended=attended, held=held, duties=duties,
    )


def annual_assessments_for_list(user, *, school_year: int):
    """成员年度考核 list: the year's annual assessments ``user`` may see, by
    workroom and staff number. The page and its export filter this with
    ``AnnualMemberFilter``."""
    return (
        AnnualMemberAssessment.objects.visible_to(user)
        .filter(school_year=school_year)
        .select_related("membership__teacher", "membership__workroom", "assessed_by__teacher", "adjustment")
        .order_by("membership__workroom__name", "membership__workroom_id", "membership__teacher__staff_no", "pk")
    )


def members_awaiting_annual(user, *, school_year: int):
    """Current members of the workrooms ``user`` assesses (every workroom for
    the office and leaders) without an annual assessment for the year."""
    r = roles_of(user)
    done = AnnualMemberAssessment.objects.filter(membership=OuterRef("pk"), school_year=school_year)
    qs = (
        Membership.objects.current()
        .filter(role=Membership.Role.MEMBER)
        .exclude(Exists(done))
        .select_related("teacher", "workroom")
    )
    if not r.sees_everything:
        qs = qs.filter(workroom_id__in=r.hosted_workroom_ids)
    return qs.order_by("workroom__name", "workroom_id", "teacher__staff_no", "pk")


def my_annual_assessments(user):
    """A member's own annual assessments, once published, newest first."""
    teacher = roles_of(user).teacher
    if teacher is None:
        return AnnualMemberAssessment.objects.none()
    return (
        AnnualMemberAssessment.objects.filter(membership__teacher=teacher, status=AnnualMemberAssessment.Status.PUBLISHED)
        .select_related("membership__workroom")
        .order_by("-school_year", "pk")
    )
