"""Pages of the annual member assessment (DOMAIN.md §9.4, §11): the list
(hosts their workrooms, the office and leaders every workroom, filterable,
with its export), the member's page where the host confirms, and the
office's publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment import access
from assessment.annual import selectors, services
from assessment.annual.filters import AnnualMemberFilter
from assessment.annual.forms import AnnualConfirmForm
from assessment.models import AnnualMemberAssessment
from assessment.rules import rules_from_ruleset
from assessment.rules.member import annual_member_grade
from core.lists import paginate
from members.roles import roles_of
from workrooms.models import RuleSet


def _year(request) -> int:
    return selectors.school_year_asked(request.GET.get("year") or request.POST.get("year"))


@login_required
def annual_list(request):
    """成员年度考核: the year's results as the user may see them, and the
    members still waiting for one."""
    if not access.can_see_annual_member_list(request.user):
        raise Http404
    year = _year(request)
    filterset = AnnualMemberFilter(request.GET, queryset=selectors.annual_assessments_for_list(request.user, school_year=year))
    context = {
        "year": year,
        "filter": filterset,
        "page_obj": paginate(request, filterset.qs),
        "awaiting": list(selectors.members_awaiting_annual(request.user, school_year=year)[:200]),
        "may_publish": access.can_manage_assessment(request.user),
        "drafts": AnnualMemberAssessment.objects.filter(school_year=year, status=AnnualMemberAssessment.Status.DRAFT).count()
        if access.can_manage_assessment(request.user) else 0,
    }
    return render(request, "assessment/annual_list.html", context)


@login_required
def annual_assess(request, pk):
    """One member's year: the record, the grade it gives, the host's
    confirmation. The member reads their own result once published."""
    membership = access.get_annual_membership_for_user(request.user, pk, change=request.method == "POST")
    year = _year(request)
    may_assess = access.can_assess_annually(request.user, membership)
    r = roles_of(request.user)
    if not (may_assess or r.sees_everything):
        # The member themselves: their own published result only.
        assessment = selectors.my_annual_assessments(request.user).filter(membership=membership, school_year=year).first()
        return render(request, "assessment/annual_mine.html", {"membership": membership, "year": year, "assessment": assessment})
    assessment = AnnualMemberAssessment.objects.filter(membership=membership, school_year=year).select_related("adjustment").first()
    form = AnnualConfirmForm(request.POST or None, initial={"comment": assessment.comment} if assessment else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.annual_member_assessment_confirm(
                membership=membership, school_year=year, comment=form.cleaned_data["comment"], actor=request.user
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已确认：{membership.teacher.name}{saved.year_label}成员年度考核 {saved.total} 分，{saved.grade}（待德育处公布）。")
            return redirect(f"{reverse('assessment:annual_assess', args=[membership.pk])}?year={year}")
    record = selectors.annual_record(membership=membership, school_year=year)
    ruleset = RuleSet.objects.current()
    try:
        proposal = annual_member_grade(record.rule_input(), rules_from_ruleset(ruleset))
    except ValueError as exc:
        proposal, missing = None, str(exc)
    else:
        missing = ""
    context = {
        "membership": membership, "year": year, "record": record, "proposal": proposal, "missing": missing,
        "assessment": assessment, "form": form, "ruleset": ruleset,
        "may_assess": may_assess and not (assessment and assessment.is_published),
    }
    return render(request, "assessment/annual_assess.html", context)


@login_required
@require_POST
def annual_publish(request):
    """德育处 publishes the year's confirmed results."""
    if not access.can_see_annual_member_list(request.user):
        raise Http404
    if not access.can_manage_assessment(request.user):
        raise PermissionDenied("只有德育处可以公布成员年度考核。")
    year = _year(request)
    try:
        published = services.annual_member_assessments_publish(school_year=year, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        failed = sum(a.adjustment_id is not None for a in published)
        note = f"，{failed} 名不合格成员已列入调整名单，待德育处审批" if failed else ""
        messages.success(request, f"已公布 {len(published)} 名成员的年度考核结果{note}。")
    return redirect(f"{reverse('assessment:annual_list')}?year={year}")
