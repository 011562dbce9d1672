"""Spreadsheets (DOMAIN.md §10): *what* to export is a list of columns and
rows; *how* is one writer, ``write_xlsx``, shared by every export.

The writer uses openpyxl's write-only mode, so memory stays flat however many
rows there are; rows stream from the database in chunks, in the order of the
page they download (each list export filters with that page's own FilterSet
over that page's own queryset, so people get exactly what they see). Text
typed by users that starts with ``= + - @`` is stored as text, never as a
formula (spreadsheet injection)."""

from copy import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, groupby
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q
from django.http import Http404, QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from members.filters import RosterFilter
from members.models import Membership
from members.roles import roles_of
from workrooms.access import get_workroom_for_user
from workrooms.filters import WorkroomFilter
from workrooms.models import Workroom

from . import access

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "yyyy-mm-dd"
INTEGER = "0"
DECIMAL_1 = "0.0"
MONEY = "#,##0.00"
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 12
    number_format: str | None = None
    total: bool = False


@dataclass
class Export:
    """A title, columns and rows; ``rows`` yields objects the columns read."""

    title: str
    filename: str
    columns: list[Column]
    rows: Callable[[], Iterable[Any]]
    count: Callable[[], int]
    totals: bool = False
    numbered: bool = True
    subtitle: str = field(default="")
    # One sheet per group where offices print that way (e.g. per 年级部):
    # yields (sheet name, rows); ``rows`` is then unused.
    sheets: Callable[[], Iterable[tuple[str, Iterable[Any]]]] | None = None


_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_HEADER_BORDER = Border(bottom=_THIN, top=_THIN, left=_THIN, right=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _styled(ws, value, *, font=None, fill=None, border=None, alignment=None, number_format=None):
    cell = WriteOnlyCell(ws, value=value)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if border:
        cell.border = border
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


def _text(ws, value: str):
    """User text that a spreadsheet would read as a formula, kept as text."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def write_xlsx(export: Export, target, *, progress: Callable[[int], None] | None = None, every: int = 500) -> int:
    """Write ``export`` to ``target`` (a path or a binary file); return the
    number of data rows. ``progress(n)`` is called every ``every`` rows."""
    wb = Workbook(write_only=True)
    sheets = export.sheets() if export.sheets is not None else [("", export.rows())]
    n = 0
    for name, rows in sheets:
        n = _write_sheet(wb, export, name, rows, n, progress=progress, every=every)
    if not wb.worksheets:  # nothing to show: still one sheet with the headers
        n = _write_sheet(wb, export, "", [], n, progress=progress, every=every)
    if progress:
        progress(n)
    wb.save(target)
    return n


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    return name[:31] or "Sheet"


def _write_sheet(wb, export: Export, name: str, rows: Iterable[Any], n: int, *, progress, every) -> int:
    """One sheet: title row, frozen header, the rows, totals; returns the
    running row count (for progress across sheets)."""
    ws = wb.create_sheet(_sheet_name(name or export.title))
    columns = ([Column("序号", lambda o: None, width=6, number_format=INTEGER)] if export.numbered else []) + list(
        export.columns
    )
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A3"  # title row and header row stay on screen
    ws.append([_styled(ws, f"{export.title}（{name}）" if name else export.title, font=_TITLE)])
    ws.append([_styled(ws, c.header, font=_BOLD, fill=_HEADER_FILL, border=_HEADER_BORDER, alignment=_CENTER) for c in columns])

    data_columns = export.columns
    offset = 1 if export.numbered else 0
    # One styled cell per format; each data cell copies its style array,
    # which costs far less than setting the format on every cell.
    formats = [_styled(ws, None, number_format=c.number_format)._style if c.number_format else None for c in data_columns]
    totals = [Decimal(0) if c.total else None for c in data_columns]
    want_totals = export.totals
    in_sheet = 0
    for obj in rows:
        n += 1
        in_sheet += 1
        row: list[Any] = [in_sheet] if export.numbered else []
        for j, col in enumerate(data_columns):
            value = col.value(obj)
            if value.__class__ is str:
                if value.startswith(FORMULA_START):
                    value = _text(ws, value)
            elif value is not None:
                if want_totals and totals[j] is not None:
                    totals[j] += Decimal(value)
                if formats[j] is not None:
                    value = Cell(ws, row=1, column=1, value=value, style_array=copy(formats[j]))
            row.append(value)
        ws.append(row)
        if progress and n % every == 0:
            progress(n)
    if export.totals:
        cells: list[Any] = [_styled(ws, "合计", font=_BOLD)] if offset else []
        for j, col in enumerate(data_columns):
            if totals[j] is not None:
                cells.append(_styled(ws, totals[j], font=_BOLD, number_format=col.number_format))
            else:
                cells.append(_styled(ws, "合计", font=_BOLD) if j == 0 and not offset else None)
        ws.append(cells)
    return n


# --- the exports --------------------------------------------------------------------


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d")


def workrooms_export(*, user, data) -> Export:
    """工作室一览: the rows of the workroom list page (its queryset, its
    ``WorkroomFilter``, its order), with member counts and funding."""
    from workrooms.selectors import workrooms_for_list

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
    return _ordered_export(title="名班主任工作室一览表", columns=columns, qs=qs)


def roster_export(*, user, workroom: Workroom, data) -> Export:
    """花名册: the roster table of the workroom's member-management page as
    filtered there (``members.filters.RosterFilter`` over the same rows).
    Phone numbers only for the office (DOMAIN.md §2: contact details are
    the office's and the teacher's own)."""
    from members.selectors import roster_memberships

    today = timezone.localdate()
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
    return _ordered_export(title=f"{workroom.name}花名册", columns=columns, qs=qs, totals=False)


def _line_value(result, label: str) -> Decimal | None:
    """A figure of a stored result's explanation (``Result.lines``), as stored."""
    for line_label, value, _formula in result.lines:
        if line_label == label:
            try:
                return Decimal(str(value).replace("元", "").strip())
            except ArithmeticError:
                return None
    return None


def _decimal(value) -> Decimal | None:
    return None if value in (None, "", "None") else Decimal(str(value))


def _veto_text(result) -> str:
    n = result.inputs.get("vetoes") or 0
    return f"一票否决 {n} 项" if n else "无"


def _assessment_columns(kind: str) -> list[Column]:
    from assessment.models import Period

    teacher = [
        Column("班级", lambda r: r.teacher.class_name, width=14),
        Column("班主任", lambda r: r.teacher.name, width=10),
    ]
    if kind == Period.Kind.MONTH:
        return teacher + [
            Column("年级部检查", lambda r: _decimal(r.inputs.get("dept")), width=12, number_format=DECIMAL_1),
            Column("德育处抽查", lambda r: _decimal(r.inputs.get("office")), width=12, number_format=DECIMAL_1),
            Column("月考核得分", lambda r: r.score, width=12, number_format=DECIMAL_1),
            Column("否决情况", _veto_text, width=14),
            Column("结果", lambda r: r.outcome, width=10),
            Column("津贴（元）", lambda r: r.amount, width=14, number_format=MONEY, total=True),
        ]
    if kind == Period.Kind.SEMESTER:
        return teacher + [
            Column("月考核得分合计", lambda r: _line_value(r, "月考核得分合计"), width=14, number_format=DECIMAL_1),
            Column("加分", lambda r: _line_value(r, "加分"), width=8, number_format=DECIMAL_1),
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
    from assessment.filters import ResultFilter
    from assessment.models import Period
    from assessment.selectors import period_results

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
        title=title, filename=f"{title}-{_stamp()}.xlsx", columns=_assessment_columns(period.kind),
        rows=lambda: ordered.iterator(), count=qs.count, totals=True, sheets=sheets,
    )


DATETIME = "yyyy-mm-dd hh:mm"


def _local(moment):
    """A spreadsheet has no time zones: the local wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _ordered_export(*, title: str, columns: list[Column], qs, totals: bool = True) -> Export:
    """Rows in the page's order (a ledger reads by date), streamed in chunks."""
    return Export(
        title=title, filename=f"{title}-{_stamp()}.xlsx", columns=columns,
        rows=lambda: qs.iterator(chunk_size=settings.EXPORT_BATCH_SIZE), count=qs.count, totals=totals,
    )


def funding_export(*, workroom: Workroom, data) -> Export:
    """专项经费台账 (DOMAIN.md §3): the year's expenses as the ledger page
    shows them, with the running balance of approved spending and totals."""
    from workrooms import ops_selectors
    from workrooms.ops_filters import ExpenseFilter
    from workrooms.ops_forms import LedgerDateForm

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
    return _ordered_export(title=f"{workroom.name}{year}年专项经费台账（年度额度{summary.allocation}元）", columns=columns, qs=qs)


def activities_export(*, workroom: Workroom, data) -> Export:
    """活动及考勤台账 (DOMAIN.md §6): the activities the list page shows, each
    with its attendance (出席, 请假, 缺席) and training hours, with totals."""
    from django.db.models import Count, Q

    from workrooms import ops_selectors
    from workrooms.models import Attendance
    from workrooms.ops_filters import ActivityFilter

    qs = ActivityFilter(data, queryset=ops_selectors.activity_list(workroom)).qs.annotate(
        on_leave=Count("attendances", filter=Q(attendances__status=Attendance.Status.LEAVE)),
        absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
    )
    columns = [
        Column("活动时间", lambda a: _local(a.starts_at), width=17, number_format=DATETIME),
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
    return _ordered_export(title=f"{workroom.name}活动及考勤台账", columns=columns, qs=qs)


def training_hours_export(*, workroom: Workroom) -> Export:
    """成员培训学时统计 (DOMAIN.md §5, §6): each current member's figures of
    the school year, as the duty-progress page computes them."""
    from workrooms import ops_selectors

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
        title=title, filename=f"{title}-{_stamp()}.xlsx", columns=columns, rows=lambda: rows, count=lambda: len(rows),
        totals=True,
    )


def member_assessments_export(*, user, data) -> Export:
    """成员考核表 (DOMAIN.md §9.4): one sheet per workroom, each member with
    the host's five scores, total and grade as stored for the semester; the
    members the list page shows, with its filters."""
    from django.db.models import F, FilteredRelation

    from assessment.filters import MembershipFilter
    from assessment.models import SEMESTER_LABELS
    from assessment.rules.member import DIMENSIONS
    from assessment.selectors import assessable_memberships, semester_asked

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
        title=title, filename=f"{title}-{_stamp()}.xlsx", columns=columns, rows=lambda: qs.iterator(),
        count=qs.count, sheets=sheets,
    )


# --- the school's list pages (教师名录, 申报, 职责进度, 评估, 证书, 成果, 否决, 加分) ---------


def teachers_export(*, user, data) -> Export:
    """教师名录: the directory page's rows (``teachers_for_list`` through its
    ``TeacherFilter``, by staff number). Phone and e-mail only for the office
    (DOMAIN.md §2: contact details are the office's and the teacher's own)."""
    from members.filters import TeacherFilter
    from members.selectors import teachers_for_list

    today = timezone.localdate()
    qs = TeacherFilter(data, queryset=teachers_for_list(user)).qs
    contact = [
        Column("联系电话", lambda t: t.phone, width=16),
        Column("电子邮箱", lambda t: t.email, width=24),
    ]
    columns = [
        Column("工号", lambda t: t.staff_no, width=10),
        Column("姓名", lambda t: t.name, width=10),
        Column("性别", lambda t: t.get_gender_display(), width=6),
        Column("学校", lambda t: t.school.name, width=18),
        Column("系部/年级部", lambda t: t.department.name if t.department else "", width=14),
        Column("职称", lambda t: t.get_title_display(), width=8),
        Column("年龄", lambda t: t.age_on(today), width=6, number_format=INTEGER),
        Column("在岗班主任", lambda t: "是" if t.is_head_teacher else "否", width=10),
        Column("所带班级", lambda t: t.class_name, width=14),
        Column("班主任年限", lambda t: t.head_teacher_years_on(today), width=10, number_format=INTEGER),
        Column("担任班主任起始日期", lambda t: t.head_teacher_since, width=18, number_format=DATE),
        *(contact if roles_of(user).is_office else []),
    ]
    return _ordered_export(title="教师名录", columns=columns, qs=qs, totals=False)


def _tenths(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"))


def applications_export(*, user, data) -> Export:
    """主持人申报 (DOMAIN.md §4): the application list's rows with each
    review step's date; the experts' scores only for those who may read the
    reviews (the office and school leaders)."""
    from workrooms.filters import ApplicationFilter
    from workrooms.selectors import applications_for_list, with_review_steps

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
        Column("提交时间", lambda a: _local(a.submitted_at), width=17, number_format=DATETIME),
        Column("状态", lambda a: a.get_status_display(), width=12),
        Column("系部审核通过", lambda a: _local(a.dept_passed_at), width=17, number_format=DATETIME),
        Column("德育处审核通过", lambda a: _local(a.office_passed_at), width=17, number_format=DATETIME),
        *(reviews if roles_of(user).sees_everything else []),
        Column("公示开始", lambda a: _local(a.notice_starts_at), width=17, number_format=DATETIME),
        Column("公示结束", lambda a: _local(a.notice_ends_at), width=17, number_format=DATETIME),
        Column("公示异议（条）", lambda a: a.n_objections, width=14, number_format=INTEGER),
        Column("工作室", lambda a: a.workroom.name if a.workroom else "", width=26),
    ]
    return _ordered_export(title="主持人申报一览表", columns=columns, qs=qs, totals=False)


def duty_overview_export(*, data) -> Export:
    """各工作室职责进度 (DOMAIN.md §6): every workroom the overview's filters
    show, with the page's figures, computed for all rows in one query
    (``overview_queryset``) rather than one page at a time."""
    from workrooms import duties, ops_selectors
    from workrooms.models import RuleSet
    from workrooms.ops_filters import OverviewFilter

    rules = duties.duty_rules_from(RuleSet.objects.current())
    semester = ops_selectors.semester_of(timezone.localdate())
    filtered = OverviewFilter(data, queryset=ops_selectors.overview_workrooms()).qs
    annotated = ops_selectors.overview_queryset(filtered)
    required = duties.workroom_duties(duties.WorkroomCounts(), rules)[:5]

    def rows():
        for w in annotated.iterator(chunk_size=settings.EXPORT_BATCH_SIZE):
            yield ops_selectors.overview_row(w, rules)

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
        title=title, filename=f"{title}-{_stamp()}.xlsx", columns=columns, rows=rows, count=filtered.count,
        totals=True,
    )


def evaluations_export(*, user, data) -> Export:
    """工作室评估 (DOMAIN.md §9.5): the evaluation list's rows with the
    panel's size, the total and grade as concluded."""
    from assessment.filters import EvaluationFilter
    from assessment.models import Evaluation
    from assessment.selectors import evaluations_for_list
    from workrooms.ops_selectors import SubqueryCount

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
        Column("发起时间", lambda e: _local(e.opened_at), width=17, number_format=DATETIME),
        Column("出结果时间", lambda e: _local(e.concluded_at), width=17, number_format=DATETIME),
    ]
    return _ordered_export(title="工作室评估一览表", columns=columns, qs=qs, totals=False)


def certificates_export(*, user, data) -> Export:
    """证书台账 (DOMAIN.md §10): serial, kind, recipient and workroom as
    printed, issue date, and whether and why a certificate was revoked."""
    from .filters import CertificateFilter
    from .selectors import certificates_for_list

    qs = CertificateFilter(data, queryset=certificates_for_list(user)).qs.select_related("reissue_of")
    columns = [
        Column("证书编号", lambda c: c.serial, width=18),
        Column("证书类型", lambda c: c.get_kind_display(), width=16),
        Column("荣誉称号", lambda c: c.honour, width=14),
        Column("获证人", lambda c: c.recipient_name, width=10),
        Column("工作室", lambda c: c.workroom_name, width=28),
        Column("颁发日期", lambda c: c.issued_on, width=12, number_format=DATE),
        Column("状态", lambda c: "已撤销" if c.revoked_at else "有效", width=8),
        Column("撤销时间", lambda c: _local(c.revoked_at), width=17, number_format=DATETIME),
        Column("撤销原因", lambda c: c.revoke_reason, width=30),
        Column("补发自", lambda c: c.reissue_of.serial if c.reissue_of else "", width=18),
    ]
    return _ordered_export(title="证书台账", columns=columns, qs=qs, totals=False)


def achievements_export(*, user, data) -> Export:
    """成果荣誉 (DOMAIN.md §7): the achievement list as its filters show it
    (the office verifies from it), with the verification and its comment."""
    from types import SimpleNamespace

    from members.record_filters import AchievementFilter
    from members.record_selectors import achievements_for

    # ``mine`` (只看我的) reads the request's user; a job has none of its own.
    request = SimpleNamespace(user=user)
    qs = AchievementFilter(data, queryset=achievements_for(user), request=request).qs
    columns = [
        Column("名称", lambda a: a.title, width=30),
        Column("类别", lambda a: a.get_kind_display(), width=14),
        Column("级别", lambda a: a.get_level_display(), width=8),
        Column("获得者", lambda a: a.owner_display, width=16),
        Column("成员", lambda a: a.teacher.name, width=10),
        Column("工作室", lambda a: a.workroom.name, width=26),
        Column("获得日期", lambda a: a.achieved_on, width=12, number_format=DATE),
        Column("学期", lambda a: a.semester, width=24),
        Column("状态", lambda a: a.get_status_display(), width=10),
        Column("认定时间", lambda a: _local(a.verified_at), width=17, number_format=DATETIME),
        Column("认定意见", lambda a: a.verify_comment, width=30),
    ]
    return _ordered_export(title="成果荣誉一览表", columns=columns, qs=qs, totals=False)


def vetoes_export(*, user, data) -> Export:
    """一票否决情形 (DOMAIN.md §9.1): the cases the list shows, with who
    recorded and who confirmed each."""
    from assessment.filters import VetoFilter
    from assessment.selectors import vetoes_for_list
    from workrooms.selectors import user_display

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
        Column("登记时间", lambda v: _local(v.recorded_at), width=17, number_format=DATETIME),
        Column("状态", lambda v: "已认定" if v.is_confirmed else "待认定", width=8),
        Column("认定人", lambda v: name(v.confirmed_by), width=10),
        Column("认定时间", lambda v: _local(v.confirmed_at), width=17, number_format=DATETIME),
    ]
    return _ordered_export(title="一票否决情形登记表", columns=columns, qs=qs, totals=False)


def bonus_awards_export(*, data) -> Export:
    """加分项 (DOMAIN.md §9.3): the awards the list shows, as recorded."""
    from assessment.filters import BonusAwardFilter
    from assessment.selectors import bonus_awards_for_list
    from workrooms.selectors import user_display

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
        Column("登记时间", lambda a: _local(a.recorded_at), width=17, number_format=DATETIME),
    ]
    return _ordered_export(title="加分项登记表", columns=columns, qs=qs, totals=False)


def outreach_export(*, workroom: Workroom, data) -> Export:
    """辐射引领记录 (DOMAIN.md §6): a workroom's lectures, trainings and
    exchanges as its list shows them, with the hours totalled."""
    from workrooms.outreach_forms import OutreachFilter
    from workrooms.selectors import outreach_records_of, user_display

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
    return _ordered_export(title=f"{workroom.name}辐射引领记录", columns=columns, qs=qs)


def outstanding_export(*, user, data) -> Export:
    """优秀工作室成员 (DOMAIN.md §9.4): the titles the list shows, with the
    member assessment they were named from and who named them when."""
    from assessment.honour_filters import OutstandingFilter
    from assessment.selectors import outstanding_for_list
    from workrooms.selectors import user_display

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
        Column("评选时间", lambda o: _local(o.named_at), width=17, number_format=DATETIME),
    ]
    return _ordered_export(title="优秀工作室成员一览表", columns=columns, qs=qs, totals=False)


def class_titles_export(*, user, data) -> Export:
    """优秀班级 / 窗口班级 (DOMAIN.md §9.1): the titles the list shows, by
    grade department, week or month, class and head teacher."""
    from assessment.honour_filters import ClassTitleFilter
    from assessment.selectors import class_titles_for_list
    from workrooms.selectors import user_display

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
        Column("评选时间", lambda t: _local(t.named_at), width=17, number_format=DATETIME),
    ]
    return _ordered_export(title="优秀班级与窗口班级一览表", columns=columns, qs=qs, totals=False)


def page_query(params: dict) -> QueryDict:
    """The query string a job was asked with, as the page parsed it."""
    query = QueryDict(mutable=True)
    for key, values in params.get("query", {}).items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


# --- every export kind: its download and its job -------------------------------------


@dataclass(frozen=True)
class ExportKind:
    """How one kind of download is built. ``build(user, data, pk)`` returns
    the export as ``user`` may see it, for the page's query string ``data``
    and the page's own object ``pk`` (a workroom, a period) where it has one,
    and refuses exactly as the page does: ``Http404`` for someone the page
    hides from, ``PermissionDenied`` for someone it refuses. A job keeps
    ``pk`` in its params under ``pk_param``."""

    build: Callable[[Any, QueryDict, int | None], Export]
    pk_param: str = ""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _ledger_workroom(user, pk) -> Workroom:
    """The workroom whose ledgers (activities, hours, funding) ``user``
    exports: 404 for whoever may not see its operations, 403 for its members
    (the host, the office and school leaders export them)."""
    from workrooms.access import get_ops_workroom_for_user

    workroom = get_ops_workroom_for_user(user, pk)
    _require(access.can_export_workroom_ledgers(user, workroom))
    return workroom


def _build_workrooms(user, data, pk) -> Export:
    _require(access.can_export_school_lists(user))
    return workrooms_export(user=user, data=data)


def _build_roster(user, data, pk) -> Export:
    workroom = get_workroom_for_user(user, pk)
    _require(access.can_export_roster(user, workroom))
    return roster_export(user=user, workroom=workroom, data=data)


def _build_assessment(user, data, pk) -> Export:
    from assessment.access import get_period_for_user

    period = get_period_for_user(user, pk)
    _require(access.can_export_assessment(user))
    return assessment_export(user=user, period=period, data=data)


def _build_member_assessments(user, data, pk) -> Export:
    if not access.can_export_member_assessments(user):
        raise Http404  # as the member list itself
    return member_assessments_export(user=user, data=data)


def _build_duty_overview(user, data, pk) -> Export:
    from workrooms.access import can_see_duty_overview

    _require(can_see_duty_overview(user))  # as the overview page itself
    return duty_overview_export(data=data)


def _build_bonus_awards(user, data, pk) -> Export:
    from assessment.access import can_see_bonus_awards

    if not can_see_bonus_awards(user):
        raise Http404  # as the award list itself
    return bonus_awards_export(data=data)


def _build_outstanding(user, data, pk) -> Export:
    from assessment.access import can_see_outstanding_list

    if not can_see_outstanding_list(user):
        raise Http404  # as the 优秀工作室成员 list itself
    return outstanding_export(user=user, data=data)


def _build_class_titles(user, data, pk) -> Export:
    from assessment.access import can_see_class_titles

    if not can_see_class_titles(user):
        raise Http404  # as the 优秀班级/窗口班级 list itself
    return class_titles_export(user=user, data=data)


def _build_outreach(user, data, pk) -> Export:
    from workrooms.access import get_insider_workroom

    return outreach_export(workroom=get_insider_workroom(user, pk), data=data)


# The lists whose rows are already narrowed to what each person may see
# (教师名录, 申报, 评估, 证书, 成果, 否决) download for whoever sees the page;
# only the office gets teachers' contact details (``teachers_export``).
EXPORT_KINDS: dict[str, ExportKind] = {
    "workrooms": ExportKind(_build_workrooms),
    "roster": ExportKind(_build_roster, "workroom_id"),
    "funding": ExportKind(
        lambda user, data, pk: funding_export(workroom=_ledger_workroom(user, pk), data=data), "workroom_id"
    ),
    "activities": ExportKind(
        lambda user, data, pk: activities_export(workroom=_ledger_workroom(user, pk), data=data), "workroom_id"
    ),
    "training_hours": ExportKind(
        lambda user, data, pk: training_hours_export(workroom=_ledger_workroom(user, pk)), "workroom_id"
    ),
    "assessment": ExportKind(_build_assessment, "period_id"),
    "member_assessments": ExportKind(_build_member_assessments),
    "teachers": ExportKind(lambda user, data, pk: teachers_export(user=user, data=data)),
    "applications": ExportKind(lambda user, data, pk: applications_export(user=user, data=data)),
    "duty_overview": ExportKind(_build_duty_overview),
    "evaluations": ExportKind(lambda user, data, pk: evaluations_export(user=user, data=data)),
    "certificates": ExportKind(lambda user, data, pk: certificates_export(user=user, data=data)),
    "achievements": ExportKind(lambda user, data, pk: achievements_export(user=user, data=data)),
    "vetoes": ExportKind(lambda user, data, pk: vetoes_export(user=user, data=data)),
    "bonus_awards": ExportKind(_build_bonus_awards),
    "outstanding": ExportKind(_build_outstanding),
    "class_titles": ExportKind(_build_class_titles),
    "outreach": ExportKind(_build_outreach, "workroom_id"),
}


def export_for_job(job) -> Export:
    """Rebuild the export a job was asked for, for the same page query, as
    its requester may see it now (access is checked again)."""
    from .services import JobError

    kind = EXPORT_KINDS.get(job.params.get("export"))
    if kind is None:
        raise JobError("未知的导出类型。")
    pk = job.params.get(kind.pk_param) if kind.pk_param else None
    try:
        return kind.build(job.requested_by, page_query(job.params), pk)
    except Http404:
        raise JobError("要导出的内容不存在或无权查看。") from None
    except PermissionDenied:
        raise JobError("无权导出该内容。") from None
