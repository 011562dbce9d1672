"""Activity photos the host marks public appear on the workroom's public page
and in its feed, served through a public view that checks they are public
(DOMAIN.md §3, §6). A photo is an image attached to an activity and is shown
only with its activity: both must be public."""

import pytest
from django.urls import reverse

from tests.workrooms.activities.factories import PNG_BYTES, ActivityFactory
from tests.workrooms.outreach.factories import activity_photo
from tests.workrooms.outreach.public import feed, page


def photo_url(workroom, photo):
    return reverse("showcase:photo", args=[workroom.pk, photo.pk])


@pytest.fixture
def activity(workroom):
    return ActivityFactory(workroom=workroom, theme="主题班会观摩", is_public=True, minutes="家长电话 13900001111")


def test_it_shows_a_public_photo_of_a_public_activity_and_serves_it_to_anyone(client, workroom, showcase, activity):
    shown = activity_photo(activity, is_public=True, description="观摩现场")
    hidden = activity_photo(activity, is_public=False, description="内部讨论照片")
    html = page(client, workroom)
    assert 'id="photos-' in html and "主题班会观摩" in html and "观摩现场" in html and "1 张照片" in html
    assert f'src="{photo_url(workroom, shown)}"' in html
    assert "内部讨论照片" not in html and photo_url(workroom, hidden) not in html
    # never the signed-in download view nor the stored file's address
    assert reverse("workrooms:activity_file", args=[shown.pk]) not in html
    assert "/media-not-public/" not in html and str(shown.file.uuid) not in html
    assert "13900001111" not in html

    r = client.get(photo_url(workroom, shown))
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PNG_BYTES
    assert "inline" in r["Content-Disposition"]


def test_a_photo_that_is_not_public_is_404_to_anonymous(client, workroom, showcase, activity):
    hidden = activity_photo(activity, is_public=False)
    assert client.get(photo_url(workroom, hidden)).status_code == 404
    # and the signed-in download view sends an anonymous visitor to the login page
    r = client.get(reverse("workrooms:activity_file", args=[hidden.pk]))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_a_public_photo_of_a_private_activity_is_not_shown(client, workroom, showcase):
    private = ActivityFactory(workroom=workroom, theme="内部工作例会", is_public=False)
    p = activity_photo(private, is_public=True, description="例会照片")
    html = page(client, workroom)
    assert "例会照片" not in html and "内部工作例会" not in html
    assert client.get(photo_url(workroom, p)).status_code == 404


def test_a_document_is_never_a_photo(client, workroom, showcase, activity):
    doc = activity_photo(activity, is_public=True, description="活动纪要", content_type="application/pdf")
    assert "活动纪要" not in page(client, workroom)
    assert client.get(photo_url(workroom, doc)).status_code == 404


def test_a_photo_is_served_only_under_its_own_published_workroom(client, workroom, showcase, activity):
    from tests.factories import WorkroomFactory
    from tests.workrooms.outreach.factories import ShowcaseFactory

    p = activity_photo(activity, is_public=True)
    other = WorkroomFactory()
    ShowcaseFactory(workroom=other)
    assert client.get(photo_url(other, p)).status_code == 404
    showcase.is_published = False
    showcase.save()
    assert client.get(photo_url(workroom, p)).status_code == 404


def test_the_feed_carries_the_public_photos(client, workroom, showcase, activity):
    p = activity_photo(activity, is_public=True, description="观摩现场")
    activity_photo(activity, is_public=False, description="内部讨论照片")
    body = feed(client, workroom)
    assert "[活动照片] 主题班会观摩" in body
    assert f"http://testserver{photo_url(workroom, p)}" in body and "观摩现场" in body
    assert "内部讨论照片" not in body


def test_taking_the_activity_off_the_page_takes_its_photos(client, workroom, showcase, activity):
    p = activity_photo(activity, is_public=True, description="观摩现场")
    assert "观摩现场" in page(client, workroom)
    activity.is_public = False
    activity.save()
    assert "观摩现场" not in page(client, workroom)
    assert client.get(photo_url(workroom, p)).status_code == 404


def test_deleting_a_photo_refreshes_the_page(client, workroom, showcase, activity):
    p = activity_photo(activity, is_public=True, description="观摩现场")
    assert "观摩现场" in page(client, workroom)
    p.delete()
    assert "观摩现场" not in page(client, workroom)
