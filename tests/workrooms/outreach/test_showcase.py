"""The public page (工作室主页): exactly what is marked public, nothing
private; visitor messages with limits and moderation; the Atom feed."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from core.models import Notification, NotificationKind
from tests.workrooms.outreach.conftest import XSS, assert_no_script
from tests.workrooms.outreach.factories import (
    OutreachRecordFactory,
    ShowcaseFactory,
    VisitorMessageFactory,
    WorkroomPlanFactory,
)
from workrooms.models import VisitorMessage
from workrooms.outreach import showcase as showcase_services
from workrooms.plans.models import WorkroomPlan


def page(client, workroom):
    r = client.get(reverse("showcase:page", args=[workroom.pk]))
    assert r.status_code == 200
    return r.content.decode()


def test_it_shows_the_profile_host_members_and_direction_without_login(client, workroom, member, showcase):
    workroom.description = "工作室简介文字"
    workroom.save()
    html = page(client, workroom)
    for text in (workroom.name, "王喆", "张昇", "班级文化建设", "工作室简介文字", "聚焦班级文化建设的研修共同体"):
        assert text in html


def test_it_hides_the_profile_when_the_host_says_so(client, workroom, showcase):
    workroom.description = "工作室简介文字"
    workroom.save()
    showcase.show_profile = False
    showcase.save()
    html = page(client, workroom)
    assert "工作室简介文字" not in html and "研修共同体" not in html


def test_it_is_not_there_until_the_host_publishes_it(client, workroom):
    assert client.get(reverse("showcase:page", args=[workroom.pk])).status_code == 404
    ShowcaseFactory(workroom=workroom, is_published=False)
    assert client.get(reverse("showcase:page", args=[workroom.pk])).status_code == 404
    assert client.get(reverse("showcase:feed", args=[workroom.pk])).status_code == 404


def test_it_never_shows_anything_private(client, workroom, member, showcase):
    t = member.teacher
    t.phone, t.email = "13912345678", "zhang@example.cn"
    t.save()
    host = workroom.host
    host.phone, host.email = "13800001111", "wang@example.cn"
    host.save()
    VisitorMessageFactory(workroom=workroom, ip_address="198.51.100.77", status=VisitorMessage.Status.APPROVED)
    html = page(client, workroom)
    for private in ("13912345678", "zhang@example.cn", "13800001111", "wang@example.cn", t.staff_no, host.staff_no,
                    "198.51.100.77", str(t.birth_date), t.class_name):
        assert private not in html


def test_it_lists_only_active_members(client, workroom, member, second_member, showcase):
    m = second_member.teacher.memberships.get()
    m.status = "withdrawn"
    m.save()
    html = page(client, workroom)
    assert "张昇" in html and "刘芳" not in html


# --- one test per publishable kind -------------------------------------------


def test_it_shows_a_plan_only_when_filed_and_marked_public(client, workroom, showcase):
    public = WorkroomPlanFactory(workroom=workroom, year=2026, status=WorkroomPlan.Status.FILED, is_public=True,
                                 version="<p>公开的年度计划</p>")
    WorkroomPlanFactory(workroom=workroom, year=2025, status=WorkroomPlan.Status.FILED, is_public=False,
                        version="<p>未公开的计划</p>")
    WorkroomPlanFactory(workroom=workroom, year=2024, status=WorkroomPlan.Status.SUBMITTED, is_public=True,
                        version="<p>未备案的计划</p>")
    html = page(client, workroom)
    assert "公开的年度计划" in html and f'id="plan-{public.pk}"' in html
    assert "未公开的计划" not in html and "未备案的计划" not in html


def test_it_shows_an_outreach_record_only_when_marked_public(client, workroom, showcase):
    OutreachRecordFactory(workroom=workroom, topic="公开讲座", is_public=True)
    OutreachRecordFactory(workroom=workroom, topic="内部交流", is_public=False)
    html = page(client, workroom)
    assert "公开讲座" in html and "内部交流" not in html


def test_it_shows_only_registered_kinds():
    assert set(showcase_services.PUBLIC_KINDS) == {"plan", "outreach", "activity", "photo", "writing", "achievement"}


def test_it_shows_nothing_of_another_workroom(client, workroom, showcase):
    from tests.factories import WorkroomFactory

    other = WorkroomFactory()
    OutreachRecordFactory(workroom=other, topic="别人的讲座", is_public=True)
    assert "别人的讲座" not in page(client, workroom)


# --- cache ---------------------------------------------------------------------


def test_it_serves_from_cache_and_refreshes_when_the_host_changes_what_is_public(client, workroom, showcase,
                                                                                  django_assert_max_num_queries):
    record = OutreachRecordFactory(workroom=workroom, topic="送教下乡", is_public=False)
    assert "送教下乡" not in page(client, workroom)
    with django_assert_max_num_queries(2):  # the session only; the page data come from the cache
        page(client, workroom)
    record.is_public = True
    record.save()
    assert "送教下乡" in page(client, workroom)


def test_it_refreshes_when_a_message_is_approved(client, workroom, host, showcase):
    msg = VisitorMessageFactory(workroom=workroom, body="等待审核的留言")
    assert "等待审核的留言" not in page(client, workroom)
    showcase_services.visitor_message_decide(message=msg, approve=True, actor=host)
    assert "等待审核的留言" in page(client, workroom)


# --- messages ------------------------------------------------------------------


def post_message(client, workroom, ip="203.0.113.5", **data):
    payload = {"name": "李老师", "school": "城西小学", "body": "贵室的班会设计很有启发。", "website": "", **data}
    return client.post(reverse("showcase:page", args=[workroom.pk]), payload, REMOTE_ADDR=ip)


def test_a_visitor_message_waits_for_the_host(client, workroom, host, showcase):
    r = post_message(client, workroom)
    assert r.status_code == 302
    msg = VisitorMessage.objects.get()
    assert (msg.status, msg.ip_address) == (VisitorMessage.Status.PENDING, "203.0.113.5")
    assert "贵室的班会设计很有启发" not in page(client, workroom)
    assert Notification.objects.get(user=host).kind == NotificationKind.MESSAGE_PENDING


def test_a_rejected_message_never_appears(client, workroom, host, showcase):
    post_message(client, workroom)
    showcase_services.visitor_message_decide(message=VisitorMessage.objects.get(), approve=False, actor=host)
    assert "贵室的班会设计很有启发" not in page(client, workroom)


@pytest.mark.parametrize(
    "data, error",
    [({"body": "短"}, "至少"), ({"body": "长" * 501}, "不超过 500"), ({"name": ""}, "这个字段是必填项"),
     ({"name": "名" * 31}, "不超过 30")],
)
def test_it_refuses_bad_messages_and_keeps_what_was_typed(client, workroom, showcase, data, error):
    r = post_message(client, workroom, **data)
    assert r.status_code == 200
    html = r.content.decode()
    assert error in html and "城西小学" in html
    assert not VisitorMessage.objects.exists()


@override_settings(SHOWCASE_MESSAGES_PER_HOUR=3)
def test_it_limits_messages_per_address(client, workroom, showcase):
    for _ in range(3):
        assert post_message(client, workroom).status_code == 302
    r = post_message(client, workroom)
    assert r.status_code == 429
    assert "留言过于频繁" in r.content.decode()
    assert VisitorMessage.objects.count() == 3
    assert post_message(client, workroom, ip="203.0.113.99").status_code == 302


def test_it_quietly_drops_what_a_bot_fills_in(client, workroom, showcase):
    r = post_message(client, workroom, website="http://spam.example")
    assert r.status_code == 302
    assert not VisitorMessage.objects.exists()


def test_it_takes_no_messages_when_the_host_closed_them(client, workroom, showcase):
    showcase.accept_messages = False
    showcase.save()
    assert post_message(client, workroom).status_code == 404
    assert "提交留言" not in page(client, workroom)


@pytest.mark.parametrize("payload", XSS)
def test_no_script_survives_on_the_public_page(client, workroom, host, showcase, payload):
    showcase.intro = payload
    showcase.save()
    WorkroomPlanFactory(workroom=workroom, status=WorkroomPlan.Status.FILED, is_public=True, version=payload)
    OutreachRecordFactory(workroom=workroom, is_public=True, notes=payload)
    post_message(client, workroom, body=payload + "来自访客", name="访客<b>甲</b>", school=payload[:60])
    msg = VisitorMessage.objects.get()
    showcase_services.visitor_message_decide(message=msg, approve=True, actor=host)
    html = page(client, workroom)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert_no_script(main.replace('<script src="/static/', ""))
    assert main.count("正文") >= 3
    feed = client.get(reverse("showcase:feed", args=[workroom.pk])).content.decode()
    assert_no_script(feed.replace("&lt;", "<"))


# --- feed and outreach counts ---------------------------------------------------


def test_the_feed_lists_the_public_items(client, workroom, showcase):
    OutreachRecordFactory(workroom=workroom, topic="公开讲座", is_public=True)
    OutreachRecordFactory(workroom=workroom, topic="内部交流", is_public=False)
    r = client.get(reverse("showcase:feed", args=[workroom.pk]))
    assert r["Content-Type"].startswith("application/atom+xml")
    body = r.content.decode()
    assert "公开讲座" in body and "内部交流" not in body


def test_outreach_counts_per_workroom_and_period(workroom):
    from datetime import date

    from tests.factories import WorkroomFactory

    other = WorkroomFactory()
    OutreachRecordFactory(workroom=workroom, kind="lecture", date=date(2026, 3, 1), hours=Decimal("2"))
    OutreachRecordFactory(workroom=workroom, kind="exchange", date=date(2026, 4, 1), hours=Decimal("3.5"))
    OutreachRecordFactory(workroom=workroom, kind="training", date=date(2026, 9, 1), hours=Decimal("1"))
    counts = showcase_services.outreach_counts(workroom_ids=[workroom.pk, other.pk], start=date(2026, 2, 1), end=date(2026, 7, 31))
    assert counts[workroom.pk] == showcase_services.OutreachCount(1, 0, 1, Decimal("5.5"))
    assert counts[other.pk] == showcase_services.OutreachCount()


def test_the_host_records_outreach_and_refuses_future_dates(client, workroom, host):
    client.force_login(host)
    url = reverse("workrooms:outreach_new", args=[workroom.pk])
    r = client.post(url, {"kind": "training", "date": "2099-01-01", "audience": "北山小学", "topic": "送教", "hours": "2"})
    assert "日期不能晚于今天" in r.content.decode() and "北山小学" in r.content.decode()
    r = client.post(url, {"kind": "training", "date": "2026-01-05", "audience": "北山小学", "topic": "送教", "hours": "2"})
    assert r.status_code == 302
    assert workroom.outreach_records.get().recorded_by == host


@override_settings(SHOWCASE_MESSAGES_PER_HOUR=1, TRUSTED_PROXY_HOPS=1)
def test_behind_a_proxy_it_limits_by_the_address_the_proxy_saw(client, workroom, showcase):
    url = reverse("showcase:page", args=[workroom.pk])
    data = {"name": "李老师", "body": "贵室的班会设计很有启发。"}
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    # a forged first entry does not buy a new slot
    r = client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert r.status_code == 429
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    assert list(VisitorMessage.objects.values_list("ip_address", flat=True).order_by("id")) == ["198.51.100.1", "198.51.100.2"]


def test_the_host_publishes_and_withdraws_the_page(client, workroom, host):
    url = reverse("showcase:page", args=[workroom.pk])
    assert client.get(url).status_code == 404
    client.force_login(host)
    settings_url = reverse("workrooms:showcase_settings", args=[workroom.pk])
    client.post(settings_url, {"is_published": "on", "show_profile": "on", "intro": "<p>欢迎交流</p>", "accept_messages": "on"})
    client.logout()
    assert "欢迎交流" in page(client, workroom)
    client.force_login(host)
    client.post(settings_url, {"intro": "<p>欢迎交流</p>"})
    client.logout()
    assert client.get(url).status_code == 404
