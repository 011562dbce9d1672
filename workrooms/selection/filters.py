"""FilterSets of the selection lists: agreements, withdrawals and removals, the roster."""

import django_filters

from core.filters import StyledFilterSet
from workrooms.selection.models import Membership, MembershipChange


class AgreementFilter(StyledFilterSet):
    search_fields = ("teacher__name", "workroom__name")
    q = django_filters.CharFilter(label="成员/工作室", method="search")

    class Meta:
        model = Membership
        fields: list = []


class MembershipChangeFilter(StyledFilterSet):
    search_fields = ("membership__teacher__name", "membership__workroom__name")
    q = django_filters.CharFilter(label="成员/工作室", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=MembershipChange.Kind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=MembershipChange.Status.choices, empty_label="全部")


class RosterFilter(StyledFilterSet):
    """花名册 of one workroom (成员管理 page); its export downloads the same rows."""

    search_fields = ("teacher__name", "teacher__staff_no", "teacher__class_name")
    q = django_filters.CharFilter(label="姓名/工号/班级", method="search")
    role = django_filters.ChoiceFilter(label="身份", choices=Membership.Role.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Membership.Status.choices, empty_label="全部")

    class Meta:
        model = Membership
        fields = ["q", "role", "status"]
