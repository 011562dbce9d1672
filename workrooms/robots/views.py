"""Pages that connect 企业微信 / 钉钉 group robots to a workroom (its host)
or a department (the office), send a test message, and show every
delivery with its outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import robots
from core.forms import add_service_errors
from core.lists import paginate
from core.models import RobotDelivery, RobotEvent
from core.notify import robot_test_send
from members.models import Department
from members.roles import roles_of
from workrooms.models import Workroom
from workrooms.robots.access import can_manage_robots, get_robot_for_user, get_robot_owner_for_user
from workrooms.robots.forms import DeliveryFilter, RobotForm, RobotOwnerFilter


def _owner_url(owner) -> tuple[str, int]:
    kind = "workroom" if owner._meta.model_name == "workroom" else "department"
    return kind, owner.pk


@login_required
def robot_index(request):
    """Where each person finds the robots they may see: their workrooms',
    and the departments' (the office and leaders: all; a department
    reviewer: their own)."""
    r = roles_of(request.user)
    ids = r.member_workroom_ids | r.hosted_workroom_ids
    rooms = Workroom.objects.all() if r.sees_everything else Workroom.objects.filter(pk__in=ids)
    if r.sees_everything:
        departments = Department.objects.all()
    else:
        departments = Department.objects.filter(pk__in=r.reviewed_department_ids)
    filterset = RobotOwnerFilter(request.GET, queryset=rooms.order_by("name"))
    return render(request, "robots/robot_index.html", {
        "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "departments": departments.select_related("school").order_by("school__name", "name"),
    })


@login_required
def robot_list(request, kind, pk):
    owner = get_robot_owner_for_user(request.user, kind, pk)
    connected = list(robots.robots_connected(owner))
    qs = RobotDelivery.objects.filter(robot__in=connected).select_related("robot")
    filterset = DeliveryFilter(request.GET, queryset=qs)
    return render(request, "robots/robot_list.html", {
        "owner": owner, "kind": kind, "robots": connected, "filter": filterset,
        "page_obj": paginate(request, filterset.qs), "can_manage": can_manage_robots(request.user, owner),
        "event_labels": RobotEvent.choices,
    })


@login_required
def robot_create(request, kind, pk):
    owner = get_robot_owner_for_user(request.user, kind, pk)
    if not can_manage_robots(request.user, owner):
        raise PermissionDenied
    form = RobotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            robots.robot_connect(owner=owner, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "群机器人已连接。可以点“发送测试消息”确认群里能收到。")
            return redirect("workrooms:robots", kind, pk)
    return render(request, "robots/robot_form.html", {"owner": owner, "kind": kind, "form": form})


@login_required
def robot_edit(request, pk):
    robot, owner = get_robot_for_user(request.user, pk)
    if not can_manage_robots(request.user, owner):
        raise PermissionDenied
    initial = {"name": robot.name, "platform": robot.platform, "msgtype": robot.msgtype, "events": robot.events,
               "is_active": robot.is_active}
    form = RobotForm(request.POST or None, initial=initial, robot=robot)
    if request.method == "POST" and form.is_valid():
        try:
            robots.robot_update(robot=robot, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "群机器人设置已保存。")
            return redirect("workrooms:robots", *_owner_url(owner))
    kind, owner_pk = _owner_url(owner)
    return render(request, "robots/robot_form.html", {"owner": owner, "kind": kind, "form": form, "robot": robot})


@login_required
@require_POST
def robot_test(request, pk):
    robot, owner = get_robot_for_user(request.user, pk)
    if not can_manage_robots(request.user, owner):
        raise PermissionDenied
    with transaction.atomic():
        robot_test_send(robot=robot)
    messages.info(request, "测试消息已交给后台发送，结果见下方“发送记录”。")
    return redirect("workrooms:robots", *_owner_url(owner))


@login_required
@require_POST
def robot_delete(request, pk):
    robot, owner = get_robot_for_user(request.user, pk)
    if not can_manage_robots(request.user, owner):
        raise PermissionDenied
    robot.delete()
    messages.success(request, f"已断开群机器人“{robot.name}”，它的发送记录一并删除。")
    return redirect("workrooms:robots", *_owner_url(owner))
