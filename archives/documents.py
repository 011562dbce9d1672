"""What each PDF shows (the data), separate from how it is rendered
(``core.pdf``). Each builder reads with a fixed number of queries.

The annual report and the growth handbook are lists of numbered
``Chapter``s; each chapter's partial template under ``templates/pdf/report/``
or ``templates/pdf/handbook/`` prints its ``data``."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from archives.models import Certificate
from assessment.models import Distinction, Evaluation, MemberAssessment, Result
from assessment.models import Period as AssessmentPeriod
from assessment.views import ROUNDING_TEXT
from core.calendar import Period, school_today, school_year, school_year_of
from core.qr import qr_png_data_uri
from core.workflow import history
from members.models import ProfileItem, Teacher
from workrooms.activities import selectors as ops_selectors
from workrooms.activities.forms import LedgerDateForm
from workrooms.activities.selectors import bounds
from workrooms.archive.models import ArchiveEntry
from workrooms.mentoring.services import mentoring_for_teacher
from workrooms.models import Activity, Attendance, OutreachRecord, Workroom
from workrooms.plans.models import DevelopmentPlan, SemesterRecord
from workrooms.records.models import (
    Achievement,
    ReadingLog,
    ResearchProject,
    ReviewStatus,
    Writing,
)
from workrooms.records.rules import ResearchStatus
from workrooms.selection.models import Membership


def date_cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def verify_url(cert: Certificate) -> str:
    """The public verification address: the serial and the check code."""
    return settings.SITE_URL + reverse("archives:verify", args=[cert.serial, cert.check_code])


def certificate_text(cert: Certificate) -> str:
    """The body of each kind of certificate (DOMAIN.md §10; the appointment
    papers of §3, §4, §5)."""
    period = f"{date_cn(cert.period_start)}至{date_cn(cert.period_end)}"
    if cert.kind == Certificate.Kind.HOST_APPOINTMENT:
        return f"兹聘任{cert.recipient_name}同志为{cert.workroom_name}主持人，聘期自{period}。"
    if cert.kind == Certificate.Kind.MEMBER_APPOINTMENT:
        return f"兹聘任{cert.recipient_name}同志为{cert.workroom_name}成员，聘期自{period}。"
    if cert.kind == Certificate.Kind.PLAQUE:
        return f"经{cert.school_name}审批，{cert.workroom_name}正式立项，准予挂牌运行。建设周期自{period}。"
    if cert.kind == Certificate.Kind.TITLE:
        return (
            f"在{cert.workroom_name}建设周期（{period}）内主持工作室工作，成绩显著，"
            "经考核合格，特授予「名班主任」称号。"
        )
    if cert.kind == Certificate.Kind.TRAINING:
        return f"于{period}参加{cert.workroom_name}研修培训，完成规定的研修任务，经考核合格，准予结业。特发此证。"
    year = school_year_of(cert.period_start or cert.issued_on).label
    return f"在{cert.workroom_name}{year}工作中表现突出，被评为「{cert.honour}」。特发此证，以资鼓励。"


# The PDF template of each kind under ``templates/pdf/``; the others print as ``pdf/certificate.html``.
CERTIFICATE_TEMPLATES = {
    Certificate.Kind.HOST_APPOINTMENT: "pdf/appointment_letter.html",
    Certificate.Kind.MEMBER_APPOINTMENT: "pdf/appointment_letter.html",
    Certificate.Kind.PLAQUE: "pdf/plaque.html",
}


def certificate_template(cert: Certificate) -> str:
    return CERTIFICATE_TEMPLATES.get(cert.kind, "pdf/certificate.html")


def certificate_context(cert: Certificate) -> dict:
    url = verify_url(cert)
    return {
        "cert": cert,
        "text": certificate_text(cert),
        "issued_on_cn": date_cn(cert.issued_on),
        "verify_url": url,
        "qr_data_uri": qr_png_data_uri(url),
    }


# --- chapters ------------------------------------------------------------------------

NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (chapter numbers up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class Chapter:
    """One numbered chapter of a document: its title, the partial template
    under ``templates/pdf/`` that prints it, and what that template reads."""

    title: str
    template: str
    data: Any = None
    number: int = 0

    @property
    def heading(self) -> str:
        return f"{numeral(self.number)}、{self.title}"


def numbered(chapters: list[Chapter]) -> list[Chapter]:
    return [replace(c, number=i) for i, c in enumerate(chapters, start=1)]


# --- workroom annual report ----------------------------------------------------------


def report_title(workroom: Workroom, year: int) -> str:
    """工作室年度报告 of the school year starting in ``year`` (2025 → 2025-2026学年)."""
    return f"{workroom.name}{report_period(year).label}工作报告"


def report_period(year: int) -> Period:
    return school_year(year)


def _in(day: date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def _report_people(workroom: Workroom, period: Period) -> dict:
    memberships = list(
        Membership.objects.filter(workroom=workroom)
        .select_related("teacher__department", "teacher__school")
        .order_by("role", "joined_on", "pk")
    )
    in_year = [m for m in memberships if m.joined_on <= period.end and (m.left_on is None or m.left_on >= period.start)]
    return {
        "in_year": in_year,
        "hosts": [m for m in in_year if m.role == Membership.Role.HOST],
        "members": [m for m in in_year if m.role == Membership.Role.MEMBER],
        "joined": [m for m in memberships if _in(m.joined_on, period) and m.role == Membership.Role.MEMBER],
        "left": [m for m in memberships if _in(m.left_on, period)],
    }


def _report_activities(workroom: Workroom, period: Period, today: date) -> dict:
    """The year's activities held by ``today`` (planned ones are not yet
    held), each with its sign-in sheet counted (one query)."""
    present = Q(attendances__status=Attendance.Status.PRESENT)
    start, end = bounds(replace(period, end=min(period.end, today)))
    activities = list(
        Activity.objects.filter(workroom=workroom, starts_at__gte=start, starts_at__lt=end)
        .select_related("speaker")
        .annotate(
            present=Count("attendances", filter=present),
            on_leave=Count("attendances", filter=Q(attendances__status=Attendance.Status.LEAVE)),
            absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
            self_signed=Count("attendances", filter=present & Q(attendances__source=Attendance.Source.CODE)),
        )
        .order_by("starts_at", "id")
    )
    by_type: dict[str, int] = {}
    for a in activities:
        by_type[a.get_type_display()] = by_type.get(a.get_type_display(), 0) + 1
    return {
        "rows": activities,
        "by_type": sorted(by_type.items(), key=lambda kv: -kv[1]),
        "hours": sum((a.training_hours for a in activities), Decimal(0)),
        "person_hours": sum((a.training_hours * a.present for a in activities), Decimal(0)),
    }


def _report_projects(workroom: Workroom, period: Period) -> list[dict]:
    """Research projects under way in the year, with the stages closed in it
    (three queries: projects, their participants, their stages)."""
    projects = (
        ResearchProject.objects.filter(workroom=workroom, started_on__lte=period.end)
        .select_related("leader")
        .prefetch_related("participants", "stages")
        .order_by("started_on", "id")
    )
    rows = []
    for p in projects:
        closed = sorted((s for s in p.stages.all() if s.closed_at), key=lambda s: s.order)
        closed_on = {s.pk: timezone.localtime(s.closed_at).date() for s in closed}
        if p.status == ResearchStatus.COMPLETED and closed and max(closed_on.values()) < period.start:
            continue  # concluded before this year began
        rows.append({
            "project": p,
            "participants": "、".join(t.name for t in p.participants.all()),
            "closed_this_year": "、".join(s.get_stage_display() for s in closed if _in(closed_on[s.pk], period)),
        })
    return rows


def _report_member_work(workroom: Workroom, period: Period, people: list[Membership]) -> list[dict]:
    """Per person of the year: activities attended, training hours, expert
    lectures, and reading logs and writings the host accepted (three queries)."""
    def accepted(model, day_field):
        rows = (
            model.objects.filter(workroom=workroom, status=ReviewStatus.ACCEPTED, **{f"{day_field}__range": (period.start, period.end)})
            .order_by()
            .values("teacher_id")
            .annotate(n=Count("id"))
        )
        return {r["teacher_id"]: r["n"] for r in rows}

    reading, writing = accepted(ReadingLog, "read_on"), accepted(Writing, "written_on")
    training = ops_selectors.training_of_year(workroom, period)
    none = {"attended": 0, "hours": Decimal(0), "expert_lectures": 0}
    return [
        {
            "membership": m,
            **training.get(m.teacher_id, none),
            "reading": reading.get(m.teacher_id, 0),
            "writing": writing.get(m.teacher_id, 0),
        }
        for m in people
    ]


def _report_funding(workroom: Workroom, period: Period, today: date) -> list:
    """The special fund is counted per calendar year (DOMAIN.md §3): the
    ledger summary of each budget year the school year touches, as of the
    day the ledger page would show (two queries per year)."""
    summaries = []
    for budget_year in (period.start.year, period.end.year):
        if date(budget_year, 1, 1) > today:
            continue
        year, as_of = LedgerDateForm({"year": budget_year}).period()
        summaries.append(ops_selectors.ledger_summary(workroom, year=year, as_of=as_of))
    return summaries


def workroom_report_context(workroom: Workroom, year: int, *, today: date | None = None) -> dict:
    """工作室年度报告 of one school year (DOMAIN.md §6, §10): the workroom and
    its people, its activities, research, verified achievements, members'
    accepted reading and writing, outreach, funding, duty progress as the
    duty page counts it, and any evaluation concluded in the year. About
    thirty queries, however many records the year holds."""
    today = today or school_today()
    period = report_period(year)
    people = _report_people(workroom, period)
    labels = dict(Workroom.Status.choices)
    changes = [
        {"on": c.created_at, "from": labels.get(c.from_status, c.from_status), "to": labels.get(c.to_status, c.to_status),
         "comment": c.comment}
        for c in history(workroom)
        if _in(timezone.localtime(c.created_at).date(), period)
    ]
    achievements = list(
        Achievement.objects.filter(
            workroom=workroom, status=Achievement.Status.VERIFIED, achieved_on__range=(period.start, period.end)
        )
        .select_related("teacher")
        .order_by("achieved_on", "id")
    )
    outreach = list(
        OutreachRecord.objects.filter(workroom=workroom, date__range=(period.start, period.end)).order_by("date", "id")
    )
    start, end = bounds(period)
    evaluations = list(
        Evaluation.objects.filter(
            workroom=workroom, status=Evaluation.Status.CONCLUDED, concluded_at__gte=start, concluded_at__lt=end
        ).order_by("concluded_at")
    )
    chapters = [
        Chapter("工作室概况", "pdf/report/overview.html", {"workroom": workroom, "host": workroom.host}),
        Chapter("成员名单", "pdf/report/people.html", people),
        Chapter("本学年大事记", "pdf/report/changes.html", changes),
        Chapter("活动开展情况", "pdf/report/activities.html", _report_activities(workroom, period, today)),
        Chapter("课题研究", "pdf/report/projects.html", _report_projects(workroom, period)),
        Chapter("成果与荣誉", "pdf/report/achievements.html", achievements),
        Chapter("成员研修与读书写作", "pdf/report/member_work.html", _report_member_work(workroom, period, people["in_year"])),
        Chapter("辐射引领", "pdf/report/outreach.html", outreach),
        Chapter("专项经费", "pdf/report/funding.html", _report_funding(workroom, period, today)),
        Chapter("职责完成情况", "pdf/report/duties.html", ops_selectors.workroom_duties_of_year(workroom, period, today=today)),
        Chapter("评估结果", "pdf/report/evaluation.html", evaluations),
    ]
    return {
        "workroom": workroom,
        "year": year,
        "period": period,
        "title": report_title(workroom, year),
        "sections": numbered(chapters),
        "in_progress": today < period.end,
        "generated_on_cn": date_cn(today),
    }


# --- growth handbook -----------------------------------------------------------------


def _handbook_activities(teacher: Teacher) -> list[dict]:
    """Activities attended (出席), by school year, with the training hours
    each credits and the year's total (one query)."""
    attended = (
        Attendance.objects.filter(teacher=teacher, status=Attendance.Status.PRESENT)
        .select_related("activity__workroom")
        .order_by("activity__starts_at", "activity_id")
    )
    years: dict[str, dict] = {}
    for row in attended:
        label = school_year_of(timezone.localtime(row.activity.starts_at).date()).label
        year = years.setdefault(label, {"label": label, "rows": [], "hours": Decimal(0)})
        year["rows"].append(row.activity)
        year["hours"] += row.activity.training_hours
    return list(years.values())


def _handbook_assessment(teacher: Teacher) -> dict:
    """Published head-teacher results, the host's member assessments with
    the semesters the member was named 优秀工作室成员 (§9.4), and the titles
    earned and still held (three queries). Results still being entered stay out."""
    member = list(
        MemberAssessment.objects.filter(membership__teacher=teacher)
        .select_related("membership__workroom", "outstanding")
        .order_by("school_year", "semester", "id")
    )
    return {
        "results": list(
            Result.objects.filter(teacher=teacher, period__status__in=(AssessmentPeriod.Status.PUBLICIZED, AssessmentPeriod.Status.FROZEN))
            .select_related("period")
            .order_by("period__school_year", "period__semester", "period__month", "period__kind", "id")
        ),
        "member": member,
        "outstanding": [a for a in member if hasattr(a, "outstanding")],
        "distinctions": list(
            Distinction.objects.filter(teacher=teacher, revoked_at__isnull=True)
            .select_related("evaluation__workroom")
            .order_by("awarded_at")
        ),
    }


def handbook_context(teacher: Teacher) -> dict:
    """成长手册 (DOMAIN.md §5, §7, §10): a teacher's growth as a handbook
    reads, chapter by chapter and each in time order: profile, workrooms,
    plans with the host's comments, activities and hours, reading, writing,
    research, achievements, mentoring, assessment, certificates. A fixed
    number of queries (about twenty) whatever the number of records."""
    teacher = Teacher.objects.select_related("school", "department").get(pk=teacher.pk)
    memberships = list(
        Membership.objects.filter(teacher=teacher).select_related("workroom__host").order_by("joined_on", "pk")
    )
    items = list(ProfileItem.objects.filter(teacher=teacher).order_by("year", "kind", "pk"))
    by_year: dict[int, list[ProfileItem]] = {}
    for item in items:
        by_year.setdefault(item.year, []).append(item)
    plans = list(
        DevelopmentPlan.objects.filter(membership__teacher=teacher).select_related("membership__workroom").order_by("start_year", "id")
    )
    semester_records = list(
        SemesterRecord.objects.filter(membership__teacher=teacher)
        .select_related("membership__workroom")
        .order_by("school_year", "term", "kind", "id")
    )
    alive = ~Q(status=ReviewStatus.RETURNED)
    reading = list(ReadingLog.objects.filter(alive, teacher=teacher).select_related("workroom").order_by("read_on", "id"))
    writings = list(Writing.objects.filter(alive, teacher=teacher).select_related("workroom").order_by("written_on", "id"))
    projects = list(
        ResearchProject.objects.filter(Q(leader=teacher) | Q(participants=teacher))
        .distinct()
        .select_related("workroom", "leader")
        .order_by("started_on", "id")
    )
    achievements = list(
        Achievement.objects.filter(teacher=teacher, status=Achievement.Status.VERIFIED)
        .select_related("workroom", "teacher")
        .order_by("achieved_on", "id")
    )
    mentoring = mentoring_for_teacher(teacher.pk)
    certificates = list(Certificate.objects.valid().filter(recipient=teacher).order_by("issued_on", "pk"))
    chapters = [
        Chapter("个人信息", "pdf/handbook/profile.html", teacher),
        Chapter("工作室经历", "pdf/handbook/memberships.html", memberships),
        Chapter("个人发展规划", "pdf/handbook/plans.html", plans),
        Chapter("学期计划与总结", "pdf/handbook/semester_records.html", semester_records),
        Chapter("参加活动与培训学时", "pdf/handbook/activities.html", _handbook_activities(teacher)),
        Chapter("读书记录", "pdf/handbook/reading.html", reading),
        Chapter("教育写作", "pdf/handbook/writings.html", writings),
        Chapter("课题研究", "pdf/handbook/projects.html", {"projects": projects, "teacher": teacher}),
        Chapter("成果与荣誉", "pdf/handbook/achievements.html", achievements),
        Chapter("师徒结对", "pdf/handbook/mentoring.html", mentoring),
        Chapter("考核结果", "pdf/handbook/assessment.html", _handbook_assessment(teacher)),
        Chapter("个人档案条目（按年度）", "pdf/handbook/profile_items.html", sorted(by_year.items())),
        Chapter("所获证书", "pdf/handbook/certificates.html", certificates),
    ]
    return {
        "teacher": teacher,
        "chapters": numbered(chapters),
        "generated_on_cn": date_cn(school_today()),
    }


def assessment_notice_context(result) -> dict:
    """考核结果通知单 (DOMAIN.md §9, §10): one stored result with the formula
    it was computed by, as stored (nothing is recomputed)."""
    from django.utils import timezone

    period = result.period
    return {
        "result": result,
        "teacher": result.teacher,
        "department": result.department,
        "period": period,
        "school": period.school,
        "notice_ends_cn": date_cn(period.notice_ends_on),
        "computed_cn": date_cn(timezone.localtime(result.computed_at).date()),
        "rounding": ROUNDING_TEXT,
        "generated_on_cn": date_cn(school_today()),
    }


def archive_summary_context(workroom: Workroom, entries: list, names: dict) -> dict:
    """档案目录: the entries of a workroom's archive by category, each with
    the name its file has in the bundle (DOMAIN.md §8, §10)."""
    by_category = []
    for code, label in ArchiveEntry.Category.choices:
        rows = [(e, names.get(e.pk, "")) for e in entries if e.category == code]
        if rows:
            by_category.append((label, rows))
    return {
        "workroom": workroom,
        "by_category": by_category,
        "count": len(entries),
        "file_count": len(names),
        "generated_on_cn": date_cn(school_today()),
    }


# --- printables: forms to print, sign and file (rendered in the request) -------------


def application_form_context(application) -> dict:
    """主持人申报表 laid out as 004 附件3 (DOMAIN.md §4): the applicant's
    details and the application text, then empty boxes for the department's
    and the school's opinion with 签字 / 盖章 / 日期 lines. Two queries."""
    teacher = application.applicant
    submitted = timezone.localdate(application.submitted_at)
    items = ProfileItem.objects.filter(teacher=teacher).verified().order_by("kind", "-year", "pk")
    return {
        "title": f"{teacher.school.name}名班主任工作室申报表",
        "application": application,
        "teacher": teacher,
        "school": teacher.school,
        "age": teacher.age_on(submitted),
        "head_teacher_years": teacher.head_teacher_years_on(submitted),
        "submitted_cn": date_cn(submitted),
        "profile_items": list(items),
        "criteria": (application.eligibility or {}).get("criteria", []),
        "future_years": application.ruleset.host_future_years,
    }


def agreement_context(membership, terms, ruleset) -> dict:
    """工作室成员协议书 (DOMAIN.md §5; 003, 004: 主持人与学员签订协议，
    明确各方职责、任务及考核评价办法，报学校备案): the parties, the workroom,
    the cycle, the terms from ``workrooms.selection.agreement`` and the
    signature lines. No query beyond what the caller selected."""
    workroom = membership.workroom
    return {
        "title": f"{workroom.name}成员协议书",
        "membership": membership,
        "workroom": workroom,
        "host": workroom.host,
        "member": membership.teacher,
        "school": workroom.school,
        "cycle_start_cn": date_cn(workroom.cycle_start),
        "cycle_end_cn": date_cn(workroom.cycle_end),
        "terms": terms,
        "ruleset": ruleset,
        "host_signed_cn": date_cn(timezone.localdate(membership.host_signed_at)) if membership.host_signed_at else "",
        "member_signed_cn": date_cn(timezone.localdate(membership.member_signed_at)) if membership.member_signed_at else "",
        "filed_cn": date_cn(timezone.localdate(membership.agreement_filed_at)) if membership.agreement_filed_at else "",
    }


SIGN_IN_GUEST_ROWS = 8


def sign_in_sheet_context(activity) -> dict:
    """A paper 签到表 of an activity (DOMAIN.md §6): one row per current
    host and member of the workroom, an empty signature column, then blank
    rows for guests. Two queries whatever the number of members; the table
    header repeats on every page."""
    people = [(teacher, membership) for teacher, _, membership in ops_selectors.attendance_sheet(activity)]
    starts = timezone.localtime(activity.starts_at)
    return {
        "title": f"{activity.workroom.name}活动签到表",
        "activity": activity,
        "workroom": activity.workroom,
        "starts": starts,
        "date_cn": date_cn(starts.date()),
        "people": people,
        "guest_rows": range(len(people) + 1, len(people) + 1 + SIGN_IN_GUEST_ROWS),
    }


def notice_list_context(publication, *, rows, school, kind=None, title="") -> dict:
    """公示名单 for the notice board (DOMAIN.md §12): the title, the list as
    the notice or period page shows it (name, department, score, outcome;
    nothing private, no objections), the window and whom to tell an
    objection. A period published before rounds were recorded has only its
    last day: ``title`` names it then."""
    by = publication.published_by if publication.published_by_id else None
    teacher = getattr(by, "teacher", None) if by else None
    # A name people know; never a login name on a notice board.
    contact = teacher.name if teacher else (by.get_full_name() if by else "")
    published = timezone.localdate(publication.published_at) if publication.published_at else publication.starts_on
    return {
        "title": publication.title or title,
        "publication": publication,
        "kind": kind,
        "rows": rows,
        "school": school,
        "starts_cn": date_cn(publication.starts_on),
        "ends_cn": date_cn(publication.ends_on),
        "contact": contact,
        "published_cn": date_cn(published),
    }


def period_notice_rows(results) -> list[dict]:
    """The rows of a period's 公示名单: the columns of its list during 公示."""
    return [
        {"name": r.teacher.name, "department": r.department.name if r.department else "", "score": r.score,
         "outcome": r.outcome}
        for r in results
    ]
