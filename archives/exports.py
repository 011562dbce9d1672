"""Spreadsheets (DOMAIN.md §10): *what* to export is a list of columns and
rows; *how* is one writer, ``write_xlsx``, shared by every export.

The writer uses openpyxl's write-only mode, so memory stays flat however many
rows there are; rows come from the database in batches by primary key. Text
typed by users that starts with ``= + - @`` is stored as text, never as a
formula (spreadsheet injection)."""

from copy import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from members.models import Membership
from workrooms.access import get_workroom_for_user
from workrooms.models import Workroom

from .filters import RosterFilter, WorkroomFilter

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


def batched(qs, size: int | None = None) -> Iterator[Any]:
    """All rows of ``qs`` in primary-key order, ``size`` at a time (keyset
    pagination: each batch is one query however deep into the table)."""
    size = size or settings.EXPORT_BATCH_SIZE
    last = None
    while True:
        page = qs.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield from rows
        last = rows[-1].pk


def queryset_export(*, title: str, filename: str, columns: list[Column], qs, totals: bool = False) -> Export:
    return Export(title=title, filename=filename, columns=columns, rows=lambda: batched(qs), count=qs.count, totals=totals)


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
    ws = wb.create_sheet(export.title[:31].replace("/", "-"))
    columns = ([Column("序号", lambda o: None, width=6, number_format=INTEGER)] if export.numbered else []) + list(
        export.columns
    )
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A3"  # title row and header row stay on screen
    ws.append([_styled(ws, export.title, font=_TITLE)])
    ws.append([_styled(ws, c.header, font=_BOLD, fill=_HEADER_FILL, border=_HEADER_BORDER, alignment=_CENTER) for c in columns])

    data_columns = export.columns
    offset = 1 if export.numbered else 0
    # One styled cell per format; each data cell copies its style array,
    # which costs far less than setting the format on every cell.
    formats = [_styled(ws, None, number_format=c.number_format)._style if c.number_format else None for c in data_columns]
    totals = [Decimal(0) if c.total else None for c in data_columns]
    want_totals = export.totals
    n = 0
    for obj in export.rows():
        n += 1
        row: list[Any] = [n] if export.numbered else []
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
    if progress:
        progress(n)
    wb.save(target)
    return n


# --- the exports --------------------------------------------------------------------


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d")


def workrooms_export(*, user, data) -> Export:
    """工作室一览: the workroom list as filtered on its page."""
    active_members = Count(
        "memberships",
        filter=Q(memberships__role=Membership.Role.MEMBER, memberships__status=Membership.Status.ACTIVE),
    )
    qs = Workroom.objects.visible_to(user).select_related("host", "school", "ruleset").annotate(member_count=active_members)
    qs = WorkroomFilter(data, queryset=qs).qs
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
    return queryset_export(
        title="名班主任工作室一览表", filename=f"工作室一览表-{_stamp()}.xlsx", columns=columns, qs=qs, totals=True
    )


def roster_export(*, user, workroom: Workroom, data) -> Export:
    """花名册: the people of a workroom as filtered on its roster page."""
    today = timezone.localdate()
    qs = Membership.objects.visible_to(user).filter(workroom=workroom).select_related(
        "teacher__school", "teacher__department"
    )
    qs = RosterFilter(data, queryset=qs).qs
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
        Column("联系电话", lambda m: m.teacher.phone, width=16),
        Column("身份", lambda m: m.get_role_display(), width=8),
        Column("状态", lambda m: m.get_status_display(), width=8),
        Column("档案管理员", lambda m: "是" if m.is_archivist else "", width=10),
        Column("加入日期", lambda m: m.joined_on, width=12, number_format=DATE),
    ]
    return queryset_export(
        title=f"{workroom.name}花名册", filename=f"{workroom.name}花名册-{_stamp()}.xlsx", columns=columns, qs=qs
    )


def export_for_job(job) -> Export:
    """Rebuild the export a job was asked for, seen as its requester sees it."""
    from .services import JobError

    p = job.params
    if p.get("export") == "workrooms":
        return workrooms_export(user=job.requested_by, data=p.get("query", {}))
    if p.get("export") == "roster":
        try:
            workroom = get_workroom_for_user(job.requested_by, p["workroom_id"])
        except Http404:
            raise JobError("工作室不存在或无权查看。") from None
        return roster_export(user=job.requested_by, workroom=workroom, data=p.get("query", {}))
    raise JobError("未知的导出类型。")
