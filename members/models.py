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
