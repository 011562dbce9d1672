"""Views of the assessment app: parse, fetch through ``access``, call one
service or selector, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessment import access, selectors, services
from assessment.annual.selectors import my_annual_assessments
from assessment.filters import (
    BonusAwardFilter,
    EvaluationFilter,
    MembershipFilter,
    MyResultFilter,
    PeriodFilter,
    ResultFilter,
    VetoFilter,
)
from assessment.forms import (
    AnswerForm,
    BonusAwardForm,
    ClassConditionsForm,
    CoverForm,
    EvaluationOpenForm,
    EvaluationReportForm,
    ExpertScoreForm,
    GridForm,
    HostVetoForm,
    MemberAssessmentForm,
    ObjectionForm,
    PeriodForm,
    ReasonForm,
    VetoForm,
    WeeklyGridForm,
)
from assessment.honours import services as honours
from assessment.models import (
    BonusAward,
    Evaluation,
    HostVeto,
    MemberAssessment,
    Period,
    Result,
    VetoCase,
)
from assessment.notices.selectors import members_published
from assessment.rules import rules_from_ruleset
from assessment.rules.evaluation import RUBRIC_RULE_TEXT, rubric_items, rubric_shares
from assessment.rules.member import DIMENSIONS
from assessment.rules.tiers import TIE_RULE_TEXT
from assessment.workflow import ASSESSMENT_PERIOD, period_publication
from core.files import preview_response
from core.forms import require_valid
from core.lists import paginate
from core.publicity import objection_refusal, publications_of
from core.workflow import TransitionRefused, history
from members.choices import DepartmentKind
from members.models import Department, School
from members.roles import EXPERT, roles_of
from workrooms.models import RuleSet, Workroom
from workrooms.selection.models import Membership

ROUNDING_TEXT = "月考核得分 = 年级部检查 × 权重 + 德育处抽查 × 权重，保留一位小数，四舍五入；金额保留到分（0.01 元），四舍五入。"
TITLE_RULE_TEXT = (
    "合格班队：本学期无不合格月。优秀班队：在本年级部合格班队中学期综合得分前 {top} 名（与第 {top} 名同分者一并计入），"
    "且满足四项条件中至少 {conditions} 项。标兵班队：在满足学段及格率、优秀率要求的优秀班队中取前 {model} 名（同分者一并计入）。"
)


def _school_of(user) -> School:
    r = roles_of(user)
    if r.teacher is not None:
        return r.teacher.school
    school = School.objects.order_by("pk").first()
    if school is None:
        raise Http404
    return school


def _require_office(user):
    if not access.can_manage_assessment(user):
        raise PermissionDenied("只有德育处可以执行此操作。")


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- periods ---------------------------------------------------------------------


@login_required
def period_list(request):
    qs = Period.objects.visible_to(request.user).select_related("school", "ruleset")
    filterset = PeriodFilter(request.GET, queryset=qs)
    page = paginate(request, filterset.qs)
    return render(request, "assessment/period_list.html", {"filter": filterset, "page_obj": page, "create_form": PeriodForm()})


@login_required
def period_create(request):
    _require_office(request.user)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(school=_school_of(request.user), actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, f"已创建「{period}」。")
            return redirect("assessment:period_detail", pk=period.pk)
    return render(request, "assessment/period_form.html", {"form": form})


@login_required
def period_detail(request, pk):
    period = access.get_period_for_user(request.user, pk)
    r = roles_of(request.user)
    results = selectors.period_results(request.user, period)
    filterset = ResultFilter(request.GET, queryset=results)
    page = paginate(request, filterset.qs)
    departments = Department.objects.filter(school=period.school, kind=DepartmentKind.GRADE).order_by("grade", "name")
    if not r.sees_everything:
        departments = departments.filter(pk__in=r.reviewed_department_ids)
    rules = RuleSet.objects.current() if period.ruleset is None else period.ruleset
    full = access.sees_full_results(request.user)
    if not full:
        # 公示名单: the staff concerned see the list during 公示 (§12); the
        # columns are the notice's (name, department, score, outcome).
        # Their own results (and a host's members') stay listed and linked.
        notice = access.notice_results_visible_to(request.user, period, Result.objects.filter(period=period))
        listed = Result.objects.filter(Q(pk__in=notice.values("pk")) | Q(pk__in=results.values("pk")))
        filterset = ResultFilter(request.GET, queryset=listed.select_related("teacher", "department", "period", "ruleset"))
        page = paginate(request, filterset.qs)
    publications = publications_of(period)
    transitions = ASSESSMENT_PERIOD.available(request.user, period)
    context = {
        "period": period,
        "filter": filterset,
        "page_obj": page,
        "full_results": full,
        "linked_ids": None if full else set(results.values_list("pk", flat=True)),
        "publications": publications,
        "publication": publications[-1] if publications else None,
        "changes_between": selectors.publication_changes(
            period=period, publications=publications,
            teacher_ids=None if r.sees_everything else set(filterset.qs.values_list("teacher_id", flat=True)),
        ) if period.status != Period.Status.OPEN or r.sees_everything else [],
        "missing": selectors.missing_inputs(period=period) if access.can_manage_assessment(request.user) and period.is_editable else [],
        "departments": departments if period.kind == Period.Kind.MONTH else [],
        # Each button with why it cannot be pressed now (shown disabled with the reason).
        "transitions": [(t, ASSESSMENT_PERIOD.refusal(request.user, period, t.action)) for t in transitions],
        "history": [(h, ASSESSMENT_PERIOD.get(h.action).label) for h in history(period)],
        "objections": access.objections_visible_to(request.user, period.objections.select_related("raised_by__teacher", "answered_by")),
        "incomplete": selectors.incomplete_score_count(period=period) if period.kind == Period.Kind.MONTH else 0,
        "covers": period.covers.select_related("teacher", "substitute") if r.sees_everything else [],
        "can_manage": access.can_manage_assessment(request.user),
        "can_object": period.status == Period.Status.PUBLICIZED and r.teacher is not None and results.filter(teacher=r.teacher).exists(),
        "objection_refusal": objection_refusal(period_publication(period)),
        "objection_form": ObjectionForm(),
        "reason_form": ReasonForm(),
        "rules_text": {
            "rounding": ROUNDING_TEXT,
            "tiers": TIE_RULE_TEXT,
            "titles": TITLE_RULE_TEXT.format(top=rules.excellent_top_n, conditions=rules.excellent_min_conditions, model=rules.model_top_n),
            "bands": rules_from_ruleset(rules).grade_bands,
        },
        "ruleset": rules,
    }
    return render(request, "assessment/period_detail.html", context)


@login_required
@require_POST
def period_compute(request, pk):
    period = access.get_period_for_user(request.user, pk)
    _require_office(request.user)
    form = ReasonForm(request.POST)
    try:
        require_valid(form)
        count = services.period_compute(
            period=period, actor=request.user, missing_confirmed=form.cleaned_data["confirm_missing"]
        )
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已按学校设置第 {RuleSet.objects.current().version} 版计算 {count} 条结果。")
    return redirect("assessment:period_detail", pk=period.pk)


@login_required
@require_POST
def period_transition(request, pk, action):
    period = access.get_period_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        require_valid(form)
        comment = form.cleaned_data.get("comment", "")
        if action == "publish":
            services.period_publish(
                period=period, actor=request.user, comment=comment, missing_confirmed=form.cleaned_data["confirm_missing"]
            )
        elif action == "reopen":
            services.period_reopen(period=period, actor=request.user, reason=comment)
        else:
            ASSESSMENT_PERIOD.apply(period, action, actor=request.user, comment=comment)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"「{period}」现为{period.get_status_display()}。")
    return redirect("assessment:period_detail", pk=period.pk)


@login_required
def grid(request, pk, department_pk):
    """月考核录入: one page for a 年级部 and month, like a spreadsheet."""
    period = access.get_period_for_user(request.user, pk)
    department = get_object_or_404(Department, pk=department_pk, school=period.school, kind=DepartmentKind.GRADE)
    if period.kind != Period.Kind.MONTH or not access.can_see_grid(request.user, department):
        raise Http404
    may_dept = access.can_enter_dept_scores(request.user, department)
    may_office = access.can_enter_office_scores(request.user)
    if request.method == "POST" and not (may_dept or may_office):
        raise PermissionDenied("您无权录入该年级部的成绩。")
    rows = selectors.grid_rows(period=period, department=department)
    ruleset = period.ruleset or RuleSet.objects.current()
    editable = period.is_editable
    form = GridForm(
        request.POST or None, rows=rows, may_dept=may_dept and editable, may_office=may_office and editable,
        full_mark=ruleset.monthly_full_mark,
    )
    if request.method == "POST":
        saved = _grid_save(
            request, period, form, services.monthly_scores_save, "已保存，{} 位班主任的成绩有更新。",
            department=department,
        )
        if saved:
            return redirect("assessment:grid", pk=period.pk, department_pk=department.pk)
    context = {
        "period": period, "department": department, "form": form, "rows": rows,
        "may_dept": may_dept and editable, "may_office": may_office and editable, "ruleset": ruleset,
        "changes": selectors.score_changes(period=period, department=department),
    }
    return render(request, "assessment/grid.html", context)


def _grid_save(request, period, form, save, saved, **target) -> bool:
    """Save a posted score grid with ``save``: refused while the month is not
    editable; every cell valid or nothing saved. True once saved."""
    if not period.is_editable:
        messages.error(request, f"「{period}」{period.get_status_display()}，不能修改；如需修改，请管理员重新开放。")
        return False
    if not form.is_valid():
        messages.error(request, "有单元格填写有误（已标红），所有成绩均未保存，请更正后再保存。")
        return False
    try:
        changed = save(period=period, values=form.values(), actor=request.user, reason=form.cleaned_data["reason"],
                       **target)
    except ValidationError as exc:
        form.add_error(None, exc)  # shown above the grid; nothing saved
        return False
    messages.success(request, saved.format(changed))
    return True


@login_required
def grid_weeks(request, pk, department_pk):
    """年级部检查 by week: a 年级部 enters each school week of the month; the
    month's 年级部检查 is their sum. Seen by whoever sees the month's grid;
    entered by the reviewers of the 年级部 only (the others read)."""
    period = access.get_period_for_user(request.user, pk)
    department = get_object_or_404(Department, pk=department_pk, school=period.school, kind=DepartmentKind.GRADE)
    if period.kind != Period.Kind.MONTH or not access.can_see_grid(request.user, department):
        raise Http404
    may_enter = access.can_enter_dept_scores(request.user, department)
    if request.method == "POST" and not may_enter:
        raise PermissionDenied("只有本年级部的审核人可以录入年级部检查。")
    rows = selectors.weekly_grid_rows(period=period, department=department)
    weeks = period.check_weeks
    ruleset = period.ruleset or RuleSet.objects.current()
    editable = period.is_editable
    form = WeeklyGridForm(
        request.POST or None, rows=rows, weeks=weeks, may_enter=may_enter and editable, full_mark=ruleset.monthly_full_mark
    )
    if request.method == "POST":
        saved = _grid_save(
            request, period, form, services.weekly_checks_save, "已保存，{} 位班主任的月成绩（年级部检查）有更新。",
            department=department,
        )
        if saved:
            return redirect("assessment:grid_weeks", pk=period.pk, department_pk=department.pk)
    context = {
        "period": period, "department": department, "form": form, "rows": rows, "weeks": weeks,
        "may_enter": may_enter and editable, "ruleset": ruleset,
    }
    return render(request, "assessment/grid_weeks.html", context)


@login_required
def cover_create(request, pk):
    """代班记录 of a month: who covered whom for how many days."""
    period = access.get_period_for_user(request.user, pk)
    if period.kind != Period.Kind.MONTH:
        raise Http404
    _require_office(request.user)
    form = CoverForm(request.POST or None, school=period.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.cover_record(period=period, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, "已登记代班记录。")
            return redirect("assessment:period_detail", pk=period.pk)
    return render(request, "assessment/simple_form.html", {"form": form, "title": f"{period} 登记代班", "tab": "periods"})


# --- objections ---------------------------------------------------------------------


@login_required
@require_POST
def objection_create(request, pk):
    period = access.get_period_for_user(request.user, pk)
    teacher = roles_of(request.user).teacher
    if teacher is None or not period.results.filter(teacher=teacher).exists():
        raise PermissionDenied("只有本期考核涉及的教师可以提出异议。")
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_raise(period=period, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "异议已提交，德育处将予以答复。")
    else:
        messages.error(request, "请填写异议内容。")
    return redirect("assessment:period_detail", pk=period.pk)


@login_required
@require_POST
def objection_answer(request, pk):
    objection = access.get_objection_for_user(request.user, pk)
    _require_office(request.user)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(
                objection=objection, answer=form.cleaned_data["answer"], actor=request.user, upheld=form.cleaned_data["upheld"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "已答复。")
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("assessment:period_detail", pk=objection.period_id)


# --- results --------------------------------------------------------------------------


@login_required
def my_results(request):
    r = roles_of(request.user)
    qs = Result.objects.visible_to(request.user).filter(teacher=r.teacher).select_related("period", "ruleset")
    qs = qs.order_by("-period__school_year", "-period__semester", Mod(F("period__month") + 3, 12).desc(nulls_last=True))
    filterset = MyResultFilter(request.GET, queryset=qs)
    context = {
        "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "annual": list(my_annual_assessments(request.user)),
        "semester_assessments": selectors.my_published_member_assessments(request.user),
    }
    return render(request, "assessment/my_results.html", context)


def _result_changes(result) -> list:
    """修改记录 behind one result: the month's scores and veto cases, or the
    semester's bonus awards, of that teacher."""
    period = result.period
    if period.kind == Period.Kind.MONTH:
        vetoes = VetoCase.objects.filter(period=period, teacher=result.teacher)
        rows = selectors.score_changes(period=period, teacher=result.teacher) + selectors.veto_changes(vetoes)
    else:
        awards = BonusAward.objects.filter(teacher=result.teacher, school_year=period.school_year)
        if period.semester:
            awards = awards.filter(semester=period.semester)
        rows = selectors.award_changes(awards)
    return sorted(rows, key=lambda row: row.at, reverse=True)


@login_required
def result_detail(request, pk):
    result = access.get_result_for_user(request.user, pk)
    context = {"result": result, "tie_rule": TIE_RULE_TEXT, "rounding": ROUNDING_TEXT, "changes": _result_changes(result)}
    return render(request, "assessment/result_detail.html", context)


# --- veto cases --------------------------------------------------------------------------


@login_required
def veto_list(request):
    filterset = VetoFilter(request.GET, queryset=selectors.vetoes_for_list(request.user))
    context = {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "can_manage": access.can_manage_assessment(request.user),
        "changes": selectors.veto_changes(filterset.qs),
    }
    return render(request, "assessment/veto_list.html", context)


@login_required
def veto_create(request):
    _require_office(request.user)
    form = VetoForm(request.POST or None, request.FILES or None, school=_school_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.veto_record(
                period=form.cleaned_data["period"], teacher=form.cleaned_data["teacher"], kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"], evidence=form.cleaned_data["evidence_file"], actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("evidence_file" if "文件" in _errors(exc) else None, exc.messages)
        else:
            messages.success(request, "已登记，认定后计入月考核。")
            return redirect("assessment:veto_list")
    return render(request, "assessment/veto_form.html", {"form": form})


@login_required
@require_POST
def veto_confirm(request, pk):
    veto = get_object_or_404(access.vetoes_visible_to(request.user, VetoCase.objects.select_related("period")), pk=pk)
    _require_office(request.user)
    try:
        services.veto_confirm(veto=veto, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已认定。")
    return redirect("assessment:veto_list")


@login_required
def veto_evidence(request, pk):
    veto = get_object_or_404(access.vetoes_visible_to(request.user, VetoCase.objects.select_related("evidence")), pk=pk)
    if veto.evidence is None:
        raise Http404
    return preview_response(request, veto.evidence)


# --- bonus awards and class conditions -------------------------------------------------


@login_required
def award_list(request):
    if not access.can_see_bonus_awards(request.user):
        raise Http404
    filterset = BonusAwardFilter(request.GET, queryset=selectors.bonus_awards_for_list())
    context = {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "can_manage": access.can_manage_assessment(request.user),
        "changes": selectors.award_changes(filterset.qs),
    }
    return render(request, "assessment/award_list.html", context)


@login_required
def award_create(request):
    _require_office(request.user)
    form = BonusAwardForm(request.POST or None, school=_school_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.bonus_award_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "已登记加分项。")
            return redirect("assessment:award_list")
    return render(request, "assessment/simple_form.html", {"form": form, "title": "登记加分项", "tab": "awards"})


@login_required
def conditions_edit(request):
    _require_office(request.user)
    form = ClassConditionsForm(request.POST or None, school=_school_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            conditions = services.class_conditions_save(conditions=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已保存{conditions.teacher.name}班级的评比条件。")
            return redirect("assessment:award_list")
    return render(request, "assessment/simple_form.html", {"form": form, "title": "班队评比条件", "tab": "awards"})



# --- §9.4 member assessment ------------------------------------------------------------


def _semester_params(request) -> tuple[int, int]:
    def asked(key):
        return request.GET.get(key) or request.POST.get(key)

    return selectors.semester_asked(asked("year"), asked("semester"))


@login_required
def member_list(request):
    """The members a host assesses (the office and leaders see every workroom)."""
    r = roles_of(request.user)
    if not (r.sees_everything or r.hosted_workroom_ids):
        raise Http404
    year, semester = _semester_params(request)
    filterset = MembershipFilter(request.GET, queryset=selectors.assessable_memberships(request.user))
    page = paginate(request, filterset.qs)
    assessed = selectors.member_assessments_for(memberships=list(page), school_year=year, semester=semester)
    rows = [(m, assessed.get(m.pk)) for m in page]
    workrooms = {m.workroom_id: m.workroom for m in page}
    named = honours.outstanding_by_workroom(workroom_ids=workrooms, school_year=year, semester=semester)
    context = {
        "filter": filterset, "page_obj": page, "rows": rows, "year": year, "semester": semester,
        "outstanding": [(w, named.get(pk)) for pk, w in workrooms.items()],
    }
    return render(request, "assessment/member_list.html", context)


@login_required
def member_assess(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("teacher", "workroom"), pk=pk, role=Membership.Role.MEMBER)
    r = roles_of(request.user)
    is_self = r.teacher is not None and membership.teacher_id == r.teacher.pk
    may_assess = r.is_office or membership.workroom_id in r.hosted_workroom_ids
    if not (may_assess or is_self or r.sees_everything):
        raise Http404
    if request.method == "POST" and not may_assess:
        raise PermissionDenied("只有本工作室主持人可以考核成员。")
    year, semester = _semester_params(request)
    existing = MemberAssessment.objects.filter(membership=membership, school_year=year, semester=semester).first()
    published = members_published(workroom_id=membership.workroom_id, school_year=year, semester=semester)
    if not (may_assess or r.sees_everything) and not published:
        existing = None  # the member sees their own grade once it is published (§12)
    initial = {code: getattr(existing, code) for code, _ in DIMENSIONS} | {"comment": existing.comment} if existing else {}
    form = MemberAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.member_assessment_save(
                membership=membership, school_year=year, semester=semester,
                scores={code: data[code] for code, _ in DIMENSIONS}, comment=data["comment"], actor=request.user,
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存：{membership.teacher.name} 总分 {result.total}，{result.grade}。")
            return redirect(f"{request.path}?year={year}&semester={semester}")
    named = honours.outstanding_by_workroom(workroom_ids=[membership.workroom_id], school_year=year, semester=semester)
    context = {
        "membership": membership, "form": form, "assessment": existing, "may_assess": may_assess,
        "record": selectors.member_record(membership=membership, school_year=year, semester=semester), "year": year, "semester": semester,
        "ruleset": RuleSet.objects.current(),
        "changes": selectors.member_assessment_changes(existing) if may_assess or r.sees_everything else [],
        "published": published,
        # 优秀工作室成员 of this workroom and semester (§9.4), and whether this user names it.
        "outstanding": named.get(membership.workroom_id),
        "may_name": access.can_name_outstanding(request.user, membership.workroom_id),
    }
    return render(request, "assessment/member_assess.html", context)


# --- §9.5 workroom evaluation --------------------------------------------------------------


@login_required
def evaluation_list(request):
    filterset = EvaluationFilter(request.GET, queryset=selectors.evaluations_for_list(request.user))
    context = {"filter": filterset, "page_obj": paginate(request, filterset.qs), "can_manage": access.can_manage_assessment(request.user)}
    return render(request, "assessment/evaluation_list.html", context)


@login_required
def evaluation_create(request):
    _require_office(request.user)
    workrooms = Workroom.objects.filter(status__in=[Workroom.Status.RUNNING, Workroom.Status.MIDTERM, Workroom.Status.FINAL])
    experts = User.objects.filter(groups__name=EXPERT).select_related("teacher").order_by("username")
    form = EvaluationOpenForm(request.POST or None, workrooms=workrooms, experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_open(actor=request.user, **form.cleaned_data)
        except (ValidationError, TransitionRefused) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "已发起评估，等待专家评分。")
            return redirect("assessment:evaluation_detail", pk=evaluation.pk)
    return render(request, "assessment/simple_form.html", {"form": form, "title": "发起工作室评估", "tab": "evaluations"})


@login_required
def evaluation_detail(request, pk):
    evaluation = access.get_evaluation_for_user(request.user, pk)
    is_expert = evaluation.experts.filter(pk=request.user.pk).exists()
    own = dict(evaluation.scores.filter(expert=request.user).values_list("item", "score"))
    form = ExpertScoreForm(request.POST or None, initial=own)
    if request.method == "POST":
        if not is_expert or evaluation.status != Evaluation.Status.SCORING:
            raise PermissionDenied("您不能为本次评估打分。")
        if form.is_valid():
            services.evaluation_scores_save(evaluation=evaluation, scores=form.cleaned_data, actor=request.user)
            messages.success(request, "评分已保存。")
            return redirect("assessment:evaluation_detail", pk=evaluation.pk)
        messages.error(request, "有指标未打分或分数有误（已标红），评分未保存。")
    scored = set(evaluation.scores.values_list("expert_id", flat=True).distinct())
    experts = [(e, e.pk in scored) for e in evaluation.experts.select_related("teacher").order_by("username")]
    means = evaluation.item_means or {}
    scoring = is_expert and evaluation.status == Evaluation.Status.SCORING
    items = [(item, means.get(item.code), form[item.code] if scoring else None) for item in rubric_items()]
    # The weights the result was computed with; while scoring, the settings in force.
    rules = rules_from_ruleset(evaluation.ruleset or RuleSet.objects.current())
    reports = list(evaluation.reports.select_related("file", "uploaded_by__teacher"))
    context = {
        "evaluation": evaluation, "form": form, "is_expert": is_expert, "experts": experts, "items": items,
        "weights": [(name, f"{share * 100:.1f}") for name, share in rubric_shares(rules)], "rule_text": RUBRIC_RULE_TEXT, "can_manage": access.can_manage_assessment(request.user),
        # The workroom's records: experts read them only while they score (§9.5).
        "shows_records": evaluation.status == Evaluation.Status.SCORING or not is_expert,
        "reports": reports,
        "report_form": EvaluationReportForm() if access.can_upload_evaluation_report(request.user, evaluation) else None,
        "distinctions": evaluation.distinctions.select_related("teacher"),
        "outreach": selectors.workroom_outreach(evaluation.workroom),
        # 荣誉一票否决 on a final evaluation (§9.5); shown to everyone who sees the evaluation.
        "host_veto": HostVeto.objects.filter(evaluation=evaluation).select_related("recorded_by__teacher").first(),
        "veto_form": HostVetoForm(),
        "changes": selectors.evaluation_changes(evaluation, request.user),
    }
    return render(request, "assessment/evaluation_detail.html", context)


@login_required
@require_POST
def evaluation_report_upload(request, pk):
    evaluation = access.get_evaluation_for_user(request.user, pk)
    if not access.can_upload_evaluation_report(request.user, evaluation):
        raise PermissionDenied("只有本工作室主持人可以在专家评分期间上传自评报告。")
    form = EvaluationReportForm(request.POST, request.FILES)
    if form.is_valid():
        services.evaluation_report_upload(evaluation=evaluation, upload=form.cleaned_data["upload"], actor=request.user)
        messages.success(request, "自评报告已上传，评估专家和德育处可以查阅。")
    else:
        messages.error(request, "自评报告未上传：" + "；".join(form.errors["upload"]))
    return redirect("assessment:evaluation_detail", pk=evaluation.pk)


@login_required
def evaluation_report_file(request, pk):
    report = access.get_evaluation_report_for_user(request.user, pk)
    return preview_response(request, report.file)


@login_required
@require_POST
def evaluation_conclude(request, pk):
    evaluation = access.get_evaluation_for_user(request.user, pk)
    _require_office(request.user)
    try:
        result = services.evaluation_conclude(evaluation=evaluation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"评估结果：{result.total} 分，{result.grade}。请公示结果：公示期满定稿后生效。")
    return redirect("assessment:evaluation_detail", pk=evaluation.pk)
