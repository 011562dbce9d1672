"""Sign-in by QR code: the host's activity page shows a code that opens the
activity's sign-in page with the short code filled in; a member still has to
be signed in and of the workroom, and the short code stays the fallback."""

import subprocess
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from workrooms.activities import services
from workrooms.models import Attendance


def decode_qr(png: bytes, tmp_path) -> str:
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    out = subprocess.run(["zbarimg", "--raw", "-q", str(path)], check=True, capture_output=True, text=True).stdout
    return out.strip()


@pytest.fixture
def code(activity, host):
    return services.signin_code_start(activity=activity, actor=host)


def test_the_page_shows_the_qr_code_to_those_who_take_attendance_only(client, activity, code, host, member, leader):
    url = reverse("workrooms:activity_detail", args=[activity.pk])
    client.force_login(host)
    assert 'id="signin-qr"' in client.get(url).content.decode()
    for reader in (member, leader):
        client.force_login(reader)
        assert 'id="signin-qr"' not in client.get(url).content.decode()


def test_the_sign_in_page_comes_filled_in_and_signs_in_only_on_submit(client, activity, code, member):
    client.force_login(member)
    url = reverse("workrooms:signin", args=[activity.pk]) + f"?code={code.code}"
    r = client.get(url)
    assert f'value="{code.code}"' in r.content.decode()
    assert not Attendance.objects.filter(activity=activity).exists()  # opening the page changes nothing
    client.post(url, {"code": code.code})
    assert Attendance.objects.get(activity=activity, teacher=member.teacher).status == Attendance.Status.PRESENT


def test_scanning_while_signed_out_leads_through_the_login_with_the_code_kept(client, activity, code):
    url = reverse("workrooms:signin", args=[activity.pk]) + f"?code={code.code}"
    r = client.get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"] and f"code%3D{code.code}" in r["Location"]


def test_a_teacher_of_no_part_in_the_workroom_cannot_use_the_code(client, activity, code, outsider, teacher):
    url = reverse("workrooms:signin", args=[activity.pk]) + f"?code={code.code}"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(teacher.user)
    assert client.post(url, {"code": code.code}).status_code in (403, 404)
    assert not Attendance.objects.filter(activity=activity).exists()


@pytest.mark.browser
def test_a_member_signs_in_by_scanning_the_code_on_the_hosts_page(page, login, activity, host, member, tmp_path):
    login(host)
    page.goto(f"/workrooms/activities/{activity.pk}/")
    page.click("text=发起签到码")
    qr = page.locator("#signin-qr")
    qr.wait_for()
    short_code = page.locator("#signin-code").inner_text().strip()
    url = decode_qr(qr.screenshot(), tmp_path)
    assert urlsplit(url).path == f"/workrooms/activities/{activity.pk}/signin/"
    assert urlsplit(url).query == f"code={short_code}"

    login(member)
    page.goto(url)
    assert page.input_value("#id_code") == short_code
    page.click("button[type=submit]:has-text('签到')")
    page.wait_for_selector("text=签到成功")
    assert Attendance.objects.get(activity=activity, teacher=member.teacher).status == Attendance.Status.PRESENT
