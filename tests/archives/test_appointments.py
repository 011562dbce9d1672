"""Appointment papers (DOMAIN.md §3, §4, §5, §10): 审批 issues the host's
主持人聘书 and the workroom's 挂牌证书, a filed member agreement the 成员聘书,
a host added later a 聘书 of their own; a host removed loses theirs. Each is
a certificate like the others: serial, check code, verification page, PDF,
filed in the workroom's archive and announced to its recipient."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from archives import services
from archives.models import Certificate, Job
from core.models import Notification
from tests import factories as f
from tests.conftest import pdftotext
from tests.workrooms.factories import HostApplicationFactory, in_public_notice
from workrooms import services as workroom_services
from workrooms.archive.models import ArchiveEntry
from workrooms.hosts import services as host_services
from workrooms.hosts.models import HostChange
from workrooms.selection import services as selection_services
from workrooms.selection.models import Membership

K = Certificate.Kind
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def approved(teacher, admin, ruleset, django_capture_on_commit_callbacks):
    """李堃's application approved by the administrator, the worker run."""
    application = in_public_notice(HostApplicationFactory(applicant=teacher), ends_in=timedelta(seconds=-1))
    with django_capture_on_commit_callbacks(execute=True):
        workroom_services.application_transition(application=application, action="approve", actor=admin)
    application.refresh_from_db()
    return application.workroom


def _flat(path) -> str:
    return re.sub(r"\s+", "", pdftotext(path))


def test_approval_issues_one_host_letter_and_one_plaque(approved, teacher):
    certs = {c.kind: c for c in Certificate.objects.all()}
    assert sorted(certs) == sorted([K.HOST_APPOINTMENT, K.PLAQUE])
    letter, plaque = certs[K.HOST_APPOINTMENT], certs[K.PLAQUE]
    assert (letter.recipient, letter.workroom, letter.recipient_name) == (teacher, approved, "李堃")
    assert letter.serial == "2026-PS-000001" and plaque.serial == "2026-GP-000001"
    assert (letter.period_start, letter.period_end) == (approved.cycle_start, approved.cycle_end)
    assert (plaque.workroom_name, plaque.school_name) == ("李堃名班主任工作室", approved.school.name)
    assert letter.file is not None and plaque.file is not None


def test_issuing_again_for_the_same_approval_creates_nothing(approved, admin, django_capture_on_commit_callbacks):
    serials = set(Certificate.objects.values_list("serial", flat=True))
    jobs = Job.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.workroom_approved(workroom=approved, actor=admin)
    assert {c.serial for c in again} == serials
    assert Certificate.objects.count() == 2 and Job.objects.count() == jobs
    assert ArchiveEntry.objects.filter(kind="证书").count() == 2
    assert Notification.objects.filter(kind="certificate_issued").count() == 2


def test_a_second_approval_is_refused_and_issues_nothing(approved, admin):
    from core.workflow import TransitionRefused

    with pytest.raises(TransitionRefused):
        workroom_services.application_transition(application=approved.application, action="approve", actor=admin)
    assert Certificate.objects.count() == 2


def test_the_host_letter_prints_the_name_role_cycle_serial_and_verification_address(approved):
    letter = Certificate.objects.get(kind=K.HOST_APPOINTMENT)
    text = _flat(letter.file.file.path)
    assert "聘书" in text and "主持人聘书" in text
    end = approved.cycle_end
    assert (
        f"兹聘任李堃同志为李堃名班主任工作室主持人，聘期自2026年3月10日至{end.year}年{end.month}月{end.day}日。" in text
    )
    assert letter.serial in text and letter.check_code in text
    assert f"{settings.SITE_URL}/archives/verify/{letter.serial}/{letter.check_code}/" in text
    assert approved.school.name in text


def test_the_plaque_prints_the_workroom_and_its_school(approved):
    plaque = Certificate.objects.get(kind=K.PLAQUE)
    text = _flat(plaque.file.file.path)
    assert "挂牌证书" in text and "李堃名班主任工作室" in text
    assert f"经{approved.school.name}审批，李堃名班主任工作室正式立项，准予挂牌运行。" in text
    assert "主持人：李堃" in text
    assert plaque.serial in text
    assert f"{settings.SITE_URL}/archives/verify/{plaque.serial}/{plaque.check_code}/" in text


def test_the_papers_are_filed_in_the_archive_and_announced_to_the_host(approved, teacher, client):
    entries = ArchiveEntry.objects.filter(workroom=approved, kind="证书").order_by("title")
    assert [e.category for e in entries] == [ArchiveEntry.Category.ACHIEVEMENTS] * 2
    titles = " ".join(e.title for e in entries)
    assert "主持人聘书（李堃，2026-PS-000001）" in titles and "挂牌证书（李堃，2026-GP-000001）" in titles
    notes = sorted(
        Notification.objects.filter(user=teacher.user, kind="certificate_issued").values_list("title", flat=True)
    )
    assert notes == ["您获颁主持人聘书（李堃名班主任工作室）", "您获颁挂牌证书（李堃名班主任工作室）"]

    client.force_login(teacher.user)
    page = client.get(f"/archives/workrooms/{approved.pk}/").content.decode()
    assert "主持人聘书（李堃，2026-PS-000001）" in page and "挂牌证书（李堃，2026-GP-000001）" in page
    listing = client.get("/archives/certificates/").content.decode()
    assert "2026-PS-000001" in listing and "2026-GP-000001" in listing


def test_the_verification_page_shows_the_letter(approved, client):
    letter = Certificate.objects.get(kind=K.HOST_APPOINTMENT)
    page = client.get(f"/archives/verify/{letter.serial}/{letter.check_code}/").content.decode()
    assert "证书真实有效" in page
    assert "主持人聘书" in page and "李堃" in page and "李堃名班主任工作室" in page
    plaque = Certificate.objects.get(kind=K.PLAQUE)
    page = client.get(f"/archives/verify/{plaque.serial}/{plaque.check_code}/").content.decode()
    assert "证书真实有效" in page and "挂牌证书" in page and "主持人（领证人）" in page


def test_the_certificate_list_filters_by_the_new_kinds(approved, office, client):
    client.force_login(office)
    page = client.get("/archives/certificates/", {"kind": "plaque"}).content.decode()
    assert "2026-GP-000001" in page and "2026-PS-000001" not in page


def test_the_batch_issue_form_does_not_offer_appointment_papers(client, office, workroom):
    client.force_login(office)
    page = client.get("/archives/certificates/issue/").content.decode()
    assert "荣誉证书" in page and "挂牌证书" not in page and "聘书" not in page


# --- members ---------------------------------------------------------------------


@pytest.fixture
def place(workroom):
    """张昇, accepted into 王喆's workroom, agreement not yet signed."""
    other = f.SchoolFactory(name="实验小学")
    teacher = f.TeacherFactory(name="张昇", school=other)
    return f.MembershipFactory(workroom=workroom, teacher=teacher, status=Membership.Status.PENDING_AGREEMENT)


def test_a_filed_agreement_issues_the_member_letter(place, host, django_capture_on_commit_callbacks):
    selection_services.membership_sign_agreement(membership=place, actor=host)
    assert not Certificate.objects.exists()  # one signature is not yet an appointment
    with django_capture_on_commit_callbacks(execute=True):
        selection_services.membership_sign_agreement(membership=place, actor=place.teacher.user)

    letter = Certificate.objects.get()
    assert (letter.kind, letter.recipient, letter.serial) == (K.MEMBER_APPOINTMENT, place.teacher, "2026-CP-000001")
    # A member who joins within the cycle is appointed from that day to the cycle's end.
    assert (letter.period_start, letter.period_end) == (timezone.localdate(), place.workroom.cycle_end)
    text = _flat(letter.file.file.path)
    assert "成员聘书" in text and f"兹聘任张昇同志为{place.workroom.name}成员" in text
    assert f"{settings.SITE_URL}/archives/verify/{letter.serial}/{letter.check_code}/" in text
    assert ArchiveEntry.objects.filter(workroom=place.workroom, member=place.teacher, kind="证书").count() == 1
    assert Notification.objects.get(user=place.teacher.user).title == f"您获颁成员聘书（{place.workroom.name}）"


def test_a_member_who_withdraws_loses_the_letter(place, host, office, client, django_capture_on_commit_callbacks):
    from workrooms.selection.models import MembershipChange

    with django_capture_on_commit_callbacks(execute=True):
        selection_services.membership_sign_agreement(membership=place, actor=host)
        selection_services.membership_sign_agreement(membership=place, actor=place.teacher.user)
    letter = Certificate.objects.get(kind=K.MEMBER_APPOINTMENT)
    change = selection_services.membership_change_create(
        membership=place, kind=MembershipChange.Kind.WITHDRAW, actor=place.teacher.user, text="调往外地"
    )
    selection_services.membership_change_forward(change=change, actor=host)
    selection_services.membership_change_approve(change=change, actor=office)

    letter.refresh_from_db()
    assert letter.revoked_at is not None and letter.revoked_by == office
    assert "调往外地" in letter.revoke_reason
    page = client.get(f"/archives/verify/{letter.serial}/{letter.check_code}/").content.decode()
    assert "撤销，不再有效" in page


def test_a_signature_refused_issues_nothing(place, office):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selection_services.membership_sign_agreement(membership=place, actor=office)
    assert not Certificate.objects.exists()


# --- hosts added and removed -------------------------------------------------------------


@pytest.fixture
def cohost(department):
    return f.TeacherFactory(name="周建华", school=department.school, department=department)


def test_a_cohost_gets_a_host_letter(workroom, cohost, office, ruleset, django_capture_on_commit_callbacks):
    ruleset.max_hosts = 2
    ruleset.save()
    with django_capture_on_commit_callbacks(execute=True):
        host_services.cohost_add(workroom=workroom, teacher=cohost, reason="工作室规模扩大", actor=office)
    letter = Certificate.objects.get()
    assert (letter.kind, letter.recipient, letter.workroom_name) == (K.HOST_APPOINTMENT, cohost, workroom.name)
    assert "主持人" in _flat(letter.file.file.path)


def test_a_removed_host_loses_the_letter_and_the_successor_gets_one(
    workroom, cohost, office, django_capture_on_commit_callbacks, client
):
    old, _ = services.certificate_issue(
        kind=K.HOST_APPOINTMENT, recipient=workroom.host, workroom=workroom, actor=office
    )
    outgoing = Membership.objects.get(workroom=workroom, teacher=workroom.host)
    with django_capture_on_commit_callbacks(execute=True):
        host_services.host_change(
            workroom=workroom,
            kind=HostChange.Kind.JOB,
            outgoing=outgoing,
            successor=cohost,
            reason="调任教育局",
            actor=office,
        )
    old.refresh_from_db()
    assert old.revoked_at is not None and "调任教育局" in old.revoke_reason
    page = client.get(f"/archives/verify/{old.serial}/{old.check_code}/").content.decode()
    assert "撤销，不再有效" in page
    new = Certificate.objects.valid().get(kind=K.HOST_APPOINTMENT)
    # issued after the rename: the letter names the workroom by its new host
    assert (new.recipient, new.workroom_name) == (cohost, "周建华名班主任工作室")


def test_a_new_lead_host_exchanges_the_plaque(workroom, cohost, office, django_capture_on_commit_callbacks):
    old, _ = services.certificate_issue(kind=K.PLAQUE, recipient=workroom.host, workroom=workroom, actor=office)
    outgoing = Membership.objects.get(workroom=workroom, teacher=workroom.host)
    with django_capture_on_commit_callbacks(execute=True):
        host_services.host_change(workroom=workroom, kind=HostChange.Kind.JOB, outgoing=outgoing, successor=cohost,
                                  reason="调任教育局", actor=office)
    old.refresh_from_db()
    assert old.revoked_at is not None and "换发挂牌证书" in old.revoke_reason
    new = Certificate.objects.valid().get(kind=K.PLAQUE)
    assert (new.recipient, new.workroom_name) == (cohost, "周建华名班主任工作室")
    assert "周建华名班主任工作室" in _flat(new.file.file.path) and "主持人：周建华" in _flat(new.file.file.path)


def test_a_workroom_without_a_plaque_gets_none_when_its_lead_changes(workroom, cohost, office):
    outgoing = Membership.objects.get(workroom=workroom, teacher=workroom.host)
    host_services.host_change(workroom=workroom, kind=HostChange.Kind.JOB, outgoing=outgoing, successor=cohost,
                              reason="调任教育局", actor=office)
    assert not Certificate.objects.filter(kind=K.PLAQUE).exists()


# --- who sees the papers -----------------------------------------------------------


@pytest.fixture
def letter(teacher, admin, ruleset):
    """李堃's 主持人聘书, issued at approval (not rendered: the pages need no PDF)."""
    application = in_public_notice(HostApplicationFactory(applicant=teacher), ends_in=timedelta(seconds=-1))
    workroom_services.application_transition(application=application, action="approve", actor=admin)
    return Certificate.objects.get(kind=K.HOST_APPOINTMENT)


@pytest.mark.parametrize(
    "persona, code",
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("teacher", 200), ("leader", 200), ("office", 200)],
)
def test_the_letter_is_seen_by_its_host_and_the_school(request, client, letter, persona, code):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    r = client.get(f"/archives/certificates/{letter.pk}/")
    assert r.status_code == code
    if code == 302:
        assert r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona, code", [("outsider", 404), ("teacher", 403), ("leader", 403), ("office", 302)])
def test_only_the_office_revokes_a_letter(request, client, letter, persona, code):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    r = client.post(f"/archives/certificates/{letter.pk}/revoke/", {"reason": "信息有误"})
    assert r.status_code == code
    letter.refresh_from_db()
    assert (letter.revoked_at is not None) == (code == 302)
