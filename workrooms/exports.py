"""Spreadsheets of the workroom lists and ledgers (DOMAIN.md §10), registered with ``core.xlsx``."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from core.calendar import school_today
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
from members.roles import roles_of
from workrooms.access import (
    can_export_roster,
    can_export_school_lists,
    can_export_workroom_ledgers,
    can_see_duty_overview,
    get_insider_workroom,
    get_ops_workroom_for_user,
    get_workroom_for_user,
)
from workrooms.activities import duties
from workrooms.activities import selectors as ops_selectors
from workrooms.activities.filters import ActivityFilter, ExpenseFilter, OverviewFilter
from workrooms.activities.forms import LedgerDateForm
from workrooms.filters import ApplicationFilter, WorkroomFilter
from workrooms.models import Attendance, RuleSet, Workroom
from workrooms.outreach.forms import OutreachFilter
from workrooms.records.filters import AchievementFilter
from workrooms.records.selectors import achievements_for
from workrooms.selection.filters import RosterFilter
from workrooms.selection.models import Membership
from workrooms.selection.selectors import roster_memberships
from workrooms.selectors import (
    applications_for_list,
    outreach_records_of,
    user_display,
    with_review_steps,
    workrooms_for_list,
)


def workrooms_export(*, user, data) -> Export:
    """工作室一览: the rows of the workroom list page (its queryset, its
    ``WorkroomFilter``, its order), with member counts and funding."""
    active_members = Count(
        "memberships",
        filter=Q(memberships__role=Membership.Role.MEMBER, memberships__status=Membership.Status.ACTIVE),
    )
    qs = WorkroomFilter(data, queryset=workrooms_for_list(user)).qs
    qs = qs.select_related("ruleset").annotate(member_count=active_members)
    columns = [
        Column("工作室名称", lambda w: w.name, width=30),
        Column("主持人", lambda w: w.host.name, width=10),
        Column("所属学校", lambda w: w.school.name, width=20),
        Column("状态", lambda w: w.get_status_display(), width=10),
        Column("研究方向", lambda w: w.research_direction, width=28),
        Column("建设周期开始", lambda w: w.cycle_start, width=14, number_format=DATE),
        Column("建设周期结束", lambda w: w.cycle_end, width=14, number_format=DATE),
        Column("在册成员数", lambda w: w.member_count, width=12, number_format=INTEGER, total=True),
        Column(
            "年度专项经费（元）",
            lambda w: Decimal(0) if w.funding_stopped else w.ruleset.annual_funding,
            width=18,
            number_format=MONEY,
            total=True,
        ),
    ]
    return ordered_export(title="名班主任工作室一览表", columns=columns, qs=qs)


def roster_export(*, user, workroom: Workroom, data) -> Export:
    """花名册: the roster table of the workroom's member-management page as
    filtered there (``workrooms.selection.filters.RosterFilter`` over the same rows).
    Phone numbers only for the office (DOMAIN.md §2: contact details are
    the office's and the teacher's own)."""
    today = school_today()
    qs = RosterFilter(data, queryset=roster_memberships(workroom)).qs
    columns = [
        Column("姓名", lambda m: m.teacher.name, width=10),
        Column("工号", lambda m: m.teacher.staff_no, width=10),
        Column("性别", lambda m: m.teacher.get_gender_display(), width=6),
        Column("学校", lambda m: m.teacher.school.name, width=18),
        Column("系部/年级部", lambda m: m.teacher.department.name if m.teacher.department else "", width=14),
        Column("职称", lambda m: m.teacher.get_title_display(), width=8),
        Column("出生日期", lambda m: m.teacher.birth_date, width=12, number_format=DATE),
        Column("年龄", lambda m: m.teacher.age_on(today), width=6, number_format=INTEGER),
        Column("班主任年限", lambda m: m.teacher.head_teacher_years_on(today), width=10, number_format=INTEGER),
        Column("所带班级", lambda m: m.teacher.class_name, width=14),
        *([Column("联系电话", lambda m: m.teacher.phone, width=16)] if roles_of(user).is_office else []),
        Column("身份", lambda m: m.get_role_display(), width=8),
        Column("状态", lambda m: m.get_status_display(), width=8),
        Column("档案管理员", lambda m: "是" if m.is_archivist else "", width=10),
        Column("加入日期", lambda m: m.joined_on, width=12, number_format=DATE),
        Column("离开日期", lambda m: m.left_on, width=12, number_format=DATE),
    ]
    return ordered_export(title=f"{workroom.name}花名册", columns=columns, qs=qs, totals=False)


def funding_export(*, workroom: Workroom, data) -> Export:
    """专项经费台账 (DOMAIN.md §3): the year's expenses as the ledger page
    shows them, with the running balance of approved spending and totals."""
    year, as_of = LedgerDateForm(data).period()
    summary = ops_selectors.ledger_summary(workroom, year=year, as_of=as_of)
    entries = ops_selectors.ledger_entries(workroom, year=year, allocation=summary.allocation)
    qs = ExpenseFilter(data, queryset=entries).qs
    approved = "approved"
    columns = [
        Column("支出日期", lambda e: e.spent_on, width=12, number_format=DATE),
        Column("类别", lambda e: e.get_category_display(), width=12),
        Column("用途说明", lambda e: e.description, width=32),
        Column("关联活动", lambda e: e.activity.theme if e.activity else "", width=24),
        Column("状态", lambda e: e.get_status_display(), width=10),
        Column("金额（元）", lambda e: e.amount, width=14, number_format=MONEY, total=True),
        Column("已批准支出（元）", lambda e: e.amount if e.status == approved else None, width=16, number_format=MONEY, total=True),
        Column("累计已批准（元）", lambda e: e.spent_to_date, width=16, number_format=MONEY),
        Column("结余（元）", lambda e: e.balance, width=14, number_format=MONEY),
    ]
    return ordered_export(title=f"{workroom.name}{year}年专项经费台账（年度额度{summary.allocation}元）", columns=columns, qs=qs)


def activities_export(*, workroom: Workroom, data) -> Export:
    """活动及考勤台账 (DOMAIN.md §6): the activities the list page shows, each
    with its attendance (出席, 请假, 缺席) and training hours, with totals."""
    from django.db.models import Count, Q

    qs = ActivityFilter(data, queryset=ops_selectors.activity_list(workroom)).qs.annotate(
        on_leave=Count("attendances", filter=Q(attendances__status=Attendance.Status.LEAVE)),
        absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
    )
    columns = [
        Column("活动时间", lambda a: local_time(a.starts_at), width=17, number_format=DATETIME),
        Column("活动类型", lambda a: a.get_type_display(), width=14),
        Column("主题", lambda a: a.theme, width=30),
        Column("地点", lambda a: a.place, width=16),
        Column("中心发言人", lambda a: a.speaker.name if a.speaker else "", width=10),
        Column("记录人", lambda a: a.recorder.name if a.recorder else "", width=10),
        Column("培训级别", lambda a: a.get_level_display(), width=10),
        Column("培训学时", lambda a: a.training_hours, width=10, number_format=DECIMAL_1, total=True),
        Column("出席", lambda a: a.present, width=8, number_format=INTEGER, total=True),
        Column("请假", lambda a: a.on_leave, width=8, number_format=INTEGER, total=True),
        Column("缺席", lambda a: a.absent, width=8, number_format=INTEGER, total=True),
    ]
    return ordered_export(title=f"{workroom.name}活动及考勤台账", columns=columns, qs=qs)


def training_hours_export(*, workroom: Workroom) -> Export:
    """成员培训学时统计 (DOMAIN.md §5, §6): each current member's figures of
    the school year, as the duty-progress page computes them."""
    progress = ops_selectors.workroom_progress(workroom)
    rows = progress.members
    columns = [
        Column("姓名", lambda r: r.membership.teacher.name, width=10),
        Column("工号", lambda r: r.membership.teacher.staff_no, width=10),
        Column("应参加活动", lambda r: r.held, width=12, number_format=INTEGER, total=True),
        Column("缺席", lambda r: r.absent, width=8, number_format=INTEGER, total=True),
        Column("培训学时", lambda r: r.counts.training_hours, width=10, number_format=DECIMAL_1, total=True),
        Column("市级及以上专家讲座", lambda r: r.counts.expert_lectures, width=18, number_format=INTEGER, total=True),
        Column("展示课", lambda r: r.counts.demo_classes, width=8, number_format=INTEGER, total=True),
        Column("缺席超限", lambda r: "是" if r.flagged else "", width=10),
    ]
    title = f"{workroom.name}{progress.year.label}成员培训学时统计"
    return Export(
        title=title, filename=f"{title}-{stamp()}.xlsx", columns=columns, rows=lambda: rows, count=lambda: len(rows),
        totals=True,
    )


def applications_export(*, user, data) -> Export:
    """主持人申报 (DOMAIN.md §4): the application list's rows with each
    review step's date; the experts' scores only for those who may read the
    reviews (the office and school leaders)."""
    qs = with_review_steps(ApplicationFilter(data, queryset=applications_for_list(user)).qs)
    reviews = [
        Column("评审专家（人）", lambda a: a.n_experts, width=14, number_format=INTEGER),
        Column("已评审（份）", lambda a: a.n_reviews, width=12, number_format=INTEGER),
        Column("专家平均分", lambda a: _tenths(a.mean_score), width=12, number_format=DECIMAL_1),
        Column("推荐立项（份）", lambda a: a.n_recommend, width=14, number_format=INTEGER),
    ]
    columns = [
        Column("申报人", lambda a: a.applicant.name, width=10),
        Column("工号", lambda a: a.applicant.staff_no, width=10),
        Column("学校", lambda a: a.applicant.school.name, width=18),
        Column("系部", lambda a: a.applicant.department.name if a.applicant.department else "", width=14),
        Column("研究方向", lambda a: a.research_direction, width=28),
        Column("提交时间", lambda a: local_time(a.submitted_at), width=17, number_format=DATETIME),
        Column("状态", lambda a: a.get_status_display(), width=12),
        Column("系部审核通过", lambda a: local_time(a.dept_passed_at), width=17, number_format=DATETIME),
        Column("德育处审核通过", lambda a: local_time(a.office_passed_at), width=17, number_format=DATETIME),
        *(reviews if roles_of(user).sees_everything else []),
        Column("公示开始", lambda a: local_time(a.notice_starts_at), width=17, number_format=DATETIME),
        Column("公示结束", lambda a: local_time(a.notice_ends_at), width=17, number_format=DATETIME),
        Column("公示异议（条）", lambda a: a.n_objections, width=14, number_format=INTEGER),
        Column("工作室", lambda a: a.workroom.name if a.workroom else "", width=26),
    ]
    return ordered_export(title="主持人申报一览表", columns=columns, qs=qs, totals=False)


def duty_overview_export(*, data) -> Export:
    """各工作室职责进度 (DOMAIN.md §6): every workroom the overview's filters
    show, with the page's figures, computed for all rows in one query
    (``overview_queryset``) rather than one page at a time."""
    rules = duties.duty_rules_from(RuleSet.objects.current())
    today = school_today()
    semester = ops_selectors.semester_of(today)
    filtered = OverviewFilter(data, queryset=ops_selectors.overview_workrooms()).qs
    annotated = ops_selectors.overview_queryset(filtered, today=today)
    days = ops_selectors.monthly_activity_days(filtered.values("pk"), semester)
    no_months = ops_selectors.month_ticks([], semester=semester, rules=rules, today=today)
    required = duties.workroom_duties(duties.WorkroomCounts(group_study_months=no_months), rules)[:5]

    def rows():
        for w in annotated.iterator(chunk_size=settings.EXPORT_BATCH_SIZE):
            ticks = ops_selectors.month_ticks(days[w.pk].group_studies, semester=semester, rules=rules, today=today)
            yield ops_selectors.overview_row(w, rules, ticks)

    def done(i):
        return lambda row: row.duties[i].done

    columns = [
        Column("工作室", lambda r: r.workroom.name, width=30),
        Column("主持人", lambda r: r.workroom.host.name, width=10),
        Column("状态", lambda r: r.workroom.get_status_display(), width=10),
        Column("成员", lambda r: r.members, width=8, number_format=INTEGER, total=True),
        Column("本学期活动", lambda r: r.activities, width=12, number_format=INTEGER, total=True),
        *[
            Column(f"{d.label}（应{d.required:f}）", done(i), width=14, number_format=INTEGER)
            for i, d in enumerate(required)
        ],
        Column(f"人均课时（本学年，应{rules.training_hours_per_year}）", lambda r: r.hours_per_member, width=16,
               number_format=DECIMAL_1),
        Column("出勤率（%）", lambda r: r.attendance_rate, width=12, number_format=DECIMAL_1),
        Column("未完成", lambda r: "、".join(d.label for d in r.duties if not d.met), width=30),
    ]
    title = f"各工作室职责进度（{semester.label}）"
    return Export(
        title=title, filename=f"{title}-{stamp()}.xlsx", columns=columns, rows=rows, count=filtered.count,
        totals=True,
    )


def achievements_export(*, user, data) -> Export:
    """成果荣誉 (DOMAIN.md §7): the achievement list as its filters show it
    (the office verifies from it), with the verification and its comment."""
    from types import SimpleNamespace

    # ``mine`` (只看我的) reads the request's user; a job has none of its own.
    request = SimpleNamespace(user=user)
    qs = AchievementFilter(data, queryset=achievements_for(user), request=request).qs
    columns = [
        Column("名称", lambda a: a.title, width=30),
        Column("类别", lambda a: a.get_kind_display(), width=14),
        Column("级别", lambda a: a.get_level_display(), width=8),
        Column("获得者", lambda a: a.owner_display, width=16),
        Column("成员", lambda a: a.teacher.name, width=10),
        Column("工作室", lambda a: a.workroom.name if a.workroom else "个人记录", width=26),
        Column("获得日期", lambda a: a.achieved_on, width=12, number_format=DATE),
        Column("学期", lambda a: a.semester, width=24),
        Column("状态", lambda a: a.get_status_display(), width=10),
        Column("认定时间", lambda a: local_time(a.verified_at), width=17, number_format=DATETIME),
        Column("认定意见", lambda a: a.verify_comment, width=30),
    ]
    return ordered_export(title="成果荣誉一览表", columns=columns, qs=qs, totals=False)


def outreach_export(*, workroom: Workroom, data) -> Export:
    """辐射引领记录 (DOMAIN.md §6): a workroom's lectures, trainings and
    exchanges as its list shows them, with the hours totalled."""
    qs = OutreachFilter(data, queryset=outreach_records_of(workroom)).qs
    columns = [
        Column("日期", lambda r: r.date, width=12, number_format=DATE),
        Column("类别", lambda r: r.get_kind_display(), width=14),
        Column("主题", lambda r: r.topic, width=30),
        Column("对象/学校", lambda r: r.audience, width=24),
        Column("课时", lambda r: r.hours, width=8, number_format=DECIMAL_1, total=True),
        Column("在工作室主页公开", lambda r: "是" if r.is_public else "否", width=16),
        Column("记录人", lambda r: user_display(r.recorded_by) if r.recorded_by else "", width=10),
    ]
    return ordered_export(title=f"{workroom.name}辐射引领记录", columns=columns, qs=qs)


def _tenths(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"))


def _ledger_workroom(user, pk) -> Workroom:
    """The workroom whose ledgers (activities, hours, funding) ``user``
    exports: 404 for whoever may not see its operations, 403 for its members
    (the host, the office and school leaders export them)."""
    workroom = get_ops_workroom_for_user(user, pk)
    require(can_export_workroom_ledgers(user, workroom))
    return workroom


def _build_workrooms(user, data, pk) -> Export:
    require(can_export_school_lists(user))
    return workrooms_export(user=user, data=data)


def _build_roster(user, data, pk) -> Export:
    workroom = get_workroom_for_user(user, pk)
    require(can_export_roster(user, workroom))
    return roster_export(user=user, workroom=workroom, data=data)


def _build_duty_overview(user, data, pk) -> Export:
    require(can_see_duty_overview(user))  # as the overview page itself
    return duty_overview_export(data=data)


def _build_outreach(user, data, pk) -> Export:
    return outreach_export(workroom=get_insider_workroom(user, pk), data=data)


register_export("workrooms", _build_workrooms)
register_export("roster", _build_roster, pk_param="workroom_id")
register_export(
    "funding", lambda user, data, pk: funding_export(workroom=_ledger_workroom(user, pk), data=data), pk_param="workroom_id"
)
register_export(
    "activities", lambda user, data, pk: activities_export(workroom=_ledger_workroom(user, pk), data=data),
    pk_param="workroom_id",
)
register_export(
    "training_hours", lambda user, data, pk: training_hours_export(workroom=_ledger_workroom(user, pk)), pk_param="workroom_id"
)
register_export("applications", lambda user, data, pk: applications_export(user=user, data=data))
register_export("duty_overview", _build_duty_overview)
register_export("achievements", lambda user, data, pk: achievements_export(user=user, data=data))
register_export("outreach", _build_outreach, pk_param="workroom_id")

