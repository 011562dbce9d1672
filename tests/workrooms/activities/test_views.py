"""Pages: bad input is refused in Chinese, nothing changes, the form keeps
what was typed; good input does what the user asked."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from core.calendar import semester_of
from tests.submit_twice import assert_refused_second, form_token, post_twice
from tests.workrooms.activities.factories import (
    PNG_BYTES,
    ActivityFactory,
    ExpenseFactory,
    html_as_jpg,
    pdf_upload,
)
from workrooms.activities.services import SIGNIN_MAX_FAILURES
from workrooms.models import Activity, ActivityFile, Attendance, Expense, RuleSet


def activity_data(**extra):
    data = {
        "type": "seminar", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "三楼会议室",
        "theme": "后进生转化策略", "level": "school", "training_hours": "2",
    }
    data.update(extra)
    return data


def test_it_creates_an_activity(client, host, workroom, member):
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(speaker=member.teacher.pk))
    activity = Activity.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("workrooms:activity_detail", args=[activity.pk])
    assert (activity.theme, activity.speaker, activity.created_by) == ("后进生转化策略", member.teacher, host)


def test_it_refuses_a_date_outside_the_planning_window_keeping_the_input(client, host, workroom):
    client.force_login(host)
    last_term = semester_of(timezone.localdate()).start - timedelta(days=10)
    r = client.post(
        reverse("workrooms:activity_create", args=[workroom.pk]),
        activity_data(starts_at=f"{last_term:%Y-%m-%d}T14:00", theme="补录的活动"),
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "活动日期须在本学期或下学期内" in body
    assert 'value="补录的活动"' in body
    assert not Activity.objects.exists()


def test_it_refuses_negative_hours(client, host, workroom):
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(training_hours="-1"))
    assert "培训课时不能为负数" in r.content.decode()
    assert not Activity.objects.exists()


def test_it_refuses_more_training_hours_than_the_setting_allows_keeping_the_input(client, host, workroom, ruleset):
    client.force_login(host)
    r = client.post(
        reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(training_hours="8.5", theme="超长培训")
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "每次活动的培训课时不能超过 8 课时（学校设置）；现填 8.5 课时。" in body
    assert 'value="超长培训"' in body
    assert not Activity.objects.exists()


def test_it_accepts_exactly_the_training_hours_cap_and_follows_a_changed_setting(client, host, workroom, ruleset):
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(training_hours="8"))
    assert r.status_code == 302
    RuleSet.objects.filter(pk=ruleset.pk).update(activity_max_training_hours=Decimal("4"))
    activity = Activity.objects.get()
    r = client.post(reverse("workrooms:activity_update", args=[activity.pk]), activity_data(training_hours="6"))
    assert "每次活动的培训课时不能超过 4 课时" in r.content.decode()
    activity.refresh_from_db()
    assert activity.training_hours == Decimal("8")


def test_it_refuses_a_speaker_from_outside_the_workroom(client, host, workroom, outsider):
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data(speaker=outsider.teacher.pk))
    assert r.status_code == 200 and not Activity.objects.exists()


def test_it_keeps_an_activity_unchanged_when_an_edit_is_refused(client, host, activity):
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_update", args=[activity.pk]), activity_data(theme="新主题", training_hours="-3"))
    assert "培训课时不能为负数" in r.content.decode()
    activity.refresh_from_db()
    assert activity.theme == "班级文化建设研讨" and activity.training_hours == Decimal("2")


def test_it_saves_the_sign_in_sheet(client, host, activity, member, workroom):
    client.force_login(host)
    url = reverse("workrooms:attendance_sheet", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "张昇" in page and "出席" in page and "请假" in page and "缺席" in page
    r = client.post(url, {f"t{member.teacher.pk}": "leave", f"t{workroom.host_id}": "present"})
    assert r.status_code == 302
    assert Attendance.objects.get(teacher=member.teacher).status == "leave"


def test_it_refuses_an_incomplete_sheet_keeping_the_choices(client, host, activity, member, workroom):
    client.force_login(host)
    r = client.post(reverse("workrooms:attendance_sheet", args=[activity.pk]), {f"t{member.teacher.pk}": "absent"})
    body = r.content.decode()
    assert "请选择王喆的签到状态" in body
    assert 'value="absent" checked' in body
    assert not Attendance.objects.exists()


def test_it_signs_a_member_in_through_the_page(client, host, member, activity):
    client.force_login(host)
    client.post(reverse("workrooms:signin_code_start", args=[activity.pk]))
    code = activity.signin_codes.get().code
    assert code in client.get(reverse("workrooms:activity_detail", args=[activity.pk])).content.decode()
    client.force_login(member)
    r = client.post(reverse("workrooms:signin", args=[activity.pk]), {"code": code}, follow=True)
    assert "签到成功" in r.content.decode()
    assert Attendance.objects.get(teacher=member.teacher).status == "present"


def test_it_shows_the_rate_limit_message_on_the_page(client, host, member, activity):
    client.force_login(member)
    url = reverse("workrooms:signin", args=[activity.pk])
    for _ in range(SIGNIN_MAX_FAILURES):
        r = client.post(url, {"code": "12345x"})
    assert 'value="12345x"' in r.content.decode()
    r = client.post(url, {"code": "000000"})
    assert "签到码错误次数过多" in r.content.decode()


def test_it_attaches_a_photo_and_serves_it_only_through_the_view(client, host, activity, member, outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(host)
    client.post(
        reverse("workrooms:activity_file_upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("合影.png", PNG_BYTES, content_type="image/png"), "description": "活动合影"},
    )
    attached = ActivityFile.objects.get()
    url = reverse("workrooms:activity_file", args=[attached.pk])
    client.force_login(member)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_it_refuses_an_html_file_named_jpg_for_an_activity(client, host, activity):
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_file_upload", args=[activity.pk]), {"file": html_as_jpg()}, follow=True)
    assert "不支持的文件类型" in r.content.decode()
    assert not ActivityFile.objects.exists()


def expense_data(**extra):
    data = {
        "category": "materials", "amount": "1200.00", "spent_on": timezone.localdate().isoformat(),
        "description": "购买《给教师的建议》", "receipt": pdf_upload(),
    }
    data.update(extra)
    return data


def test_it_records_an_expense_for_approval(client, host, workroom):
    client.force_login(host)
    r = client.post(reverse("workrooms:expense_create", args=[workroom.pk]), expense_data())
    assert r.status_code == 302
    assert Expense.objects.get().status == Expense.Status.PENDING


def test_it_refuses_overspending_on_the_page_keeping_the_input(client, host, workroom):
    ExpenseFactory(workroom=workroom, amount=Decimal("2500"))
    client.force_login(host)
    r = client.post(reverse("workrooms:expense_create", args=[workroom.pk]), expense_data(amount="600.00", description="外出考察交通费"))
    body = r.content.decode()
    assert "超出本年度经费额度" in body and "本次最多可登记 500.00 元" in body
    assert 'value="外出考察交通费"' in body and 'value="600.00"' in body
    assert Expense.objects.count() == 1


def test_it_refuses_a_zero_amount_or_a_fake_receipt_on_the_page(client, host, workroom):
    client.force_login(host)
    url = reverse("workrooms:expense_create", args=[workroom.pk])
    assert "金额必须大于 0 元" in client.post(url, expense_data(amount="0")).content.decode()
    assert "不支持的文件类型" in client.post(url, expense_data(receipt=html_as_jpg("发票.jpg"))).content.decode()
    assert not Expense.objects.exists()


def test_it_shows_the_ledger_with_running_balance(client, office, workroom):
    year = timezone.localdate().year
    ExpenseFactory(workroom=workroom, amount=Decimal("500"), status="approved", spent_on=timezone.localdate().replace(month=1, day=5))
    ExpenseFactory(workroom=workroom, amount=Decimal("300"), status="pending")
    client.force_login(office)
    body = client.get(reverse("workrooms:ledger", args=[workroom.pk]), {"year": year}).content.decode()
    assert "3000.00 元" in body and "2500.00" in body and "批准" in body


def test_it_refuses_a_decision_by_the_host_leaving_the_expense_pending(client, host, workroom):
    expense = ExpenseFactory(workroom=workroom)
    client.force_login(host)
    assert client.post(reverse("workrooms:expense_decide", args=[expense.pk, "approve"])).status_code == 403
    expense.refresh_from_db()
    assert expense.status == Expense.Status.PENDING


def test_it_shows_a_refusal_without_reason_as_a_message(client, office, workroom):
    expense = ExpenseFactory(workroom=workroom)
    client.force_login(office)
    r = client.post(reverse("workrooms:expense_decide", args=[expense.pk, "refuse"]), follow=True)
    assert "需要填写意见" in r.content.decode()
    expense.refresh_from_db()
    assert expense.status == Expense.Status.PENDING


def test_it_shows_duty_progress_with_hours_and_records(client, host, workroom, member):
    activity = ActivityFactory(workroom=workroom, training_hours=Decimal("6"))
    Attendance.objects.create(activity=activity, teacher=member.teacher, status="present")
    client.force_login(member)
    body = client.get(reverse("workrooms:member_progress", args=[workroom.pk, member.teacher.pk])).content.decode()
    assert "6 / 30" in body and 'aria-valuenow="20"' in body
    client.force_login(host)
    body = client.get(reverse("workrooms:duty_progress", args=[workroom.pk])).content.decode()
    assert "计划会" in body and "主持人听成员课" in body and "张昇" in body


def test_it_flags_a_member_absent_from_more_than_a_third(client, host, workroom, member):
    for status in ["present", "absent"]:
        a = ActivityFactory(workroom=workroom)
        Attendance.objects.create(activity=a, teacher=member.teacher, status=status)
    client.force_login(host)
    body = client.get(reverse("workrooms:duty_progress", args=[workroom.pk])).content.decode()
    assert "应调整出工作室" in body and "1 / 2" in body


def test_it_shows_the_dashboard_chart_data(client, host, workroom, activity):
    client.force_login(host)
    body = client.get(reverse("workrooms:dashboard", args=[workroom.pk])).content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in body and 'id="chart-data"' in body
    assert activity.theme in body


def test_it_lists_pending_expenses_and_todays_activities_on_the_home_page(client, office, member, workroom, activity):
    ExpenseFactory(workroom=workroom, description="购买班会课资料")
    client.force_login(office)
    assert "购买班会课资料" in client.get("/").content.decode()
    client.force_login(member)
    assert activity.theme in client.get("/").content.decode()


def test_it_refuses_planning_or_spending_in_a_completed_workroom(client, host, workroom):
    from workrooms.models import Workroom

    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    client.force_login(host)
    r = client.post(reverse("workrooms:activity_create", args=[workroom.pk]), activity_data())
    assert "工作室当前状态为「已结题」" in r.content.decode()
    r = client.post(reverse("workrooms:expense_create", args=[workroom.pk]), expense_data())
    assert "工作室当前状态为「已结题」" in r.content.decode()
    assert not Activity.objects.exists() and not Expense.objects.exists()


def test_it_lets_minutes_be_added_to_last_terms_activity(client, host, workroom):
    from datetime import datetime, time

    day = semester_of(timezone.localdate()).start - timedelta(days=3)
    old = ActivityFactory(workroom=workroom, starts_at=timezone.make_aware(datetime.combine(day, time(15))))
    client.force_login(host)
    data = activity_data(starts_at=timezone.localtime(old.starts_at).strftime("%Y-%m-%dT%H:%M"), minutes="讨论了班级公约。")
    r = client.post(reverse("workrooms:activity_update", args=[old.pk]), data)
    assert r.status_code == 302, r.context["form"].errors
    old.refresh_from_db()
    assert old.minutes == "讨论了班级公约。"


def duty_bar(body, label):
    """The progress figure shown in the bar of one duty."""
    tag = body[body.rindex("<div", 0, body.index(f'data-duty="{label}"')):]
    return int(tag.split('aria-valuenow="', 1)[1].split('"', 1)[0])


def test_it_moves_a_members_progress_when_the_host_accepts_a_reading_log(client, host, workroom, member):
    from tests.workrooms.records.factories import ReadingLogFactory
    from workrooms.records import services as records

    reading = ReadingLogFactory(teacher=member.teacher, workroom=workroom, recommended=True)
    url = reverse("workrooms:member_progress", args=[workroom.pk, member.teacher.pk])
    client.force_login(member)
    body = client.get(url).content.decode()
    assert duty_bar(body, "推荐书目（德育/心理著作）") == 50  # a logged book counts at once: one of two a year
    assert duty_bar(body, "读书心得") == 0  # the reflection counts once accepted

    records.record_review(actor=host, record=reading, action="accept")
    body = client.get(url).content.decode()
    assert duty_bar(body, "读书心得") == 50


def test_it_counts_a_verified_award_for_the_workroom(client, host, workroom, member):
    from tests.workrooms.records.factories import AchievementFactory

    AchievementFactory(teacher=member.teacher, workroom=workroom, kind="competition", level="county", status="verified")
    AchievementFactory(teacher=member.teacher, workroom=workroom, kind="competition", level="county", status="pending")
    client.force_login(host)
    body = client.get(reverse("workrooms:duty_progress", args=[workroom.pk])).content.decode()
    assert duty_bar(body, "区级以上获奖成果") == 100


def test_it_offers_the_workrooms_projects_on_the_expense_form_and_shows_the_link(client, host, workroom, project):
    from workrooms.records.models import ResearchProject

    other = ResearchProject.objects.create(
        workroom=ExpenseFactory().workroom, title="别家的课题", level="school", leader=project.leader,
        started_on=project.started_on,
    )
    client.force_login(host)
    url = reverse("workrooms:expense_create", args=[workroom.pk])
    body = client.get(url).content.decode()
    assert "班级自主管理的实践研究" in body and "别家的课题" not in body
    r = client.post(url, expense_data(category="research", research_project=project.pk))
    assert r.status_code == 302 and Expense.objects.get(workroom=workroom).research_project == project
    body = client.get(reverse("workrooms:ledger", args=[workroom.pk])).content.decode()
    assert "课题：班级自主管理的实践研究" in body
    r = client.post(url, expense_data(research_project=other.pk, description="想挂到别家课题"))
    assert "选择一个有效的选项" in r.content.decode() and 'value="想挂到别家课题"' in r.content.decode()
    assert Expense.objects.filter(workroom=workroom).count() == 1


def test_in_the_summer_the_host_plans_the_first_activity_of_the_autumn_term(client, host, workroom, time_machine):
    """On 15 August (summer, after the second term ended on 31 July) the next
    term is the autumn term: a meeting on 2 September is accepted."""
    time_machine.move_to(timezone.make_aware(datetime(2027, 8, 15, 10)))
    client.force_login(host)
    r = client.post(
        reverse("workrooms:activity_create", args=[workroom.pk]),
        activity_data(starts_at="2027-09-02T14:00", theme="新学年计划会"),
    )
    assert r.status_code == 302
    assert Activity.objects.get().theme == "新学年计划会"


def test_an_activity_posted_twice_is_created_once(client, host, workroom, member):
    client.force_login(host)
    url = reverse("workrooms:activity_create", args=[workroom.pk])
    first, second = post_twice(client, url, url, lambda: activity_data(speaker=member.teacher.pk))
    assert_refused_second(first, second)
    assert Activity.objects.count() == 1


def test_an_expense_posted_twice_is_recorded_once(client, host, workroom):
    client.force_login(host)
    url = reverse("workrooms:expense_create", args=[workroom.pk])
    first, second = post_twice(client, url, url, expense_data)
    assert_refused_second(first, second)
    assert Expense.objects.count() == 1


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(client, host, workroom):
    client.force_login(host)
    url = reverse("workrooms:expense_create", args=[workroom.pk])
    token = form_token(client, url)
    refused = client.post(url, expense_data(amount="-5") | {"form_once": token})
    assert refused.status_code == 200 and not Expense.objects.exists()
    assert client.post(url, expense_data() | {"form_once": token}).status_code == 302
    assert Expense.objects.count() == 1
