"""Records every app shares: stored files, workflow history and notifications.

The kernel knows nothing of workrooms or assessments; each app keeps its own
models and points here by string (``"core.StoredFile"``). Tables keep the
names they had before the models moved here (``db_table``)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


def stored_file_path(instance, filename):
    # Generated names only: the user's file name is kept in ``original_name``
    # and never used on disk.
    return f"files/{instance.uuid.hex[:2]}/{instance.uuid.hex}"


class StoredFile(models.Model):
    """A file kept on private storage, served only through a view that checks
    permission (see ``core.files``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField("文件", upload_to=stored_file_path, max_length=200, db_index=True)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "文件"
        db_table = "archives_storedfile"

    def __str__(self):
        return self.original_name



class StatusChange(models.Model):
    """History of every workflow transition: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=50)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="操作人"
    )
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "流转记录"
        db_table = "workrooms_statuschange"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]



class NotificationKind(models.TextChoices):
    REVIEW_TODO = "review_todo", "待我审核"
    APPLICATION_ANSWERED = "application_answered", "申请已答复"
    PLAN_RETURNED = "plan_returned", "计划被退回"
    PLAN_FILED = "plan_filed", "计划已备案"
    DEADLINE = "deadline", "7天内截止"
    DUTY_BEHIND = "duty_behind", "职责进度落后"
    RESULT_PUBLISHED = "result_published", "结果已公布"
    MENTORING = "mentoring", "师徒结对"
    COMMENT = "comment", "主持人点评"
    MESSAGE_PENDING = "message_pending", "访客留言待审核"
    OBJECTION_ANSWERED = "objection_answered", "异议已答复"
    CERTIFICATE_ISSUED = "certificate_issued", "证书已颁发"


class Notification(models.Model):
    """站内通知: one row per recipient; e-mail is sent from it in the background."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人")
    kind = models.CharField("类别", max_length=30, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    # Reminders carry a key so that a scheduled run never repeats one.
    dedupe_key = models.CharField("去重键", max_length=120, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        db_table = "members_notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_dedupe")
        ]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """Whether a kind of notification also reaches the person by e-mail
    (no row: yes)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField("类别", max_length=30, choices=NotificationKind.choices)
    email = models.BooleanField("邮件通知", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知偏好"
        db_table = "members_notificationpreference"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_once")]


class RobotEvent(models.TextChoices):
    """What a group robot can be told (a title, a time and a link, nothing private)."""

    ACTIVITY_TOMORROW = "activity_tomorrow", "明日活动"
    SIGNIN_OPEN = "signin_open", "签到开始"
    REVIEW_ANSWERED = "review_answered", "审核已答复"
    RESULT_PUBLISHED = "result_published", "结果已公布"
    DUTY_WARNING = "duty_warning", "职责进度提醒"


class GroupRobot(models.Model):
    """企业微信 or 钉钉 group robot connected by a workroom or a department:
    the events its owner chose reach the group's phones (``core.robots``).
    The owner is generic so that the kernel needs no workroom or department."""

    class Platform(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    class Format(models.TextChoices):
        MARKDOWN = "markdown", "Markdown（标题加粗、可点链接）"
        TEXT = "text", "纯文本"

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    name = models.CharField("名称", max_length=50)
    platform = models.CharField("平台", max_length=10, choices=Platform.choices)
    webhook_url = models.CharField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    msgtype = models.CharField("消息格式", max_length=10, choices=Format.choices, default=Format.MARKDOWN)
    events = models.JSONField("发送的事件", default=list)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="连接人"
    )
    created_at = models.DateTimeField("连接时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "群机器人"
        ordering = ["name", "id"]
        # Also the index that finds an owner's robots.
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id", "webhook_url"], name="grouprobot_once_per_owner")
        ]

    def __str__(self):
        return self.name


class RobotDelivery(models.Model):
    """One message to one robot: queued, sent, or failed with the reason."""

    class Status(models.TextChoices):
        QUEUED = "queued", "等待发送"
        RETRYING = "retrying", "重试中"
        SENT = "sent", "已送达"
        FAILED = "failed", "发送失败"

    TEST = "test"
    EVENT_CHOICES = [*RobotEvent.choices, (TEST, "测试消息")]

    robot = models.ForeignKey(GroupRobot, on_delete=models.CASCADE, related_name="deliveries", verbose_name="群机器人")
    event = models.CharField("事件", max_length=30, choices=EVENT_CHOICES)
    title = models.CharField("标题", max_length=200)
    when = models.DateTimeField("时间", null=True, blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    dedupe_key = models.CharField("去重键", max_length=120, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "群消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["robot", "dedupe_key"], condition=~Q(dedupe_key=""), name="robotdelivery_dedupe")
        ]

    def __str__(self):
        return self.title


class CalendarFeed(models.Model):
    """The secret address of a person's calendar feed (iCalendar): whoever
    knows the token reads the feed, so a new token ends the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField("令牌", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = verbose_name_plural = "日历订阅"

    def __str__(self):
        return f"calendar feed of {self.user_id}"

class Publication(models.Model):
    """One round of 公示 of a published result (DOMAIN.md §12): the window
    the list is shown and objections are taken, who published it, and, when
    the office reopened it to correct it, who did so and why. Every kind of
    result that decides money or honours is published through this one
    record (``core.publicity``); a re-publication after a correction is the
    next round of the same subject."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # What of the subject is published, when one subject publishes several
    # lists (a workroom's member grades of a semester: "members:2025:1").
    topic = models.CharField("公示内容", max_length=40, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    round = models.PositiveSmallIntegerField("公示轮次", default=1)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示截止")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="公示人"
    )
    published_at = models.DateTimeField("公示时间")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="重新开放人"
    )
    reopened_at = models.DateTimeField("重新开放时间", null=True, blank=True)
    reopen_reason = models.TextField("重新开放原因", blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="定稿人"
    )
    finalized_at = models.DateTimeField("定稿时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示"
        ordering = ["content_type", "object_id", "topic", "round"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "topic", "round"], name="publication_round_once")
        ]

    def __str__(self):
        return f"{self.title or '公示'}（第 {self.round} 次，{self.starts_on} 至 {self.ends_on}）"

    @property
    def status_label(self) -> str:
        if self.reopened_at is not None:
            return "已重新开放更正"
        if self.finalized_at is not None:
            return "已定稿"
        return "公示中"

    @property
    def stands(self) -> bool:
        """Published and not taken back for a correction."""
        return self.reopened_at is None
