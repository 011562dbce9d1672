"""Views of the honours (DOMAIN.md §9.1, §9.4, §9.5): 优秀工作室成员, the
weekly 优秀班级 and monthly 窗口班级, and the honours veto. Each fetches
through ``access`` (outsiders 404, read-only 403), calls one service of
``assessment.honours`` and redirects, or renders a list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment import access, selectors
from assessment.access import can_record_honour_veto, can_see_honour_vetoes
from assessment.forms import ClassTitleForm, EthicsVetoForm, HostVetoForm
from assessment.honours import services as honours
from assessment.honours.filters import ClassTitleFilter, OutstandingFilter, RecommendedHostFilter
from assessment.honours.services import teacher_honours
from assessment.models import ClassTitle, MemberAssessment, OutstandingMember
from core.forms import add_service_errors
from core.lists import paginate
from members.access import can_see_ethics, get_teacher_for_user
from members.choices import DepartmentKind
from members.models import Department
from members.roles import roles_of
from workrooms.models import RuleSet


def _refused(request, exc: ValidationError):
    for text in exc.messages:
        messages.error(request, text)


def _member_page(assessment_or_title) -> str:
    a = assessment_or_title
    url = reverse("assessment:member_assess", args=[a.membership_id])
    return f"{url}?year={a.school_year}&semester={a.semester}"


# --- 优秀工作室成员 (§9.4) -------------------------------------------------------------------


@login_required
def outstanding_list(request):
    """优秀工作室成员 of every semester: the office and leaders see all, a
    host their workrooms'."""
    if not access.can_see_outstanding_list(request.user):
        raise Http404
    filterset = OutstandingFilter(request.GET, queryset=selectors.outstanding_for_list(request.user))
    context = {"filter": filterset, "page_obj": paginate(request, filterset.qs)}
    return render(request, "assessment/honours/outstanding_list.html", context)


@login_required
def recommended_hosts(request):
    """优秀工作室成员 recommended as the next hosts (§9.5), for the office and
    leaders; final results only."""
    if not access.can_see_recommended_hosts(request.user):
        raise Http404
    filterset = RecommendedHostFilter(request.GET, queryset=selectors.recommended_hosts_for_list())
    return render(
        request,
        "assessment/honours/recommended_hosts.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs)},
    )


@login_required
@require_POST
def outstanding_name(request, pk):
    qs = access.member_assessments_visible_to(request.user, MemberAssessment.objects.select_related("membership"))
    assessment = get_object_or_404(qs, pk=pk)
    try:
        title = honours.outstanding_member_name(assessment=assessment, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已将{title.teacher.name}评为{title.semester_label}优秀工作室成员。")
    return redirect(_member_page(assessment))


@login_required
@require_POST
def outstanding_withdraw(request, pk):
    qs = OutstandingMember.objects.visible_to(request.user).select_related("assessment", "teacher")
    title = get_object_or_404(qs, pk=pk)
    honours.outstanding_member_withdraw(outstanding=title, actor=request.user)
    messages.success(request, f"已撤回{title.teacher.name}{title.semester_label}优秀工作室成员的评选。")
    return redirect(_member_page(title.assessment))


# --- 优秀班级 / 窗口班级 (§9.1) --------------------------------------------------------------


def _naming_departments(user):
    return Department.objects.filter(pk__in=roles_of(user).reviewed_department_ids, kind=DepartmentKind.GRADE).order_by("name")


@login_required
def class_title_list(request):
    """优秀班级 and 窗口班级 by grade department, week and month."""
    if not access.can_see_class_titles(request.user):
        raise Http404
    filterset = ClassTitleFilter(request.GET, queryset=selectors.class_titles_for_list(request.user))
    ruleset = RuleSet.objects.current()
    context = {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "ruleset": ruleset,
        "can_name": _naming_departments(request.user).exists(),
    }
    return render(request, "assessment/honours/class_title_list.html", context)


@login_required
def class_title_create(request):
    if not access.can_see_class_titles(request.user):
        raise Http404
    departments = _naming_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("只有年级部审核人可以评选优秀班级和窗口班级。")
    form = ClassTitleForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            title = honours.class_title_name(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将{title.class_name}评为{title.period_label}{title.get_kind_display()}。")
            return redirect(f"{reverse('assessment:class_title_list')}?department={title.department_id}")
    ruleset = RuleSet.objects.current()
    return render(request, "assessment/honours/class_title_form.html", {"form": form, "ruleset": ruleset})


@login_required
@require_POST
def class_title_withdraw(request, pk):
    title = get_object_or_404(ClassTitle.objects.visible_to(request.user).select_related("department"), pk=pk)
    honours.class_title_withdraw(title=title, actor=request.user)
    messages.success(request, f"已撤回{title.class_name}{title.period_label}{title.get_kind_display()}。")
    return redirect(f"{reverse('assessment:class_title_list')}?department={title.department_id}")


# --- 荣誉一票否决 (§9.5, §3) -------------------------------------------------------------------


@login_required
@require_POST
def evaluation_veto(request, pk):
    """The office records on a final evaluation that the host did not meet
    the targets or did things only for show."""
    evaluation = access.get_evaluation_for_user(request.user, pk)
    if not access.can_record_honour_veto(request.user):
        raise PermissionDenied("只有德育处可以记录荣誉一票否决。")
    form = HostVetoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写情况说明。")
    else:
        try:
            honours.host_veto_record(evaluation=evaluation, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已记录：{evaluation.workroom.host.name}的一切荣誉一票否决。")
    return redirect("assessment:evaluation_detail", pk=evaluation.pk)


@login_required
def ethics_veto(request, pk):
    """师德一票否决: the office records a confirmed violation of a teacher."""
    teacher = get_teacher_for_user(request.user, pk)
    if not access.can_record_honour_veto(request.user):
        raise PermissionDenied("只有德育处可以登记师德违规。")
    form = EthicsVetoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            honours.ethics_violation_record(teacher=teacher, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记{teacher.name}的师德违规：一切荣誉一票否决，名班主任称号（如有）已撤销。")
            return redirect("members:teacher_detail", pk=teacher.pk)
    return render(request, "assessment/honours/ethics_veto_form.html", {"form": form, "teacher": teacher})


def teacher_page_honours(user, teacher) -> dict:
    """The honours part of a teacher's page (``members.views.teacher_page``):
    优秀工作室成员, class titles, 名班主任 and why honours are vetoed (DOMAIN.md §9)."""
    return {
        **teacher_honours(teacher, with_vetoes=can_see_honour_vetoes(user, teacher), with_ethics=can_see_ethics(user)),
        "can_record_veto": can_record_honour_veto(user),
    }
