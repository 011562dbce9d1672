"""Home-page sections of the assessment app: what waits for the signed-in
user. Each section costs a bounded number of queries."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from assessment.models import Evaluation, Period, PeriodObjection, PublicationObjection, Result
from core.inbox import Section
from members.choices import DepartmentKind
from members.models import Department
from members.roles import roles_of
from workrooms.selectors import user_display


def sections(user) -> list:
    r = roles_of(user)
    out = []
    if r.is_office:
        periods = Period.objects.filter(status__in=[Period.Status.OPEN, Period.Status.PUBLICIZED]).annotate(
            open_objections=Count("objections", filter=Q(objections__answered_at__isnull=True))
        )[:10]
        items = [
            (str(p), reverse("assessment:period_detail", args=[p.pk]),
             f"{p.get_status_display()}" + (f"，{p.open_objections} 条异议待答复" if p.open_objections else ""))
            for p in periods
        ]
        out.append(Section("考核：进行中的考核周期", items, empty="没有进行中的考核周期。", more_url=reverse("assessment:period_list")))
        pending = (
            PeriodObjection.objects.filter(answered_at__isnull=True)
            .select_related("period", "raised_by__teacher")
            .order_by("created_at", "pk")
        )
        items = [
            (f"{o.period}：{user_display(o.raised_by)}：{o.text[:30]}",
             f"{reverse('assessment:period_detail', args=[o.period_id])}#objections",
             timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M"))
            for o in pending[:10]
        ]
        out.append(Section("待答复的考核异议", items, empty="没有待答复的考核异议。", count=pending.count()))
        # Objections to member grades, annual member grades and evaluations (§12).
        notices = (
            PublicationObjection.objects.filter(answered_at__isnull=True)
            .select_related("publication", "raised_by__teacher")
            .order_by("created_at", "pk")
        )
        items = [
            (f"{o.publication.title}：{user_display(o.raised_by)}：{o.text[:30]}",
             f"{reverse('assessment:notice_detail', args=[o.publication_id])}#objections",
             timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M"))
            for o in notices[:10]
        ]
        out.append(Section(
            "待答复的成员考核与工作室评估异议", items, empty="没有待答复的成员考核与工作室评估异议。", count=notices.count(),
            more_url=reverse("assessment:notice_list"),
        ))
    if r.reviewed_department_ids:
        depts = list(Department.objects.filter(pk__in=r.reviewed_department_ids, kind=DepartmentKind.GRADE))
        months = Period.objects.filter(kind=Period.Kind.MONTH, status=Period.Status.OPEN, school_id__in={d.school_id for d in depts})[:5]
        items = [(f"{p} · {d.name}", reverse("assessment:grid", args=[p.pk, d.pk]), "录入年级部检查成绩") for p in months for d in depts if d.school_id == p.school_id]
        if depts:
            out.append(Section("考核：待录入的月考核", items, empty="没有待录入的月份。"))
    if r.is_expert:
        evaluations = Evaluation.objects.filter(experts=user, status=Evaluation.Status.SCORING).exclude(scores__expert=user).distinct()
        items = [(f"{e.workroom} {e.get_kind_display()}", reverse("assessment:evaluation_detail", args=[e.pk]), "待评分") for e in evaluations.select_related("workroom")[:10]]
        out.append(Section("考核：待评分的工作室评估", items, empty="没有待评分的评估。"))
    if r.teacher is not None:
        results = Result.objects.filter(teacher=r.teacher, period__status=Period.Status.PUBLICIZED).select_related("period")[:5]
        items = [(str(x.period), reverse("assessment:result_detail", args=[x.pk]), f"{x.outcome}，公示中，如有异议请在公示期内提出") for x in results]
        if items:
            out.append(Section("考核：公示中的考核结果", items))
    return out
