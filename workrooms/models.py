"""Workrooms, the school settings that drive every rule, and the host
application (DOMAIN.md §3, §4)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.calendar import WEEKDAY_NAMES
from members.choices import TITLE_RANK, Level, Title

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class RuleSetQuerySet(models.QuerySet):
    def current(self) -> "RuleSet":
        """The rule set in force: the newest version (created on first use)."""
        ruleset = self.order_by("-version").first()
        return ruleset or self.create(version=1)


class NoticeScope(models.TextChoices):
    """Who sees a published list during 公示 (DOMAIN.md §12)."""

    DEPARTMENT = "department", "本部门教职工（系部/年级部）"
    SCHOOL = "school", "全校教职工"


class RuleSet(models.Model):
    """学校设置: every value DOMAIN.md marks as a school setting, versioned.

    A saved version is never edited: changing a setting creates the next
    version, and every computed result records the version that produced it,
    so earlier results stay reproducible."""

    class Scheme(models.TextChoices):
        DEFAULT = "default", "月考核方案（德育处抽查+年级部检查，各占50%）"
        ALTERNATIVE = "alternative", "学月岗位考核70%+学年综合考核30%"

    class MemberGrades(models.TextChoices):
        PASS = "pass", "优秀 / 合格 / 不合格"
        GOOD = "good", "优秀 / 良好 / 不合格"

    version = models.PositiveIntegerField("版本", unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="修改人"
    )
    change_note = models.CharField("修改说明", max_length=200, blank=True)

    # §3 workroom
    cycle_years = models.PositiveSmallIntegerField("建设周期（年）", default=3, validators=[MinValueValidator(1)])
    max_hosts = models.PositiveSmallIntegerField("每室主持人（领衔人）上限", default=1, validators=[MinValueValidator(1)])
    max_members = models.PositiveSmallIntegerField("每室成员上限", default=12, validators=[MinValueValidator(1)])
    own_school_max_share = models.DecimalField(
        "本校成员最高占比", max_digits=4, decimal_places=2, default=Decimal("0.20"), validators=PERCENT,
        help_text="以小数表示，0.20 即 20%",
    )
    max_active_memberships = models.PositiveSmallIntegerField(
        "每位教师可同时参加的工作室数", default=1, validators=[MinValueValidator(1)]
    )
    annual_funding = models.DecimalField("每年专项经费（元）", max_digits=10, decimal_places=2, default=Decimal("3000.00"))
    public_notice_days = models.PositiveSmallIntegerField("公示天数", default=5)
    public_notice_scope = models.CharField(
        "公示范围", max_length=20, choices=NoticeScope.choices, default=NoticeScope.DEPARTMENT,
        help_text="公示期内谁能看到公示名单：本部门（系部/年级部）的教职工，或全校教职工",
    )

    # §4 host eligibility
    host_require_current = models.BooleanField("主持人须为在岗班主任", default=True)
    host_min_years = models.PositiveSmallIntegerField("主持人最低班主任年限", default=6)
    host_min_title = models.CharField(
        "主持人最低职称（中学）", max_length=20, choices=Title.choices, default=Title.INTERMEDIATE,
        help_text="学段为“中学”的学校（初中、高中、中职）的教师适用。",
    )
    host_min_title_primary = models.CharField(
        "主持人最低职称（小学）", max_length=20, choices=Title.choices, default=Title.INTERMEDIATE,
        help_text="学段为“小学”的学校的教师适用；不能高于中学的要求。",
    )
    host_future_years = models.PositiveSmallIntegerField("任职后继续担任班主任年限（承诺）", default=3)

    # §5 members
    member_require_current = models.BooleanField("成员须为在岗班主任", default=True)
    member_max_age = models.PositiveSmallIntegerField("成员最高年龄", default=40)
    member_min_years = models.PositiveSmallIntegerField("成员最低班主任年限", default=3)
    mentees_per_mentor = models.PositiveSmallIntegerField("每位导师带教学员数", default=1)
    absence_limit_numerator = models.PositiveSmallIntegerField("缺席上限（分子）", default=1)
    absence_limit_denominator = models.PositiveSmallIntegerField(
        "缺席上限（分母）", default=3, validators=[MinValueValidator(1)], help_text="缺席超过 分子/分母 的活动即不再参加培训"
    )

    # §6 duties
    duty_planning_meetings = models.PositiveSmallIntegerField("每学期计划会", default=1)
    duty_progress_meetings = models.PositiveSmallIntegerField("每学期阶段汇报会（至少）", default=2)
    duty_summary_meetings = models.PositiveSmallIntegerField("每学期总结会", default=1)
    duty_regular_meetings_per_month = models.PositiveSmallIntegerField("每月例会", default=1)
    duty_regular_meeting_week = models.PositiveSmallIntegerField(
        "线下例会：每月第几个", choices=[(n, f"第{n}个") for n in range(1, 5)], default=1,
        help_text="例会在每月第几个该星期几线下召开（默认第一个星期三下午）；其余各周的同一天为线上交流研讨。",
    )
    duty_regular_meeting_weekday = models.PositiveSmallIntegerField(
        "线下例会：星期几", choices=list(enumerate(WEEKDAY_NAMES)),
        default=2,
    )
    duty_group_study_per_month = models.PositiveSmallIntegerField("每月集中学习（至少）", default=1)
    duty_recommended_books_per_year = models.PositiveSmallIntegerField("每人每学年推荐书目（本）", default=2)
    duty_books_per_semester = models.PositiveSmallIntegerField("每人每学期其他书籍（本，0 为不要求）", default=0)
    duty_reflections_per_year = models.PositiveSmallIntegerField("每人每年读书心得（篇）", default=2)
    duty_papers_read_per_semester = models.PositiveSmallIntegerField("每学期阅读论文（篇）", default=5)
    duty_narratives_per_semester = models.PositiveSmallIntegerField("每学期教育叙事/案例（篇）", default=1)
    duty_student_cases_per_semester = models.PositiveSmallIntegerField("每学期学生个案（篇）", default=1)
    duty_demo_classes_per_year = models.PositiveSmallIntegerField("每人每年示范班会课（节）", default=1)
    duty_training_hours_per_year = models.PositiveSmallIntegerField("每人每年培训课时", default=30)
    duty_expert_lectures_per_year = models.PositiveSmallIntegerField("每人每年市级以上专家讲座", default=1)
    duty_articles_per_semester = models.PositiveSmallIntegerField("每学期德育论文/文章投稿（篇）", default=2)
    duty_host_lectures_per_year = models.PositiveSmallIntegerField("主持人每年讲座（次）", default=1)
    duty_host_observations_per_year = models.PositiveSmallIntegerField("主持人每年听成员课（节）", default=10)
    duty_exchanges_per_semester = models.PositiveSmallIntegerField("每学期跨工作室交流（次）", default=1)
    duty_awarded_results_per_year = models.PositiveSmallIntegerField("工作室每年区级以上获奖成果", default=1)
    reflection_min_chars = models.PositiveSmallIntegerField("读书体会最少字数", default=300)
    duty_warning_days = models.PositiveSmallIntegerField("学期结束前提醒天数", default=30)

    # §9.1 / §9.2 head-teacher assessment
    assessment_scheme = models.CharField("班主任考核方案", max_length=20, choices=Scheme.choices, default=Scheme.DEFAULT)
    monthly_dept_weight = models.DecimalField(
        "年级部检查权重", max_digits=4, decimal_places=2, default=Decimal("0.50"), validators=PERCENT
    )
    monthly_office_weight = models.DecimalField(
        "德育处抽查权重", max_digits=4, decimal_places=2, default=Decimal("0.50"), validators=PERCENT
    )
    monthly_full_mark = models.PositiveSmallIntegerField("月考核满分", default=100)
    monthly_pass_mark = models.DecimalField("月考核合格分", max_digits=5, decimal_places=1, default=Decimal("60"))
    monthly_allowance = models.DecimalField("每月合格津贴（元）", max_digits=8, decimal_places=2, default=Decimal("200"))
    allowance_months_per_year = models.PositiveSmallIntegerField("每年津贴月数", default=10)
    alt_monthly_weight = models.DecimalField(
        "学月岗位考核占比", max_digits=4, decimal_places=2, default=Decimal("0.70"), validators=PERCENT
    )
    alt_annual_weight = models.DecimalField(
        "学年综合考核占比", max_digits=4, decimal_places=2, default=Decimal("0.30"), validators=PERCENT
    )
    alt_base_allowance = models.DecimalField("月岗位津贴基数（元）", max_digits=8, decimal_places=2, default=Decimal("300"))
    alt_tier1_share = models.DecimalField("一等奖比例", max_digits=4, decimal_places=2, default=Decimal("0.30"), validators=PERCENT)
    alt_tier2_share = models.DecimalField("二等奖比例", max_digits=4, decimal_places=2, default=Decimal("0.40"), validators=PERCENT)
    alt_tier_base_amount = models.DecimalField("三等奖金额（元）", max_digits=8, decimal_places=2, default=Decimal("500"))
    alt_tier_step = models.DecimalField("相邻奖级差额（元）", max_digits=8, decimal_places=2, default=Decimal("50"))

    # §9.3 bonus points and class titles
    bonus_national = models.DecimalField("国家级加分", max_digits=4, decimal_places=1, default=Decimal("5"))
    bonus_provincial = models.DecimalField("省级加分", max_digits=4, decimal_places=1, default=Decimal("4"))
    bonus_municipal = models.DecimalField("市级加分", max_digits=4, decimal_places=1, default=Decimal("3"))
    bonus_county = models.DecimalField("县级加分", max_digits=4, decimal_places=1, default=Decimal("2"))
    bonus_school = models.DecimalField("校级加分", max_digits=4, decimal_places=1, default=Decimal("1"))
    excellent_top_n = models.PositiveSmallIntegerField("优秀班队：年级部前N名", default=4)
    excellent_min_conditions = models.PositiveSmallIntegerField("优秀班队：至少满足条件数", default=2)
    model_top_n = models.PositiveSmallIntegerField("标兵班队：优秀班队前N名", default=2)
    # §9.3 the 语文/数学/外语 excellence rate a 标兵班队 needs, by grade band (001).
    model_rate_grades_1_2 = models.DecimalField(
        "标兵班队：一、二年级优秀率（%）", max_digits=4, decimal_places=1, default=Decimal("90"),
        help_text="语文、数学、外语优秀率达到本值（含）方可评为标兵班队。",
    )
    model_rate_grades_3_4 = models.DecimalField(
        "标兵班队：三、四年级优秀率（%）", max_digits=4, decimal_places=1, default=Decimal("80"),
    )
    model_rate_grades_5_6 = models.DecimalField(
        "标兵班队：五、六年级优秀率（%）", max_digits=4, decimal_places=1, default=Decimal("70"),
        help_text="更高年级按本档要求。",
    )
    # §9.1 weekly and monthly class titles named by each grade department
    excellent_classes_per_week = models.PositiveSmallIntegerField(
        "每个年级部每周优秀班级（个）", default=3, validators=[MinValueValidator(1)]
    )
    window_classes_per_month = models.PositiveSmallIntegerField(
        "每个年级部每月窗口班级（个）", default=1, validators=[MinValueValidator(1)]
    )

    # §9.4 member assessment
    member_grades = models.CharField("成员考核等级", max_length=10, choices=MemberGrades.choices, default=MemberGrades.PASS)
    member_excellent_min = models.DecimalField("成员优秀分数线", max_digits=5, decimal_places=1, default=Decimal("90"))
    member_pass_min = models.DecimalField("成员合格分数线", max_digits=5, decimal_places=1, default=Decimal("60"))

    # §9.5 workroom evaluation
    evaluation_excellent_min = models.DecimalField("工作室评估优秀分数线", max_digits=5, decimal_places=1, default=Decimal("90"))
    evaluation_pass_min = models.DecimalField("工作室评估合格分数线", max_digits=5, decimal_places=1, default=Decimal("60"))
    evaluation_rubric = models.JSONField("评估指标权重", default=dict, blank=True, help_text="留空使用默认指标体系")
    # The share of the 100-point total each first-level indicator of the
    # rubric (004 附件2) carries; together they make the full score.
    evaluation_weight_overall = models.DecimalField(
        "评估权重：总体要求（分）", max_digits=4, decimal_places=1, default=Decimal("25")
    )
    evaluation_weight_members = models.DecimalField(
        "评估权重：工作室成员（分）", max_digits=4, decimal_places=1, default=Decimal("25")
    )
    evaluation_weight_practice = models.DecimalField(
        "评估权重：建设实践（分）", max_digits=4, decimal_places=1, default=Decimal("25")
    )
    evaluation_weight_results = models.DecimalField(
        "评估权重：建设成效（分）", max_digits=4, decimal_places=1, default=Decimal("25")
    )

    # §6 training hours one activity may credit
    activity_max_training_hours = models.DecimalField(
        "每次活动培训课时上限", max_digits=4, decimal_places=1, default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    # §10 continuing-education credits (继续教育学分) and 培训合格证书
    training_hours_per_credit = models.PositiveSmallIntegerField(
        "每学分培训学时", default=10,
        help_text="学分台账与继续教育平台导出中，学分 = 培训学时 ÷ 本值（保留一位小数，不足 0.1 学分的部分不计）。",
    )
    certificate_training_hours = models.PositiveSmallIntegerField(
        "培训合格证书所需学时", default=30,
        help_text="成员在工作室建设周期内出席活动的培训学时达到本值，才列入培训合格证书的颁发名单。"
        "默认 30，即“每人每年培训课时”的要求：建设周期中途加入的成员完成一整年的培训也能合格；"
        "要求整个周期都完成的学校可填 年要求 × 建设周期年数（如 90）。填 0 表示不设学时要求。",
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "学校设置"
        ordering = ["-version"]

    def __str__(self):
        return f"学校设置 第{self.version}版"

    def clean(self):
        """The settings checked as a whole: each value alone may be in range
        while the combination cannot be applied (weights that do not add up to
        100%, a pass mark above the full mark, a 合格 line above the 优秀 line)."""
        errors = ruleset_problems(self)
        if errors:
            raise ValidationError(errors)


def _pct(value) -> str:
    return f"{((value or 0) * 100).normalize():f}%"


# Settings that count people, days or items and cannot be zero or negative.
POSITIVE_SETTINGS = (
    "cycle_years", "max_hosts", "max_members", "max_active_memberships", "public_notice_days", "member_max_age",
    "mentees_per_mentor", "absence_limit_numerator", "absence_limit_denominator", "duty_warning_days",
    "monthly_full_mark", "allowance_months_per_year", "excellent_top_n", "model_top_n",
    "excellent_classes_per_week", "window_classes_per_month", "activity_max_training_hours",
    "training_hours_per_credit",
)
# Money and points that may be zero (a school may pay or add nothing) but never negative.
NON_NEGATIVE_SETTINGS = (
    "duty_recommended_books_per_year", "duty_books_per_semester",
    "annual_funding", "monthly_allowance", "alt_base_allowance", "alt_tier_base_amount", "alt_tier_step",
    "bonus_national", "bonus_provincial", "bonus_municipal", "bonus_county", "bonus_school",
)
BONUS_LEVELS = ("bonus_national", "bonus_provincial", "bonus_municipal", "bonus_county", "bonus_school")
# §9.3 names four conditions for 优秀班队.
EXCELLENT_CONDITIONS = 4
# The member total and the evaluation panel score are out of 100 (§9.4a, §9.5).
SCORE_SCALE = Decimal("100")
# The 标兵班队 excellence rates by grade band, in percent (§9.3).
MODEL_RATES = ("model_rate_grades_1_2", "model_rate_grades_3_4", "model_rate_grades_5_6")
# The first-level indicators' weights of the evaluation rubric, in rubric order (§9.5).
EVALUATION_WEIGHTS = (
    "evaluation_weight_overall",
    "evaluation_weight_members",
    "evaluation_weight_practice",
    "evaluation_weight_results",
)


def ruleset_problems(rs: "RuleSet") -> dict[str, list[str]]:
    """Every combination of settings that cannot make sense, as Chinese
    messages keyed by the field to correct (DOMAIN.md §9.4a: a school's
    settings must stay applicable)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    def label(name):
        return RuleSet._meta.get_field(name).verbose_name

    for name in POSITIVE_SETTINGS:
        value = getattr(rs, name)
        if value is not None and value <= 0:
            add(name, f"{label(name)}必须大于 0。")
    for name in NON_NEGATIVE_SETTINGS:
        value = getattr(rs, name)
        if value is not None and value < 0:
            add(name, f"{label(name)}不能为负数。")

    one = Decimal("1")
    if None not in (rs.monthly_dept_weight, rs.monthly_office_weight):
        total = rs.monthly_dept_weight + rs.monthly_office_weight
        if total != one:
            add("monthly_office_weight", f"年级部检查权重与德育处抽查权重之和须为 100%（现为 {_pct(total)}）。")
    if None not in (rs.alt_monthly_weight, rs.alt_annual_weight):
        total = rs.alt_monthly_weight + rs.alt_annual_weight
        if total != one:
            add("alt_annual_weight", f"学月岗位考核占比与学年综合考核占比之和须为 100%（现为 {_pct(total)}）。")
    if None not in (rs.alt_tier1_share, rs.alt_tier2_share):
        total = rs.alt_tier1_share + rs.alt_tier2_share
        if total > one:
            add("alt_tier2_share", f"一等奖与二等奖比例之和不能超过 100%（现为 {_pct(total)}）。")

    full = rs.monthly_full_mark
    if rs.monthly_pass_mark is not None and full:
        if not (0 <= rs.monthly_pass_mark <= full):
            add("monthly_pass_mark", f"月考核合格分须在 0 到满分 {full} 之间。")

    for prefix, what in (("member", "成员考核"), ("evaluation", "工作室评估")):
        excellent, passing = getattr(rs, f"{prefix}_excellent_min"), getattr(rs, f"{prefix}_pass_min")
        for name, value in ((f"{prefix}_excellent_min", excellent), (f"{prefix}_pass_min", passing)):
            if value is not None and not (0 <= value <= SCORE_SCALE):
                add(name, f"{label(name)}须在 0 到 100 之间。")
        if None not in (excellent, passing) and passing >= excellent:
            add(f"{prefix}_pass_min", f"{what}合格分数线须低于优秀分数线。")

    weights = [getattr(rs, name) for name in EVALUATION_WEIGHTS]
    for name, value in zip(EVALUATION_WEIGHTS, weights):
        if value is not None and value < 0:
            add(name, f"{label(name)}不能为负数。")
    if None not in weights and sum(weights) != SCORE_SCALE:
        add(
            EVALUATION_WEIGHTS[-1],
            f"工作室评估四个一级指标的权重之和须为满分 100 分（现为 {sum(weights).normalize():f} 分）。",
        )

    levels = [getattr(rs, n) for n in BONUS_LEVELS]
    if None not in levels and any(higher < lower for higher, lower in zip(levels, levels[1:])):
        add("bonus_national", "加分须按级别从高到低不增：国家级 ≥ 省级 ≥ 市级 ≥ 县级 ≥ 校级。")

    if rs.absence_limit_numerator and rs.absence_limit_denominator:
        if rs.absence_limit_numerator >= rs.absence_limit_denominator:
            add("absence_limit_numerator", "缺席上限的分子须小于分母（缺席比例须小于 100%）。")
    if rs.host_min_title and rs.host_min_title_primary:
        if TITLE_RANK.get(rs.host_min_title_primary, -1) > TITLE_RANK.get(rs.host_min_title, -1):
            add("host_min_title_primary", "小学主持人的最低职称不能高于中学主持人的最低职称。")
    if rs.allowance_months_per_year is not None and rs.allowance_months_per_year > 12:
        add("allowance_months_per_year", "每年津贴月数不能超过 12。")
    if rs.model_top_n and rs.excellent_top_n and rs.model_top_n > rs.excellent_top_n:
        add("model_top_n", "标兵班队名额不能多于优秀班队名额（标兵班队从优秀班队中产生）。")
    # 001 names a rate per grade band (90% / 80% / 70%) but no rule between
    # the bands, so each rate is checked on its own: a percentage.
    for name in MODEL_RATES:
        value = getattr(rs, name)
        if value is not None and not (0 <= value <= SCORE_SCALE):
            add(name, f"{label(name).removesuffix('（%）')}须在 0% 到 100% 之间。")
    if rs.excellent_min_conditions is not None and rs.excellent_min_conditions > EXCELLENT_CONDITIONS:
        add("excellent_min_conditions", f"优秀班队的评选条件共 {EXCELLENT_CONDITIONS} 项，至少满足条件数不能超过 {EXCELLENT_CONDITIONS}。")
    return errors


class WorkroomQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.access imports this module's models.
        from workrooms.access import workrooms_visible_to

        return workrooms_visible_to(user, self)


class Workroom(models.Model):
    """名班主任工作室 (DOMAIN.md §3)."""

    class Status(models.TextChoices):
        APPLYING = "applying", "申报中"
        APPROVED = "approved", "已立项"
        RUNNING = "running", "运行中"
        MIDTERM = "midterm", "中期评估"
        FINAL = "final", "终期评估"
        COMPLETED = "completed", "已结题"
        REVOKED = "revoked", "已撤销"

    OPEN_STATUSES = (Status.APPROVED, Status.RUNNING, Status.MIDTERM, Status.FINAL)

    name = models.CharField("工作室名称", max_length=100)
    host = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="hosted_workrooms", verbose_name="主持人")
    school = models.ForeignKey("members.School", on_delete=models.PROTECT, related_name="workrooms", verbose_name="所属学校")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.APPROVED, db_index=True)
    research_direction = models.CharField("研究方向", max_length=200, blank=True)
    description = models.TextField("工作室简介", blank=True)
    cycle_start = models.DateField("建设周期开始")
    cycle_end = models.DateField("建设周期结束")
    funding_stopped = models.BooleanField("已停止拨付经费", default=False)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name="立项时学校设置")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Changes of the lead host and the name (DOMAIN.md §3), with who decided them and why.
    history = HistoricalRecords()

    objects = WorkroomQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工作室"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def name_for(host_name: str) -> str:
        return f"{host_name}名班主任工作室"


class HostApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.access imports this module's models.
        from workrooms.access import applications_visible_to

        return applications_visible_to(user, self)


class HostApplication(models.Model):
    """主持人申报 (DOMAIN.md §4). Its states and transitions live in
    ``workrooms.workflow.HOST_APPLICATION``."""

    class Status(models.TextChoices):
        DEPT_REVIEW = "dept_review", "待系部审核"
        OFFICE_REVIEW = "office_review", "待德育处审核"
        EXPERT_REVIEW = "expert_review", "专家评审中"
        PUBLIC_NOTICE = "public_notice", "公示中"
        APPROVED = "approved", "已批准"
        RETURNED = "returned", "已退回"
        REJECTED = "rejected", "未获批准"
        WITHDRAWN = "withdrawn", "已撤回"

    applicant = models.ForeignKey(
        "members.Teacher", on_delete=models.PROTECT, related_name="host_applications", verbose_name="申报人"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DEPT_REVIEW, db_index=True)
    research_direction = models.CharField("研究方向", max_length=200)
    plan_summary = models.TextField("建设设想", help_text="工作室定位、目标与主要举措")
    achievements_summary = models.TextField("个人主要业绩", blank=True)
    commits_future_years = models.BooleanField("承诺任职后继续担任班主任", default=False)
    eligibility = models.JSONField("资格审查结果", default=dict, blank=True)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name="适用学校设置")
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="expert_applications", verbose_name="评审专家"
    )
    notice_starts_at = models.DateTimeField("公示开始", null=True, blank=True)
    notice_ends_at = models.DateTimeField("公示结束", null=True, blank=True)
    workroom = models.OneToOneField(
        Workroom, on_delete=models.SET_NULL, null=True, blank=True, related_name="application", verbose_name="工作室"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = HostApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "主持人申报"
        ordering = ["-submitted_at"]
        constraints = [
            # One application in progress per teacher (DOMAIN.md §4), also
            # under concurrent submissions.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status__in=["dept_review", "office_review", "expert_review", "public_notice", "returned"]),
                name="hostapplication_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.applicant}的主持人申报"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(HostApplication, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="文件")
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申报材料"


class ExpertReview(models.Model):
    application = models.ForeignKey(HostApplication, on_delete=models.CASCADE, related_name="expert_reviews")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="专家")
    score = models.DecimalField(
        "评分", max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    recommend = models.BooleanField("推荐立项", default=True)
    comment = models.TextField("评审意见")
    created_at = models.DateTimeField("评审时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家评审"
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="expertreview_once")]


class NoticeObjection(models.Model):
    """An objection raised during a public notice (公示) and answered by the
    office: host applications (§2) and assessment results (§9) alike."""

    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人")
    text = models.TextField("异议内容")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="答复人"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    upheld = models.BooleanField("异议成立", default=False, help_text="异议成立时德育处可重新开放结果更正")

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def record_answer(self, *, answer: str, actor, upheld: bool = False) -> None:
        """The office's answer, once, saying whether the objection is upheld;
        refused (unchanged) when already answered or empty."""
        if self.answered_at is not None:
            raise ValidationError("该异议已答复。")
        if not answer.strip():
            raise ValidationError({"answer": "请填写答复内容。"})
        self.answer = answer.strip()
        self.answered_by = actor
        self.answered_at = timezone.now()
        self.upheld = upheld
        self.save(update_fields=["answer", "answered_by", "answered_at", "upheld"])


class Objection(NoticeObjection):
    """公示期异议 on a host application: answered before approval."""

    application = models.ForeignKey(HostApplication, on_delete=models.CASCADE, related_name="objections")

    class Meta(NoticeObjection.Meta):
        verbose_name = verbose_name_plural = "公示异议"


# --- Activities, attendance and funding (DOMAIN.md §3, §5, §6) -------------


class ActivityType(models.TextChoices):
    """The twelve activity types of DOMAIN.md §6."""

    PLANNING = "planning", "计划会"
    REGULAR = "regular", "例会"
    PROGRESS = "progress", "阶段汇报会"
    SUMMARY = "summary", "总结会"
    GROUP_STUDY = "group_study", "集中学习"
    SEMINAR = "seminar", "主题研讨"
    EXPERT_LECTURE = "expert_lecture", "专家讲座"
    DEMO_CLASS = "demo_class", "示范班会课"
    FORUM = "forum", "班主任论坛/沙龙"
    STUDY_VISIT = "study_visit", "外出考察"
    ONLINE_SEMINAR = "online_seminar", "网络研讨"
    SHOWCASE = "showcase", "成果展示交流"


class ActivityMode(models.TextChoices):
    """In person or online (§6: the regular meeting of the first Wednesday
    is held in person, the other Wednesdays' exchanges online)."""

    IN_PERSON = "in_person", "线下"
    ONLINE = "online", "线上"


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.access imports this module's models.
        from workrooms.access import activities_visible_to

        return activities_visible_to(user, self)


class Activity(models.Model):
    """活动 (DOMAIN.md §6): one meeting, lecture or class of a workroom."""

    workroom = models.ForeignKey(Workroom, on_delete=models.CASCADE, related_name="activities", verbose_name="工作室")
    type = models.CharField("活动类型", max_length=20, choices=ActivityType.choices)
    mode = models.CharField("形式", max_length=10, choices=ActivityMode.choices, default=ActivityMode.IN_PERSON)
    starts_at = models.DateTimeField("开始时间")
    place = models.CharField("地点", max_length=200)
    theme = models.CharField("主题", max_length=200)
    speaker = models.ForeignKey(
        "members.Teacher", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="中心发言人"
    )
    recorder = models.ForeignKey(
        "members.Teacher", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="记录人"
    )
    level = models.CharField("培训级别", max_length=20, choices=Level.choices, default=Level.SCHOOL)
    training_hours = models.DecimalField(
        "培训课时", max_digits=5, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), message="培训课时不能为负数。")],
    )
    is_expert_lecture = models.BooleanField("专家讲座", default=False)
    is_cross_workroom = models.BooleanField("跨工作室交流", default=False)
    minutes = models.TextField("活动纪要", blank=True)
    is_public = models.BooleanField("在展示页公开", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "活动"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["workroom", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(training_hours__gte=0), name="activity_hours_not_negative")
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} {self.title}"

    @property
    def title(self) -> str:
        """The type and the theme, the type once: a theme that already names
        its type (阶段汇报会：…) is not prefixed a second time."""
        kind = self.get_type_display()
        return self.theme if self.theme.startswith(kind) else f"{kind}：{self.theme}"


class ActivityFile(models.Model):
    """Minutes, photos and files attached to an activity afterwards. A photo
    is an attached image; the host may show it on the workroom's public page
    (``is_public``) while its activity is public too (workrooms.showcase)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files", verbose_name="活动")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="文件")
    description = models.CharField("说明", max_length=200, blank=True)
    is_public = models.BooleanField("在工作室主页公开", default=False)

    PHOTO_TYPE_PREFIX = "image/"

    class Meta:
        verbose_name = verbose_name_plural = "活动附件"
        ordering = ["id"]

    @property
    def is_photo(self) -> bool:
        return self.file.content_type.startswith(self.PHOTO_TYPE_PREFIX)


class Attendance(models.Model):
    """签到表: one row per member and activity (DOMAIN.md §5, §6)."""

    class Status(models.TextChoices):
        PRESENT = "present", "出席"
        LEAVE = "leave", "请假"
        ABSENT = "absent", "缺席"

    class Source(models.TextChoices):
        SHEET = "sheet", "主持人/记录人登记"
        CODE = "code", "签到码自助签到"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name="活动")
    teacher = models.ForeignKey("members.Teacher", on_delete=models.CASCADE, related_name="attendances", verbose_name="成员")
    status = models.CharField("签到状态", max_length=10, choices=Status.choices)
    source = models.CharField("登记方式", max_length=10, choices=Source.choices, default=Source.SHEET)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "签到"
        constraints = [models.UniqueConstraint(fields=["activity", "teacher"], name="attendance_once_per_activity")]
        indexes = [models.Index(fields=["teacher", "status"])]


class SignInCode(models.Model):
    """A short-lived code shown at the event; members type it to sign in."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signin_codes", verbose_name="活动")
    code = models.CharField("签到码", max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")

    class Meta:
        verbose_name = verbose_name_plural = "签到码"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["code", "expires_at"])]


class SignInAttempt(models.Model):
    """Every code typed by a user: wrong ones are rate limited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "签到尝试"
        indexes = [models.Index(fields=["user", "created_at"])]


class ExpenseCategory(models.TextChoices):
    """The seven allowed spending categories of DOMAIN.md §3."""

    EXPERT = "expert", "专家指导/培训"
    RESEARCH = "research", "课题研究"
    EVALUATION = "evaluation", "鉴定评价"
    STUDY_TRIP = "study_trip", "外出学习考察"
    MATERIALS = "materials", "购买资料"
    REWARDS = "rewards", "成果奖励及推广"
    COURSES = "courses", "课程资源开发"


class Expense(models.Model):
    """专项经费支出 (DOMAIN.md §3): recorded by the host, decided by the
    office. Its states and transitions live in ``workrooms.funding.services.EXPENSE``."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    workroom = models.ForeignKey(Workroom, on_delete=models.CASCADE, related_name="expenses", verbose_name="工作室")
    category = models.CharField("支出类别", max_length=20, choices=ExpenseCategory.choices)
    amount = models.DecimalField(
        "金额（元）", max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="金额必须大于 0 元。")],
    )
    spent_on = models.DateField("支出日期")
    description = models.CharField("用途说明", max_length=300)
    receipt = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name="票据")
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses", verbose_name="关联活动"
    )
    research_project = models.ForeignKey(
        "workrooms.ResearchProject", on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses",
        verbose_name="关联课题",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name="适用学校设置")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "经费支出"
        ordering = ["spent_on", "id"]
        indexes = [models.Index(fields=["workroom", "spent_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self):
        return f"{self.spent_on} {self.get_category_display()} {self.amount} 元"


# --- Plans on record, public showcase, outreach (DOMAIN.md §3, §6) ---------

from core.sanitize import RichTextField  # noqa: E402


class ShowcaseSettings(models.Model):
    """The host's choices for the workroom's public page (工作室主页)."""

    workroom = models.OneToOneField(Workroom, on_delete=models.CASCADE, related_name="showcase", verbose_name="工作室")
    is_published = models.BooleanField("开放工作室主页", default=False)
    show_profile = models.BooleanField("公开工作室简介", default=True)
    intro = RichTextField("主页介绍", blank=True, help_text="面向校外来访者的介绍，可使用简单格式")
    accept_messages = models.BooleanField("接受访客留言", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作室主页设置"

    def __str__(self):
        return f"{self.workroom}主页"


class VisitorMessageQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=VisitorMessage.Status.APPROVED)


class VisitorMessage(models.Model):
    """访客留言: shown on the public page only after the host approves it."""

    NAME_MAX = 30
    SCHOOL_MAX = 60
    BODY_MIN = 5
    BODY_MAX = 500

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    workroom = models.ForeignKey(Workroom, on_delete=models.CASCADE, related_name="visitor_messages", verbose_name="工作室")
    name = models.CharField("称呼", max_length=NAME_MAX)
    school = models.CharField("单位", max_length=SCHOOL_MAX, blank=True)
    body = models.TextField("留言内容", max_length=BODY_MAX)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Private: kept for abuse handling, never shown on the public page.
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    created_at = models.DateTimeField("留言时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    objects = VisitorMessageQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "访客留言"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workroom", "status", "-created_at"])]

    def __str__(self):
        return f"{self.name}的留言"


class OutreachRecord(models.Model):
    """辐射引领: lectures and trainings given to other schools and
    cross-workroom exchanges (DOMAIN.md §6 host lectures, exchanges)."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", "对外讲座"
        TRAINING = "training", "送培送教"
        EXCHANGE = "exchange", "跨工作室交流"

    workroom = models.ForeignKey(Workroom, on_delete=models.CASCADE, related_name="outreach_records", verbose_name="工作室")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    date = models.DateField("日期")
    audience = models.CharField("对象/学校", max_length=200)
    topic = models.CharField("主题", max_length=200)
    hours = models.DecimalField(
        "课时", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))]
    )
    notes = RichTextField("情况记录", blank=True)
    is_public = models.BooleanField("在工作室主页公开", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "辐射引领记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["workroom", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.topic}"


class LessonObservation(models.Model):
    """听课记录: a lesson of a member the host observed (DOMAIN.md §6 host:
    member lessons observed; §8 lesson observation records)."""

    workroom = models.ForeignKey(Workroom, on_delete=models.CASCADE, related_name="observations", verbose_name="工作室")
    date = models.DateField("听课日期")
    class_name = models.CharField("班级", max_length=60)
    teacher = models.ForeignKey(
        "members.Teacher", on_delete=models.PROTECT, related_name="+", verbose_name="授课教师"
    )
    topic = models.CharField("学科/课题", max_length=200)
    notes = models.TextField("听课记录与评价", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "听课记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["workroom", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.class_name} {self.topic}"


def _invalidate_showcase(sender, instance, **kwargs):
    # Any change to what the public page shows drops its cached copy.
    from workrooms.outreach.showcase import invalidate_for

    invalidate_for(instance)


for _sender in ("workrooms.Workroom", "workrooms.Membership", "members.Teacher", "workrooms.WorkroomPlan",
                "workrooms.PlanVersion", "workrooms.ShowcaseSettings", "workrooms.VisitorMessage",
                "workrooms.OutreachRecord", "workrooms.Activity", "workrooms.ActivityFile", "workrooms.Writing",
                "workrooms.Achievement"):
    models.signals.post_save.connect(_invalidate_showcase, sender=_sender, weak=False, dispatch_uid=f"showcase-{_sender}")
    models.signals.post_delete.connect(_invalidate_showcase, sender=_sender, weak=False, dispatch_uid=f"showcase-d-{_sender}")


# The models of the workroom's features live with their code; importing them
# here registers them with the app.
from workrooms.archive.models import ArchiveEntry  # noqa: E402,F401
from workrooms.hosts.models import HostChange  # noqa: E402,F401
from workrooms.mentoring.models import GuidanceRecord, MentorComment, MentorPair  # noqa: E402,F401
from workrooms.plans.models import (  # noqa: E402,F401
    DevelopmentPlan,
    PlanVersion,
    SemesterRecord,
    WorkroomPlan,
)
from workrooms.records.models import (  # noqa: E402,F401
    Achievement,
    ReadingLog,
    ResearchProject,
    ResearchStage,
    StageDocument,
    Writing,
)
from workrooms.selection.models import JoinRequest, Membership, MembershipChange  # noqa: E402,F401
