"""Main path in a real browser: a host plans an activity and starts a sign-in
code, a member signs in with it, and the member's training hours move."""

import pytest
from django.utils import timezone

from workrooms.models import Activity

pytestmark = pytest.mark.browser


def hours_bar(page):
    return page.locator('[data-duty="培训课时"]')


def test_it_credits_hours_to_a_member_who_signs_in_with_the_code(page, login, workroom, host, member):
    progress_url = f"/workrooms/{workroom.pk}/duties/members/{member.teacher.pk}/"
    login(member)
    page.goto(progress_url)
    assert hours_bar(page).get_attribute("aria-valuenow") == "0"

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
    assert len(code) == 6

    login(member)
    page.goto(f"/workrooms/activities/{Activity.objects.get().pk}/")
    page.click("text=我要签到")
    page.fill("#id_code", code)
    page.click("button[type=submit]:has-text('签到')")
    page.wait_for_selector("text=签到成功")

    page.goto(progress_url)
    assert hours_bar(page).get_attribute("aria-valuenow") == "20"  # 6 of 30 hours
    assert "6 / 30" in page.content()
