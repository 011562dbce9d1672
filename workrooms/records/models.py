"""Members' records (DOMAIN.md §7): reading, writings, research projects
and achievements."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from members.choices import Level
from workrooms.records.rules import DocumentKind, ResearchStatus


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.records.access imports this module's models.
        from workrooms.records.access import records_visible_to

        return records_visible_to(user, self)


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审阅"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


class ReviewedRecord(models.Model):
    """A member's record that the host comments on and accepts (or returns).
    Status changes go through ``workrooms.records.workflow.RECORD_REVIEW``; an
    accepted record is locked against edits by its owner."""

    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="%(class)ss", verbose_name="成员")
    # Empty for a teacher's own record outside any workroom (DOMAIN.md §1: every teacher logs reading and writings).
    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss",
        verbose_name="工作室",
    )
    semester = models.CharField("学期", max_length=30, db_index=True)
    status = models.CharField("状态", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    review_comment = models.TextField("主持人意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审阅人"
    )
    reviewed_at = models.DateTimeField("审阅时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    # Accepted records belong to the workroom's archive: its members may read them.
    SHARED_STATUS = ReviewStatus.ACCEPTED

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.ACCEPTED


class ReadingLog(ReviewedRecord):
    """读书记录 with its reflection 读书体会 (DOMAIN.md §7)."""

    class Kind(models.TextChoices):
        BOOK = "book", "书籍"
        PAPER = "paper", "论文"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.BOOK)
    title = models.CharField("书名/篇名", max_length=200)
    author = models.CharField("作者", max_length=100, blank=True)
    recommended = models.BooleanField("工作室推荐书目", default=False)
    read_on = models.DateField("阅读日期")
    reflection = models.TextField("读书体会")
    ruleset = models.ForeignKey(
        "workrooms.RuleSet", on_delete=models.PROTECT, related_name="+", verbose_name="适用学校设置"
    )

    class Meta:
        db_table = "members_readinglog"
        verbose_name = verbose_name_plural = "读书记录"
        ordering = ["-read_on", "-id"]
        indexes = [
            models.Index(fields=["workroom", "read_on"]),
            models.Index(fields=["teacher", "read_on"]),
            models.Index(fields=["read_on", "id"]),  # the office's list, newest first
        ]

    def __str__(self):
        return f"《{self.title}》"


class Writing(ReviewedRecord):
    """教育叙事、案例、学生个案、德育论文、班会课设计、随笔 (DOMAIN.md §7)."""

    class Kind(models.TextChoices):
        NARRATIVE = "narrative", "教育叙事"
        CASE = "case", "案例"
        STUDENT_CASE = "student_case", "学生个案"
        PAPER = "paper", "德育论文"
        CLASS_MEETING = "class_meeting", "班会课设计"
        ESSAY = "essay", "随笔"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文", blank=True)
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="文件"
    )
    written_on = models.DateField("完成日期")
    submitted = models.BooleanField("已投稿", default=False)
    published = models.BooleanField("已发表", default=False)
    publication = models.CharField("投稿/发表刊物", max_length=200, blank=True)
    awarded = models.BooleanField("已获奖", default=False)
    award_level = models.CharField("获奖级别", max_length=20, choices=Level.choices, blank=True)
    # Shown on the workroom's public page while it is also accepted (workrooms.showcase).
    is_public = models.BooleanField("在工作室主页公开", default=False)

    class Meta:
        db_table = "members_writing"
        verbose_name = verbose_name_plural = "教育写作"
        ordering = ["-written_on", "-id"]
        indexes = [
            models.Index(fields=["workroom", "written_on"]),
            models.Index(fields=["teacher", "written_on"]),
            models.Index(fields=["written_on", "id"]),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if not self.text.strip() and not self.file_id:
            errors["text"] = "请填写正文或上传文件。"
        if self.awarded and not self.award_level:
            errors["award_level"] = "已获奖的写作请选择获奖级别。"
        if not self.awarded and self.award_level:
            errors["awarded"] = "选择了获奖级别，请同时勾选「已获奖」。"
        if errors:
            raise ValidationError(errors)


class ResearchProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.records.access imports this module's models.
        from workrooms.records.access import projects_visible_to

        return projects_visible_to(user, self)


class ResearchProject(models.Model):
    """课题 with its stages 立项 → 开题 → 中期 → 结题 (DOMAIN.md §7). The
    status is the stage in progress; ``workrooms.records.workflow.RESEARCH_PROJECT``
    closes a stage only when its required documents are on file."""

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="research_projects", verbose_name="工作室"
    )
    title = models.CharField("课题名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    leader = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="led_projects", verbose_name="课题负责人")
    participants = models.ManyToManyField("members.Teacher", blank=True, related_name="research_projects", verbose_name="参与人")
    description = models.TextField("研究内容", blank=True)
    started_on = models.DateField("立项日期")
    status = models.CharField("阶段", max_length=20, choices=ResearchStatus.choices, default=ResearchStatus.APPROVAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ResearchProjectQuerySet.as_manager()

    class Meta:
        db_table = "members_researchproject"
        verbose_name = verbose_name_plural = "课题"
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.title


class ResearchStage(models.Model):
    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="stages", verbose_name="课题")
    stage = models.CharField("阶段", max_length=20, choices=ResearchStatus.choices)
    order = models.PositiveSmallIntegerField("顺序")
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="完成人"
    )

    class Meta:
        db_table = "members_researchstage"
        verbose_name = verbose_name_plural = "课题阶段"
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="researchstage_once")]

    def __str__(self):
        return f"{self.project}·{self.get_stage_display()}"


class StageDocument(models.Model):
    stage = models.ForeignKey(ResearchStage, on_delete=models.CASCADE, related_name="documents", verbose_name="阶段")
    kind = models.CharField("材料类型", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("材料名称", max_length=200)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="文件")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        db_table = "members_stagedocument"
        verbose_name = verbose_name_plural = "课题材料"
        ordering = ["stage", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class Achievement(models.Model):
    """成果 / 荣誉 (DOMAIN.md §7). Counts only once the office has verified it;
    a verified achievement is locked against its owner's edits."""

    class OwnerKind(models.TextChoices):
        SELF = "self", "本人"
        CLASS = "class", "所带班级"
        STUDENT = "student", "班级学生"

    class Kind(models.TextChoices):
        PAPER_PUBLISHED = "paper_published", "论文发表"
        PAPER_AWARD = "paper_award", "论文获奖"
        COMPETITION = "competition", "竞赛获奖"
        HONOUR = "honour", "荣誉称号"
        OPEN_CLASS = "open_class", "公开课/示范课"
        LECTURE = "lecture", "讲座"
        PROJECT_CONCLUDED = "project_concluded", "课题结题"

    class Status(models.TextChoices):
        PENDING = "pending", "待认定"
        VERIFIED = "verified", "已认定"
        REJECTED = "rejected", "未予认定"

    # Kinds that are awards, for the workroom's duty "awarded result at
    # district level or above" (DOMAIN.md §6).
    AWARD_KINDS = (Kind.PAPER_AWARD, Kind.COMPETITION, Kind.HONOUR)
    # Verified achievements belong to the workroom's archive: its members may read them.
    SHARED_STATUS = Status.VERIFIED

    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="achievements", verbose_name="成员")
    # Empty for a teacher's own achievement outside any workroom (DOMAIN.md §1).
    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, null=True, blank=True, related_name="achievements",
        verbose_name="工作室",
    )
    owner_kind = models.CharField("获得者", max_length=10, choices=OwnerKind.choices, default=OwnerKind.SELF)
    owner_name = models.CharField("班级/学生姓名", max_length=100, blank=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    achieved_on = models.DateField("获得日期")
    semester = models.CharField("学期", max_length=30, db_index=True)
    evidence = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="证明材料")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    verify_comment = models.TextField("认定意见", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="认定人"
    )
    verified_at = models.DateTimeField("认定时间", null=True, blank=True)
    # Shown on the workroom's public page while it is also verified (workrooms.showcase).
    is_public = models.BooleanField("在工作室主页公开", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        db_table = "members_achievement"
        verbose_name = verbose_name_plural = "成果荣誉"
        ordering = ["-achieved_on", "-id"]
        indexes = [
            models.Index(fields=["workroom", "achieved_on"]),
            models.Index(fields=["teacher", "achieved_on"]),
            models.Index(fields=["achieved_on", "id"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def owner_display(self) -> str:
        if self.owner_kind == self.OwnerKind.SELF:
            return self.teacher.name
        return f"{self.get_owner_kind_display()}：{self.owner_name}"

    def clean(self):
        if self.owner_kind != self.OwnerKind.SELF and not self.owner_name.strip():
            raise ValidationError({"owner_name": "获得者为班级或学生时，请填写班级名称或学生姓名。"})
