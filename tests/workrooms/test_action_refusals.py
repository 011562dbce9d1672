"""Actions appear only when they can succeed: a transition that would be
refused is shown as a disabled button saying why, with the same words the
refusal of a POST gives (DOMAIN.md §4)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.workrooms.factories import ExpertReviewFactory, in_public_notice
from workrooms.models import HostApplication, Workroom
from workrooms.workflow import HOST_APPLICATION

A = HostApplication.Status
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _page(client, user, application):
    client.force_login(user)
    r = client.get(f"/workrooms/applications/{application.pk}/")
    assert r.status_code == 200
    return r.content.decode()


def _posts_to(html, action) -> bool:
    return f'/transition/{action}/"' in html


def _disabled(html, label) -> bool:
    return re.search(rf"<button [^>]*disabled[^>]*>{label}</button>", html) is not None


def _refusal(html, action) -> str | None:
    m = re.search(rf'data-refusal="{action}">([^<]*)<', html)
    return m.group(1) if m else None


def test_it_disables_approval_while_the_notice_runs_and_says_until_when(client, application, admin, time_machine):
    time_machine.move_to(NOW, tick=False)
    in_public_notice(application, ends_in=timedelta(days=2, hours=3))
    soup = _page(client, admin, application)
    assert _disabled(soup, "批准立项")
    assert _refusal(soup, "approve") == (
        "公示期尚未结束：公示期至 5月3日 12:00 结束，期满后才能审批。"
    )
    assert not _posts_to(soup, "approve")
    # 不予批准 needs no waiting: it stays a live form.
    assert _posts_to(soup, "reject")


def test_it_refuses_the_post_with_the_same_words_and_changes_nothing(client, application, admin, time_machine):
    time_machine.move_to(NOW, tick=False)
    in_public_notice(application, ends_in=timedelta(days=2, hours=3))
    client.force_login(admin)
    r = client.post(f"/workrooms/applications/{application.pk}/transition/approve/")
    assert "公示期至 5月3日 12:00 结束" in r.content.decode()
    application.refresh_from_db()
    assert (application.status, application.workroom) == (A.PUBLIC_NOTICE, None)
    assert not Workroom.objects.exists()


def test_it_offers_approval_once_the_notice_is_over(client, application, admin):
    in_public_notice(application, ends_in=timedelta(seconds=-1))
    soup = _page(client, admin, application)
    assert _posts_to(soup, "approve")
    assert "data-refusal" not in soup


def test_it_disables_the_notice_until_every_review_is_in(client, application, office, expert, other_expert):
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert, other_expert])
    ExpertReviewFactory(application=application, expert=expert)
    soup = _page(client, office, application)
    assert _disabled(soup, "评审通过，开始公示")
    assert "还有 1 份评审未提交" in _refusal(soup, "start_notice")
    assert not _posts_to(soup, "start_notice") and not _posts_to(soup, "not_established")
    assert _posts_to(soup, "expert_return")  # returning needs no reviews

    ExpertReviewFactory(application=application, expert=other_expert)
    soup = _page(client, office, application)
    assert _posts_to(soup, "start_notice") and "data-refusal" not in soup


def test_the_helper_says_why_not_and_can_for_each_transition(application, office, admin, expert, teacher):
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert])
    assert HOST_APPLICATION.refusal(office, application, "start_notice") == "还有 1 份评审未提交，评审专家全部提交后才能作出结论。"
    assert HOST_APPLICATION.refusal(teacher.user, application, "start_notice") == "您无权执行此操作。"
    assert HOST_APPLICATION.refusal(admin, application, "approve") == "当前状态为「专家评审中」，不能执行「批准立项」。"
    assert HOST_APPLICATION.refusal(office, application, "expert_return") == ""
    ExpertReviewFactory(application=application, expert=expert)
    assert HOST_APPLICATION.refusal(office, application, "start_notice") == ""
    assert [(o.action, o.refusal) for o in HOST_APPLICATION.options(office, application)] == [
        ("start_notice", ""), ("expert_return", ""), ("not_established", ""),
    ]
    application.refresh_from_db()
    assert application.status == A.EXPERT_REVIEW  # asking changes nothing
