"""Plans (DOMAIN.md §3, §5): the workroom's plans on record and each
member's development plan and semester plans and summaries."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.sanitize import RichTextField

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
        "workrooms.Membership", on_delete=models.CASCADE, related_name="development_plan", verbose_name="成员"
    )
    start_year = models.PositiveSmallIntegerField("起始年度", validators=YEAR_VALIDATORS)
    overview = RichTextField("自我分析与总体目标")
    goals_year1 = RichTextField("第一年目标")
    goals_year2 = RichTextField("第二年目标")
    goals_year3 = RichTextField("第三年目标")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        db_table = "members_developmentplan"
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

    membership = models.ForeignKey("workrooms.Membership", on_delete=models.CASCADE, related_name="semester_records", verbose_name="成员")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    school_year = models.PositiveSmallIntegerField("学年（起始年）", validators=YEAR_VALIDATORS, help_text="如 2025 表示 2025—2026 学年")
    term = models.PositiveSmallIntegerField("学期", choices=Term.choices)
    body = RichTextField("内容")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        db_table = "members_semesterrecord"
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


class WorkroomPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.plans.services imports this module's models.
        from workrooms.plans.services import plans_visible_to

        return plans_visible_to(user, self)


class WorkroomPlan(models.Model):
    """建设方案 / 年度实施方案 / 培训课程计划 of one workroom for one year
    (DOMAIN.md §3). Each submission is a ``PlanVersion``; the office files
    (备案) or returns it through ``workrooms.plans.workflow.PLAN``."""

    class Kind(models.TextChoices):
        CONSTRUCTION = "construction", "建设方案"
        ANNUAL = "annual", "年度实施方案"
        TRAINING = "training", "培训课程计划"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待备案"
        FILED = "filed", "已备案"
        RETURNED = "returned", "已退回"

    workroom = models.ForeignKey("workrooms.Workroom", on_delete=models.CASCADE, related_name="plans", verbose_name="工作室")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    is_public = models.BooleanField("在工作室主页公开", default=False)
    version_count = models.PositiveSmallIntegerField("版本数", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = WorkroomPlanQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工作室计划"
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["workroom", "kind", "year"], name="workroomplan_one_per_year")]

    def __str__(self):
        return f"{self.workroom} {self.year}年{self.get_kind_display()}"


class PlanVersion(models.Model):
    """One submission of a plan; earlier versions are kept unchanged."""

    plan = models.ForeignKey(WorkroomPlan, on_delete=models.CASCADE, related_name="versions", verbose_name="计划")
    number = models.PositiveSmallIntegerField("版本号")
    body = RichTextField("正文", blank=True)
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="附件"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="提交人"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "计划版本"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self):
        return f"{self.plan} 第{self.number}版"
