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
from django.db.models import Count, Q
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


def page_query(params: dict) -> QueryDict:
    """The query string a job was asked with, as the page parsed it."""
    query = QueryDict(mutable=True)
    for key, values in params.get("query", {}).items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


def export_for_job(job) -> Export:
    """Rebuild the export a job was asked for, seen as its requester sees it."""
    from .services import JobError

    p = job.params
    query = page_query(p)
    if p.get("export") == "workrooms":
        return workrooms_export(user=job.requested_by, data=query)
    if p.get("export") == "roster":
        try:
            workroom = get_workroom_for_user(job.requested_by, p["workroom_id"])
        except Http404:
            raise JobError("工作室不存在或无权查看。") from None
        return roster_export(user=job.requested_by, workroom=workroom, data=query)
    if p.get("export") in ("funding", "activities"):
        from workrooms.access import get_ops_workroom_for_user

        try:
            workroom = get_ops_workroom_for_user(job.requested_by, p["workroom_id"])
        except Http404:
            raise JobError("工作室不存在或无权查看。") from None
        build = funding_export if p["export"] == "funding" else activities_export
        return build(workroom=workroom, data=query)
    if p.get("export") == "training_hours":
        from workrooms.access import get_ops_workroom_for_user

        try:
            return training_hours_export(workroom=get_ops_workroom_for_user(job.requested_by, p["workroom_id"]))
        except Http404:
            raise JobError("工作室不存在或无权查看。") from None
    if p.get("export") == "member_assessments":
        return member_assessments_export(user=job.requested_by, data=query)
    if p.get("export") == "assessment":
        from assessment.access import get_period_for_user

        try:
            period = get_period_for_user(job.requested_by, p["period_id"])
        except Http404:
            raise JobError("考核周期不存在或无权查看。") from None
        return assessment_export(user=job.requested_by, period=period, data=query)
    raise JobError("未知的导出类型。")
