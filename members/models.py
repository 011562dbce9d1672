"""People: schools, departments, teacher profiles (DOMAIN.md §1, §2) and
workroom memberships with the two-way selection (§5)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.calendar import Holiday, YearCalendar, school_today
from members.choices import DepartmentKind, Gender, Level, SchoolStage, Title


def full_years_between(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (birthday-style)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


class School(models.Model):
    name = models.CharField("学校名称", max_length=100, unique=True)
    code = models.CharField("学校代码", max_length=30, blank=True)
    stage = models.CharField(
        "学段", max_length=20, choices=SchoolStage.choices, default=SchoolStage.SECONDARY,
        help_text="主持人职称条件可按学段设置（学校设置）。",
    )

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolCalendar(models.Model):
    """校历: one school year of one school (DOMAIN.md §11). Read through
    ``core.calendar``; a year without one uses the defaults there."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="calendars", verbose_name="学校")
    start_year = models.PositiveSmallIntegerField("学年", help_text="学年起始年份，如 2026 表示 2026-2027学年")
    term1_start = models.DateField("第一学期开始")
    term1_end = models.DateField("第一学期结束")
    term2_start = models.DateField("第二学期开始")
    term2_end = models.DateField("第二学期结束")
    counted_months = models.JSONField("计入月考核与津贴的月份", default=list)
    holidays = models.JSONField("节假日", default=list, blank=True)  # [[start, end, name], ...] as ISO dates
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="修改人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "校历"
        ordering = ["school", "-start_year"]
        constraints = [models.UniqueConstraint(fields=["school", "start_year"], name="schoolcalendar_once_per_year")]

    def __str__(self):
        return f"{self.school} {self.as_calendar().label}校历"

    def as_calendar(self) -> YearCalendar:
        return YearCalendar(
            self.start_year,
            (self.term1_start, self.term1_end),
            (self.term2_start, self.term2_end),
            tuple(int(m) for m in self.counted_months),
            tuple(Holiday(date.fromisoformat(a), date.fromisoformat(b), name) for a, b, name in self.holidays),
        )


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
        # Imported here: members.access imports this module's models.
        from members.access import teachers_visible_to

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
    # Set on accounts the roster import creates: the first password (set by
    # an administrator) must be changed before anything else.
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

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
        return self.age_on(school_today())

    @property
    def head_teacher_years(self):
        return self.head_teacher_years_on(school_today())


class ProfileItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: members.access imports this module's models.
        from members.access import profile_items_visible_to

        return profile_items_visible_to(user, self)

    def verified(self):
        return self.filter(status=ProfileItem.Status.VERIFIED)


class ProfileItem(models.Model):
    """Honours, awarded classes, research, publications and competition
    results on a teacher's record (the 优先 criteria of DOMAIN.md §4). The
    teacher enters them with evidence; they count only once the office has
    verified them, and a verified item is locked against its owner's edits."""

    class Kind(models.TextChoices):
        HONOUR = "honour", "荣誉称号"
        CLASS_AWARD = "class_award", "先进班集体/优秀团支部"
        RESEARCH = "research", "主持/参与课题"
        PUBLICATION = "publication", "论文发表"
        COMPETITION = "competition", "竞赛获奖"

    class Status(models.TextChoices):
        PENDING = "pending", "待认定"
        VERIFIED = "verified", "已认定"
        REJECTED = "rejected", "未予认定"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="profile_items", verbose_name="教师")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年份")
    is_leader = models.BooleanField("本人主持", default=False, help_text="课题：是否为主持人")
    evidence = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="证明材料"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    verify_comment = models.TextField("认定意见", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="认定人"
    )
    verified_at = models.DateTimeField("认定时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ProfileItemQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "档案条目"
        ordering = ["-year", "kind", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}（{self.get_level_display()}，{self.year}）"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.VERIFIED


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


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: members.access imports this module's models.
        from members.access import roster_imports_visible_to

        return roster_imports_visible_to(user, self)


class RosterImport(models.Model):
    """导入教师名册: an uploaded roster kept between the preview and the
    confirmation. ``rows`` holds every parsed row with its cell errors; the
    teachers are written only when the office confirms. A large file is read
    in a background job first (``reading``, with ``rows_read`` of about
    ``rows_total``), ending ``pending`` or ``failed`` with its ``error``."""

    class Status(models.TextChoices):
        READING = "reading", "读取中"
        FAILED = "failed", "读取失败"
        PENDING = "pending", "待确认"
        IMPORTED = "imported", "已导入"

    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="名册文件")
    rows = models.JSONField("解析结果", default=list, blank=True)
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
    rows_read = models.PositiveIntegerField("已读取行数", default=0)
    rows_total = models.PositiveIntegerField("预计行数", default=0)
    error = models.TextField("读取失败原因", blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "名册导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"名册导入 {self.file.original_name}"

    @property
    def percent(self) -> int:
        if self.status != self.Status.READING:
            return 100
        return min(99, self.rows_read * 100 // self.rows_total) if self.rows_total else 0

    @property
    def error_rows(self) -> list[dict]:
        return [r for r in self.rows if r["errors"]]

    @property
    def valid_rows(self) -> list[dict]:
        return [r for r in self.rows if not r["errors"]]


class PasswordCode(models.Model):
    """一次性设置密码码: what the office hands a teacher who has no e-mail
    (or is locked out), to set a new password once before ``expires_at``.
    Only a digest of the code is kept; the code itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_codes", verbose_name="账号"
    )
    digest = models.CharField("摘要", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发放人"
    )
    created_at = models.DateTimeField("发放时间")
    expires_at = models.DateTimeField("有效期至")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "一次性设置密码码"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
