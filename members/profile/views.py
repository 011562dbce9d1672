"""Pages of a teacher's profile items (DOMAIN.md §2): the teacher's own list
and forms, the office's verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.files import file_response
from core.forms import add_service_errors, require_valid
from core.lists import paginate
from core.workflow import TransitionRefused, history
from members.access import (
    can_edit_profile_item,
    can_enter_profile_items,
    can_verify_profile_item,
    get_profile_item_for_user,
)
from members.filters import ProfileItemFilter
from members.models import ProfileItem
from members.profile import services
from members.profile.forms import ProfileItemForm, VerifyForm
from members.profile.workflow import PROFILE_ITEM
from members.roles import roles_of
from members.selectors import user_display

FORM = "members/profile/item_form.html"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _write(form, call):
    if not form.is_valid():
        return None
    try:
        return call(**{k: v for k, v in form.cleaned_data.items()})
    except ValidationError as e:
        add_service_errors(form, e)
    return None


@login_required
def item_list(request):
    """我的荣誉成果 for a teacher; every teacher's items (to verify) for the office and leaders."""
    qs = ProfileItem.objects.visible_to(request.user).select_related("teacher", "evidence").order_by("-created_at", "-pk")
    filterset = ProfileItemFilter(request.GET, queryset=qs)
    return render(request, "members/profile/item_list.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "can_enter": can_enter_profile_items(request.user), "sees_all": roles_of(request.user).sees_everything,
    })


@login_required
def item_create(request):
    _require(can_enter_profile_items(request.user), "只有教师本人可以登记档案条目。")
    form = ProfileItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        item = _write(form, lambda **data: services.profile_item_create(actor=request.user, **data))
        if item:
            messages.success(request, "档案条目已提交，等待德育处认定。")
            return redirect("members:profile_item_detail", item.pk)
    return render(request, FORM, {"form": form, "title": "登记档案条目"})


@login_required
def item_detail(request, pk):
    item = get_profile_item_for_user(request.user, pk)
    changes = list(history(item))
    labels = {t.action: t.label for t in PROFILE_ITEM.transitions} | {"create": "登记"}
    return render(request, "members/profile/item_detail.html", {
        "item": item,
        "can_edit": can_edit_profile_item(request.user, item) and not item.is_locked,
        "transitions": [t for t in PROFILE_ITEM.available(request.user, item) if t.action != "resubmit"],
        "verify_form": VerifyForm(),
        "history": [{"at": c.created_at, "actor": user_display(c.actor) if c.actor else "", "label": labels.get(c.action, c.action),
                     "comment": c.comment} for c in changes],
    })


@login_required
def item_edit(request, pk):
    item = get_profile_item_for_user(request.user, pk)
    _require(can_edit_profile_item(request.user, item), "只有登记人本人可以修改。")
    if item.is_locked and request.method != "POST":
        messages.error(request, services.LOCKED)
        return redirect("members:profile_item_detail", item.pk)
    form = ProfileItemForm(request.POST or None, request.FILES or None, instance=item, editing=True)
    if request.method == "POST":
        if _write(form, lambda **data: services.profile_item_update(actor=request.user, item=item, **data)):
            messages.success(request, "档案条目已保存。")
            return redirect("members:profile_item_detail", item.pk)
    return render(request, FORM, {"form": form, "title": f"修改档案条目「{item.title}」"})


@login_required
@require_POST
def item_verify(request, pk):
    item = get_profile_item_for_user(request.user, pk)
    _require(can_verify_profile_item(request.user, item), "只有德育处可以认定档案条目。")
    form = VerifyForm(request.POST)
    try:
        require_valid(form)
        services.profile_item_verify(
            actor=request.user, item=item, action=request.POST.get("action", ""), comment=form.cleaned_data.get("comment", ""),
        )
    except TransitionRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "认定结果已保存。")
    return redirect("members:profile_item_detail", item.pk)


@login_required
def item_evidence(request, pk):
    item = get_profile_item_for_user(request.user, pk)
    if item.evidence is None:
        messages.error(request, "该条目没有上传证明材料。")
        return redirect("members:profile_item_detail", item.pk)
    return file_response(item.evidence)
