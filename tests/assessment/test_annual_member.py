"""The annual member assessment (DOMAIN.md §9.4, §11): computed from both
semesters and the year's record, confirmed by the host, published by the
office, seen by the member once published; a failed year becomes a 调整
proposal the office confirms."""

import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment import services as semester_services
from assessment.annual import services
from assessment.models import AnnualMemberAssessment
from core.models import Notification
from tests import factories as f
from tests.workrooms.activities.factories import ActivityFactory, AttendanceFactory
from workrooms.selection import services as selection
from workrooms.selection.models import Membership, MembershipChange

pytestmark = pytest.mark.django_db

YEAR = 2025  # 2025–2026学年, assessed in July 2026
NOW = datetime(2026, 7, 10, 10, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _scores(value):
    return dict.fromkeys(("ethics", "attitude", "theory", "management", "research"), D(value))


@pytest.fixture
def zhang(workroom, member):
    m = Membership.objects.get(workroom=workroom, teacher__user=member)
    m.joined_on = date(2025, 9, 1)
    m.save()
    return m


@pytest.fixture
def semesters(zhang, host):
    """张昇: 第一学期 18 × 5 = 90 (优秀), 第二学期 15 × 5 = 75 (合格)."""
    semester_services.member_assessment_save(membership=zhang, school_year=YEAR, semester=1, scores=_scores("18"), actor=host)
    semester_services.member_assessment_save(membership=zhang, school_year=YEAR, semester=2, scores=_scores("15"), actor=host)


def _activities(workroom, zhang, days, attended):
    tz = timezone.get_default_timezone()
    for i, day in enumerate(days):
        a = ActivityFactory(workroom=workroom, starts_at=datetime.combine(day, datetime.min.time(), tzinfo=tz).replace(hour=15))
        if i < attended:
            AttendanceFactory(activity=a, teacher=zhang.teacher)


# --- the service ------------------------------------------------------------------------------


def test_it_computes_the_year_from_both_semesters_and_the_record(workroom, zhang, host, semesters):
    _activities(workroom, zhang, [date(2025, 10, 9), date(2026, 3, 12), date(2026, 5, 14)], attended=3)
    a = services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="全年表现稳定", actor=host)
    assert (a.first_total, a.first_grade, a.second_total, a.second_grade) == (D("90.0"), "优秀", D("75.0"), "合格")
    assert (a.activities_attended, a.activities_held) == (3, 3)
    assert a.duties_total > 0 and a.duties_met < a.duties_total  # no reading or writing logged
    assert (a.total, a.grade, a.status) == (D("82.5"), "合格", "draft")
    assert (a.comment, a.assessed_by, a.ruleset.version) == ("全年表现稳定", host, 1)


def test_absence_over_a_third_of_the_years_activities_fails_the_year(workroom, zhang, host, semesters):
    _activities(workroom, zhang, [date(2025, 10, 9), date(2025, 11, 13), date(2026, 3, 12)], attended=1)
    a = services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="缺席较多", actor=host)
    assert (a.grade, a.attendance_forced, a.reasons) == ("不合格", True, ["全年缺席活动 2/3 次，超过规定比例"])


def test_confirming_again_updates_the_same_year(zhang, host, semesters):
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="初稿", actor=host)
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="定稿", actor=host)
    assert list(AnnualMemberAssessment.objects.values_list("comment", flat=True)) == ["定稿"]


def test_it_refuses_a_year_without_semester_assessments_and_saves_nothing(zhang, host):
    with pytest.raises(ValidationError, match="本学年尚无学期成员考核"):
        services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="x", actor=host)
    assert not AnnualMemberAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["member", "leader", "teacher", "outsider"])
def test_only_the_host_or_the_office_confirms(request, zhang, semesters, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="x", actor=getattr(user, "user", user))
    assert not AnnualMemberAssessment.objects.exists()


def test_publishing_puts_a_failed_member_on_the_offices_adjustment_list(client, workroom, zhang, host, office, member, semesters):
    passed = f.MembershipFactory(workroom=workroom, joined_on=date(2025, 9, 1))
    _activities(workroom, zhang, [date(2025, 10, 9), date(2025, 11, 13), date(2026, 3, 12)], attended=0)
    for activity in workroom.activities.all():
        AttendanceFactory(activity=activity, teacher=passed.teacher)
    semester_services.member_assessment_save(membership=passed, school_year=YEAR, semester=2, scores=_scores("16"), actor=host)
    for m in (zhang, passed):
        services.annual_member_assessment_confirm(membership=m, school_year=YEAR, comment="年度评语", actor=host)

    published = services.annual_member_assessments_publish(school_year=YEAR, actor=office)

    assert sorted((a.membership_id, a.status, a.grade) for a in published) == sorted(
        [(zhang.pk, "published", "不合格"), (passed.pk, "published", "合格")]
    )
    failed = AnnualMemberAssessment.objects.get(membership=zhang)
    assert (failed.status, failed.grade) == ("published", "不合格")
    change = MembershipChange.objects.get(membership=zhang)
    assert failed.adjustment == change
    assert (change.kind, change.reason, change.status, change.requested_by) == ("remove", "failed", "pending_office", office)
    assert change.text.startswith("2025–2026学年成员年度考核不合格")
    assert not MembershipChange.objects.filter(membership=passed).exists()
    assert Notification.objects.get(user=member).title == "2025–2026学年成员年度考核结果已公布：不合格"

    # On the office's 调整 list, which is where the office confirms it.
    client.force_login(office)
    queue = client.get(reverse("selection:change_list")).content.decode()
    assert "年度考核不合格" in queue and zhang.teacher.name in queue

    # The office confirms the proposal: the member is adjusted out.
    selection.membership_change_approve(change=change, actor=office, comment="同意调整")
    zhang.refresh_from_db()
    assert zhang.status == Membership.Status.REMOVED


def test_a_published_year_cannot_be_changed(zhang, host, office, semesters):
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="定稿", actor=host)
    services.annual_member_assessments_publish(school_year=YEAR, actor=office)
    with pytest.raises(ValidationError, match="已公布，不能再修改"):
        services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="改", actor=host)
    assert AnnualMemberAssessment.objects.get().comment == "定稿"


def test_only_the_office_publishes(zhang, host, semesters):
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="定稿", actor=host)
    with pytest.raises(PermissionDenied):
        services.annual_member_assessments_publish(school_year=YEAR, actor=host)
    assert AnnualMemberAssessment.objects.get().status == "draft"


# --- the pages --------------------------------------------------------------------------------


def _login(client, request, persona):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))


@pytest.mark.parametrize(
    "persona, status",
    [("anonymous", 302), ("outsider", 404), ("teacher", 404), ("member", 404), ("leader", 200), ("host", 200), ("office", 200)],
)
def test_the_annual_list_by_persona(request, client, zhang, persona, status):
    _login(client, request, persona)
    assert client.get(reverse("assessment:annual_list"), {"year": YEAR}).status_code == status


@pytest.mark.parametrize(
    "persona, get, post",
    [
        ("anonymous", 302, 302), ("outsider", 404, 404), ("teacher", 404, 404),
        ("member", 200, 403), ("leader", 200, 403), ("host", 200, 302), ("office", 200, 302),
    ],
)
def test_the_members_annual_page_by_persona(request, client, zhang, semesters, persona, get, post):
    _login(client, request, persona)
    url = reverse("assessment:annual_assess", args=[zhang.pk])
    assert client.get(url, {"year": YEAR}).status_code == get
    assert client.post(url, {"year": YEAR, "comment": "年度评语"}).status_code == post
    assert AnnualMemberAssessment.objects.exists() == (post == 302 and persona != "anonymous")


@pytest.mark.parametrize(
    "persona, status", [("anonymous", 302), ("outsider", 404), ("member", 404), ("leader", 403), ("host", 403), ("office", 302)]
)
def test_publishing_by_persona(request, client, zhang, host, semesters, persona, status):
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="定稿", actor=host)
    _login(client, request, persona)
    assert client.post(reverse("assessment:annual_publish"), {"year": YEAR}).status_code == status
    assert AnnualMemberAssessment.objects.get().status == ("published" if persona == "office" else "draft")


def test_the_host_sees_the_record_and_the_computed_grade_then_confirms(client, workroom, zhang, host, semesters):
    client.force_login(host)
    url = reverse("assessment:annual_assess", args=[zhang.pk]) + f"?year={YEAR}"
    html = client.get(url).content.decode()
    assert "年度总分 <strong>82.5</strong>，等级 <strong>合格</strong>" in html
    assert "全年出勤（含请假） 0 / 0 次" in html
    assert "2025-2026学年第一学期" in html and "2025-2026学年第二学期" in html

    html = client.post(url, {"year": YEAR, "comment": "全年表现稳定"}, follow=True).content.decode()
    assert "已确认：张昇2025–2026学年成员年度考核 82.5 分，合格（待德育处公布）。" in html

    listing = client.get(reverse("assessment:annual_list"), {"year": YEAR}).content.decode()
    assert "张昇" in listing and "82.5" in listing and "待公布" in listing


def test_a_blank_comment_is_refused_with_a_chinese_message_and_nothing_saved(client, zhang, host, semesters):
    client.force_login(host)
    url = reverse("assessment:annual_assess", args=[zhang.pk]) + f"?year={YEAR}"
    html = client.post(url, {"year": YEAR, "comment": "   "}).content.decode()
    assert "请填写主持人评语。" in html
    assert not AnnualMemberAssessment.objects.exists()


def test_a_nonsense_year_is_not_found(client, zhang, host):
    client.force_login(host)
    assert client.get(reverse("assessment:annual_list"), {"year": "abc"}).status_code == 404
    assert client.get(reverse("assessment:annual_assess", args=[zhang.pk]), {"year": "99999"}).status_code == 404


def test_the_member_sees_their_own_result_only_once_published(client, zhang, host, office, member, semesters):
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="继续努力", actor=host)
    client.force_login(member)
    url = reverse("assessment:annual_assess", args=[zhang.pk]) + f"?year={YEAR}"
    html = client.get(url).content.decode()
    assert "尚未公布" in html and "82.5" not in html
    assert "成员年度考核" not in client.get(reverse("assessment:my_results")).content.decode()

    services.annual_member_assessments_publish(school_year=YEAR, actor=office)
    html = client.get(url).content.decode()
    assert "年度总分 82.5，<strong>合格</strong>（2026-07-10 公布）" in html and "继续努力" in html
    assert "2025–2026学年 · 王喆名班主任工作室</a>：合格（82.5 分）" in client.get(reverse("assessment:my_results")).content.decode()


# --- the export -------------------------------------------------------------------------------


def _book(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_office_exports_every_workroom_filtered_as_the_page(client, zhang, host, office, semesters):
    services.annual_member_assessment_confirm(membership=zhang, school_year=YEAR, comment="=稳定", actor=host)
    other = f.MembershipFactory(workroom=f.WorkroomFactory(), teacher=f.TeacherFactory(name="孙一"), joined_on=date(2025, 9, 1))
    semester_services.member_assessment_save(membership=other, school_year=YEAR, semester=1, scores=_scores("10"), actor=office)
    services.annual_member_assessment_confirm(membership=other, school_year=YEAR, comment="需改进", actor=office)

    client.force_login(office)
    url = reverse("archives:export_annual_member_assessments")
    ws = _book(client.get(url, {"year": YEAR})).active
    assert ws["A1"].value == "2025–2026学年成员年度考核表"
    headers = [c.value for c in ws[2]]
    rows = {r[2].value: dict(zip(headers, (c.value for c in r))) for r in ws.iter_rows(min_row=3)}
    assert set(rows) == {"张昇", "孙一"}
    assert (rows["张昇"]["年度总分"], rows["张昇"]["年度等级"], rows["张昇"]["状态"]) == (82.5, "合格", "待公布")
    assert rows["张昇"]["主持人评语"] == "=稳定"
    assert (rows["孙一"]["第一学期总分"], rows["孙一"]["年度等级"]) == (50, "不合格")

    ws = _book(client.get(url, {"year": YEAR, "grade": "不合格"})).active
    assert [r[2].value for r in ws.iter_rows(min_row=3)] == ["孙一"]

    client.force_login(host)
    ws = _book(client.get(url, {"year": YEAR})).active
    assert [r[2].value for r in ws.iter_rows(min_row=3)] == ["张昇"]


@pytest.mark.parametrize("persona, status", [("outsider", 404), ("member", 404), ("teacher", 404)])
def test_the_export_is_refused_as_the_list_is(request, client, zhang, persona, status):
    _login(client, request, persona)
    assert client.get(reverse("archives:export_annual_member_assessments"), {"year": YEAR}).status_code == status


# --- query counts -----------------------------------------------------------------------------


def _confirmed_members(n, workroom, office):
    for _ in range(n):
        m = f.MembershipFactory(workroom=workroom, joined_on=date(2025, 9, 1))
        semester_services.member_assessment_save(membership=m, school_year=YEAR, semester=1, scores=_scores("15"), actor=office)
        services.annual_member_assessment_confirm(membership=m, school_year=YEAR, comment="年度评语", actor=office)
        f.MembershipFactory(workroom=workroom)  # one waiting for the year's assessment


def _queries(client, url, data):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["assessment:annual_list", "archives:export_annual_member_assessments"])
def test_the_list_and_its_export_cost_the_same_queries_for_1_or_20_members(client, workroom, office, name):
    client.force_login(office)
    url = reverse(name)
    _confirmed_members(1, workroom, office)
    one = _queries(client, url, {"year": YEAR})
    _confirmed_members(19, workroom, office)
    assert _queries(client, url, {"year": YEAR}) == one
