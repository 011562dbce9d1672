"""Models of the assessment app (DOMAIN.md §9).

Inputs (monthly scores, veto cases, substitute covers, bonus awards, class
conditions, member scores, expert scores) are entered by people; results are
computed from them by ``assessment.services`` and stored with the rule-set
version and a digest of the inputs that produced them."""

import calendar
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Mod
from simple_history.models import HistoricalRecords

from assessment.rules.bonus import CATEGORIES
from assessment.rules.honours import period_label
from assessment.rules.member import DIMENSIONS
from core.calendar import year_calendar
from members.choices import Level
from workrooms.models import NoticeObjection

SCORE = [MinValueValidator(0), MaxValueValidator(100)]
RATE = [MinValueValidator(0), MaxValueValidator(1)]
SEMESTER_LABELS = {1: "第一学期", 2: "第二学期"}


class PeriodQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: assessment.access imports this module's models.
        from assessment.access import periods_visible_to

        return periods_visible_to(user, self)


class Period(models.Model):
    """考核周期: a month, a semester or a school year of one school. Its
    results are published (公示), then frozen; see ``ASSESSMENT_PERIOD`` in
    ``workrooms.workflow``."""

    class Kind(models.TextChoices):
        MONTH = "month", "月考核"
        SEMESTER = "semester", "学期考核"
        YEAR = "year", "学年考核"

    class Status(models.TextChoices):
        OPEN = "open", "录入中"
        PUBLICIZED = "publicized", "公示中"
        FROZEN = "frozen", "已定稿"

    school = models.ForeignKey("members.School", on_delete=models.PROTECT, related_name="+", verbose_name="学校")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    school_year = models.PositiveSmallIntegerField("学年", help_text="学年起始年份，如 2025 表示 2025–2026 学年")
    semester = models.PositiveSmallIntegerField("学期", null=True, blank=True, choices=SEMESTER_LABELS.items())
    month = models.PositiveSmallIntegerField(
        "月份", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    ruleset = models.ForeignKey(
        "workrooms.RuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="计算所用学校设置"
    )
    inputs_digest = models.CharField("输入数据摘要", max_length=64, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    notice_ends_on = models.DateField("公示截止", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核周期"
        # Newest first by calendar: school year, semester, then the month's place in
        # the school year (September first, January after December).
        ordering = ["-school_year", "-semester", "kind", Mod(models.F("month") + 3, 12).desc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "school_year", "semester", "month"],
                name="period_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        text = f"{self.school_year}–{self.school_year + 1}学年"
        if self.semester:
            text += SEMESTER_LABELS[self.semester]
        if self.month:
            text += f" {self.calendar_year}年{self.month}月"
        return f"{text} {self.get_kind_display()}"

    @property
    def calendar_year(self) -> int | None:
        if not self.month:
            return None
        return year_calendar(self.school_year, self.school_id).month_year(self.month)

    @property
    def days_in_month(self) -> int:
        return calendar.monthrange(self.calendar_year, self.month)[1]

    @property
    def check_weeks(self) -> list[tuple]:
        """The school weeks of this month (Monday, Sunday), see ``YearCalendar.check_weeks``."""
        return year_calendar(self.school_year, self.school_id).check_weeks(self.month) if self.month else []

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_published(self) -> bool:
        return self.status in (self.Status.PUBLICIZED, self.Status.FROZEN)


class MonthlyScore(models.Model):
    """月考核成绩 of one head teacher (§9.1): the grade department's half is
    entered by a reviewer of the teacher's 年级部, the office's half by the
    office."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="scores", verbose_name="月份")
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="monthly_scores", verbose_name="班主任")
    department = models.ForeignKey(
        "members.Department", on_delete=models.PROTECT, related_name="+", verbose_name="年级部"
    )
    dept_score = models.DecimalField("年级部检查", max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE)
    office_score = models.DecimalField("德育处抽查", max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE)
    dept_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="年级部录入人"
    )
    office_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="德育处录入人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "月考核成绩"
        constraints = [models.UniqueConstraint(fields=["period", "teacher"], name="monthlyscore_once")]


class WeeklyCheck(models.Model):
    """年级部检查 of one head teacher for one school week (§9.1: the grade
    department checks daily and reports every Friday). The month's 年级部检查
    (``MonthlyScore.dept_score``) is the sum of its weeks."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="weekly_checks", verbose_name="月份")
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="+", verbose_name="班主任")
    department = models.ForeignKey("members.Department", on_delete=models.PROTECT, related_name="+", verbose_name="年级部")
    week_start = models.DateField("周一")
    score = models.DecimalField("周检查得分", max_digits=4, decimal_places=1, validators=SCORE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="录入人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年级部周检查"
        constraints = [models.UniqueConstraint(fields=["period", "teacher", "week_start"], name="weeklycheck_once")]


class VetoCase(models.Model):
    """一票否决情形 (§9.1 cases 1–4; §9.2 list). A confirmed case makes its
    month 不合格 and removes the annual award of the alternative scheme."""

    class Kind(models.IntegerChoices):
        COMPLAINT = 1, "家长投诉班级管理混乱或师德失范，经查属实"
        SAFETY = 2, "发生重大安全事故，班主任负主要责任"
        DISCIPLINE = 3, "班级学生发生严重违纪"
        COUNCIL = 4, "校务会认定的其他情形"
        NEGLECT = 5, "不深入班级、不关心学生，学生家长意见较大"
        INCIDENT = 6, "因失职渎职造成较大事故或违纪处理不力"
        SPIRIT = 7, "工作不负责导致班风差或不服从学校安排"
        PUNISHMENT = 8, "体罚或变相体罚学生"

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="vetoes", verbose_name="月份", limit_choices_to={"kind": "month"}
    )
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="veto_cases", verbose_name="班主任")
    kind = models.PositiveSmallIntegerField("情形", choices=Kind.choices)
    description = models.TextField("情况说明")
    evidence = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="证明材料"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="认定人"
    )
    confirmed_at = models.DateTimeField("认定时间", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "一票否决情形"
        ordering = ["-recorded_at"]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SubstituteCover(models.Model):
    """代班: a substitute covering days of a month for a head teacher; the
    allowance for those days goes to the substitute (§9.1)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="covers", verbose_name="月份")
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="+", verbose_name="班主任")
    substitute = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="covers", verbose_name="代班主任")
    days = models.PositiveSmallIntegerField("代班天数", validators=[MinValueValidator(1), MaxValueValidator(31)])

    class Meta:
        verbose_name = verbose_name_plural = "代班记录"


class BonusAward(models.Model):
    """加分项 (§9.3): one award of a class or its head teacher."""

    CATEGORY_CHOICES = [(code, label) for code, label, _ in CATEGORIES]

    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="bonus_awards", verbose_name="班主任")
    school_year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期", choices=SEMESTER_LABELS.items())
    category = models.CharField("类别", max_length=30, choices=CATEGORY_CHOICES)
    event = models.CharField("赛事/评选/刊物", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    description = models.CharField("获奖情况", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "加分项"
        ordering = ["-recorded_at"]


class ClassConditions(models.Model):
    """Conditions of the class titles (§9.3) and the annual test score (§9.2)
    of one head teacher's class in a semester."""

    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="+", verbose_name="班主任")
    school_year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期", choices=SEMESTER_LABELS.items())
    student_commended = models.BooleanField("学生受县级及以上表彰", default=False)
    urgent_tasks = models.BooleanField("完成学校交办的急、难任务", default=False)
    student_prizes = models.BooleanField("学生获等级奖", default=False)
    class_team_prize = models.BooleanField("班级获团体奖", default=False)
    core_pass_rate = models.DecimalField("语数外最低及格率", max_digits=4, decimal_places=3, null=True, blank=True, validators=RATE)
    core_excellence_rate = models.DecimalField(
        "语数外最低优秀率", max_digits=4, decimal_places=3, null=True, blank=True, validators=RATE
    )
    other_pass_rate = models.DecimalField("其他学科最低及格率", max_digits=4, decimal_places=3, null=True, blank=True, validators=RATE)
    test_score = models.DecimalField("班级统测学科成绩得分", max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = verbose_name_plural = "班队评比条件"
        constraints = [models.UniqueConstraint(fields=["teacher", "school_year", "semester"], name="classconditions_once")]

    CONDITION_FIELDS = ("student_commended", "urgent_tasks", "student_prizes", "class_team_prize")

    @property
    def conditions_met(self) -> int:
        return sum(getattr(self, name) for name in self.CONDITION_FIELDS)


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: assessment.access imports this module's models.
        from assessment.access import results_visible_to

        return results_visible_to(user, self)


class Result(models.Model):
    """A computed result of one teacher in one period, with the rule-set
    version, the inputs it was computed from and each figure explained."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results", verbose_name="考核周期")
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="assessment_results", verbose_name="教师")
    department = models.ForeignKey(
        "members.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="年级部"
    )
    ruleset = models.ForeignKey("workrooms.RuleSet", on_delete=models.PROTECT, related_name="+", verbose_name="学校设置")
    score = models.DecimalField("得分", max_digits=7, decimal_places=1, null=True, blank=True)
    outcome = models.CharField("结果", max_length=20, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    amount = models.DecimalField("津贴/奖金（元）", max_digits=10, decimal_places=2, default=0)
    inputs = models.JSONField("输入数据", default=dict)
    lines = models.JSONField("计算过程", default=list)  # [[label, value, formula], ...]
    # The figures behind the explanation, by name (``dept``, ``office``,
    # ``monthly_total``, ``bonus``), stored as exact decimals.
    figures = models.JSONField("数据项", default=dict, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)

    # Each recomputation updates the rows in place, so that the published
    # lists of two rounds of 公示 can be compared person by person (§12).
    history = HistoricalRecords(excluded_fields=["computed_at", "inputs", "lines", "figures"])
    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核结果"
        ordering = ["rank", "teacher__staff_no"]
        constraints = [models.UniqueConstraint(fields=["period", "teacher"], name="result_once")]

    NO_OWN_PAYMENT = "按学期发放"

    @property
    def pays_own_amount(self) -> bool:
        """Whether this result carries a payment of its own. A month of the
        default scheme does not: the allowance is paid per semester (§9.1,
        §9.4a), so its 0.00 would read as "no allowance"."""
        return not (self.period.kind == Period.Kind.MONTH and self.ruleset.assessment_scheme == "default")

    @property
    def amount_shown(self) -> Decimal | None:
        """The money figure for pages, spreadsheets and notices; None where
        the result carries no payment of its own."""
        return self.amount if self.pays_own_amount else None

    def figure(self, name: str) -> Decimal | None:
        """A named figure as a number; None where the rule produced none."""
        value = self.figures.get(name)
        return None if value is None else Decimal(value)


class PeriodObjection(NoticeObjection):
    """公示期异议 on a period's results; the office answers each one."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="objections", verbose_name="考核周期")

    class Meta(NoticeObjection.Meta):
        verbose_name = verbose_name_plural = "考核异议"


class PublicationObjection(NoticeObjection):
    """公示期异议 on a published list other than a period's (member grades,
    annual member grades, workroom evaluations; ``assessment.notices``)."""

    publication = models.ForeignKey(
        "core.Publication", on_delete=models.CASCADE, related_name="objections", verbose_name="公示"
    )

    class Meta(NoticeObjection.Meta):
        verbose_name = verbose_name_plural = "公示异议（成员考核与工作室评估）"


# --- §9.4 member assessment --------------------------------------------------------


class MemberAssessment(models.Model):
    """成员考核: the host scores five dimensions per member and semester."""

    membership = models.ForeignKey("workrooms.Membership", on_delete=models.PROTECT, related_name="assessments", verbose_name="成员")
    school_year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期", choices=SEMESTER_LABELS.items())
    ethics = models.DecimalField(DIMENSIONS[0][1], max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(20)])
    attitude = models.DecimalField(DIMENSIONS[1][1], max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(20)])
    theory = models.DecimalField(DIMENSIONS[2][1], max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(20)])
    management = models.DecimalField(DIMENSIONS[3][1], max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(20)])
    research = models.DecimalField(DIMENSIONS[4][1], max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(20)])
    comment = models.TextField("评语", blank=True)
    total = models.DecimalField("总分", max_digits=4, decimal_places=1)
    grade = models.CharField("等级", max_length=10)
    attendance_forced = models.BooleanField("因缺席超限定为不合格", default=False)
    honour_certificate = models.BooleanField("颁发荣誉证书", default=False)
    adjust_out = models.BooleanField("建议调整出工作室", default=False)
    ruleset = models.ForeignKey("workrooms.RuleSet", on_delete=models.PROTECT, related_name="+", verbose_name="学校设置")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="考核人")
    assessed_at = models.DateTimeField("考核时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["assessed_at"])

    class Meta:
        verbose_name = verbose_name_plural = "成员考核"
        ordering = ["membership__teacher__staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "school_year", "semester"], name="memberassessment_once")
        ]

    def dimension_scores(self) -> tuple:
        return tuple(getattr(self, code) for code, _ in DIMENSIONS)


class AnnualMemberAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: assessment.access imports this module's models.
        from assessment.access import annual_member_assessments_visible_to

        return annual_member_assessments_visible_to(user, self)


class AnnualMemberAssessment(models.Model):
    """成员年度考核 (DOMAIN.md §9.4, §11): per member and school year, computed
    from both semester assessments and the year's record (attendance over
    the year, the §6 duties), confirmed by the host with a comment, then
    published; the member sees it once published. A 不合格 published puts
    the member on the office's 调整 list (``adjustment``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待公布"
        PUBLISHED = "published", "已公布"

    membership = models.ForeignKey(
        "workrooms.Membership", on_delete=models.PROTECT, related_name="annual_assessments", verbose_name="成员"
    )
    school_year = models.PositiveSmallIntegerField("学年")
    first_total = models.DecimalField("第一学期总分", max_digits=4, decimal_places=1, null=True, blank=True)
    first_grade = models.CharField("第一学期等级", max_length=10, blank=True)
    second_total = models.DecimalField("第二学期总分", max_digits=4, decimal_places=1, null=True, blank=True)
    second_grade = models.CharField("第二学期等级", max_length=10, blank=True)
    activities_held = models.PositiveIntegerField("全年活动（次）", default=0)
    activities_attended = models.PositiveIntegerField("全年出勤（含请假，次）", default=0)
    duties_total = models.PositiveSmallIntegerField("职责（项）", default=0)
    duties_met = models.PositiveSmallIntegerField("已完成职责（项）", default=0)
    total = models.DecimalField("年度总分", max_digits=4, decimal_places=1)
    grade = models.CharField("年度等级", max_length=10)
    attendance_forced = models.BooleanField("因缺席超限定为不合格", default=False)
    reasons = models.JSONField("等级说明", default=list, blank=True)
    comment = models.TextField("主持人评语")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    ruleset = models.ForeignKey("workrooms.RuleSet", on_delete=models.PROTECT, related_name="+", verbose_name="学校设置")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="考核人"
    )
    assessed_at = models.DateTimeField("确认时间", auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="公布人"
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    adjustment = models.ForeignKey(
        "workrooms.MembershipChange", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="调整申请",
    )

    history = HistoricalRecords(excluded_fields=["assessed_at"])
    objects = AnnualMemberAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "成员年度考核"
        ordering = ["-school_year", "membership__workroom__name", "membership__teacher__staff_no", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "school_year"], name="annualmemberassessment_once")
        ]

    def __str__(self):
        return f"{self.year_label}成员年度考核 {self.membership.teacher}"

    @property
    def year_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}学年"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


# --- §9.5 workroom evaluation -------------------------------------------------------


class Evaluation(models.Model):
    """工作室评估 (mid-term or final) by an expert panel."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", "中期评估"
        FINAL = "final", "终期评估"

    class Status(models.TextChoices):
        SCORING = "scoring", "专家评分中"
        CONCLUDED = "concluded", "已出结果"

    workroom = models.ForeignKey("workrooms.Workroom", on_delete=models.PROTECT, related_name="evaluations", verbose_name="工作室")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SCORING)
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="workroom_evaluations", verbose_name="评估专家")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发起人")
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    ruleset = models.ForeignKey("workrooms.RuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="学校设置")
    total = models.DecimalField("总分", max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等级", max_length=10, blank=True)
    item_means = models.JSONField("各指标平均分", default=dict, blank=True)
    concluded_at = models.DateTimeField("出结果时间", null=True, blank=True)
    # A final 优秀 lets the workroom extend its cycle once (§9.5, workrooms.workflow "extend").
    cycle_extended_at = models.DateTimeField("据此延长建设周期时间", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "工作室评估"
        ordering = ["-opened_at"]


class EvaluationScore(models.Model):
    """One expert's score of one third-level rubric item."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    item = models.CharField("指标", max_length=10)
    score = models.DecimalField("得分", max_digits=4, decimal_places=1, validators=SCORE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "专家评分"
        constraints = [models.UniqueConstraint(fields=["evaluation", "expert", "item"], name="evaluationscore_once")]


class EvaluationReport(models.Model):
    """自评报告: the host's report for an evaluation (DOMAIN.md §9.5: the
    panel "hears the host's report"). Replacing it adds a row, so every
    version stays with who uploaded it and when; the newest is the report."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reports", verbose_name="评估")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="文件")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "自评报告"
        ordering = ["-uploaded_at", "-pk"]


class Distinction(models.Model):
    """A title earned from an evaluation: 名班主任 for the host, 骨干班主任
    (with a 培训合格证书) for a qualified member (§9.5)."""

    class Kind(models.TextChoices):
        MASTER = "master", "名班主任"
        BACKBONE = "backbone", "骨干班主任"

    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="distinctions", verbose_name="教师")
    kind = models.CharField("称号", max_length=20, choices=Kind.choices)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="distinctions", verbose_name="评估")
    awarded_at = models.DateTimeField("授予时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.TextField("撤销原因", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "称号"
        constraints = [models.UniqueConstraint(fields=["teacher", "kind", "evaluation"], name="distinction_once")]

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


# --- honours: 优秀工作室成员, 优秀班级/窗口班级, 荣誉一票否决 ----------------------------


class OutstandingMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: assessment.access imports this module's models.
        from assessment.access import outstanding_visible_to

        return outstanding_visible_to(user, self)


class OutstandingMember(models.Model):
    """优秀工作室成员 (§9.4): each semester the host may name one member of
    the workroom among those graded 优秀 in that semester's member
    assessment. The constraint keeps one per workroom and semester."""

    assessment = models.OneToOneField(
        MemberAssessment, on_delete=models.PROTECT, related_name="outstanding", verbose_name="成员考核"
    )
    workroom = models.ForeignKey("workrooms.Workroom", on_delete=models.PROTECT, related_name="+", verbose_name="工作室")
    teacher = models.ForeignKey(
        "members.Teacher", on_delete=models.PROTECT, related_name="outstanding_titles", verbose_name="成员"
    )
    school_year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期", choices=SEMESTER_LABELS.items())
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="评选人"
    )
    named_at = models.DateTimeField("评选时间", auto_now_add=True)

    objects = OutstandingMemberQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "优秀工作室成员"
        ordering = ["-school_year", "-semester", "workroom__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workroom", "school_year", "semester"], name="outstandingmember_one_per_semester")
        ]

    def __str__(self):
        return f"{self.semester_label}优秀工作室成员 {self.teacher}"

    @property
    def semester_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}学年{SEMESTER_LABELS[self.semester]}"


class ClassTitleQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: assessment.access imports this module's models.
        from assessment.access import class_titles_visible_to

        return class_titles_visible_to(user, self)


class ClassTitle(models.Model):
    """优秀班级 (weekly) and 窗口班级 (monthly) of a grade department (§9.1).
    A class is its head teacher's class (``Teacher.class_name``) as the
    monthly assessment reads it; the limits per department are school
    settings, and the version that applied is kept with each title."""

    class Kind(models.TextChoices):
        EXCELLENT = "excellent", "优秀班级"
        WINDOW = "window", "窗口班级"

    kind = models.CharField("称号", max_length=20, choices=Kind.choices)
    department = models.ForeignKey("members.Department", on_delete=models.PROTECT, related_name="+", verbose_name="年级部")
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="class_titles", verbose_name="班主任")
    class_name = models.CharField("班级", max_length=50)
    starts_on = models.DateField("周/月起始日", help_text="优秀班级为该周星期一，窗口班级为该月 1 日")
    ruleset = models.ForeignKey("workrooms.RuleSet", on_delete=models.PROTECT, related_name="+", verbose_name="学校设置")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="评选人"
    )
    named_at = models.DateTimeField("评选时间", auto_now_add=True)

    objects = ClassTitleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "优秀班级与窗口班级"
        ordering = ["-starts_on", "kind", "department__name", "class_name", "pk"]
        indexes = [models.Index(fields=["department", "kind", "starts_on"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "teacher", "starts_on"], name="classtitle_once_per_period")
        ]

    def __str__(self):
        return f"{self.period_label}{self.get_kind_display()} {self.class_name}"

    @property
    def period_label(self) -> str:
        return period_label(self.kind, self.starts_on)


class HostVeto(models.Model):
    """荣誉一票否决 recorded by the office on a final evaluation (§9.5): the
    host did not meet the targets or did things only for show, and is
    vetoed from all honours. A confirmed 师德 violation
    (``members.EthicsRecord``) vetoes the same way (§3, §4)."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="host_veto", verbose_name="终期评估"
    )
    teacher = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="host_vetoes", verbose_name="主持人")
    reason = models.TextField("情况说明")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    TEXT = "终期评估认定未完成目标任务或搞形式主义"

    class Meta:
        verbose_name = verbose_name_plural = "主持人荣誉一票否决"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.teacher}：{self.TEXT}"


class Rollover(models.Model):
    """学年切换: the office started a school year (DOMAIN.md §11). Once per
    school and year; what it changed is kept as it was proposed and confirmed."""

    school = models.ForeignKey("members.School", on_delete=models.PROTECT, related_name="+", verbose_name="学校")
    start_year = models.PositiveSmallIntegerField("学年")
    ruleset = models.ForeignKey(
        "workrooms.RuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="沿用的学校设置"
    )
    changes = models.JSONField("班主任与班级变动", default=list)  # [{teacher, name, action, from, to}, ...]
    periods_opened = models.PositiveSmallIntegerField("新开考核周期数", default=0)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    done_at = models.DateTimeField("操作时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "学年切换"
        ordering = ["-start_year", "school"]
        constraints = [models.UniqueConstraint(fields=["school", "start_year"], name="rollover_once_per_year")]

    def __str__(self):
        return f"{self.school} {self.start_year}-{self.start_year + 1}学年"
