"""Members of a workroom and the two-way selection (DOMAIN.md §5): the
membership, the join request and the withdrawal or removal."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from members.choices import (
    CURRENT_MEMBERSHIP_STATUSES,
    MembershipRole,
    MembershipStatus,
)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=Membership.CURRENT_STATUSES)

    def visible_to(self, user):
        # Imported here: workrooms.selection.access imports this module's models.
        from workrooms.selection.access import memberships_visible_to

        return memberships_visible_to(user, self)


class Membership(models.Model):
    """A teacher's place in a workroom, as host (主持人) or member (成员).

    A member accepted by the host holds a place (``pending_agreement``) until
    both have signed the agreement (协议); then the membership is active."""

    Role = MembershipRole
    Status = MembershipStatus
    CURRENT_STATUSES = CURRENT_MEMBERSHIP_STATUSES

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="memberships", verbose_name="工作室"
    )
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="memberships", verbose_name="教师")
    role = models.CharField("身份", max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING_AGREEMENT)
    is_archivist = models.BooleanField("档案管理员", default=False)
    joined_on = models.DateField("加入日期", default=timezone.localdate)
    left_on = models.DateField("离开日期", null=True, blank=True)
    left_reason = models.TextField("离开原因", blank=True)
    host_signed_at = models.DateTimeField("主持人签署协议时间", null=True, blank=True)
    member_signed_at = models.DateTimeField("成员签署协议时间", null=True, blank=True)
    agreement_filed_at = models.DateTimeField("协议备案时间", null=True, blank=True)
    agreement_ruleset = models.ForeignKey(
        "workrooms.RuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="协议依据的学校设置",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        db_table = "members_membership"
        verbose_name = verbose_name_plural = "工作室成员"
        ordering = ["workroom", "role", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["workroom", "teacher"],
                condition=Q(status__in=["pending_agreement", "active"]),
                name="membership_one_current_per_workroom",
            )
        ]

    def __str__(self):
        return f"{self.teacher} @ {self.workroom}（{self.get_role_display()}）"


class JoinRequest(models.Model):
    """双向选择: a teacher asks to join a workroom; the host answers."""

    class Status(models.TextChoices):
        PENDING = "pending", "待主持人答复"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已婉拒"
        CANCELLED = "cancelled", "已撤回"

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="join_requests", verbose_name="工作室"
    )
    teacher = models.ForeignKey("members.Teacher", on_delete=models.CASCADE, related_name="join_requests", verbose_name="申请人")
    message = models.TextField("申请理由", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="处理人"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_comment = models.TextField("答复意见", blank=True)

    class Meta:
        db_table = "members_joinrequest"
        verbose_name = verbose_name_plural = "加入申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workroom", "teacher"], condition=Q(status="pending"), name="joinrequest_one_pending"
            )
        ]


class MembershipChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.selection.access imports this module's models.
        from workrooms.selection.access import membership_changes_visible_to

        return membership_changes_visible_to(user, self)


class MembershipChange(models.Model):
    """退出/调整 (DOMAIN.md §5): a member applies to withdraw, the host forwards,
    the office approves; or the host asks to remove a member and the office
    approves. States and transitions: ``workrooms.selection.workflow.MEMBERSHIP_CHANGE``."""

    class Kind(models.TextChoices):
        WITHDRAW = "withdraw", "申请退出"
        REMOVE = "remove", "调整出工作室"

    class Reason(models.TextChoices):
        WITHDRAW = "withdraw", "本人申请退出"
        ABSENCE = "absence", "缺席活动超过三分之一"
        FAILED = "failed", "年度考核不合格"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PENDING_HOST = "pending_host", "待主持人转报"
        PENDING_OFFICE = "pending_office", "待德育处审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    OPEN_STATUSES = (Status.PENDING_HOST, Status.PENDING_OFFICE)

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="changes", verbose_name="成员")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    text = models.TextField("情况说明")
    status = models.CharField("状态", max_length=20, choices=Status.choices, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    objects = MembershipChangeQuerySet.as_manager()

    class Meta:
        db_table = "members_membershipchange"
        verbose_name = verbose_name_plural = "成员退出/调整"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status__in=["pending_host", "pending_office"]),
                name="membershipchange_one_open",
            )
        ]

    def __str__(self):
        return f"{self.membership.teacher}：{self.get_kind_display()}"
