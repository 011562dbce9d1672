"""Who sees and who connects the group robots of a workroom or a department.

A workroom's robots: seen by its host, members, the office and leaders,
connected by the host (and the office, who manages every workroom). A
department's robots: seen by the office, leaders and the department's
reviewer, connected by the office. Everyone else gets 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.models import GroupRobot
from members.models import Department
from members.roles import roles_of
from workrooms.access import can_manage_workroom, get_insider_workroom
from workrooms.models import Workroom


def get_robot_owner_for_user(user, kind: str, pk: int):
    """The workroom or department whose robots ``user`` may see, or 404."""
    if kind == "workroom":
        return get_insider_workroom(user, pk)
    if kind == "department":
        department = get_object_or_404(Department.objects.select_related("school"), pk=pk)
        r = roles_of(user)
        if not (r.sees_everything or department.pk in r.reviewed_department_ids):
            raise Http404
        return department
    raise Http404


def can_manage_robots(user, owner) -> bool:
    if isinstance(owner, Workroom):
        return can_manage_workroom(user, owner)
    return roles_of(user).is_office


def get_robot_for_user(user, pk: int) -> tuple[GroupRobot, object]:
    robot = get_object_or_404(GroupRobot.objects.select_related("owner_type"), pk=pk)
    kind = robot.owner_type.model
    if kind not in ("workroom", "department") or robot.owner_type.app_label not in ("workrooms", "members"):
        raise Http404
    return robot, get_robot_owner_for_user(user, kind, robot.owner_id)
