"""Forms to print, sign and file, rendered in the request (DOMAIN.md §4, §5,
§6, §12): the 申报表 of a host application, the 协议书 of a membership, a
paper 签到表 of an activity and the 公示名单 of a notice. Each is read back
with pdftotext; each view answers anonymous, outsiders, read-only viewers
and the people it is for as the page it is printed from."""

import subprocess
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse

from assessment.notices import services as notices
from assessment.notices.kinds import MEMBERS
from members.choices import Level
from members.models import ProfileItem
from tests import factories as f
from tests.assessment.factories import MemberAssessmentFactory
from tests.conftest import pdftotext
from tests.workrooms.activities.factories import ActivityFactory
from tests.workrooms.factories import HostApplicationFactory, in_public_notice
from workrooms.selection.models import Membership

pytestmark = pytest.mark.django_db

MONDAY = "2025-11-03 09:00 +08:00"
QUERIES_SIGN_IN_SHEET = 9


@pytest.fixture(autouse=True)
def _monday(time_machine):
    time_machine.move_to(MONDAY)


def _user(request, persona):
    user = request.getfixturevalue(persona)
    return getattr(user, "user", user)


def _get(client, request, persona, url):
    if persona != "anonymous":
        client.force_login(_user(request, persona))
    return client.get(url)


def _text(response, tmp_path, name="doc.pdf") -> str:
    """The PDF's text, spaces dropped (pdftotext spaces out CJK in tables)."""
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    out = tmp_path / name
    out.write_bytes(response.content)
    return pdftotext(out).replace(" ", "")


def _pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [p.replace(" ", "") for p in text.split("\f") if p.strip()]


def _check(response, persona, code):
    if code == 302:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == code
    if code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]


# --- 申报表 ------------------------------------------------------------------------


@pytest.fixture
def application(teacher, reviewer, expert, ruleset):
    """李堃's application, in 公示 (so that everyone signed in sees its notice-board part)."""
    teacher.phone = "13900001111"
    teacher.class_name = "高一（3）班"
    teacher.save()
    ProfileItem.objects.create(
        teacher=teacher,
        kind=ProfileItem.Kind.HONOUR,
        title="市优秀班主任",
        level=Level.MUNICIPAL,
        year=2023,
        status=ProfileItem.Status.VERIFIED,
    )
    ProfileItem.objects.create(
        teacher=teacher,
        kind=ProfileItem.Kind.HONOUR,
        title="未认定的荣誉",
        level=Level.MUNICIPAL,
        year=2024,
    )
    app = HostApplicationFactory(
        applicant=teacher,
        research_direction="班级文化与家校共育",
        plan_summary="三年内形成家校共育课程。",
        achievements_summary="带班八年，所带班级获市先进班集体。",
        experts=[expert],
    )
    return in_public_notice(app)


@pytest.mark.parametrize(
    "persona, code",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("member", 404),
        ("teacher", 200),
        ("reviewer", 200),
        ("expert", 200),
        ("office", 200),
        ("leader", 200),
    ],
)
def test_it_serves_the_application_form_to_the_dossier_readers_only(client, request, application, persona, code):
    response = _get(client, request, persona, reverse("archives:application_form", args=[application.pk]))
    _check(response, persona, code)


def test_it_prints_the_application_form_as_the_seed_lays_it_out(client, application, teacher, tmp_path):
    client.force_login(teacher.user)
    response = client.get(reverse("archives:application_form", args=[application.pk]))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("李堃主持人申报表.pdf")
    text = _text(response, tmp_path)
    assert f"{teacher.school.name}名班主任工作室申报表" in text
    for field in (
        "李堃",
        teacher.staff_no,
        "中级",
        "高一年级部",
        "高一（3）班",
        "13900001111",
        "班级文化与家校共育",
        "三年内形成家校共育课程",
        "带班八年",
        "市优秀班主任",
    ):
        assert field in text, field
    assert "未认定的荣誉" not in text
    # the boxes the school fills in by hand
    for box in ("系部意见", "学校意见", "签字：", "盖章：", "日期："):
        assert box in text, box


def test_the_application_page_links_the_form_for_dossier_readers_only(client, application, teacher, member):
    url = reverse("archives:application_form", args=[application.pk])
    page = reverse("workrooms:application_detail", args=[application.pk])
    client.force_login(teacher.user)
    assert url in client.get(page).content.decode()
    client.force_login(member)
    assert url not in client.get(page).content.decode()


# --- 协议书 ------------------------------------------------------------------------


@pytest.fixture
def membership(workroom, member):
    return workroom.memberships.get(teacher__user=member)


@pytest.fixture
def fellow(workroom):
    """Another member of the same workroom: sees the roster, not this agreement."""
    return f.MembershipFactory(
        workroom=workroom, teacher=f.TeacherFactory(name="周同", school=workroom.school)
    ).teacher.user


@pytest.mark.parametrize(
    "persona, code",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("fellow", 404),
        ("teacher", 404),
        ("member", 200),
        ("host", 200),
        ("office", 200),
        ("leader", 200),
    ],
)
def test_it_serves_the_agreement_to_the_member_the_host_and_the_office(client, request, membership, persona, code):
    response = _get(client, request, persona, reverse("archives:agreement_form", args=[membership.pk]))
    _check(response, persona, code)


def test_a_hosts_own_term_has_no_agreement(client, workroom, host):
    own = workroom.memberships.get(role=Membership.Role.HOST)
    client.force_login(host)
    assert client.get(reverse("archives:agreement_form", args=[own.pk])).status_code == 404


def test_it_prints_the_parties_the_cycle_the_duties_and_signature_lines(client, membership, workroom, host, tmp_path):
    workroom.cycle_start, workroom.cycle_end = date(2025, 9, 1), date(2028, 8, 31)
    workroom.save()
    client.force_login(host)
    text = _text(client.get(reverse("archives:agreement_form", args=[membership.pk])), tmp_path)
    assert "王喆名班主任工作室成员协议书" in text
    assert "甲方（主持人）" in text and "王喆" in text
    assert "乙方（成员）" in text and "张昇（实验小学）" in text
    assert "2025年9月1日至2028年8月31日" in text
    rs = membership.agreement_ruleset or workroom.ruleset
    assert f"每学期参加计划会{rs.duty_planning_meetings}次" in text  # the duties, from the school's settings
    assert "考核评价办法" in text and "缺席工作室活动超过" in text
    assert "甲方（主持人）签字：" in text and "乙方（成员）签字：" in text and "备案（盖章）" in text


def test_the_agreement_page_and_the_roster_link_the_printable(client, membership, host):
    url = reverse("archives:agreement_form", args=[membership.pk])
    client.force_login(host)
    assert url in client.get(reverse("selection:agreement", args=[membership.pk])).content.decode()
    assert url in client.get(reverse("selection:workroom_members", args=[membership.workroom_id])).content.decode()


# --- 签到表 ------------------------------------------------------------------------


@pytest.fixture
def activity(workroom, member):
    return ActivityFactory(workroom=workroom, theme="家校沟通专题研讨", place="行政楼三楼会议室")


@pytest.mark.parametrize(
    "persona, code",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("teacher", 404),
        ("member", 403),
        ("leader", 403),
        ("host", 200),
        ("office", 200),
    ],
)
def test_it_serves_the_sign_in_sheet_to_those_who_manage_the_activity(client, request, activity, persona, code):
    response = _get(client, request, persona, reverse("archives:sign_in_sheet", args=[activity.pk]))
    _check(response, persona, code)


def test_it_prints_title_date_place_every_member_and_guest_rows(client, activity, workroom, host, tmp_path):
    f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="离任者"), status=Membership.Status.ENDED)
    client.force_login(host)
    text = _text(client.get(reverse("archives:sign_in_sheet", args=[activity.pk])), tmp_path)
    assert "王喆名班主任工作室活动签到表" in text
    assert "家校沟通专题研讨" in text and "行政楼三楼会议室" in text and "2025年11月3日" in text
    assert "王喆" in text and "张昇" in text and "离任者" not in text
    assert "签名" in text and text.count("来宾") >= 8
    assert "应到2人" in text


def _many_members(workroom, n):
    teachers = [f.TeacherFactory(name=f"成员{i:03d}", school=workroom.school) for i in range(n)]
    Membership.objects.bulk_create(
        [Membership(workroom=workroom, teacher=t, status=Membership.Status.ACTIVE) for t in teachers]
    )


def test_a_large_sheet_spans_pages_with_the_header_on_each(client, activity, workroom, host, tmp_path):
    _many_members(workroom, 60)
    client.force_login(host)
    response = client.get(reverse("archives:sign_in_sheet", args=[activity.pk]))
    out = tmp_path / "sheet.pdf"
    out.write_bytes(response.content)
    pages = _pages(out)
    assert len(pages) >= 3
    for page in pages:
        assert "序号" in page and "姓名" in page and "签名" in page  # the table header, repeated
        assert "家校沟通专题研讨" in page  # the running head
    text = "".join(pages)
    assert all(f"成员{i:03d}" in text for i in range(60))


@pytest.mark.parametrize("extra", [0, 40])
def test_the_sign_in_sheet_reads_the_same_number_of_queries_for_few_and_many_members(
    client, activity, workroom, host, extra, django_assert_num_queries
):
    _many_members(workroom, extra)
    client.force_login(host)
    url = reverse("archives:sign_in_sheet", args=[activity.pk])
    # session, user, its groups, its teacher, hosted and member workrooms (roles);
    # the activity with its workroom; the attendance statuses; the memberships with their teachers
    with django_assert_num_queries(QUERIES_SIGN_IN_SHEET):
        response = client.get(url)
    assert response.status_code == 200


def test_the_activity_page_links_the_sheet_for_managers_only(client, activity, host, member):
    url = reverse("archives:sign_in_sheet", args=[activity.pk])
    page = reverse("workrooms:activity_detail", args=[activity.pk])
    client.force_login(host)
    assert url in client.get(page).content.decode()
    client.force_login(member)
    assert url not in client.get(page).content.decode()


# --- 公示名单 ----------------------------------------------------------------------


@pytest.fixture
def notice(membership, workroom, office):
    office.first_name = "孙丽"
    office.save()
    MemberAssessmentFactory(membership=membership)  # 95, 优秀
    return notices.notice_publish(kind=MEMBERS, subject=workroom, params=(2025, 1), actor=office)


@pytest.mark.parametrize(
    "persona, code",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("teacher", 404),
        ("member", 200),
        ("host", 200),
        ("leader", 200),
        ("office", 200),
    ],
)
def test_it_serves_the_notice_list_to_whoever_may_see_the_notice(client, request, notice, persona, code):
    response = _get(client, request, persona, reverse("archives:notice_sheet", args=[notice.pk]))
    _check(response, persona, code)


def test_it_prints_the_list_the_window_and_whom_to_tell_but_no_objection(client, notice, member, tmp_path):
    notices.notice_objection_raise(publication=notice, text="出勤次数统计有误", actor=member)
    client.force_login(member)
    text = _text(client.get(reverse("archives:notice_sheet", args=[notice.pk])), tmp_path)
    assert notice.title.replace(" ", "") in text
    assert "张昇" in text and "95" in text and "优秀" in text
    assert "至2025年11月7日" in text  # the window
    assert "请于2025年11月7日前向示范中学德育处（联系人：孙丽）反映" in text
    assert "出勤次数统计有误" not in text  # objections stay with the objector and the office


def test_a_reopened_notice_is_not_printed(client, notice, office, admin):
    notices.notice_reopen(publication=notice, actor=admin, reason="更正出勤")
    client.force_login(office)
    response = client.get(reverse("archives:notice_sheet", args=[notice.pk]))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["结果已重新开放更正，重新公示后才能打印公示名单。"]


def test_the_notice_page_links_the_list(client, notice, member):
    client.force_login(member)
    body = client.get(reverse("assessment:notice_detail", args=[notice.pk])).content.decode()
    assert reverse("archives:notice_sheet", args=[notice.pk]) in body
