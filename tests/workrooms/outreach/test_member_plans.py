"""A member's development plan, semester plans and summaries; host comments
(DOMAIN.md §5)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import Notification, NotificationKind
from tests.workrooms.outreach.conftest import XSS, assert_no_script
from tests.workrooms.outreach.factories import SemesterRecordFactory
from workrooms.plans import services as member_plans
from workrooms.plans.models import DevelopmentPlan, SemesterRecord


def test_it_saves_a_three_year_plan_with_yearly_goals_and_asks_the_host(client, member, host):
    client.force_login(member)
    r = client.post(reverse("plans:development_plan_new"), {
        "start_year": 2026, "overview": "<p>优势与不足</p>", "goals_year1": "<p>读书两本</p>",
        "goals_year2": "<p>开设示范班会课</p>", "goals_year3": "<p>主持校级课题</p>",
    })
    plan = DevelopmentPlan.objects.get()
    assert r.url == reverse("plans:development_plan", args=[plan.pk])
    assert [y for y, _ in plan.yearly_goals()] == [2026, 2027, 2028]
    n = Notification.objects.get(user=host)
    assert n.kind == NotificationKind.REVIEW_TODO and "张昇" in n.title
    page = client.get(r.url).content.decode()
    assert "2027年度目标" in page and "开设示范班会课" in page


def test_it_saves_a_semester_plan_and_a_summary_and_the_host_comments(client, member, host, member_membership):
    client.force_login(member)
    for kind, body in (("plan", "<p>学期计划</p>"), ("summary", "<p>学期总结</p>")):
        client.post(reverse("plans:semester_record_new"), {"kind": kind, "school_year": 2025, "term": 2, "body": body})
    assert SemesterRecord.objects.filter(membership=member_membership).count() == 2
    summary = SemesterRecord.objects.get(kind="summary")
    client.force_login(host)
    client.post(reverse("plans:semester_record", args=[summary.pk]), {"host_comment": "<p>总结扎实</p>"})
    summary.refresh_from_db()
    assert (summary.host_comment, summary.commented_by) == ("<p>总结扎实</p>", host)
    assert Notification.objects.get(user=member, kind=NotificationKind.COMMENT).url == reverse(
        "plans:semester_record", args=[summary.pk]
    )
    client.force_login(member)
    assert "总结扎实" in client.get(reverse("plans:semester_record", args=[summary.pk])).content.decode()


def test_it_refuses_a_second_record_of_the_same_kind_for_a_semester_and_keeps_the_text(client, member, member_membership):
    SemesterRecordFactory(membership=member_membership, kind="plan", school_year=2025, term=1)
    client.force_login(member)
    r = client.post(reverse("plans:semester_record_new"), {"kind": "plan", "school_year": 2025, "term": 1, "body": "<p>重复的计划</p>"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "该学期的这一类记录已经填写过" in page and "重复的计划" in page
    assert SemesterRecord.objects.count() == 1


def test_it_refuses_a_comment_from_a_member_and_changes_nothing(member_membership, second_member):
    record = SemesterRecordFactory(membership=member_membership)
    with pytest.raises(PermissionDenied):
        member_plans.member_record_comment(record=record, actor=second_member, comment="<p>x</p>")
    record.refresh_from_db()
    assert record.host_comment == ""


def test_it_lets_only_the_author_edit(member_membership, host):
    record = SemesterRecordFactory(membership=member_membership)
    record.body = "<p>主持人改写</p>"
    with pytest.raises(PermissionDenied):
        member_plans.member_record_save(record=record, actor=host)
    record.refresh_from_db()
    assert record.body == "<p>本学期计划</p>"


@pytest.mark.parametrize("payload", XSS)
def test_it_strips_scripts_from_every_member_text(member_membership, member, host, payload):
    plan = DevelopmentPlan(membership=member_membership, start_year=2026, overview=payload,
                           goals_year1=payload, goals_year2=payload, goals_year3=payload)
    member_plans.member_record_save(record=plan, actor=member)
    record = SemesterRecord(membership=member_membership, kind="plan", school_year=2026, term=1, body=payload)
    member_plans.member_record_save(record=record, actor=member)
    member_plans.member_record_comment(record=record, actor=host, comment=payload)
    plan.refresh_from_db()
    record.refresh_from_db()
    for value in (plan.overview, plan.goals_year1, plan.goals_year2, plan.goals_year3, record.body, record.host_comment):
        assert_no_script(value)
        assert "正文" in value


def test_member_records_land_in_the_archive_and_the_growth_handbook(client, member, member_membership):
    from workrooms.archive.models import ArchiveEntry

    client.force_login(member)
    client.post(reverse("plans:semester_record_new"), {"kind": "summary", "school_year": 2025, "term": 2, "body": "<p>总结</p>"})
    record = SemesterRecord.objects.get()
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.member, entry.workroom) == ("plans", member.teacher, member_membership.workroom)
    html = client.get(reverse("records:handbook")).content.decode()
    assert reverse("plans:semester_record", args=[record.pk]) in html


@pytest.mark.parametrize(
    "day, expected",
    [(date(2025, 9, 1), (2025, 1)), (date(2026, 1, 31), (2025, 1)), (date(2026, 2, 1), (2025, 2)),
     (date(2026, 8, 31), (2025, 2))],
)
def test_it_knows_the_semester_of_a_day(day, expected):
    assert member_plans.current_semester(day) == expected


def test_a_member_has_one_development_plan_and_is_sent_to_edit_it(client, member, member_membership):
    from tests.workrooms.outreach.factories import DevelopmentPlanFactory

    plan = DevelopmentPlanFactory(membership=member_membership)
    client.force_login(member)
    r = client.get(reverse("plans:development_plan_new"))
    assert r.url == reverse("plans:development_plan_edit", args=[plan.pk])


def test_a_new_record_starts_in_the_current_semester(client, member):
    from django.utils import timezone

    from core.calendar import semester_of

    year, term = semester_of(timezone.localdate()).code.split("-")
    client.force_login(member)
    html = client.get(reverse("plans:semester_record_new")).content.decode()
    assert f'name="school_year" value="{year}"' in html and f'<option value="{term}" selected>' in html
    html = client.get(reverse("plans:development_plan_new")).content.decode()
    assert f'name="start_year" value="{timezone.localdate().year}"' in html
