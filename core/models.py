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
