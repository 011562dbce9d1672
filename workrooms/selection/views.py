"""Pages of the two-way selection (DOMAIN.md §5): join requests, the agreement, withdrawal and removal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.calendar import school_today, semester_of
from core.forms import require_valid
from core.lists import paginate
from core.workflow import TransitionRefused, history
from members import selectors
from members.models import Teacher
from members.roles import roles_of
from workrooms.access import get_workroom_for_user
from workrooms.activities.selectors import member_attendance
from workrooms.models import RuleSet, Workroom
from workrooms.selection import services
from workrooms.selection.access import (
    get_join_request_for_user,
    get_membership_change_for_user,
    get_membership_for_user,
    get_roster_workroom_for_user,
)
from workrooms.selection.agreement import agreement_terms
from workrooms.selection.caps import (
    CapRules,
    cap_refusals,
    own_school_cap,
    own_school_rule_text,
)
from workrooms.selection.filters import (
    AgreementFilter,
    MembershipChangeFilter,
    RosterFilter,
)
from workrooms.selection.forms import (
    CommentForm,
    JoinRequestForm,
    RemovalForm,
    WithdrawalForm,
)
from workrooms.selection.models import Membership, MembershipChange
from workrooms.selection.selectors import my_workrooms as workrooms_of_teacher
from workrooms.selection.selectors import (
    open_join_request,
    place_facts,
    roster_memberships,
    workroom_roster,
)
from workrooms.selection.workflow import JOIN_REQUEST, MEMBERSHIP_CHANGE


def _teacher_or_403(user) -> Teacher:
    teacher = roles_of(user).teacher
    if teacher is None:
        raise PermissionDenied("只有教师账号可以进行此操作。")
    return teacher


def _refused(request, exc):
    for text in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, text)


@login_required
def join_request_create(request, workroom_pk):
    """申请加入工作室: member eligibility shown criterion by criterion."""
    workroom = get_workroom_for_user(request.user, workroom_pk)
    teacher = _teacher_or_403(request.user)
    ruleset = RuleSet.objects.current()
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                teacher=teacher, workroom=workroom, message=form.cleaned_data["message"], actor=request.user
            )
        except TransitionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已向{workroom.name}提交加入申请，请等待主持人答复。")
            return redirect("selection:my_workrooms")
    return render(
        request,
        "members/join_request_form.html",
        {
            "workroom": workroom,
            "form": form,
            "eligibility": selectors.member_eligibility_of(teacher, ruleset),
            "cap_warnings": cap_refusals(
                place_facts(workroom=workroom, teacher=teacher), CapRules.from_ruleset(ruleset)
            ),
            "pending": open_join_request(workroom=workroom, teacher=teacher),
            "is_running": workroom.status == Workroom.Status.RUNNING,
        },
    )


@login_required
@require_POST
def join_request_transition(request, pk, action):
    """Accept, decline (host) or cancel (the teacher) a join request."""
    if action not in ("accept", "decline", "cancel"):
        raise Http404("未知的操作。")
    join_request = get_join_request_for_user(request.user, pk)
    if not JOIN_REQUEST.get(action).allowed(request.user, join_request):
        raise PermissionDenied("您无权执行此操作。")
    form = CommentForm(request.POST)
    try:
        require_valid(form)
        comment = form.cleaned_data["comment"]
        if action == "accept":
            services.join_request_accept(join_request=join_request, actor=request.user, comment=comment)
            messages.success(request, f"已接受{join_request.teacher.name}的申请，请双方签署协议。")
        elif action == "decline":
            services.join_request_decline(join_request=join_request, actor=request.user, comment=comment)
            messages.success(request, f"已婉拒{join_request.teacher.name}的申请。")
        else:
            services.join_request_cancel(join_request=join_request, actor=request.user)
            messages.success(request, "已撤回加入申请。")
    except TransitionRefused as exc:
        _refused(request, exc)
    if action == "cancel":
        return redirect("selection:my_workrooms")
    return redirect("selection:workroom_members", workroom_pk=join_request.workroom_id)


@login_required
def my_workrooms(request):
    """我的工作室: the teacher's memberships, requests and their answers."""
    teacher = _teacher_or_403(request.user)
    return render(request, "members/my_workrooms.html", {"mine": workrooms_of_teacher(teacher)})


@login_required
def workroom_members(request, workroom_pk):
    """成员管理: the host answers requests; office and leaders read. Its
    花名册 table is filtered by ``RosterFilter`` and downloads as it is shown."""
    workroom = get_roster_workroom_for_user(request.user, workroom_pk)
    ruleset = RuleSet.objects.current()
    rules = CapRules.from_ruleset(ruleset)
    roster = workroom_roster(workroom, ruleset)
    filterset = RosterFilter(request.GET, queryset=roster_memberships(workroom))
    return render(
        request,
        "members/workroom_members.html",
        {
            "workroom": workroom,
            "roster": roster,
            "rules": rules,
            "own_school_cap": own_school_cap(rules.max_members, rules.own_school_max_share),
            "own_school_rule": own_school_rule_text(rules),
            "members_now": len(roster.pending_agreement) + len(roster.active),
            "can_answer": workroom.pk in roles_of(request.user).hosted_workroom_ids,
            "filter": filterset,
            "page_obj": paginate(request, filterset.qs),
        },
    )


@login_required
def agreement(request, pk):
    """协议: duties, tasks and assessment, signed by host and member."""
    membership = get_membership_for_user(request.user, pk)
    r = roles_of(request.user)
    if request.method == "POST":
        try:
            services.membership_sign_agreement(membership=membership, actor=request.user)
        except TransitionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, "已签署协议。" if membership.status != Membership.Status.ACTIVE else "双方已签署，协议已备案。")
        return redirect("selection:agreement", pk=membership.pk)
    is_host = membership.workroom_id in r.hosted_workroom_ids
    is_member = r.teacher is not None and r.teacher.pk == membership.teacher_id
    may_sign = membership.status == Membership.Status.PENDING_AGREEMENT and (
        (is_host and not membership.host_signed_at) or (is_member and not membership.member_signed_at)
    )
    ruleset = membership.agreement_ruleset or RuleSet.objects.current()
    return render(
        request,
        "members/agreement.html",
        {"membership": membership, "terms": agreement_terms(ruleset), "ruleset": ruleset, "may_sign": may_sign},
    )


@login_required
def agreement_list(request):
    """协议备案: agreements filed with the office."""
    if not roles_of(request.user).sees_everything:
        raise PermissionDenied("只有德育处和校领导可以查看协议备案。")
    qs = Membership.objects.filter(agreement_filed_at__isnull=False).select_related("teacher", "workroom")
    filterset = AgreementFilter(request.GET, queryset=qs.order_by("-agreement_filed_at", "-pk"))
    return render(
        request, "members/agreement_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)}
    )


def _prefilled(membership, query) -> dict:
    """The removal request as an alert links to it (``?reason=absence``):
    the reason chosen and the figures written out (DOMAIN.md §5, §11)."""
    reason = query.get("reason")
    if reason == MembershipChange.Reason.ABSENCE:
        semester = semester_of(school_today())
        attended, held = member_attendance(membership, semester)
        rs = RuleSet.objects.current()
        text = (
            f"{semester.label}至今工作室活动 {held} 次，{membership.teacher.name}缺席 {held - attended} 次，"
            f"超过 {rs.absence_limit_numerator}/{rs.absence_limit_denominator}。"
        )
        return {"reason": reason, "text": text}
    if reason in (MembershipChange.Reason.FAILED, MembershipChange.Reason.OTHER):
        return {"reason": reason}
    return {}


def _change_form(request, pk, *, kind):
    membership = get_membership_for_user(request.user, pk)
    r = roles_of(request.user)
    if kind == MembershipChange.Kind.WITHDRAW:
        allowed = r.teacher is not None and r.teacher.pk == membership.teacher_id
        form_class = WithdrawalForm
    else:
        allowed = membership.workroom_id in r.hosted_workroom_ids or r.is_office
        form_class = RemovalForm
    if not allowed:
        raise PermissionDenied("您无权提出该申请。")
    form = form_class(request.POST or None, initial=_prefilled(membership, request.GET) if kind == MembershipChange.Kind.REMOVE else None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.membership_change_create(
                membership=membership, kind=kind, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except TransitionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, "申请已提交。")
            return redirect("selection:change_detail", pk=change.pk)
    return render(
        request,
        "members/change_form.html",
        {"membership": membership, "form": form, "kind": MembershipChange.Kind(kind)},
    )


@login_required
def withdrawal_create(request, pk):
    """成员申请退出 (DOMAIN.md §5)."""
    return _change_form(request, pk, kind=MembershipChange.Kind.WITHDRAW)


@login_required
def removal_create(request, pk):
    """主持人申请调整成员 (DOMAIN.md §5)."""
    return _change_form(request, pk, kind=MembershipChange.Kind.REMOVE)


@login_required
def change_detail(request, pk):
    change = get_membership_change_for_user(request.user, pk)
    return render(
        request,
        "members/change_detail.html",
        {
            "change": change,
            "steps": history(change),
            "actions": MEMBERSHIP_CHANGE.options(request.user, change),
            "form": CommentForm(),
        },
    )


@login_required
@require_POST
def change_transition(request, pk, action):
    change = get_membership_change_for_user(request.user, pk)
    service = CHANGE_SERVICES.get(action)
    if service is None:
        raise Http404("未知的操作。")
    form = CommentForm(request.POST)
    try:
        require_valid(form)
        service(change=change, actor=request.user, comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已{MEMBERSHIP_CHANGE.get(action).label}。")
    return redirect("selection:change_detail", pk=change.pk)


@login_required
def change_list(request):
    """退出/调整申请 list: the office's queue; others see their own."""
    qs = MembershipChange.objects.visible_to(request.user).select_related(
        "membership__teacher", "membership__workroom", "requested_by"
    )
    filterset = MembershipChangeFilter(request.GET, queryset=qs)
    return render(
        request, "members/change_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)}
    )


CHANGE_SERVICES = {
    "forward": services.membership_change_forward,
    "approve": services.membership_change_approve,
    "refuse": services.membership_change_refuse,
}
