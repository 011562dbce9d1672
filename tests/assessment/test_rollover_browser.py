"""The office walks through a rollover in a real browser: sets the new
year's calendar, reviews the changes, corrects a class, leaves one teacher
out, confirms, and sees the year started; the pages pass axe-core."""

import re

import pytest

from assessment.models import Period, Rollover
from members.choices import DepartmentKind
from members.models import SchoolCalendar, Teacher
from tests import factories as f

pytestmark = pytest.mark.browser


def test_the_office_starts_a_new_school_year(page, login, axe, school, department, office, time_machine):
    time_machine.move_to("2027-08-20 10:00 +08:00", tick=True)
    department.kind, department.grade = DepartmentKind.GRADE, 10
    department.save()
    f.DepartmentFactory(school=school, name="高二年级部", kind=DepartmentKind.GRADE, grade=11)
    senior = f.DepartmentFactory(school=school, name="高三年级部", kind=DepartmentKind.GRADE, grade=12)
    chen = f.TeacherFactory(name="陈一", school=school, department=department, class_name="高一(3)班")
    lin = f.TeacherFactory(name="林二", school=school, department=department, class_name="高一(4)班")
    wu = f.TeacherFactory(name="吴三", school=school, department=senior, class_name="高三(1)班")

    login(office)
    page.goto("/people/calendar/")
    page.get_by_role("link", name=re.compile(r"设置\s*2027-2028学年校历")).click()
    page.fill("#id_term1_start", "2027-08-30")
    page.fill("#id_term1_end", "2028-01-21")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存示范中学2027-2028学年校历").wait_for()
    assert axe() == []

    page.get_by_role("link", name="学年切换：开始新学年").click()
    page.get_by_role("heading", name="学年切换：示范中学2027-2028学年").wait_for()
    assert page.get_by_text("第一学期 2027年8月30日").is_visible()
    assert axe() == []
    page.get_by_label("陈一的新班级").fill("高二(7)班")
    page.get_by_label(f"采纳：{lin.name} 升年级").uncheck()
    page.get_by_role("button", name="开始2027-2028学年").click()
    page.get_by_text("请先核对名单并勾选确认").wait_for()
    assert page.get_by_label("陈一的新班级").input_value() == "高二(7)班"  # kept as typed
    page.get_by_label("我已核对以上名单，确认开始新学年").check()
    page.get_by_role("button", name="开始2027-2028学年").click()
    page.locator("#rollover-done").wait_for()
    assert "班主任变动 2 人" in page.locator("#rollover-done").inner_text()
    assert axe() == []

    assert Teacher.objects.get(pk=chen.pk).class_name == "高二(7)班"
    assert Teacher.objects.get(pk=lin.pk).class_name == "高一(4)班"
    assert not Teacher.objects.get(pk=wu.pk).is_head_teacher
    assert SchoolCalendar.objects.get(school=school, start_year=2027).term1_start.isoformat() == "2027-08-30"
    assert Period.objects.filter(school=school, school_year=2027).count() == 13
    assert Rollover.objects.get().done_by == office
