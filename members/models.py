"""People: schools, departments, teacher profiles (DOMAIN.md §1, §2) and
workroom memberships with the two-way selection (§5)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import DepartmentKind, Gender, Level, Title


def full_years_between(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (birthday-style)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


class School(models.Model):
    name = models.CharField("学校名称", max_length=100, unique=True)
    code = models.CharField("学校代码", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="departments", verbose_name="学校")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.DEPARTMENT)
    grade = models.PositiveSmallIntegerField("年级", null=True, blank=True, help_text="年级部对应的年级（1–12）")
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviewed_departments", verbose_name="系部审核人"
    )

    class Meta:
        verbose_name = verbose_name_plural = "系部/年级部"
        ordering = ["school__name", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name


class TeacherQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .access import teachers_visible_to

        return teachers_visible_to(user, self)


class Teacher(models.Model):
    """教师档案: the profile the eligibility rules read (DOMAIN.md §2)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher", verbose_name="账号"
    )
    name = models.CharField("姓名", max_length=50, db_index=True)
    staff_no = models.CharField("工号", max_length=30, unique=True)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="teachers", verbose_name="学校")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="teachers", verbose_name="系部/年级部"
    )
    title = models.CharField("职称", max_length=20, choices=Title.choices, default=Title.NONE)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    is_head_teacher = models.BooleanField("在岗班主任", default=False)
    head_teacher_since = models.DateField("担任班主任起始日期", null=True, blank=True)
    class_name = models.CharField("所带班级", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)

    objects = TeacherQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "教师"
        ordering = ["staff_no"]

    def __str__(self):
        return self.name

    def age_on(self, day: date) -> int | None:
        return full_years_between(self.birth_date, day) if self.birth_date else None

    def head_teacher_years_on(self, day: date) -> int:
        return full_years_between(self.head_teacher_since, day) if self.head_teacher_since else 0

    @property
    def age(self):
        return self.age_on(timezone.localdate())

    @property
    def head_teacher_years(self):
        return self.head_teacher_years_on(timezone.localdate())


class ProfileItem(models.Model):
    """Honours, awarded classes, research, publications and competition
    results on a teacher's record (the 优先 criteria of DOMAIN.md §4)."""

    class Kind(models.TextChoices):
        HONOUR = "honour", "荣誉称号"
        CLASS_AWARD = "class_award", "先进班集体/优秀团支部"
        RESEARCH = "research", "主持/参与课题"
        PUBLICATION = "publication", "论文发表"
        COMPETITION = "competition", "竞赛获奖"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="profile_items", verbose_name="教师")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年份")
    is_leader = models.BooleanField("本人主持", default=False, help_text="课题：是否为主持人")

    class Meta:
        verbose_name = verbose_name_plural = "档案条目"
        ordering = ["-year", "kind"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}（{self.get_level_display()}，{self.year}）"


class EthicsRecord(models.Model):
    """师德记录. A confirmed violation vetoes hosting (DOMAIN.md §4, 一票否决)."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="ethics_records", verbose_name="教师")
    occurred_on = models.DateField("发生日期")
    description = models.TextField("情况说明")
    confirmed = models.BooleanField("已查实", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="认定人"
    )
    confirmed_at = models.DateTimeField("认定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "师德记录"
        ordering = ["-occurred_on"]


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=Membership.CURRENT_STATUSES)

    def visible_to(self, user):
        from .access import memberships_visible_to

        return memberships_visible_to(user, self)


class Membership(models.Model):
    """A teacher's place in a workroom, as host (主持人) or member (成员).

    A member accepted by the host holds a place (``pending_agreement``) until
    both have signed the agreement (协议); then the membership is active."""

    class Role(models.TextChoices):
        HOST = "host", "主持人"
        MEMBER = "member", "成员"

    class Status(models.TextChoices):
        PENDING_AGREEMENT = "pending_agreement", "待签协议"
        ACTIVE = "active", "在册"
        WITHDRAWN = "withdrawn", "已退出"
        REMOVED = "removed", "已调整出"
        COMPLETED = "completed", "已结业"

    CURRENT_STATUSES = (Status.PENDING_AGREEMENT, Status.ACTIVE)

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="memberships", verbose_name="工作室"
    )
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="memberships", verbose_name="教师")
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
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="join_requests", verbose_name="申请人")
    message = models.TextField("申请理由", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="处理人"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_comment = models.TextField("答复意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "加入申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workroom", "teacher"], condition=Q(status="pending"), name="joinrequest_one_pending"
            )
        ]


class MembershipChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .access import membership_changes_visible_to

        return membership_changes_visible_to(user, self)


class MembershipChange(models.Model):
    """退出/调整 (DOMAIN.md §5): a member applies to withdraw, the host forwards,
    the office approves; or the host asks to remove a member and the office
    approves. States and transitions: ``workrooms.workflow.MEMBERSHIP_CHANGE``."""

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


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .access import roster_imports_visible_to

        return roster_imports_visible_to(user, self)


class RosterImport(models.Model):
    """导入教师名册: an uploaded roster kept between the preview and the
    confirmation. ``rows`` holds every parsed row with its cell errors; the
    teachers are written only when the office confirms."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        IMPORTED = "imported", "已导入"

    file = models.ForeignKey("archives.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="名册文件")
    rows = models.JSONField("解析结果", default=list)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="导入人"
    )
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    only_valid = models.BooleanField("仅导入正确的行", default=False)
    result = models.JSONField("导入结果", default=dict, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "名册导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"名册导入 {self.file.original_name}"

    @property
    def error_rows(self) -> list[dict]:
        return [r for r in self.rows if r["errors"]]

    @property
    def valid_rows(self) -> list[dict]:
        return [r for r in self.rows if not r["errors"]]


# --- Records: reading, writings, research projects, achievements (DOMAIN.md §7) ---

from .record_rules import DocumentKind, ResearchStatus  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .record_access import records_visible_to

        return records_visible_to(user, self)


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审阅"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


class ReviewedRecord(models.Model):
    """A member's record that the host comments on and accepts (or returns).
    Status changes go through ``workrooms.workflow.RECORD_REVIEW``; an
    accepted record is locked against edits by its owner."""

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name="成员")
    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="%(class)ss", verbose_name="工作室"
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
        "archives.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="文件"
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
        from .record_access import projects_visible_to

        return projects_visible_to(user, self)


class ResearchProject(models.Model):
    """课题 with its stages 立项 → 开题 → 中期 → 结题 (DOMAIN.md §7). The
    status is the stage in progress; ``workrooms.workflow.RESEARCH_PROJECT``
    closes a stage only when its required documents are on file."""

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="research_projects", verbose_name="工作室"
    )
    title = models.CharField("课题名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    leader = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="led_projects", verbose_name="课题负责人")
    participants = models.ManyToManyField(Teacher, blank=True, related_name="research_projects", verbose_name="参与人")
    description = models.TextField("研究内容", blank=True)
    started_on = models.DateField("立项日期")
    status = models.CharField("阶段", max_length=20, choices=ResearchStatus.choices, default=ResearchStatus.APPROVAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ResearchProjectQuerySet.as_manager()

    class Meta:
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
        verbose_name = verbose_name_plural = "课题阶段"
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="researchstage_once")]

    def __str__(self):
        return f"{self.project}·{self.get_stage_display()}"


class StageDocument(models.Model):
    stage = models.ForeignKey(ResearchStage, on_delete=models.CASCADE, related_name="documents", verbose_name="阶段")
    kind = models.CharField("材料类型", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("材料名称", max_length=200)
    file = models.ForeignKey("archives.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="文件")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
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

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="achievements", verbose_name="成员")
    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="achievements", verbose_name="工作室"
    )
    owner_kind = models.CharField("获得者", max_length=10, choices=OwnerKind.choices, default=OwnerKind.SELF)
    owner_name = models.CharField("班级/学生姓名", max_length=100, blank=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    achieved_on = models.DateField("获得日期")
    semester = models.CharField("学期", max_length=30, db_index=True)
    evidence = models.ForeignKey("archives.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="证明材料")
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


# --- Member plans, mentoring and notifications (DOMAIN.md §5) -------------

from django.core.validators import MaxValueValidator, MinValueValidator  # noqa: E402

from config.sanitize import RichTextField  # noqa: E402

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Term(models.IntegerChoices):
    FIRST = 1, "第一学期"
    SECOND = 2, "第二学期"


class HostComment(models.Model):
    """Fields shared by every record the host comments on."""

    host_comment = RichTextField("主持人点评", blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="点评人"
    )
    commented_at = models.DateTimeField("点评时间", null=True, blank=True)

    class Meta:
        abstract = True


class DevelopmentPlan(HostComment):
    """个人发展规划: a member's three-year plan with yearly goals (DOMAIN.md §5)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="development_plan", verbose_name="成员"
    )
    start_year = models.PositiveSmallIntegerField("起始年度", validators=YEAR_VALIDATORS)
    overview = RichTextField("自我分析与总体目标")
    goals_year1 = RichTextField("第一年目标")
    goals_year2 = RichTextField("第二年目标")
    goals_year3 = RichTextField("第三年目标")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人发展规划"
        ordering = ["-updated_at"]

    def __str__(self):
        return f"{self.membership.teacher}的个人发展规划"

    def yearly_goals(self):
        return [(self.start_year + i, g) for i, g in enumerate((self.goals_year1, self.goals_year2, self.goals_year3))]


class SemesterRecord(HostComment):
    """学期计划 (start of a semester) or 学期总结 (its end) of a member."""

    class Kind(models.TextChoices):
        PLAN = "plan", "学期计划"
        SUMMARY = "summary", "学期总结"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="semester_records", verbose_name="成员")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    school_year = models.PositiveSmallIntegerField("学年（起始年）", validators=YEAR_VALIDATORS, help_text="如 2025 表示 2025—2026 学年")
    term = models.PositiveSmallIntegerField("学期", choices=Term.choices)
    body = RichTextField("内容")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "学期计划与总结"
        ordering = ["-school_year", "-term", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind", "school_year", "term"], name="semesterrecord_once")
        ]

    def __str__(self):
        return f"{self.membership.teacher} {self.semester_label} {self.get_kind_display()}"

    @property
    def semester_label(self):
        return f"{self.school_year}—{self.school_year + 1}学年{self.get_term_display()}"


class MentorPair(models.Model):
    """导师制: a member mentors a trainee (学员) within a workroom (DOMAIN.md §5)."""

    workroom = models.ForeignKey("workrooms.Workroom", on_delete=models.CASCADE, related_name="mentor_pairs", verbose_name="工作室")
    mentor = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="mentee_pairs", verbose_name="导师")
    trainee = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name="学员")
    started_on = models.DateField("结对日期", default=timezone.localdate)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="结对人"
    )

    class Meta:
        verbose_name = verbose_name_plural = "师徒结对"
        ordering = ["-started_on", "-id"]
        constraints = [
            # A teacher is the trainee of one mentor at a time.
            models.UniqueConstraint(fields=["trainee"], condition=Q(ended_on__isnull=True), name="mentorpair_one_mentor"),
            models.CheckConstraint(condition=~Q(mentor=models.F("trainee")), name="mentorpair_not_self"),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.trainee}"

    @property
    def is_current(self):
        return self.ended_on is None


class GuidanceRecord(models.Model):
    """指导记录: guidance a mentor gave the trainee."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="guidance_records", verbose_name="结对")
    date = models.DateField("指导日期")
    content = RichTextField("指导内容")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "指导记录"
        ordering = ["-date", "-id"]


class MentorComment(models.Model):
    """导师学期评语 for the trainee, one per semester."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="comments", verbose_name="结对")
    school_year = models.PositiveSmallIntegerField("学年（起始年）", validators=YEAR_VALIDATORS)
    term = models.PositiveSmallIntegerField("学期", choices=Term.choices)
    body = RichTextField("评语")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "导师学期评语"
        ordering = ["-school_year", "-term"]
        constraints = [models.UniqueConstraint(fields=["pair", "school_year", "term"], name="mentorcomment_once")]

    @property
    def semester_label(self):
        return f"{self.school_year}—{self.school_year + 1}学年{Term(self.term).label}"


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
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_once")]


def _status_changed(sender, instance, created, **kwargs):
    if created:
        from .notifications import on_status_change

        on_status_change(instance)


models.signals.post_save.connect(
    _status_changed, sender="workrooms.StatusChange", weak=False, dispatch_uid="notify-status-change"
)
