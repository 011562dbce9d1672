"""Who sees and changes a workroom's hosts (DOMAIN.md §1, §3): the office
changes them; leaders and the workroom's own hosts read the page (403 on a
change); members of the workroom get 403; anyone else 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.roles import roles_of
from workrooms.access import get_workroom_for_user, is_workroom_member


def can_change_hosts(user) -> bool:
    return roles_of(user).is_office


def get_hosts_workroom_for_user(user, pk, *, change: bool = False):
    workroom = get_workroom_for_user(user, pk)
    r = roles_of(user)
    if r.is_office:
        return workroom
    readers = r.sees_everything or workroom.pk in r.hosted_workroom_ids
    if readers and not change:
        return workroom
    if readers or is_workroom_member(user, workroom):
        raise PermissionDenied("只有德育处可以变更工作室主持人。")
    raise Http404("工作室不存在。")
