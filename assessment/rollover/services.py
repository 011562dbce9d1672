"""学年切换 (DOMAIN.md §11): the office starts a school year. Head teachers
move up with their classes, those of the graduating grades leave; the
office reviews every change before it is saved; the settings in force are
carried forward as a new version and the year's periods are opened.
Nothing of the old year changes: results, scores and periods keep the
department and class they were recorded with."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessment.models import Period, Rollover
from core.calendar import year_calendar, year_label
from members.choices import DepartmentKind
from members.models import Department, Teacher
from members.roles import roles_of
from workrooms.services import ruleset_carry_forward

# The last grade of each school stage: its classes graduate.
GRADUATING_GRADES = {6, 9, 12}

# How schools write a grade in a class name, by grade (1–12).
GRADE_WORDS = {
    1: ("一年级",), 2: ("二年级",), 3: ("三年级",), 4: ("四年级",), 5: ("五年级",), 6: ("六年级",),
    7: ("七年级", "初一"), 8: ("八年级", "初二"), 9: ("九年级", "初三"),
    10: ("高一",), 11: ("高二",), 12: ("高三",),
}


class Action:
    UP = "up"
    GRADUATE = "graduate"
    KEEP = "keep"


ACTION_LABELS = {Action.UP: "升年级", Action.GRADUATE: "毕业离任", Action.KEEP: "不变"}


@dataclass
class Change:
    teacher: Teacher
    action: str
    to_department: Department | None
    to_class: str
    note: str = ""

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


def next_class_name(name: str, grade: int) -> str:
    """高一(3)班 → 高二(3)班, 初一2班 → 初二2班, 七年级1班 → 八年级1班; a
    name without its grade word is kept as it is."""
    for style, word in enumerate(GRADE_WORDS.get(grade, ())):
        if word in name:
            following = GRADE_WORDS.get(grade + 1, ())
            if style < len(following):
                return name.replace(word, following[style], 1)
    return name


def proposed_changes(school) -> list[Change]:
    """Every head teacher of the school with what the new year does to them."""
    grade_depts = {
        d.grade: d for d in Department.objects.filter(school=school, kind=DepartmentKind.GRADE, grade__isnull=False)
    }
    changes = []
    teachers = (
        Teacher.objects.filter(school=school, is_head_teacher=True)
        .select_related("department")
        .order_by("department__grade", "class_name", "staff_no")
    )
    for t in teachers:
        dept = t.department
        grade = dept.grade if dept is not None and dept.kind == DepartmentKind.GRADE else None
        if grade is None:
            changes.append(Change(t, Action.KEEP, dept, t.class_name, "不属于年级部"))
        elif grade in GRADUATING_GRADES:
            changes.append(Change(t, Action.GRADUATE, dept, "", "所带班级毕业，待学校重新安排"))
        elif grade + 1 in grade_depts:
            changes.append(Change(t, Action.UP, grade_depts[grade + 1], next_class_name(t.class_name, grade)))
        else:
            changes.append(Change(t, Action.KEEP, dept, t.class_name, f"没有{grade + 1}年级的年级部"))
    return changes


def _require_office(actor):
    if not roles_of(actor).is_office:
        raise PermissionDenied("学年切换由德育处或管理员进行。")


def _open_periods(school, start_year: int) -> int:
    cal = year_calendar(start_year, school.pk)
    wanted = [(Period.Kind.MONTH, cal.term_of_month(m), m) for m in cal.counted_months]
    wanted += [(Period.Kind.SEMESTER, 1, None), (Period.Kind.SEMESTER, 2, None), (Period.Kind.YEAR, None, None)]
    opened = 0
    for kind, semester, month in wanted:
        _, created = Period.objects.get_or_create(
            school=school, kind=kind, school_year=start_year, semester=semester, month=month
        )
        opened += created
    return opened


def rollover_start(*, school, start_year: int, accepted: dict[int, str], carry_settings: bool, open_periods: bool, actor) -> Rollover:
    """Start ``start_year`` for ``school``. ``accepted`` maps the teachers
    whose proposed change the office kept to the class name it confirmed;
    the others stay as they are. All or nothing."""
    _require_office(actor)
    if Rollover.objects.filter(school=school, start_year=start_year).exists():
        raise ValidationError(f"{school.name}{year_label(start_year)}已经开始，不能重复切换。")
    by_id = {c.teacher.pk: c for c in proposed_changes(school)}
    unknown = set(accepted) - set(by_id)
    if unknown:
        raise ValidationError("名单已变化，请刷新页面后重新核对。")
    recorded = []
    try:
        with transaction.atomic():
            for teacher_id, class_name in accepted.items():
                change = by_id[teacher_id]
                t = change.teacher
                entry = {"teacher": t.pk, "name": t.name, "action": change.action,
                         "from": [t.department.name if t.department else "", t.class_name]}
                if change.action == Action.UP:
                    t.department, t.class_name = change.to_department, class_name.strip()[:50]
                elif change.action == Action.GRADUATE:
                    t.is_head_teacher, t.class_name = False, ""
                else:
                    continue
                t.save(update_fields=["department", "class_name", "is_head_teacher"])
                entry["to"] = [t.department.name if t.department else "", t.class_name]
                recorded.append(entry)
            ruleset = (
                ruleset_carry_forward(actor=actor, change_note=f"{year_label(start_year)}沿用上一学年设置")
                if carry_settings else None
            )
            opened = _open_periods(school, start_year) if open_periods else 0
            return Rollover.objects.create(
                school=school, start_year=start_year, ruleset=ruleset, changes=recorded, periods_opened=opened, done_by=actor
            )
    except IntegrityError:
        raise ValidationError(f"{school.name}{year_label(start_year)}已经开始，不能重复切换。") from None

