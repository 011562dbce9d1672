"""Evidence and attachments shown inline: images in <img>, PDFs in an
<iframe> of the same protected download address with ``?preview=1``, served
inline with their own type and framed by this site only; other types stay
downloads. Whoever may not download a file may not preview it either."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from core.models import StoredFile
from tests.workrooms.activities.factories import ActivityFactory, ExpenseFactory
from tests.workrooms.records.factories import AchievementFactory, StoredFileFactory
from workrooms.models import ActivityFile

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def stored(name: str, content_type: str, data: bytes) -> StoredFile:
    return StoredFile.objects.create(
        original_name=name, content_type=content_type, size=len(data), file=ContentFile(data, name="upload")
    )


@pytest.fixture
def files(workroom, member):
    activity = ActivityFactory(workroom=workroom, theme="班会课观摩")
    photo = ActivityFile.objects.create(activity=activity, file=stored("合影.png", "image/png", png_bytes()), description="活动合影")
    plan = ActivityFile.objects.create(activity=activity, file=stored("方案.docx", DOCX, b"PK\x03\x04docx"))
    achievement = AchievementFactory(teacher=member.teacher, workroom=workroom, evidence=StoredFileFactory())
    expense = ExpenseFactory(workroom=workroom)
    return {
        "activity": activity,
        "achievement": achievement,
        "urls": {
            "photo": reverse("workrooms:activity_file", args=[photo.pk]),
            "docx": reverse("workrooms:activity_file", args=[plan.pk]),
            "evidence": reverse("records:achievement_evidence", args=[achievement.pk]),
            "receipt": reverse("workrooms:expense_receipt", args=[expense.pk]),
        },
    }


def test_a_preview_is_served_inline_with_its_type_and_framed_by_this_site_only(client, member, files):
    client.force_login(member)
    r = client.get(files["urls"]["evidence"] + "?preview=1")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline")
    assert r["X-Frame-Options"] == "SAMEORIGIN" and r["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in r["Content-Security-Policy"]
    image = client.get(files["urls"]["photo"] + "?preview=1")
    assert image["Content-Type"] == "image/png" and image["Content-Disposition"].startswith("inline")


def test_without_preview_a_file_is_downloaded_and_framed_by_no_one(client, member, files):
    client.force_login(member)
    r = client.get(files["urls"]["evidence"])
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in r["Content-Security-Policy"]


def test_other_types_are_downloaded_even_when_a_preview_is_asked(client, member, files):
    client.force_login(member)
    r = client.get(files["urls"]["docx"] + "?preview=1")
    assert r["Content-Disposition"].startswith("attachment") and r["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("name", ["photo", "evidence", "receipt"])
@pytest.mark.parametrize("persona", ["outsider", "teacher", "member", "host", "leader", "office"])
def test_a_preview_is_refused_exactly_as_the_download(client, request, files, name, persona):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    url = files["urls"][name]
    download, preview = client.get(url), client.get(url + "?preview=1")
    assert preview.status_code == download.status_code
    if persona == "outsider":
        assert preview.status_code == 404
    if preview.status_code == 200:
        assert preview["Content-Disposition"].startswith("inline")


def test_anonymous_previews_go_to_login(client, files):
    r = client.get(files["urls"]["evidence"] + "?preview=1")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_pages_show_images_and_pdfs_inline_and_other_types_as_links(client, member, files):
    client.force_login(member)
    urls = files["urls"]
    activity = client.get(reverse("workrooms:activity_detail", args=[files["activity"].pk])).content.decode()
    assert f'<img class="file-preview-image" src="{urls["photo"]}?preview=1"' in activity
    assert f'src="{urls["docx"]}?preview=1"' not in activity and f'href="{urls["docx"]}"' in activity
    achievement = client.get(reverse("records:achievement_detail", args=[files["achievement"].pk])).content.decode()
    assert f'<iframe class="file-preview-pdf" src="{urls["evidence"]}?preview=1"' in achievement


def test_pages_allow_framing_this_sites_files_only(client, member, files):
    client.force_login(member)
    policy = client.get(reverse("records:achievement_detail", args=[files["achievement"].pk]))["Content-Security-Policy"]
    assert "frame-src 'self'" in policy and "object-src 'none'" in policy


@pytest.mark.browser
def test_the_image_preview_loads_in_the_browser(page, login, host, files, axe):
    login(host)
    page.goto(f"/workrooms/activities/{files['activity'].pk}/")
    img = page.locator("img.file-preview-image")
    img.scroll_into_view_if_needed()
    page.wait_for_function("(el) => el.complete && el.naturalWidth === 40", arg=img.element_handle())
    assert axe() == []
