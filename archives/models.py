"""Stored files (private uploads and generated documents) and the archive."""


import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# No 0/O or 1/I/L: the code is read off paper and typed in.
CHECK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_CODE_LENGTH = 10


def new_check_code() -> str:
    """A random check code (31^10, about 2^49 possibilities) that a
    verification address carries besides the sequential serial."""
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH))

# --- Archive (DOMAIN.md §8) ---------------------------------------------


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: archives.access imports this module's models.
        from archives.access import jobs_visible_to

        return jobs_visible_to(user, self)


class Job(models.Model):
    """One request for a generated document, run by the background worker.

    The page shows this row (status, progress, error); the output is kept as
    a ``StoredFile`` and served only through a view that checks permission."""

    class Kind(models.TextChoices):
        CERTIFICATES = "certificates", "批量颁发证书"
        EXPORT = "export", "导出表格"
        WORKROOM_REPORT = "workroom_report", "工作室年度报告"
        HANDBOOK = "handbook", "成员成长手册"
        ASSESSMENT_NOTICE = "assessment_notice", "考核结果通知单"
        ARCHIVE_BUNDLE = "archive_bundle", "工作室档案打包"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_jobs", verbose_name="申请人"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.ForeignKey(
        "core.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="生成的文件"
    )
    error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    # When the job was last handed to the worker (asked for, retried, or
    # waiting for an automatic retry): a job queued long ago lost its task.
    queued_at = models.DateTimeField("排队时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "文档任务"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def can_retry(self, *, stale_before) -> bool:
        """Failed, or queued since before ``stale_before``
        (``archives.services.job_stale_before``)."""
        if self.status == self.Status.FAILED:
            return True
        return self.status == self.Status.QUEUED and self.queued_at < stale_before

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class SerialCounter(models.Model):
    """The last number handed out per serial prefix (e.g. ``2026-PX``).

    A number is taken by incrementing the row (which locks it until the
    transaction ends), so a number is never handed out twice and never
    reused (``archives.services.serial_allocate``)."""

    prefix = models.CharField("前缀", max_length=20, unique=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "证书编号计数"

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: archives.access imports this module's models.
        from archives.access import certificates_visible_to

        return certificates_visible_to(user, self)

    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """荣誉证书 / 培训合格证书 / 名班主任称号证书 (DOMAIN.md §10), and the
    papers of an appointment (DOMAIN.md §3, §4, §5): the 主持人聘书 and the
    workroom's 挂牌证书 issued at approval, the 成员聘书 issued when a
    member's agreement is filed.

    What the certificate prints is kept on the row (names as printed), so the
    public verification page shows exactly that even after a rename."""

    class Kind(models.TextChoices):
        HONOUR = "honour", "荣誉证书"
        TRAINING = "training", "培训合格证书"
        TITLE = "title", "名班主任称号证书"
        HOST_APPOINTMENT = "host_appointment", "主持人聘书"
        MEMBER_APPOINTMENT = "member_appointment", "成员聘书"
        PLAQUE = "plaque", "挂牌证书"

    SERIAL_CODES = {
        Kind.HONOUR: "RY", Kind.TRAINING: "PX", Kind.TITLE: "MB",
        Kind.HOST_APPOINTMENT: "PS", Kind.MEMBER_APPOINTMENT: "CP", Kind.PLAQUE: "GP",
    }
    # What the office issues in batches (批量颁发); the appointment papers
    # are issued by the appointment itself (``archives.services.appointment_issue``).
    BATCH_KINDS = (Kind.HONOUR, Kind.TRAINING, Kind.TITLE)
    APPOINTMENT_KINDS = (Kind.HOST_APPOINTMENT, Kind.MEMBER_APPOINTMENT, Kind.PLAQUE)

    serial = models.CharField("证书编号", max_length=30, unique=True)
    # Serials are sequential; the verification address also needs this code,
    # so nobody can walk through serials to read recipients' names.
    check_code = models.CharField("验证码", max_length=CHECK_CODE_LENGTH, default=new_check_code, editable=False)
    kind = models.CharField("证书类型", max_length=20, choices=Kind.choices)
    honour = models.CharField("荣誉称号", max_length=100, blank=True, help_text="荣誉证书所授称号，如「优秀学员」")
    recipient = models.ForeignKey(
        "members.Teacher", on_delete=models.PROTECT, related_name="certificates", verbose_name="获证人"
    )
    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.PROTECT, related_name="certificates", verbose_name="工作室"
    )
    recipient_name = models.CharField("获证人姓名（证书所印）", max_length=50)
    workroom_name = models.CharField("工作室名称（证书所印）", max_length=100)
    school_name = models.CharField("颁发学校（证书所印）", max_length=100)
    period_start = models.DateField("起始日期", null=True, blank=True)
    period_end = models.DateField("结束日期", null=True, blank=True)
    issued_on = models.DateField("颁发日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="颁发人"
    )
    issued_at = models.DateTimeField("颁发时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="撤销人"
    )
    revoke_reason = models.TextField("撤销原因", blank=True)
    reissue_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reissues", verbose_name="补发自"
    )
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="证书文件"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "证书"
        ordering = ["-issued_at", "-id"]
        constraints = [
            # The natural key of an issue: one valid certificate per recipient,
            # kind, workroom and honour. A retried or duplicated batch finds it
            # instead of taking a second serial.
            models.UniqueConstraint(
                fields=["kind", "recipient", "workroom", "honour"],
                condition=models.Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_issue",
            )
        ]

    def __str__(self):
        return f"{self.serial} {self.get_kind_display()} {self.recipient_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
