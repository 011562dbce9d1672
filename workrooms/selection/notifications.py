"""Who hears about the two-way selection (DOMAIN.md §5)."""

from core.models import Notification, NotificationKind, StatusChange
from core.notify import notify
from workrooms.selection.models import JoinRequest, MembershipChange
from workrooms.selection.selectors import workroom_host_users


def join_request_event_notify(*, change_id: int) -> list[Notification]:
    """双向选择 (DOMAIN.md §5): the teacher hears the host's answer."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    jr = JoinRequest.objects.select_related("workroom", "teacher").filter(pk=change.object_id).first() if change else None
    if jr is None or change.to_status not in (JoinRequest.Status.ACCEPTED, JoinRequest.Status.DECLINED):
        return []
    verdict = "已被接受" if change.to_status == JoinRequest.Status.ACCEPTED else f"被婉拒：{change.comment}"
    return notify(users=[jr.teacher.user_id], kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"您加入{jr.workroom.name}的申请{verdict}"[:200], url=reverse("selection:my_workrooms"))


def membership_change_event_notify(*, change_id: int) -> list[Notification]:
    """退出/调整 (DOMAIN.md §5): the office's answer reaches the member and the host."""
    from django.urls import reverse

    change = StatusChange.objects.filter(pk=change_id).first()
    mc = (MembershipChange.objects.select_related("membership__teacher", "membership__workroom")
          .filter(pk=change.object_id).first() if change else None)
    S = MembershipChange.Status
    if mc is None or change.to_status not in (S.APPROVED, S.REFUSED):
        return []
    verdict = "已批准" if change.to_status == S.APPROVED else f"未获批准：{change.comment}"
    teacher, workroom = mc.membership.teacher, mc.membership.workroom
    users = [teacher.user_id, *workroom_host_users(workroom.pk).values_list("pk", flat=True)]
    return notify(users=users, kind=NotificationKind.APPLICATION_ANSWERED,
                  title=f"{teacher.name}在{workroom.name}的{mc.get_kind_display()}{verdict}"[:200],
                  url=reverse("selection:change_detail", args=[mc.pk]))


def join_request_created_notify(*, join_request) -> list[Notification]:
    """双向选择 (DOMAIN.md §5): the host answers a teacher's request to join."""
    from django.urls import reverse

    return notify(users=workroom_host_users(join_request.workroom_id), kind=NotificationKind.REVIEW_TODO,
                  title=f"{join_request.teacher.name}申请加入{join_request.workroom.name}"[:200],
                  url=reverse("selection:workroom_members", args=[join_request.workroom_id]))
