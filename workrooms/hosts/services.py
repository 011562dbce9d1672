"""Changes of a workroom's hosts, always through the office (DOMAIN.md §1,
§3, §4; 003方案3):

- ``cohost_add``: a second 领衔人 / 副主持人, up to ``RuleSet.max_hosts``;
- ``host_change`` with ``kind=ethics``: a host with a confirmed 师德
  violation loses the host role (the title itself is taken when the
  violation is confirmed, ``assessment.honours.services``);
- ``host_change`` with ``kind=job``: a host who changes jobs is replaced by
  a successor the office picks.

The workroom keeps its records and archive: only memberships and the lead
host change. Every change is a ``HostChange`` row with its reason, and the
workroom's own history (django-simple-history) names who changed the lead."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.calendar import school_today
from core.history import tracked
from members.models import EthicsRecord, Teacher
from workrooms.appointments import appointment_ended, appointment_started, lead_changed
from workrooms.hosts.access import can_change_hosts
from workrooms.hosts.models import HostChange
from workrooms.models import RuleSet, Workroom
from workrooms.selection.models import Membership
from workrooms.selectors import host_eligibility_for

NOT_OPEN = "工作室已结题或已撤销，不能变更主持人。"


def current_hosts(workroom) -> list[Membership]:
    """The workroom's current host memberships, the lead host (领衔人) first."""
    rows = list(
        Membership.objects.current().filter(workroom=workroom, role=Membership.Role.HOST)
        .select_related("teacher__school", "teacher__department").order_by("joined_on", "pk")
    )
    rows.sort(key=lambda m: m.teacher_id != workroom.host_id)
    return rows


def _successor_problems(workroom, teacher: Teacher, ruleset: RuleSet) -> list[str]:
    """Why ``teacher`` may not become a host of ``workroom`` (empty: they may)."""
    problems = []
    here = Membership.objects.current().filter(workroom=workroom, teacher=teacher).first()
    if here is not None:
        problems.append(f"{teacher.name}已是本工作室的{here.get_role_display()}。")
    elsewhere = (
        Membership.objects.current().filter(teacher=teacher, role=Membership.Role.HOST)
        .exclude(workroom=workroom).select_related("workroom").first()
    )
    if elsewhere is not None:
        problems.append(f"{teacher.name}已是「{elsewhere.workroom.name}」的主持人，一人只能主持一个工作室。")
    member_elsewhere = (
        Membership.objects.current().filter(teacher=teacher, role=Membership.Role.MEMBER)
        .exclude(workroom=workroom).select_related("workroom").first()
    )
    if member_elsewhere is not None:
        problems.append(f"{teacher.name}是「{member_elsewhere.workroom.name}」的成员，须先结束该工作室的聘期。")
    eligibility = host_eligibility_for(teacher, ruleset=ruleset)
    problems += [f"不符合主持人条件（{c.label}）：{c.explanation}" for c in eligibility.failed]
    return problems


def _check_open(workroom) -> None:
    if workroom.status not in Workroom.OPEN_STATUSES:
        raise ValidationError(NOT_OPEN)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写原因。"})
    return reason


def _make_host(workroom, teacher: Teacher) -> Membership:
    membership = Membership(
        workroom=workroom, teacher=teacher, role=Membership.Role.HOST, status=Membership.Status.ACTIVE,
        joined_on=school_today(),
    )
    membership.save()
    return membership


@transaction.atomic
def cohost_add(*, workroom, teacher: Teacher, reason: str, actor) -> HostChange:
    """The office adds a host (副主持人) to ``workroom``, up to the setting
    ``max_hosts``; the teacher must meet the host criteria and host no other
    workroom."""
    if not can_change_hosts(actor):
        raise PermissionDenied("只有德育处可以增设主持人。")
    workroom = Workroom.objects.select_for_update().get(pk=workroom.pk)
    _check_open(workroom)
    reason = _reason(reason)
    ruleset = RuleSet.objects.current()
    count = len(current_hosts(workroom))
    if count >= ruleset.max_hosts:
        raise ValidationError(
            f"每个工作室至多 {ruleset.max_hosts} 名主持人（学校设置），{workroom.name}已有 {count} 名，不能再增设。"
        )
    problems = _successor_problems(workroom, teacher, ruleset)
    if problems:
        raise ValidationError({"teacher": problems})
    appointment_started(membership=_make_host(workroom, teacher), actor=actor)  # the new host's 聘书 (archives)
    return HostChange.objects.create(workroom=workroom, kind=HostChange.Kind.ADD, incoming=teacher, reason=reason,
                                     decided_by=actor)


@transaction.atomic
def host_change(*, workroom, kind: str, outgoing: Membership, successor: Teacher | None, reason: str,
                actor) -> HostChange:
    """The office removes a host for a confirmed 师德 violation
    (``kind=ethics``) or replaces a host who changes jobs (``kind=job``,
    successor required). The outgoing host's term ends; when they led the
    workroom the successor (or the remaining host) becomes 领衔人, and the
    workroom takes the new lead's name. Records and archive stay."""
    if not can_change_hosts(actor):
        raise PermissionDenied("只有德育处可以撤换主持人。")
    if kind not in (HostChange.Kind.ETHICS, HostChange.Kind.JOB):
        raise ValidationError("未知的变更类型。")
    workroom = Workroom.objects.select_for_update().select_related("host").get(pk=workroom.pk)
    _check_open(workroom)
    reason = _reason(reason)
    outgoing = Membership.objects.select_for_update().select_related("teacher").get(pk=outgoing.pk)
    if outgoing.workroom_id != workroom.pk or outgoing.role != Membership.Role.HOST or (
        outgoing.status not in Membership.CURRENT_STATUSES
    ):
        raise ValidationError({"outgoing": "所选教师不是本工作室的现任主持人。"})
    if kind == HostChange.Kind.ETHICS and not EthicsRecord.objects.filter(teacher=outgoing.teacher, confirmed=True).exists():
        raise ValidationError({"kind": f"{outgoing.teacher.name}没有经查实的师德违规记录，请先在教师页面登记并认定。"})
    others = [m for m in current_hosts(workroom) if m.pk != outgoing.pk]
    if kind == HostChange.Kind.JOB and successor is None:
        raise ValidationError({"successor": "工作变动更换主持人须选择接任的主持人。"})
    if successor is None and not others:
        raise ValidationError({"successor": "工作室只有这一名主持人，请选择接任的主持人。"})
    if successor is not None:
        problems = _successor_problems(workroom, successor, RuleSet.objects.current())
        if problems:
            raise ValidationError({"successor": problems})

    outgoing.status = Membership.Status.ENDED
    outgoing.left_on = school_today()
    outgoing.left_reason = f"{HostChange.Kind(kind).label}：{reason}"
    outgoing.save(update_fields=["status", "left_on", "left_reason"])
    appointment_ended(membership=outgoing, actor=actor, reason=outgoing.left_reason)  # revokes the 聘书 (archives)
    incoming = None
    if successor is not None:
        incoming = _make_host(workroom, successor)
    if workroom.host_id == outgoing.teacher_id:
        lead = successor or others[0].teacher
        if workroom.name == Workroom.name_for(workroom.host.name):
            workroom.name = Workroom.name_for(lead.name)
        workroom.host = lead
        tracked(workroom, actor=actor, reason=f"{HostChange.Kind(kind).label}：{reason}")
        workroom.save(update_fields=["host", "name"])
        lead_changed(workroom=workroom, actor=actor, reason=reason)  # exchanges the 挂牌证书 (archives)
    if incoming is not None:  # after the rename: the 聘书 prints the workroom's new name
        appointment_started(membership=incoming, actor=actor)
    return HostChange.objects.create(
        workroom=workroom, kind=kind, outgoing=outgoing.teacher, incoming=successor, reason=reason, decided_by=actor,
    )
