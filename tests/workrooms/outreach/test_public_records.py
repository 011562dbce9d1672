"""Marking writings, achievements and activity photos public, and taking them
back, through their pages (DOMAIN.md §3 辐射引领): the host's button, its
Chinese confirmation, the refreshed public page and feed; and a refusal in
Chinese, with nothing changed, for a record that may not be public."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import ActivityFactory
from tests.workrooms.outreach.factories import activity_photo
from tests.workrooms.outreach.public import feed, page, press_publish
from tests.workrooms.records.factories import AchievementFactory, WritingFactory
from workrooms.records.models import Achievement, ReviewStatus


@dataclass(frozen=True)
class Kind:
    publish: str  # url name of the button's view
    detail: str  # url name of the page the button is on
    button: str  # the button's text on that page
    make: Callable  # (workroom, teacher, variant) -> record; variant "ok" is eligible

    def detail_url(self, record):
        pk = record.activity_id if self.detail == "workrooms:activity_detail" else record.pk
        return reverse(self.detail, args=[pk])


def _activity(workroom, public):
    return ActivityFactory(workroom=workroom, theme="主题班会观摩", is_public=public)


KINDS = {
    "writing": Kind(
        "records:writing_publish", "records:writing_detail", "在工作室主页公开</button>",
        lambda w, t, v: WritingFactory(workroom=w, teacher=t, title="春季主题班会", status={
            "ok": ReviewStatus.ACCEPTED, "submitted": ReviewStatus.SUBMITTED, "returned": ReviewStatus.RETURNED}[v]),
    ),
    "achievement": Kind(
        "records:achievement_publish", "records:achievement_detail", "在工作室主页公开</button>",
        lambda w, t, v: AchievementFactory(workroom=w, teacher=t, title="春季主题班会", status={
            "ok": Achievement.Status.VERIFIED, "pending": Achievement.Status.PENDING,
            "rejected": Achievement.Status.REJECTED}[v]),
    ),
    "photo": Kind(
        "workrooms:activity_photo_publish", "workrooms:activity_detail", "在工作室主页公开照片</button>",
        lambda w, t, v: activity_photo(
            _activity(w, public=v != "private_activity"), description="春季主题班会",
            content_type="application/pdf" if v == "document" else "image/png"),
    ),
}

REFUSALS = [
    ("writing", "submitted", "只有主持人审阅通过的写作可以在工作室主页公开。"),
    ("writing", "returned", "只有主持人审阅通过的写作可以在工作室主页公开。"),
    ("achievement", "pending", "只有德育处认定的成果可以在工作室主页公开。"),
    ("achievement", "rejected", "只有德育处认定的成果可以在工作室主页公开。"),
    ("photo", "private_activity", "该活动尚未在工作室主页公开：请先编辑活动，勾选“在展示页公开”，再公开它的照片。"),
    ("photo", "document", "只有图片可以作为活动照片在工作室主页公开。"),
]


@pytest.mark.parametrize("name", list(KINDS))
@pytest.mark.parametrize("who", ["host", "office"])
def test_it_marks_a_record_public_and_takes_it_back(request, client, workroom, member, showcase, name, who):
    kind = KINDS[name]
    record = kind.make(workroom, member.teacher, "ok")
    url = reverse(kind.publish, args=[record.pk])
    assert "春季主题班会" not in page(client, workroom)  # now cached without it
    client.force_login(request.getfixturevalue(who))
    assert kind.button in client.get(kind.detail_url(record)).content.decode()

    assert press_publish(client, url) == (kind.detail_url(record), ["「春季主题班会」已在工作室主页公开。"])
    record.refresh_from_db()
    assert record.is_public
    client.logout()  # the visitor's view, without the message to the host
    assert "春季主题班会" in page(client, workroom) and "春季主题班会" in feed(client, workroom)

    client.force_login(request.getfixturevalue(who))
    assert press_publish(client, url, "0") == (kind.detail_url(record), ["「春季主题班会」已不在工作室主页显示。"])
    record.refresh_from_db()
    assert not record.is_public
    client.logout()
    assert "春季主题班会" not in page(client, workroom) and "春季主题班会" not in feed(client, workroom)


@pytest.mark.parametrize("name, variant, refusal", REFUSALS)
def test_an_ineligible_record_cannot_be_made_public(client, workroom, host, member, showcase, name, variant, refusal):
    kind = KINDS[name]
    record = kind.make(workroom, member.teacher, variant)
    before = type(record).objects.values().get(pk=record.pk)
    client.force_login(host)
    assert kind.button not in client.get(kind.detail_url(record)).content.decode()
    assert press_publish(client, reverse(kind.publish, args=[record.pk])) == (kind.detail_url(record), [refusal])
    assert type(record).objects.values().get(pk=record.pk) == before
    client.logout()
    assert "春季主题班会" not in page(client, workroom)


@pytest.mark.parametrize("name", ["writing", "achievement"])
def test_the_record_page_says_why_it_cannot_be_public_yet(client, workroom, host, member, name):
    kind = KINDS[name]
    variant, refusal = next((v, r) for n, v, r in REFUSALS if n == name)
    record = kind.make(workroom, member.teacher, variant)
    client.force_login(host)
    assert refusal in client.get(kind.detail_url(record)).content.decode()


def test_the_activity_page_says_photos_go_public_with_their_activity(client, workroom, host, member):
    photo = KINDS["photo"].make(workroom, member.teacher, "private_activity")
    client.force_login(host)
    assert "照片须随活动一起公开" in client.get(KINDS["photo"].detail_url(photo)).content.decode()


@pytest.mark.parametrize("name, url_name", [("writing", "records:writing_list"),
                                            ("achievement", "records:achievement_list")])
def test_the_list_marks_what_is_public(client, workroom, host, member, name, url_name):
    record = KINDS[name].make(workroom, member.teacher, "ok")
    client.force_login(host)
    assert ">主页公开</span>" not in client.get(reverse(url_name)).content.decode()
    record.is_public = True
    record.save()
    assert ">主页公开</span>" in client.get(reverse(url_name)).content.decode()
