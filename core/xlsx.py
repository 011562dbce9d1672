"""Spreadsheets (DOMAIN.md §10): *what* to export is a list of columns and
rows; *how* is one writer, ``write_xlsx``, shared by every export.

The writer uses openpyxl's write-only mode, so memory stays flat however many
rows there are; rows stream from the database in chunks, in the order of the
page they download (each list export filters with that page's own FilterSet
over that page's own queryset, so people get exactly what they see). Text
typed by users that starts with ``= + - @`` is stored as text, never as a
formula (spreadsheet injection).

Each app defines its own exports in its ``exports`` module and registers
them here (``register_export``); one download view and one job serve them all."""

import re
import zipfile
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


DATE = "yyyy-mm-dd"


INTEGER = "0"


DECIMAL_1 = "0.0"


MONEY = "#,##0.00"


FORMULA_START = ("=", "+", "-", "@")


DATETIME = "yyyy-mm-dd hh:mm"


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
    # False for a file another system imports: the header is the first row.
    title_row: bool = True
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
    if export.title_row:
        ws.freeze_panes = "A3"  # title row and header row stay on screen
        ws.append([_styled(ws, f"{export.title}（{name}）" if name else export.title, font=_TITLE)])
    else:
        ws.freeze_panes = "A2"
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


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d")


def local_time(moment):
    """A spreadsheet has no time zones: the local wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def ordered_export(*, title: str, columns: list[Column], qs, totals: bool = True) -> Export:
    """Rows in the page's order (a ledger reads by date), streamed in chunks."""
    return Export(
        title=title, filename=f"{title}-{stamp()}.xlsx", columns=columns,
        rows=lambda: qs.iterator(chunk_size=settings.EXPORT_BATCH_SIZE), count=qs.count, totals=totals,
    )


def page_query(params: dict) -> QueryDict:
    """The query string a job was asked with, as the page parsed it."""
    query = QueryDict(mutable=True)
    for key, values in params.get("query", {}).items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


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


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


EXPORT_KINDS: dict[str, ExportKind] = {}


def register_export(name: str, build: Callable[[Any, QueryDict, int | None], Export], *, pk_param: str = "") -> None:
    """Make ``build`` the export called ``name``: the download of its list
    page and, past ``EXPORT_JOB_THRESHOLD`` rows, the background job."""
    EXPORT_KINDS[name] = ExportKind(build, pk_param)


# --- workbooks uploaded to be read -------------------------------------------------------

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*(\d*)(?::[A-Z]*(\d+))?\"")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


@dataclass(frozen=True)
class WorkbookSize:
    """What an uploaded workbook says of itself before anything is parsed."""

    uncompressed: int  # bytes, the sum of its parts' sizes in the zip's central directory
    rows: int | None  # the largest row count a worksheet declares (its <dimension>), if any


def workbook_size(fileobj, *, max_uncompressed: int, max_rows: int) -> WorkbookSize:
    """Check an uploaded .xlsx against the limits before it is parsed.

    An xlsx is a zip: its central directory lists each part's size, and
    Python's zip reader never yields more than that size, so the sum is a
    true bound on what parsing would decompress (a "zip bomb" is refused
    here, in milliseconds). A worksheet's ``<dimension>`` element, at the
    start of its XML, declares its used rows. Raises ``ValidationError`` with
    a Chinese message; leaves ``fileobj`` at its start."""
    try:
        with zipfile.ZipFile(fileobj) as zf:
            infos = zf.infolist()
            uncompressed = sum(info.file_size for info in infos)
            if uncompressed > max_uncompressed:
                raise ValidationError(
                    f"文件解压后约 {uncompressed / 1024 / 1024:.0f} MB，超过上限 {max_uncompressed // 1024 // 1024} MB："
                    "可能含有大量空白格式或图片。请只保留数据后另存为 .xlsx，或分成多个文件导入。",
                    code="too_large",
                )
            rows = None
            for info in infos:
                if _SHEET.fullmatch(info.filename):
                    with zf.open(info) as part:
                        match = _DIMENSION.search(part.read(4096))
                    if match and (match.group(2) or match.group(1)):
                        rows = max(rows or 0, int(match.group(2) or match.group(1)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise ValidationError(
            "无法读取该文件：它不是有效的 Excel 工作簿（.xlsx）。请在 Excel 或 WPS 中另存为 .xlsx 再上传。", code="invalid"
        ) from None
    finally:
        fileobj.seek(0)
    if rows is not None and rows - 1 > max_rows:
        raise ValidationError(
            f"文件行数过多：工作表有 {rows - 1} 行，最多导入 {max_rows} 行，请分成多个文件导入。", code="too_many_rows"
        )
    return WorkbookSize(uncompressed=uncompressed, rows=rows)
