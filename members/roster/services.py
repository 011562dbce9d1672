"""导入教师名册: the xlsx template, row validation, the preview plan and the
import itself (DOMAIN.md §2, the teacher profile).

Decisions a school should know (also written on the template's 填写说明 sheet
and on the pages):
- a teacher is matched by 工号; a known 工号 updates that teacher, an unknown
  one creates an account (username = 工号, no usable password: the teacher
  sets one by e-mail or with a code from the office; a first password the
  administrator sets in 后台 must be changed at the first login) and the
  teacher profile;
- the school must already exist; an unknown 系部/年级部 of a known school is
  created by the import and listed in the preview;
- a blank optional cell keeps the value a known teacher already has.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from core import xlsx
from core.calendar import school_today
from core.files import store_upload
from core.xlsx import WorkbookSize, workbook_size
from members.choices import DepartmentKind, Gender, Level, Title
from members.models import Department, ProfileItem, RosterImport, School, Teacher

MAX_ROWS = settings.IMPORT_MAX_ROWS  # the template's rows; each import reads the setting itself
MAX_BYTES = 5 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
YES, NO = "是", "否"
TITLE_BY_LABEL = {label: value for value, label in Title.choices}
GENDER_BY_LABEL = {label: value for value, label in Gender.choices}
GRADE_BY_PREFIX = {"初一": 7, "初二": 8, "初三": 9, "高一": 10, "高二": 11, "高三": 12}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    max_length: int = 0
    width: int = 14

    @property
    def letter(self) -> str:
        return get_column_letter(COLUMNS.index(self) + 1)


COLUMNS = [
    Column("staff_no", "工号", required=True, max_length=30, width=12),
    Column("name", "姓名", required=True, max_length=50, width=10),
    Column("gender", "性别", width=6),
    Column("school", "学校", required=True, max_length=100, width=16),
    Column("department", "系部/年级部", max_length=100, width=14),
    Column("title", "职称", width=10),
    Column("birth_date", "出生日期", width=12),
    Column("is_head_teacher", "在岗班主任（是/否）", width=18),
    Column("head_teacher_since", "担任班主任起始日期", width=18),
    Column("class_name", "所带班级", max_length=50, width=14),
    Column("phone", "联系电话", max_length=30, width=14),
    Column("email", "电子邮箱", max_length=254, width=22),
]
# Files made from the template before the profile-item columns stay valid.
BASE_HEADERS = [c.header for c in COLUMNS]

# Optional columns of profile items (DOMAIN.md §2), one per kind: items
# separated by “；”, each “名称/级别/年份” (a research project led by the
# teacher ends with “/主持”). The office imports them as verified.
PROFILE_COLUMNS = {
    "items_honour": ProfileItem.Kind.HONOUR,
    "items_class_award": ProfileItem.Kind.CLASS_AWARD,
    "items_research": ProfileItem.Kind.RESEARCH,
    "items_publication": ProfileItem.Kind.PUBLICATION,
    "items_competition": ProfileItem.Kind.COMPETITION,
}
COLUMNS += [Column(key, kind.label, width=30) for key, kind in PROFILE_COLUMNS.items()]
HEADERS = [c.header for c in COLUMNS]
COLUMN = {c.key: c for c in COLUMNS}

# Fields compared and written on the teacher, with their labels for the preview.
TEACHER_FIELDS = [
    ("name", "姓名"), ("gender", "性别"), ("school", "学校"), ("department", "系部/年级部"), ("title", "职称"),
    ("birth_date", "出生日期"), ("is_head_teacher", "在岗班主任"), ("head_teacher_since", "担任班主任起始日期"),
    ("class_name", "所带班级"), ("phone", "联系电话"), ("email", "电子邮箱"),
]

INSTRUCTIONS = [
    ("填写说明", ""),
    ("工号", "必填，每位教师唯一；系统按工号识别教师：已有工号则更新该教师，新工号则新建教师和账号（用户名即工号）。"),
    ("姓名", "必填。"),
    ("性别", "男 / 女，可从下拉列表选择。"),
    ("学校", "必填，须与系统中已有的学校名称完全一致。"),
    ("系部/年级部", "如“高一年级部”“语文系部”；系统中尚无的系部/年级部将在导入时新建，预览页会列出。"),
    ("职称", "未定级 / 初级 / 中级 / 高级 / 正高级，可从下拉列表选择；新教师留空按“未定级”。"),
    ("出生日期", "日期格式，如 1985-03-02 或 1985/3/2。"),
    ("在岗班主任（是/否）", "是 / 否；新教师留空按“否”。"),
    ("担任班主任起始日期", "开始担任班主任的日期，用于计算班主任年限；不得早于出生后 18 年，不得晚于今天。"),
    ("所带班级", "如“高一（3）班”。"),
    ("联系电话", "手机或座机号码。"),
    ("电子邮箱", "如 name@example.com。"),
    *[(kind.label, "选填，导入后为“已认定”。多项用“；”分隔，每项写“名称/级别/年份”，如“市优秀班主任/市级/2023”；"
       "级别为校级/县级/市级/省级/国家级" + ("；本人主持的课题在末尾加“/主持”。" if kind == ProfileItem.Kind.RESEARCH else "。"))
      for kind in PROFILE_COLUMNS.values()],
    ("", ""),
    ("其他", f"从第2行起每行一位教师，最多 {MAX_ROWS} 行；请勿修改第1行表头。已有教师的选填单元格留空时保留原值。"),
    ("账号密码", "导入只建立账号，不设密码：教师用电子邮箱找回密码，或由德育处在教师档案页生成一次性设置密码码交给教师；"
                "管理员在后台设置的初始密码须在首次登录时修改。"),
]


def build_template() -> bytes:
    """The downloadable roster template (.xlsx) with drop-downs and a sheet
    of instructions."""
    wb = Workbook()
    ws = wb.active
    ws.title = "教师名册"
    ws.append(HEADERS)
    for col in COLUMNS:
        cell = ws[f"{col.letter}1"]
        cell.font = Font(bold=True, color="FFFFFF" if col.required else "000000")
        cell.fill = PatternFill("solid", fgColor="C00000" if col.required else "D9E1F2")
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[col.letter].width = col.width
    ws.freeze_panes = "A2"
    last = MAX_ROWS + 1

    def drop_down(key: str, options: list[str]):
        letter = COLUMN[key].letter
        dv = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True, showErrorMessage=True,
            errorTitle="输入有误", error="请从下拉列表中选择：" + "/".join(options),
        )
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)

    drop_down("gender", list(GENDER_BY_LABEL))
    drop_down("title", list(TITLE_BY_LABEL))
    drop_down("is_head_teacher", [YES, NO])
    for key in ("birth_date", "head_teacher_since"):
        letter = COLUMN[key].letter
        dv = DataValidation(
            type="date", operator="greaterThan", formula1="DATE(1900,1,1)", allow_blank=True, showErrorMessage=True,
            errorTitle="日期有误", error="请输入日期，如 1985-03-02",
        )
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
        for row in range(2, 202):  # pre-format the rows people usually fill
            ws[f"{letter}{row}"].number_format = DATE_FORMAT
    for key in ("staff_no", "phone"):  # keep leading zeros
        letter = COLUMN[key].letter
        for row in range(2, 202):
            ws[f"{letter}{row}"].number_format = "@"

    help_ws = wb.create_sheet("填写说明")
    for row in INSTRUCTIONS:
        help_ws.append(row)
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading and validating ------------------------------------------------


class CellError(Exception):
    """A bad cell; the message is the part after 「列名」："""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> date:
    """A date from an Excel date cell, an Excel serial number, or text such
    as 1985-03-02, 1985/3/2, 1985.3.2 or 1985年3月2日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= 80000:
            return from_excel(value).date()
        raise CellError(f"无法识别日期“{_text(value)}”，请填写如 1985-03-02")
    text = _text(value)
    m = _DATE_TEXT.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if not m:
        raise CellError(f"无法识别日期“{text}”，请填写如 1985-03-02 或 1985/3/2")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError(f"日期“{text}”不存在") from None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def department_kind_and_grade(name: str) -> tuple[str, int | None]:
    """The kind of a department created by an import, read from its name."""
    if name.endswith("年级部"):
        return DepartmentKind.GRADE, next((g for p, g in GRADE_BY_PREFIX.items() if name.startswith(p)), None)
    if name.endswith("专业部"):
        return DepartmentKind.SPECIALTY, None
    if name.endswith("处") or name.endswith("室"):
        return DepartmentKind.OFFICE, None
    return DepartmentKind.DEPARTMENT, None


@dataclass
class RowParser:
    """Validates one data row into JSON-ready values and cell errors."""

    school_names: set
    today: date
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def error(self, key: str, message: str):
        col = COLUMN[key]
        self.errors.append({"column": col.letter, "header": col.header, "message": message})

    def parse(self, cells: dict) -> tuple[dict, list]:
        self.values, self.errors = {}, []
        for col in COLUMNS:
            raw = cells.get(col.key)
            if _text(raw) == "":
                if col.required:
                    self.error(col.key, "必填，不能为空")
                continue
            try:
                self.values[col.key] = getattr(self, f"clean_{col.key}", self.clean_text)(raw, col)
            except CellError as e:
                self.error(col.key, str(e))
        self.check_dates()
        return self.values, self.errors

    def clean_profile_items(self, raw, col: Column) -> str:
        """Checked here, written at confirmation (``profile_items_of``)."""
        text = _text(raw)
        profile_items_of(text, today=self.today)
        return text

    clean_items_honour = clean_items_class_award = clean_items_research = clean_profile_items
    clean_items_publication = clean_items_competition = clean_profile_items

    def clean_text(self, raw, col: Column) -> str:
        text = _text(raw)
        if col.max_length and len(text) > col.max_length:
            raise CellError(f"内容过长（{len(text)}字），最多{col.max_length}字")
        return text

    def clean_gender(self, raw, col):
        text = _text(raw)
        if text not in GENDER_BY_LABEL:
            raise CellError(f"无法识别“{text}”，可选：{'/'.join(GENDER_BY_LABEL)}")
        return GENDER_BY_LABEL[text]

    def clean_title(self, raw, col):
        text = _text(raw)
        if text not in TITLE_BY_LABEL:
            raise CellError(f"无法识别“{text}”，可选：{'/'.join(TITLE_BY_LABEL)}")
        return TITLE_BY_LABEL[text]

    def clean_is_head_teacher(self, raw, col):
        text = _text(raw)
        if text not in (YES, NO):
            raise CellError(f"无法识别“{text}”，请填写“是”或“否”")
        return text == YES

    def clean_school(self, raw, col):
        text = self.clean_text(raw, col)
        if text not in self.school_names:
            raise CellError(f"系统中没有学校“{text}”，请核对名称或请管理员先在后台添加该学校")
        return text

    def clean_email(self, raw, col):
        text = self.clean_text(raw, col)
        try:
            validate_email(text)
        except ValidationError:
            raise CellError(f"“{text}”不是有效的电子邮箱地址") from None
        return text

    def clean_phone(self, raw, col):
        text = self.clean_text(raw, col)
        if not re.fullmatch(r"[0-9+\-() ]{5,30}", text):
            raise CellError(f"“{text}”不是有效的电话号码")
        return text

    def clean_birth_date(self, raw, col):
        day = parse_date(raw)
        if not (_add_years(self.today, -75) <= day <= _add_years(self.today, -18)):
            raise CellError(f"{day.isoformat()} 不合理：教师年龄应在18至75岁之间")
        return day.isoformat()

    def clean_head_teacher_since(self, raw, col):
        day = parse_date(raw)
        if day > self.today:
            raise CellError(f"{day.isoformat()} 晚于今天")
        if day.year < 1960:
            raise CellError(f"{day.isoformat()} 不合理：早于1960年")
        return day.isoformat()

    def check_dates(self):
        birth, since = self.values.get("birth_date"), self.values.get("head_teacher_since")
        if birth and since and date.fromisoformat(since) < _add_years(date.fromisoformat(birth), 18):
            self.values.pop("head_teacher_since")
            self.error("head_teacher_since", f"{since} 不合理：早于该教师年满18岁（出生日期 {birth}）")


LEVEL_BY_LABEL = {label: value for value, label in Level.choices}
ITEM_SEPARATORS = re.compile(r"[；;\n]+")


def profile_items_of(text: str, *, today: date) -> list[tuple[str, str, int, bool]]:
    """The items of one profile-item cell as (title, level, year, led), or
    ``CellError`` naming the first bad item."""
    items = []
    for part in (p.strip() for p in ITEM_SEPARATORS.split(text)):
        if not part:
            continue
        pieces = [p.strip() for p in re.split(r"[/／]", part)]
        led = len(pieces) == 4 and pieces[3] == "主持"
        if len(pieces) != 3 and not led:
            raise CellError(f"“{part}”应写成“名称/级别/年份”")
        title, level, year = pieces[:3]
        if not title or len(title) > 200:
            raise CellError(f"“{part}”的名称为空或超过200字")
        if level not in LEVEL_BY_LABEL:
            raise CellError(f"“{part}”的级别应为校级/县级/市级/省级/国家级")
        if not (year.isdigit() and 1950 <= int(year) <= today.year):
            raise CellError(f"“{part}”的年份应在 1950 至 {today.year} 之间")
        items.append((title, LEVEL_BY_LABEL[level], int(year), led))
    return items


def _import_profile_items(rows: list[dict], *, user, today: date) -> int:
    """Create the profile items of the imported rows, verified by the
    importing office; items the teacher already has are not repeated."""
    staff_nos = [r["values"]["staff_no"] for r in rows if any(k in r["values"] for k in PROFILE_COLUMNS)]
    if not staff_nos:
        return 0
    teachers = {t.staff_no: t for t in Teacher.objects.filter(staff_no__in=staff_nos)}
    existing = set(
        ProfileItem.objects.filter(teacher__in=teachers.values()).values_list("teacher_id", "kind", "title", "level", "year")
    )
    now = timezone.now()
    new = []
    for r in rows:
        teacher = teachers.get(r["values"]["staff_no"])
        for key, kind in PROFILE_COLUMNS.items():
            for title, level, year, led in profile_items_of(r["values"].get(key, ""), today=today):
                identity = (teacher.pk, kind, title, level, year)
                if identity in existing:
                    continue
                existing.add(identity)
                new.append(ProfileItem(
                    teacher=teacher, kind=kind, title=title, level=level, year=year,
                    is_leader=led and kind == ProfileItem.Kind.RESEARCH, status=ProfileItem.Status.VERIFIED,
                    verified_by=user, verified_at=now, verify_comment="教师名册导入",
                ))
    ProfileItem.objects.bulk_create(new)
    return len(new)


def _refuse(message: str):
    raise ValidationError(message, code="invalid")


PROGRESS_EVERY = 100  # rows between two progress reports of a background read


def read_roster(
    fileobj, *, school_names: set, today: date, max_rows: int | None = None, progress=None
) -> list[dict]:
    """Every non-blank data row of a roster workbook as
    ``{"row": n, "values": {...}, "errors": [{column, header, message}]}``;
    ``progress(rows read)`` is called every PROGRESS_EVERY rows.

    Raises ``ValidationError`` (in Chinese) for a file that cannot be a
    roster at all: not an xlsx workbook, too large once decompressed (checked
    before parsing), wrong headers, no rows, too many."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    workbook_size(fileobj, max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_BYTES, max_rows=max_rows)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        _refuse("无法读取该文件：它不是有效的 Excel 工作簿（.xlsx）。请下载模板，在 Excel 或 WPS 中填写后保存为 .xlsx 再上传。")
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(_text(v) == "" for v in header):
            _refuse("文件是空的：第1行没有表头。请使用模板填写。")
        found = [_text(v) for v in header]
        while found and found[-1] == "":
            found.pop()
        if found != HEADERS and found != BASE_HEADERS:
            problems = []
            for i, expected in enumerate(HEADERS):
                actual = found[i] if i < len(found) else ""
                if actual != expected:
                    problems.append(f"{get_column_letter(i + 1)}列应为「{expected}」，实际为「{actual or '空'}」")
            if len(found) > len(HEADERS):
                problems.append(f"多出{len(found) - len(HEADERS)}列")
            _refuse("表头与模板不符（第1行）：" + "；".join(problems[:5]) + "。请下载模板，按模板的列填写。")
        parser = RowParser(school_names=school_names, today=today)
        parsed, seen = [], {}
        for number, row in enumerate(rows, start=2):
            cells = dict(zip((c.key for c in COLUMNS), row))
            if all(_text(v) == "" for v in row):
                continue
            if len(parsed) >= max_rows:
                _refuse(f"文件行数过多：最多导入 {max_rows} 行教师，请分成多个文件导入。")
            values, errors = parser.parse(cells)
            staff_no = values.get("staff_no")
            if staff_no in seen:
                errors.append({"column": "A", "header": "工号", "message": f"“{staff_no}”与第{seen[staff_no]}行重复"})
            elif staff_no:
                seen[staff_no] = number
            parsed.append({"row": number, "values": values, "errors": errors})
            if progress and len(parsed) % PROGRESS_EVERY == 0:
                progress(len(parsed))
    finally:
        wb.close()
    if not parsed:
        _refuse("文件只有表头，没有教师数据：请从第2行起填写，每行一位教师。")
    return parsed


def error_text(row: dict, err: dict) -> str:
    """第5行 F列「职称」：无法识别“副高”，可选：… (the wording of every report)."""
    return f"第{row['row']}行 {err['column']}列「{err['header']}」：{err['message']}"


# --- services --------------------------------------------------------------


def _read(fileobj, progress=None) -> list[dict]:
    rows = read_roster(
        fileobj, school_names=set(School.objects.values_list("name", flat=True)), today=school_today(),
        progress=progress,
    )
    _flag_taken_usernames(rows)
    return rows


def reads_in_background(size: WorkbookSize) -> bool:
    """A workbook read in a background job rather than in the request."""
    if size.rows is not None and size.rows - 1 > settings.IMPORT_BACKGROUND_ROWS:
        return True
    return size.uncompressed > settings.IMPORT_BACKGROUND_BYTES


def roster_import_create(*, upload, user) -> RosterImport:
    """Validate an uploaded roster and keep it, with every row's result, for
    the preview. Nothing about teachers is written here.

    The limits are checked first, before anything is parsed. A large file is
    kept as ``reading`` and read by ``roster_import_read`` in a background
    job (the caller sends it); a small one is read at once."""
    size = workbook_size(
        upload, max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_BYTES, max_rows=settings.IMPORT_MAX_ROWS
    )
    background = reads_in_background(size)
    rows = [] if background else _read(upload)
    upload.seek(0)
    with transaction.atomic():
        stored = store_upload(upload, user=user, max_bytes=MAX_BYTES)
        roster_import = RosterImport(file=stored, rows=rows, created_by=user)
        if background:
            roster_import.status = RosterImport.Status.READING
            roster_import.rows_total = max(0, (size.rows or 0) - 1)
        roster_import.full_clean()
        roster_import.save()
    return roster_import


def roster_import_read(*, roster_import_id: int) -> RosterImport | None:
    """The background read of a large roster: its rows for the preview, its
    progress recorded as it goes; a file that cannot be a roster ends
    ``failed`` with the reason. Does nothing for an import no longer being read."""
    roster_import = RosterImport.objects.select_related("file").filter(
        pk=roster_import_id, status=RosterImport.Status.READING
    ).first()
    if roster_import is None:
        return None

    def progress(done: int) -> None:
        RosterImport.objects.filter(pk=roster_import.pk).update(rows_read=done)

    try:
        with roster_import.file.file.open("rb") as fileobj:
            rows = _read(fileobj, progress)
    except ValidationError as exc:
        roster_import.status, roster_import.error = RosterImport.Status.FAILED, " ".join(exc.messages)
        roster_import.save(update_fields=["status", "error"])
        return roster_import
    roster_import.rows, roster_import.rows_read = rows, len(rows)
    roster_import.status = RosterImport.Status.PENDING
    roster_import.save(update_fields=["rows", "rows_read", "status"])
    return roster_import


def roster_import_fail(*, roster_import_id: int, error: str) -> None:
    """A background read that could not run or broke: shown failed, with why."""
    RosterImport.objects.filter(pk=roster_import_id, status=RosterImport.Status.READING).update(
        status=RosterImport.Status.FAILED, error=error
    )


def _flag_taken_usernames(rows: list[dict]) -> None:
    """A new 工号 becomes a username: refuse one that another teacher's account already uses."""
    staff_nos = {r["values"]["staff_no"] for r in rows if r["values"].get("staff_no")}
    known = set(Teacher.objects.filter(staff_no__in=staff_nos).values_list("staff_no", flat=True))
    taken = dict(
        Teacher.objects.filter(user__username__in=staff_nos - known).values_list("user__username", "name")
    )
    for r in rows:
        owner = taken.get(r["values"].get("staff_no"))
        if owner:
            r["errors"].append({"column": "A", "header": "工号",
                                "message": f"账号“{r['values']['staff_no']}”已属于教师“{owner}”，请核对工号"})


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class PlannedRow:
    row: int
    staff_no: str
    name: str
    changes: list[Change] = field(default_factory=list)
    details: str = ""  # for a new teacher: school · department · title


@dataclass
class Plan:
    """What confirming an import would do, row by row (the preview)."""

    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # rows with errors
    new_departments: list[tuple[str, str]] = field(default_factory=list)  # (school, department)


@dataclass
class _Lookups:
    schools: dict  # name -> School
    departments: dict  # (school_id, name) -> Department
    teachers: dict  # staff_no -> Teacher


def _lookups(rows: list[dict], *, lock: bool = False) -> _Lookups:
    values = [r["values"] for r in rows]
    schools = {s.name: s for s in School.objects.filter(name__in={v["school"] for v in values})}
    departments = {
        (d.school_id, d.name): d for d in Department.objects.filter(school__in=schools.values())
    }
    teachers = Teacher.objects.select_related("school", "department").filter(
        staff_no__in=[v["staff_no"] for v in values]
    )
    if lock:
        teachers = teachers.select_for_update(of=("self",))
    return _Lookups(schools, departments, {t.staff_no: t for t in teachers})


def _display(field_name: str, value) -> str:
    if value in (None, ""):
        return "（空）"
    if field_name == "gender":
        return Gender(value).label
    if field_name == "title":
        return Title(value).label
    if field_name == "is_head_teacher":
        return YES if value else NO
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _target_values(values: dict, lookups: _Lookups, new_departments: dict) -> dict:
    """Model values for the fields a row sets (blank optional cells are left out)."""
    school = lookups.schools[values["school"]]
    out = {"name": values["name"], "school": school}
    dep_name = values.get("department")
    if dep_name:
        key = (school.pk, dep_name)
        if key not in lookups.departments and key not in new_departments:
            kind, grade = department_kind_and_grade(dep_name)
            new_departments[key] = Department(school=school, name=dep_name, kind=kind, grade=grade)
        out["department"] = lookups.departments.get(key) or new_departments[key]
    for key in ("gender", "title", "is_head_teacher", "class_name", "phone", "email"):
        if key in values:
            out[key] = values[key]
    for key in ("birth_date", "head_teacher_since"):
        if key in values:
            out[key] = date.fromisoformat(values[key])
    return out


def _same(old, new) -> bool:
    if isinstance(new, (School, Department)):  # a department created by this import has no pk yet
        return old is not None and new.pk is not None and old.pk == new.pk
    return old == new


def _changes(teacher: Teacher, target: dict) -> list[Change]:
    return [
        Change(label, _display(name, getattr(teacher, name)), _display(name, target[name]))
        for name, label in TEACHER_FIELDS
        if name in target and not _same(getattr(teacher, name), target[name])
    ]


def roster_plan(roster_import: RosterImport) -> Plan:
    """The preview of an import against the teachers as they are now
    (a fixed number of queries, whatever the number of rows)."""
    plan = Plan(errors=roster_import.error_rows)
    valid = roster_import.valid_rows
    lookups = _lookups(valid)
    new_departments: dict = {}
    for r in valid:
        v = r["values"]
        target = _target_values(v, lookups, new_departments)
        teacher = lookups.teachers.get(v["staff_no"])
        if teacher is None:
            title = Title(v.get("title", Title.NONE)).label
            details = " · ".join(x for x in (v["school"], v.get("department"), title) if x)
            plan.creates.append(PlannedRow(r["row"], v["staff_no"], v["name"], details=details))
            continue
        changes = _changes(teacher, target)
        (plan.updates if changes else plan.unchanged).append(PlannedRow(r["row"], v["staff_no"], v["name"], changes))
    plan.new_departments = [(d.school.name, d.name) for d in new_departments.values()]
    return plan


UPDATE_BATCH = 2000  # rows per UPDATE: keeps SQLite under its limit of bound parameters


def _update_teachers(teachers: list[Teacher], fields: list[str]) -> None:
    """Write ``fields`` of many teachers with one ``UPDATE … FROM (VALUES …)``
    per 2,000 rows. Django's ``bulk_update`` builds a CASE expression per row
    and field, which takes tens of seconds for a roster of a few thousand."""
    model_fields = [Teacher._meta.get_field(name) for name in fields]
    pk = Teacher._meta.pk
    qn = connection.ops.quote_name
    # PostgreSQL needs the types of the VALUES columns; SQLite must not cast
    # (a cast to "date" there would turn the text into a number).
    typed = connection.vendor == "postgresql"

    def slot(f) -> str:
        return f"CAST(%s AS {f.db_type(connection)})" if typed else "%s"

    row = "(" + ", ".join(slot(f) for f in [pk, *model_fields]) + ")"
    columns = ", ".join(qn(c) for c in [pk.column, *(f.column for f in model_fields)])
    table = qn(Teacher._meta.db_table)
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in model_fields)
    for start in range(0, len(teachers), UPDATE_BATCH):
        batch = teachers[start:start + UPDATE_BATCH]
        params = []
        for t in batch:
            params.append(t.pk)
            params += [f.get_db_prep_save(getattr(t, f.attname), connection) for f in model_fields]
        sql = (
            f"WITH v ({columns}) AS (VALUES {', '.join([row] * len(batch))}) "
            f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{qn(pk.column)} = v.{qn(pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def roster_import_confirm(*, roster_import: RosterImport, user, only_valid: bool) -> RosterImport:
    """Write the teachers of a previewed import in one transaction with a
    fixed number of queries (up to 2,000 rows; one more UPDATE for each
    further 2,000 updated teachers): create accounts and profiles for new 工号,
    update the known ones, create new departments.

    Refused (``ValidationError``) when the import was already done, or when
    some row is bad and the user did not choose 仅导入正确的行."""
    User = get_user_model()
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status == RosterImport.Status.IMPORTED:
            _refuse("该名册已经导入，不能重复导入。")
        if locked.status != RosterImport.Status.PENDING:
            _refuse("该名册尚未读取完成或读取失败，不能导入。")
        if locked.error_rows and not only_valid:
            _refuse(f"有 {len(locked.error_rows)} 行存在错误，未导入任何数据。请修改后重新上传，或选择“仅导入正确的行”。")
        valid = locked.valid_rows
        if not valid:
            _refuse("没有正确的行可以导入。")
        lookups = _lookups(valid, lock=True)
        missing = {r["values"]["school"] for r in valid} - set(lookups.schools)
        if missing:
            _refuse(f"学校“{'、'.join(sorted(missing))}”已不存在，请重新上传名册。")
        new_departments: dict = {}
        targets = [(r, _target_values(r["values"], lookups, new_departments)) for r in valid]
        Department.objects.bulk_create(list(new_departments.values()))

        to_create = [(r, t) for r, t in targets if r["values"]["staff_no"] not in lookups.teachers]
        usernames = [r["values"]["staff_no"] for r, _ in to_create]
        users = {u.username: u for u in User.objects.filter(username__in=usernames, teacher__isnull=True)}
        taken = set(User.objects.filter(username__in=usernames, teacher__isnull=False).values_list("username", flat=True))
        if taken:  # cannot happen unless a teacher was created meanwhile under another 工号
            _refuse(f"账号“{'、'.join(sorted(taken))}”已关联其他教师，请重新上传名册。")
        unusable = make_password(None)
        new_users = [
            User(username=name, password=unusable, email=r["values"].get("email", ""))
            for (r, _), name in zip(to_create, usernames) if name not in users
        ]
        for u in User.objects.bulk_create(new_users):
            users[u.username] = u
        created = []
        for r, target in to_create:
            teacher = Teacher(user=users[r["values"]["staff_no"]], staff_no=r["values"]["staff_no"],
                              must_change_password=True, **target)
            teacher.full_clean(exclude=["user", "school", "department", "staff_no"], validate_unique=False)
            created.append(teacher)
        Teacher.objects.bulk_create(created)

        updated, update_fields = [], set()
        for r, target in targets:
            teacher = lookups.teachers.get(r["values"]["staff_no"])
            if teacher is None or not _changes(teacher, target):
                continue
            for name, value in target.items():
                setattr(teacher, name, value)
            update_fields.update(target)
            updated.append(teacher)
        if updated:
            _update_teachers(updated, sorted(update_fields))

        profile_items = _import_profile_items(valid, user=user, today=school_today())

        locked.status = RosterImport.Status.IMPORTED
        locked.only_valid = only_valid
        locked.imported_by = user
        locked.imported_at = timezone.now()
        locked.result = {
            "created": [[t.staff_no, t.name] for t in created],
            "updated": [[t.staff_no, t.name] for t in updated],
            "skipped_rows": [r["row"] for r in locked.error_rows],
            "new_departments": [[d.school.name, d.name] for d in new_departments.values()],
            "profile_items": profile_items,
        }
        locked.save(update_fields=["status", "only_valid", "imported_by", "imported_at", "result"])
    return locked


ERROR_REPORT_COLUMNS = [
    xlsx.Column("行号", lambda e: e[0], width=8, number_format=xlsx.INTEGER),
    xlsx.Column("列", lambda e: e[1], width=6),
    xlsx.Column("列名", lambda e: e[2], width=20),
    xlsx.Column("工号", lambda e: e[3], width=14),
    xlsx.Column("姓名", lambda e: e[4], width=10),
    xlsx.Column("错误说明", lambda e: e[5], width=80),
]


def error_report(roster_import: RosterImport) -> bytes:
    """The error report as an xlsx workbook: one line per bad cell, written
    by the one spreadsheet writer (``core.xlsx``), which keeps a cell that
    was typed as ``=…`` text instead of a live formula."""
    lines = [
        (row["row"], err["column"], err["header"], row["values"].get("staff_no", ""), row["values"].get("name", ""),
         error_text(row, err))
        for row in roster_import.error_rows
        for err in row["errors"]
    ]
    export = xlsx.Export(
        title="教师名册导入错误报告", filename="名册错误报告.xlsx", columns=ERROR_REPORT_COLUMNS,
        rows=lambda: lines, count=lambda: len(lines), numbered=False,
    )
    out = io.BytesIO()
    xlsx.write_xlsx(export, out)
    return out.getvalue()
