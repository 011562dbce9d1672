"""Spreadsheets of the assessment lists (DOMAIN.md §9, §10), registered with ``core.xlsx``."""

from itertools import chain, groupby

from django.conf import settings
from django.db.models import OuterRef, Q
from django.http import Http404

from assessment.access import (
    can_export_assessment,
    can_export_member_assessments,
    can_see_annual_member_list,
    can_see_bonus_awards,
    can_see_class_titles,
    can_see_outstanding_list,
    get_period_for_user,
)
from assessment.annual.filters import AnnualMemberFilter
from assessment.annual.selectors import annual_assessments_for_list, school_year_asked
from assessment.filters import BonusAwardFilter, EvaluationFilter, MembershipFilter, ResultFilter, VetoFilter
from assessment.honours.filters import ClassTitleFilter, OutstandingFilter
from assessment.models import SEMESTER_LABELS, Evaluation, Period
from assessment.rules.member import DIMENSIONS
from assessment.selectors import (
    assessable_memberships,
    bonus_awards_for_list,
    class_titles_for_list,
    evaluations_for_list,
    outstanding_for_list,
    period_results,
    semester_asked,
    vetoes_for_list,
)
from core.queries import SubqueryCount
from core.xlsx import (
    DATE,
    DATETIME,
    DECIMAL_1,
    INTEGER,
    MONEY,
    Column,
    Export,
    local_time,
    ordered_export,
    register_export,
    require,
    stamp,
)
from members.selectors import user_display


def _veto_text(result) -> str:
    n = result.inputs.get("vetoes") or 0
    return f"一票否决 {n} 项" if n else "无"


def _assessment_columns(kind: str, *, pays_own: bool = True) -> list[Column]:
    teacher = [
        Column("班级", lambda r: r.teacher.class_name, width=14),
        Column("班主任", lambda r: r.teacher.name, width=10),
    ]
    if kind == Period.Kind.MONTH:
        return teacher + [
            Column("年级部检查", lambda r: r.figure("dept"), width=12, number_format=DECIMAL_1),
            Column("德育处抽查", lambda r: r.figure("office"), width=12, number_format=DECIMAL_1),
            Column("月考核得分", lambda r: r.score, width=12, number_format=DECIMAL_1),
            Column("否决情况", _veto_text, width=14),
            Column("结果", lambda r: r.outcome, width=10),
            # A month of the default scheme pays nothing of its own (the allowance is per
            # semester): its cells stay blank and the header says so, instead of 0.00.
            Column(
                "津贴（元）" if pays_own else "津贴（元，按学期发放）", lambda r: r.amount_shown, width=18,
                number_format=MONEY, total=True,
            ),
        ]
    if kind == Period.Kind.SEMESTER:
        return teacher + [
            Column("月考核得分合计", lambda r: r.figure("monthly_total"), width=14, number_format=DECIMAL_1),
            Column("加分", lambda r: r.figure("bonus"), width=8, number_format=DECIMAL_1),
            Column("学期综合得分", lambda r: r.score, width=14, number_format=DECIMAL_1),
            Column("年级部内名次", lambda r: r.rank, width=12, number_format=INTEGER),
            Column("班队称号", lambda r: r.outcome, width=12),
            Column("学期津贴（元）", lambda r: r.amount, width=16, number_format=MONEY, total=True),
        ]
    return [Column("名次", lambda r: r.rank, width=8, number_format=INTEGER)] + teacher + [
        Column("年级部", lambda r: r.department.name if r.department else "", width=12),
        Column("学年综合得分", lambda r: r.score, width=14, number_format=DECIMAL_1),
        Column("奖次", lambda r: r.outcome, width=10),
        Column("津贴及奖金（元）", lambda r: r.amount, width=18, number_format=MONEY, total=True),
    ]


def assessment_export(*, user, period, data) -> Export:
    """考核表 of a period as stored (DOMAIN.md §9, §10): the monthly sheet
    and the semester composite one sheet per 年级部, the annual ranking in
    one sheet by rank; what the period page's filters show."""
    qs = ResultFilter(data, queryset=period_results(user, period)).qs
    by_rank = period.kind == Period.Kind.YEAR
    title = {Period.Kind.MONTH: "月考核汇总表", Period.Kind.SEMESTER: "学期综合考核汇总表", Period.Kind.YEAR: "学年综合考核排名表"}[period.kind]
    title = f"{period}".replace(f" {period.get_kind_display()}", "") + title
    if by_rank:
        ordered = qs.order_by("rank", "teacher__staff_no", "pk")
    else:
        ordered = qs.order_by("department__grade", "department__name", "department_id", "rank", "teacher__staff_no", "pk")

    def sheets():
        rows = ordered.iterator(chunk_size=settings.EXPORT_BATCH_SIZE)
        if by_rank:
            yield "", rows
            return
        for _dept, group in groupby(rows, key=lambda r: r.department_id):
            first = next(group)
            name = first.department.name if first.department else "未分年级部"
            yield name, chain([first], group)

    return Export(
        title=title, filename=f"{title}-{stamp()}.xlsx", columns=_assessment_columns(
            period.kind, pays_own=not (period.kind == Period.Kind.MONTH and period.ruleset and period.ruleset.assessment_scheme == "default"),
        ),
        rows=lambda: ordered.iterator(), count=qs.count, totals=True, sheets=sheets,
    )


def member_assessments_export(*, user, data) -> Export:
    """成员考核表 (DOMAIN.md §9.4): one sheet per workroom, each member with
    the host's five scores, total and grade as stored for the semester; the
    members the list page shows, with its filters."""
    from django.db.models import F, FilteredRelation

    year, semester = semester_asked(data.get("year"), data.get("semester"))
    qs = MembershipFilter(data, queryset=assessable_memberships(user)).qs
    fields = [code for code, _ in DIMENSIONS] + ["total", "grade", "comment", "honour_certificate", "adjust_out"]
    qs = qs.annotate(
        assessed=FilteredRelation("assessments", condition=Q(assessments__school_year=year, assessments__semester=semester))
    ).annotate(**{f"a_{name}": F(f"assessed__{name}") for name in fields})
    score = {"width": 10, "number_format": DECIMAL_1}
    columns = [
        Column("姓名", lambda m: m.teacher.name, width=10),
        Column("工号", lambda m: m.teacher.staff_no, width=10),
        *[Column(label, (lambda code: lambda m: getattr(m, f"a_{code}"))(code), **score) for code, label in DIMENSIONS],
        Column("总分", lambda m: m.a_total, **score),
        Column("等级", lambda m: m.a_grade or "未考核", width=8),
        Column("颁发荣誉证书", lambda m: "是" if m.a_honour_certificate else "", width=12),
        Column("建议调整出工作室", lambda m: "是" if m.a_adjust_out else "", width=16),
        Column("评语", lambda m: m.a_comment or "", width=40),
    ]
    title = f"{year}–{year + 1}学年{SEMESTER_LABELS[semester]}成员考核表"

    def sheets():
        rows = qs.iterator(chunk_size=settings.EXPORT_BATCH_SIZE)
        for _workroom, group in groupby(rows, key=lambda m: m.workroom_id):
            first = next(group)
            yield first.workroom.name, chain([first], group)

    return Export(
        title=title, filename=f"{title}-{stamp()}.xlsx", columns=columns, rows=lambda: qs.iterator(),
        count=qs.count, sheets=sheets,
    )


def evaluations_export(*, user, data) -> Export:
    """工作室评估 (DOMAIN.md §9.5): the evaluation list's rows with the
    panel's size, the total and grade as concluded."""
    experts = Evaluation.experts.through.objects.filter(evaluation_id=OuterRef("pk")).values("id")
    qs = EvaluationFilter(data, queryset=evaluations_for_list(user)).qs.annotate(n_experts=SubqueryCount(experts))
    columns = [
        Column("工作室", lambda e: e.workroom.name, width=30),
        Column("主持人", lambda e: e.workroom.host.name, width=10),
        Column("类型", lambda e: e.get_kind_display(), width=10),
        Column("状态", lambda e: e.get_status_display(), width=12),
        Column("评估专家（人）", lambda e: e.n_experts, width=14, number_format=INTEGER),
        Column("总分", lambda e: e.total, width=8, number_format=DECIMAL_1),
        Column("等级", lambda e: e.grade, width=8),
        Column("发起时间", lambda e: local_time(e.opened_at), width=17, number_format=DATETIME),
        Column("出结果时间", lambda e: local_time(e.concluded_at), width=17, number_format=DATETIME),
    ]
    return ordered_export(title="工作室评估一览表", columns=columns, qs=qs, totals=False)


def vetoes_export(*, user, data) -> Export:
    """一票否决情形 (DOMAIN.md §9.1): the cases the list shows, with who
    recorded and who confirmed each."""
    def name(u) -> str:
        return user_display(u) if u else ""

    qs = VetoFilter(data, queryset=vetoes_for_list(user)).qs
    columns = [
        Column("月份", lambda v: str(v.period), width=22),
        Column("班主任", lambda v: v.teacher.name, width=10),
        Column("工号", lambda v: v.teacher.staff_no, width=10),
        Column("年级部", lambda v: v.teacher.department.name if v.teacher.department else "", width=12),
        Column("情形", lambda v: v.get_kind_display(), width=34),
        Column("情况说明", lambda v: v.description, width=36),
        Column("登记人", lambda v: name(v.recorded_by), width=10),
        Column("登记时间", lambda v: local_time(v.recorded_at), width=17, number_format=DATETIME),
        Column("状态", lambda v: "已认定" if v.is_confirmed else "待认定", width=8),
        Column("认定人", lambda v: name(v.confirmed_by), width=10),
        Column("认定时间", lambda v: local_time(v.confirmed_at), width=17, number_format=DATETIME),
    ]
    return ordered_export(title="一票否决情形登记表", columns=columns, qs=qs, totals=False)


def bonus_awards_export(*, data) -> Export:
    """加分项 (DOMAIN.md §9.3): the awards the list shows, as recorded."""
    qs = BonusAwardFilter(data, queryset=bonus_awards_for_list()).qs
    columns = [
        Column("学年", lambda a: f"{a.school_year}–{a.school_year + 1}学年", width=14),
        Column("学期", lambda a: a.get_semester_display(), width=10),
        Column("班主任", lambda a: a.teacher.name, width=10),
        Column("工号", lambda a: a.teacher.staff_no, width=10),
        Column("类别", lambda a: a.get_category_display(), width=18),
        Column("赛事/评选/刊物", lambda a: a.event, width=30),
        Column("级别", lambda a: a.get_level_display(), width=8),
        Column("获奖情况", lambda a: a.description, width=24),
        Column("登记人", lambda a: user_display(a.recorded_by) if a.recorded_by else "", width=10),
        Column("登记时间", lambda a: local_time(a.recorded_at), width=17, number_format=DATETIME),
    ]
    return ordered_export(title="加分项登记表", columns=columns, qs=qs, totals=False)


def outstanding_export(*, user, data) -> Export:
    """优秀工作室成员 (DOMAIN.md §9.4): the titles the list shows, with the
    member assessment they were named from and who named them when."""
    qs = OutstandingFilter(data, queryset=outstanding_for_list(user)).qs
    columns = [
        Column("学年", lambda o: f"{o.school_year}–{o.school_year + 1}学年", width=14),
        Column("学期", lambda o: o.get_semester_display(), width=10),
        Column("工作室", lambda o: o.workroom.name, width=28),
        Column("成员", lambda o: o.teacher.name, width=10),
        Column("工号", lambda o: o.teacher.staff_no, width=10),
        Column("学校", lambda o: o.teacher.school.name, width=18),
        Column("考核总分", lambda o: o.assessment.total, width=10, number_format=DECIMAL_1),
        Column("考核等级", lambda o: o.assessment.grade, width=10),
        Column("评选人", lambda o: user_display(o.named_by) if o.named_by else "", width=10),
        Column("评选时间", lambda o: local_time(o.named_at), width=17, number_format=DATETIME),
    ]
    return ordered_export(title="优秀工作室成员一览表", columns=columns, qs=qs, totals=False)


def class_titles_export(*, user, data) -> Export:
    """优秀班级 / 窗口班级 (DOMAIN.md §9.1): the titles the list shows, by
    grade department, week or month, class and head teacher."""
    qs = ClassTitleFilter(data, queryset=class_titles_for_list(user)).qs
    columns = [
        Column("周/月", lambda t: t.period_label, width=26),
        Column("起始日期", lambda t: t.starts_on, width=12, number_format=DATE),
        Column("称号", lambda t: t.get_kind_display(), width=10),
        Column("年级部", lambda t: t.department.name, width=12),
        Column("班级", lambda t: t.class_name, width=14),
        Column("班主任", lambda t: t.teacher.name, width=10),
        Column("工号", lambda t: t.teacher.staff_no, width=10),
        Column("评选人", lambda t: user_display(t.named_by) if t.named_by else "", width=10),
        Column("评选时间", lambda t: local_time(t.named_at), width=17, number_format=DATETIME),
    ]
    return ordered_export(title="优秀班级与窗口班级一览表", columns=columns, qs=qs, totals=False)


def annual_member_assessments_export(*, user, data) -> Export:
    """成员年度考核表 (DOMAIN.md §9.4, §10): the year's annual assessments the
    list shows, with its filters: both semesters, the year's attendance and
    duties, the annual total and grade, status and the 调整 proposal."""
    year = school_year_asked(data.get("year"))
    qs = AnnualMemberFilter(data, queryset=annual_assessments_for_list(user, school_year=year)).qs
    score = {"width": 10, "number_format": DECIMAL_1}
    columns = [
        Column("工作室", lambda a: a.membership.workroom.name, width=28),
        Column("姓名", lambda a: a.membership.teacher.name, width=10),
        Column("工号", lambda a: a.membership.teacher.staff_no, width=10),
        Column("第一学期总分", lambda a: a.first_total, **score),
        Column("第一学期等级", lambda a: a.first_grade, width=10),
        Column("第二学期总分", lambda a: a.second_total, **score),
        Column("第二学期等级", lambda a: a.second_grade, width=10),
        Column("全年活动（次）", lambda a: a.activities_held, width=12, number_format=INTEGER),
        Column("全年出勤（次）", lambda a: a.activities_attended, width=12, number_format=INTEGER),
        Column("职责完成（项）", lambda a: f"{a.duties_met}/{a.duties_total}", width=12),
        Column("年度总分", lambda a: a.total, **score),
        Column("年度等级", lambda a: a.grade, width=10),
        Column("说明", lambda a: "；".join(a.reasons), width=40),
        Column("状态", lambda a: a.get_status_display(), width=8),
        Column("调整申请", lambda a: a.adjustment.get_status_display() if a.adjustment else "", width=12),
        Column("主持人评语", lambda a: a.comment, width=40),
    ]
    return ordered_export(title=f"{year}–{year + 1}学年成员年度考核表", columns=columns, qs=qs, totals=False)


def _build_assessment(user, data, pk) -> Export:
    period = get_period_for_user(user, pk)
    require(can_export_assessment(user))
    return assessment_export(user=user, period=period, data=data)


def _build_member_assessments(user, data, pk) -> Export:
    if not can_export_member_assessments(user):
        raise Http404  # as the member list itself
    return member_assessments_export(user=user, data=data)


def _build_bonus_awards(user, data, pk) -> Export:
    if not can_see_bonus_awards(user):
        raise Http404  # as the award list itself
    return bonus_awards_export(data=data)


def _build_outstanding(user, data, pk) -> Export:
    if not can_see_outstanding_list(user):
        raise Http404  # as the 优秀工作室成员 list itself
    return outstanding_export(user=user, data=data)


def _build_class_titles(user, data, pk) -> Export:
    if not can_see_class_titles(user):
        raise Http404  # as the 优秀班级/窗口班级 list itself
    return class_titles_export(user=user, data=data)


def _build_annual_member_assessments(user, data, pk) -> Export:
    if not can_see_annual_member_list(user):
        raise Http404  # as the annual list itself
    return annual_member_assessments_export(user=user, data=data)


register_export("assessment", _build_assessment, pk_param="period_id")
register_export("member_assessments", _build_member_assessments)
register_export("annual_member_assessments", _build_annual_member_assessments)
register_export("evaluations", lambda user, data, pk: evaluations_export(user=user, data=data))
register_export("vetoes", lambda user, data, pk: vetoes_export(user=user, data=data))
register_export("bonus_awards", _build_bonus_awards)
register_export("outstanding", _build_outstanding)
register_export("class_titles", _build_class_titles)
