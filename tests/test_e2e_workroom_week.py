"""A workroom's week in a real browser (issue: running a workroom): the host
creates an activity and starts a sign-in code, two members sign in with it,
a member logs a reading reflection, the host accepts it, and the member's
progress bars move."""

import pytest
from django.utils import timezone

from tests import factories as f
from workrooms.models import Activity, Attendance, RuleSet

pytestmark = pytest.mark.browser


def bar(page, label):
    return page.locator(f'[data-duty="{label}"]').first.get_attribute("aria-valuenow")


def test_it_runs_a_week_of_a_workroom_from_sign_in_to_accepted_reflection(page, login, workroom, host, member, ruleset):
    RuleSet.objects.create(version=ruleset.version + 1, reflection_min_chars=20)
    second = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="李堃", school=workroom.school)).teacher.user
    progress = f"/workrooms/{workroom.pk}/duties/members/{member.teacher.pk}/"
    login(member)
    page.goto(progress)
    assert (bar(page, "培训课时"), bar(page, "读书心得")) == ("0", "0")

    # The host plans today's lecture and starts the code.
    login(host)
    page.goto(f"/workrooms/{workroom.pk}/activities/new/")
    page.select_option("#id_type", "expert_lecture")
    page.fill("#id_starts_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "学校报告厅")
    page.fill("#id_theme", "班主任的沟通艺术")
    page.select_option("#id_level", "municipal")
    page.fill("#id_training_hours", "6")
    page.check("#id_is_expert_lecture")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url("**/workrooms/activities/*/")
    page.click("text=发起签到码")
    code = page.locator("#signin-code").inner_text().strip()
    activity = Activity.objects.get()

    # Both members sign in with the code shown at the event.
    for user in (member, second):
        login(user)
        page.goto(f"/workrooms/activities/{activity.pk}/")
        page.click("text=我要签到")
        page.fill("#id_code", code)
        page.click("button[type=submit]:has-text('签到')")
        page.wait_for_selector("text=签到成功")
    assert set(Attendance.objects.filter(activity=activity, status="present").values_list("teacher__name", flat=True)) == {
        "张昇", "李堃"
    }

    # A member logs a reading reflection.
    login(member)
    page.goto("/people/records/reading/new/")
    page.fill("input[name=title]", "给教师的建议")
    page.fill("input[name=author]", "苏霍姆林斯基")
    page.fill("textarea[name=reflection]", "读后深受启发：教育首先是人学，要相信每一个孩子都能成长。")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=读书记录已提交")

    # The host accepts it.
    login(host)
    page.goto("/people/records/reading/?status=submitted")
    page.click("text=《给教师的建议》")
    page.fill("textarea[name=comment]", "体会真切。")
    page.click("button:has-text('通过')")
    page.wait_for_selector("text=审阅意见已保存")

    # The member's bars have moved: 6 of 30 hours, 1 of 2 reflections.
    login(member)
    page.goto(progress)
    assert bar(page, "培训课时") == "20"
    assert bar(page, "读书心得") == "50"
