"""Home-page sections about members (DOMAIN.md §5): what waits for a host,
a member, the office, and where any teacher may ask to join. Each section
costs two queries (its first items and its count), whatever the rows."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from core.inbox import Section
from members.roles import roles_of
from workrooms.models import Workroom
from workrooms.records.selectors import record_inbox_sections
from workrooms.selection.models import JoinRequest, Membership, MembershipChange

SHOWN = 5
RECENT_DAYS = 30


def _section(title, qs, item, *, empty, more_url=None) -> Section:
    rows = list(qs[:SHOWN])
    count = qs.count()
    return Section(title=title, items=[item(r) for r in rows], empty=empty, more_url=more_url, count=count)


def _host_sections(hosted) -> list[Section]:
    return [
        _section(
            "待答复的加入申请",
            JoinRequest.objects.filter(workroom_id__in=hosted, status=JoinRequest.Status.PENDING)
            .select_related("teacher", "workroom")
            .order_by("created_at"),
            lambda r: (
                f"{r.teacher.name} 申请加入{r.workroom.name}",
                reverse("selection:workroom_members", args=[r.workroom_id]),
                timezone.localtime(r.created_at).strftime("%m-%d"),
            ),
            empty="暂无待答复的申请。",
        ),
        _section(
            "待主持人签署的协议",
            Membership.objects.filter(
                workroom_id__in=hosted, status=Membership.Status.PENDING_AGREEMENT, host_signed_at__isnull=True
            )
            .select_related("teacher")
            .order_by("joined_on", "pk"),
            lambda m: (f"与{m.teacher.name}的成员协议", reverse("selection:agreement", args=[m.pk]), ""),
            empty="暂无待签署的协议。",
        ),
        _section(
            "待转报的退出申请",
            MembershipChange.objects.filter(
                membership__workroom_id__in=hosted, status=MembershipChange.Status.PENDING_HOST
            )
            .select_related("membership__teacher")
            .order_by("created_at"),
            lambda c: (f"{c.membership.teacher.name} 申请退出", reverse("selection:change_detail", args=[c.pk]), ""),
            empty="暂无待转报的申请。",
        ),
    ]


def _teacher_sections(teacher) -> list[Section]:
    """A teacher's own agreement and requests (shown only when there is
    something), and the running workrooms open for joining."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    own = [
        _section(
            "待本人签署的协议",
            Membership.objects.filter(
                teacher=teacher, status=Membership.Status.PENDING_AGREEMENT, member_signed_at__isnull=True
            )
            .select_related("workroom")
            .order_by("joined_on"),
            lambda m: (f"{m.workroom.name} 成员协议", reverse("selection:agreement", args=[m.pk]), ""),
            empty="暂无待签署的协议。",
        ),
        _section(
            "我的加入申请",
            JoinRequest.objects.filter(teacher=teacher)
            .exclude(status=JoinRequest.Status.CANCELLED)
            .filter(created_at__gte=since)
            .select_related("workroom")
            .order_by("-created_at"),
            lambda r: (r.workroom.name, reverse("selection:my_workrooms"), r.get_status_display()),
            empty="近期没有加入申请。",
            more_url=reverse("selection:my_workrooms"),
        ),
    ]
    # The workrooms a teacher may ask to join (as on the workroom's page).
    open_ = Workroom.objects.filter(status__in=(Workroom.Status.APPROVED, Workroom.Status.RUNNING))
    mine = Membership.objects.current().filter(teacher=teacher).values("workroom_id")
    return [s for s in own if s.count] + [
        _section(
            "可申请加入的工作室",
            open_.exclude(pk__in=mine)
            .select_related("host")
            .order_by("name"),
            lambda w: (w.name, reverse("selection:join_request_create", args=[w.pk]), f"主持人 {w.host.name}"),
            empty="可加入的工作室您都已加入。" if open_.exists() else "暂无可加入的工作室。",
        ),
    ]


def _office_sections() -> list[Section]:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return [
        _section(
            "待审批的退出/调整申请",
            MembershipChange.objects.filter(status=MembershipChange.Status.PENDING_OFFICE)
            .select_related("membership__teacher", "membership__workroom")
            .order_by("created_at"),
            lambda c: (
                f"{c.membership.teacher.name}（{c.membership.workroom.name}）{c.get_kind_display()}",
                reverse("selection:change_detail", args=[c.pk]),
                c.get_reason_display(),
            ),
            empty="暂无待审批的申请。",
            more_url=reverse("selection:change_list") + "?status=pending_office",
        ),
        _section(
            "近期备案的成员协议",
            Membership.objects.filter(agreement_filed_at__gte=since)
            .select_related("teacher", "workroom")
            .order_by("-agreement_filed_at"),
            lambda m: (
                f"{m.teacher.name} · {m.workroom.name}",
                reverse("selection:agreement", args=[m.pk]),
                timezone.localtime(m.agreement_filed_at).strftime("%m-%d"),
            ),
            empty="近期没有备案的协议。",
            more_url=reverse("selection:agreement_list"),
        ),
    ]


def sections(user) -> list[Section]:
    r = roles_of(user)
    result = []
    if r.is_office:
        result += _office_sections()
    if r.hosted_workroom_ids:
        result += _host_sections(r.hosted_workroom_ids)
    if r.teacher is not None:
        result += _teacher_sections(r.teacher)
    return result + record_inbox_sections(user)
