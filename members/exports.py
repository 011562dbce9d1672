"""教师名录 as a spreadsheet (DOMAIN.md §10), registered with ``core.xlsx``."""


from core.calendar import school_today
from core.xlsx import DATE, INTEGER, Column, Export, ordered_export, register_export
from members.filters import TeacherFilter
from members.roles import roles_of
from members.selectors import teachers_for_list


def teachers_export(*, user, data) -> Export:
    """教师名录: the directory page's rows (``teachers_for_list`` through its
    ``TeacherFilter``, by staff number). Phone and e-mail only for the office
    (DOMAIN.md §2: contact details are the office's and the teacher's own)."""
    today = school_today()
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
    return ordered_export(title="教师名录", columns=columns, qs=qs, totals=False)


# Only the office gets teachers' contact details (``teachers_export``).
register_export("teachers", lambda user, data, pk: teachers_export(user=user, data=data))
