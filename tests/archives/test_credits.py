"""继续教育学分: the ledger page, its spreadsheet for the continuing-education
platform, and the training hours a 培训合格证书 asks for."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from archives import services
from archives.models import Certificate, Job
from archives.rules import Candidate, qualifies, training_credits, training_hours_reached
from archives.selectors import certificate_candidates
from members.models import Teacher
from tests import factories as f
from workrooms.models import RuleSet, Workroom
from workrooms.selection.models import Membership

NOW = "2026-05-15 10:00 +08:00"  # 2025-2026学年第二学期
URL = "/archives/credits/"
EXPORT = "/archives/export/credits/"
ANON = "anonymous"
HEADERS = ["姓名", "工号", "单位", "培训项目", "学年", "学时", "学分", "证书编号"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


# --- the rules (no database) -------------------------------------------------------------


@pytest.mark.parametrize(
    "hours, required, reached",
    [("29.5", "30", False), ("30", "30", True), ("30.5", "30", True), ("0", "0", True), ("0", "1", False)],
)
def test_the_training_hours_are_reached_at_exactly_the_requirement(hours, required, reached):
    assert training_hours_reached(Decimal(hours), Decimal(required)) is reached


@pytest.mark.parametrize(
    "hours, required, status, qualified",
    [
        ("29.5", "30", "active", False),
        ("30", "30", "active", True),
        ("30", "30", "completed", True),
        ("45", "30", "withdrawn", False),  # hours do not make up for leaving the workroom
    ],
)
def test_a_training_certificate_needs_the_hours_and_a_finished_membership(hours, required, status, qualified):
    c = Candidate(
        kind="training",
        workroom_status="completed",
        role="member",
        membership_status=status,
        training_hours=Decimal(hours),
        required_training_hours=Decimal(required),
    )
    assert qualifies(c) is qualified


def test_hours_do_not_change_who_gets_title_and_honour_certificates():
    for kind, role in (("title", "host"), ("honour", "member")):
        c = Candidate(
            kind=kind,
            workroom_status="completed",
            role=role,
            membership_status="active",
            training_hours=Decimal(0),
            required_training_hours=Decimal(30),
        )
        assert qualifies(c)


@pytest.mark.parametrize(
    "hours, per_credit, credits",
    [("25", 10, "2.5"), ("9.9", 10, "0.9"), ("0.5", 3, "0.1"), ("30", 10, "3.0"), ("0", 10, "0.0"), ("14.5", 4, "3.6")],
)
def test_credits_are_hours_divided_by_the_setting_never_rounded_up(hours, per_credit, credits):
    assert training_credits(Decimal(hours), per_credit) == Decimal(credits)


def test_credits_refuse_a_nonpositive_setting():
    with pytest.raises(ValueError):
        training_credits(Decimal(10), 0)


# --- the ledger ---------------------------------------------------------------------------


@pytest.fixture
def ledger(workroom, member, school, office):
    """王喆's workroom since 2024-09: 张昇 (实验小学) and 李堃 members. In
    2025-2026 王喆 attended 8 hours, 张昇 14.5, 李堃 6.5; in 2024-2025 张昇 4.
    Another workroom (陈主持, 周其他) attended 3 hours. 张昇 holds one valid
    and one revoked training certificate."""
    li = f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="李堃", school=school))
    other = f.WorkroomFactory(host=f.TeacherFactory(name="陈主持", school=school))
    zhou = f.MembershipFactory(workroom=other, teacher=f.TeacherFactory(name="周其他", school=school))
    Membership.objects.update(joined_on=date(2024, 9, 1))
    Workroom.objects.update(cycle_start=date(2024, 9, 1), cycle_end=date(2027, 8, 31))
    zhang = member.teacher
    f.attended(workroom, [workroom.host, zhang], hours="8", on=date(2025, 10, 10))
    f.attended(workroom, [zhang, li.teacher], hours="6.5", on=date(2026, 3, 10))
    f.attended(workroom, [zhang], hours="4", on=date(2025, 3, 10))  # 2024-2025学年
    f.attended(other, [other.host, zhou.teacher], hours="3", on=date(2025, 11, 5))
    workroom.refresh_from_db()
    revoked, _ = services.certificate_issue(
        kind="training", recipient=zhang, workroom=workroom, actor=office, issued_on=date(2026, 1, 5)
    )
    services.certificate_revoke(certificate=revoked, actor=office, reason="信息有误")
    valid, _ = services.certificate_issue(kind="training", recipient=zhang, workroom=workroom, actor=office)
    return {
        "workroom": workroom,
        "other": other,
        "zhang": zhang,
        "li": li.teacher,
        "zhou": zhou.teacher,
        "serial": valid.serial,
        "revoked_serial": revoked.serial,
    }


def _rows(r):
    return [
        (row.teacher.name, row.workroom.name, row.year.label, row.hours, row.credits, row.certificates)
        for row in r.context["rows"]
    ]


def _names(r):
    return [row.teacher.name for row in r.context["rows"]]


@pytest.fixture
def persona(request, office, leader, expert, host, member, outsider):
    if request.param == ANON:
        return None
    return {"office": office, "leader": leader, "expert": expert, "host": host, "member": member, "outsider": outsider}[
        request.param
    ]


@pytest.mark.parametrize(
    "persona, code, names",
    [
        (ANON, "login", None),
        ("outsider", 404, None),  # a teacher never in a workroom
        ("expert", 404, None),  # no teacher profile, not the office
        ("member", 200, ["张昇"]),  # own row only
        ("host", 200, ["张昇", "李堃", "王喆"]),  # own workroom
        ("office", 200, "all"),
        ("leader", 200, "all"),  # reads everything (read only)
    ],
    indirect=["persona"],
)
def test_the_ledger_shows_each_role_what_it_may_see(client, ledger, persona, code, names):
    if persona is not None:
        client.force_login(persona)
    r = client.get(URL)
    if code == "login":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
        return
    assert r.status_code == code
    if code == 200:
        expected = sorted(["张昇", "周其他", "李堃", "王喆", "陈主持"]) if names == "all" else names
        assert sorted(_names(r)) == sorted(expected)


def test_the_ledger_gives_hours_credits_and_valid_certificates_of_the_current_year(client, ledger, office):
    client.force_login(office)
    r = client.get(URL)
    rows = {name: rest for name, *rest in _rows(r)}
    year = "2025-2026学年"
    wz = "王喆名班主任工作室"
    assert rows["张昇"] == [wz, year, Decimal("14.5"), Decimal("1.4"), [ledger["serial"]]]
    assert rows["李堃"] == [wz, year, Decimal("6.5"), Decimal("0.6"), []]
    assert rows["王喆"] == [wz, year, Decimal("8"), Decimal("0.8"), []]
    assert rows["周其他"] == ["陈主持名班主任工作室", year, Decimal("3"), Decimal("0.3"), []]
    body = r.content.decode()
    assert "每 10 学时折算 1 学分" in body
    assert ledger["serial"] in body and ledger["revoked_serial"] not in body
    assert 'id="export-credits"' in body


def test_the_ledger_lists_people_by_name(client, ledger, office):
    client.force_login(office)
    names = _names(client.get(URL))
    assert names == list(Teacher.objects.filter(name__in=names).order_by("name").values_list("name", flat=True))


def test_the_ledger_filters_by_year_workroom_and_name(client, ledger, office):
    client.force_login(office)
    last_year = _rows(client.get(URL, {"year": "2024"}))
    by_name = {name: (hours, credits) for name, _, _, hours, credits, _ in last_year}
    assert by_name["张昇"] == (Decimal("4"), Decimal("0.4"))
    assert by_name["李堃"] == (Decimal(0), Decimal("0.0"))
    assert {label for _, _, label, *_ in last_year} == {"2024-2025学年"}
    assert sorted(_names(client.get(URL, {"workroom": ledger["other"].pk}))) == ["周其他", "陈主持"]
    assert _names(client.get(URL, {"q": "李"})) == ["李堃"]
    # A year not offered falls back to the current one, not to every year.
    assert {row.year.label for row in client.get(URL, {"year": "1999"}).context["rows"]} == {"2025-2026学年"}


def test_a_place_taken_after_the_year_is_not_in_that_year(client, ledger, office):
    Membership.objects.filter(teacher=ledger["li"]).update(joined_on=date(2025, 9, 10))
    Membership.objects.filter(teacher=ledger["zhou"]).update(
        left_on=date(2025, 8, 1), status=Membership.Status.WITHDRAWN
    )
    client.force_login(office)
    names = _names(client.get(URL, {"year": "2024"}))
    assert "李堃" not in names and "周其他" in names
    assert "周其他" not in _names(client.get(URL, {"year": "2025"}))


def test_a_host_cannot_pick_another_workroom(client, ledger, host):
    client.force_login(host)
    r = client.get(URL, {"workroom": ledger["other"].pk})
    assert r.status_code == 200
    assert "陈主持" not in _names(r) and "周其他" not in _names(r)


def test_the_ledger_pages_twenty_rows(client, ledger, office, school):
    for i in range(25):
        f.MembershipFactory(workroom=ledger["other"], teacher=f.TeacherFactory(name=f"翻页{i:02d}", school=school))
    client.force_login(office)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(first.context["rows"]) == 20 and len(second.context["rows"]) == 30 - 20
    assert "第 1 / 2 页，共 30 条" in first.content.decode()


def _many(ledger, school, n):
    for i in range(n):
        w = f.WorkroomFactory(host=f.TeacherFactory(name=f"主持{i:02d}", school=school))
        m = f.MembershipFactory(workroom=w, teacher=f.TeacherFactory(name=f"成员{i:02d}", school=school))
        f.attended(w, [w.host, m.teacher], hours="2", on=date(2026, 3, 1))


@pytest.mark.parametrize("extra", [0, 12])
def test_the_ledger_page_costs_the_same_queries_for_one_row_or_many(client, ledger, office, school, extra):
    _many(ledger, school, extra)
    client.force_login(office)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(URL, {"q": "成员" if extra else "周"})
    assert len(r.context["rows"]) == (extra or 1)
    # session, user, groups (roles), count, the rule set, the page, hours (one
    # query for the page), certificates; the menu's teacher and unread
    # notifications; the workrooms of the filter's choices
    assert len(ctx.captured_queries) == 11, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


# --- the platform spreadsheet ----------------------------------------------------------


def _workbook(r):
    return load_workbook(io.BytesIO(b"".join(r.streaming_content))).active


@pytest.mark.parametrize(
    "persona, code, names",
    [
        (ANON, "login", None),
        ("outsider", 404, None),
        ("expert", 404, None),
        ("member", 403, None),  # reads their own row on the page; exports are for hosts and the office
        ("host", 200, ["张昇", "李堃", "王喆"]),
        ("office", 200, "all"),
        ("leader", 200, "all"),
    ],
    indirect=["persona"],
)
def test_the_export_is_for_hosts_the_office_and_leaders(client, ledger, persona, code, names):
    if persona is not None:
        client.force_login(persona)
    r = client.get(EXPORT)
    if code == "login":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
        return
    assert r.status_code == code
    if code == 200:
        ws = _workbook(r)
        shown = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
        expected = ["张昇", "周其他", "李堃", "王喆", "陈主持"] if names == "all" else names
        assert sorted(shown) == sorted(expected)


def test_the_export_has_the_platform_layout_and_the_figures_of_the_page(client, ledger, office, member):
    client.force_login(office)
    page = client.get(URL, {"year": "2025"})
    r = client.get(EXPORT, {"year": "2025"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith(".xlsx")
    ws = _workbook(r)
    assert [c.value for c in ws[1]] == HEADERS  # the header is the first row: no title, no 序号
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == _names(page)  # the page's rows, in its order
    by_name = {row[0]: row for row in rows}
    zhang = member.teacher
    assert by_name["张昇"] == (
        "张昇",
        zhang.staff_no,
        "实验小学",
        "王喆名班主任工作室研修",
        "2025-2026学年",
        14.5,
        1.4,
        ledger["serial"],
    )
    assert by_name["王喆"][5:] == (8, 0.8, None)
    assert by_name["周其他"][3:7] == ("陈主持名班主任工作室研修", "2025-2026学年", 3, 0.3)
    assert ws["F2"].number_format == "0.0" and ws["G2"].number_format == "0.0"


def test_the_export_follows_the_hours_per_credit_setting(client, ledger, office):
    RuleSet.objects.filter(pk=RuleSet.objects.current().pk).update(training_hours_per_credit=4)
    client.force_login(office)
    ws = _workbook(client.get(EXPORT, {"q": "张"}))
    assert [c.value for c in ws[2]][5:7] == [14.5, 3.6]


@pytest.mark.parametrize("extra", [0, 12])
def test_the_export_costs_the_same_queries_for_one_row_or_many(client, ledger, office, school, extra):
    _many(ledger, school, extra)
    client.force_login(office)
    with CaptureQueriesContext(connection) as ctx:
        ws = _workbook(client.get(EXPORT, {"q": "成员" if extra else "周"}))
    assert ws.max_row == 1 + (extra or 1)
    # session, user, groups (roles), the rule set, count, the rows (one
    # cursor), hours and certificates of the batch
    assert len(ctx.captured_queries) == 8, [q["sql"] for q in ctx.captured_queries]


# --- 培训合格证书 only for those who reach the hours -------------------------------------------


@pytest.fixture
def trained(completed_workroom):
    """The completed workroom's 张昇 and 李堃 have 30 hours (the fixture);
    a new member 孙差 has 29.5, and 5 more hours outside the cycle."""
    sun = f.MembershipFactory(
        workroom=completed_workroom, teacher=f.TeacherFactory(name="孙差", school=completed_workroom.school)
    ).teacher
    f.attended(completed_workroom, [sun], hours="29.5", on=completed_workroom.cycle_start)
    f.attended(
        completed_workroom,
        [sun],
        hours="5",
        on=completed_workroom.cycle_end.replace(year=completed_workroom.cycle_end.year + 1),
    )
    return sun


def test_only_members_with_the_hours_are_offered_a_training_certificate(completed_workroom, trained):
    names = [m.teacher.name for m in certificate_candidates(workroom=completed_workroom, kind="training")]
    assert "孙差" not in names and {"张昇", "李堃"} <= set(names)


def test_lowering_the_requirement_to_the_hours_had_offers_the_certificate(completed_workroom, trained):
    RuleSet.objects.filter(pk=RuleSet.objects.current().pk).update(certificate_training_hours=29)
    names = [m.teacher.name for m in certificate_candidates(workroom=completed_workroom, kind="training")]
    assert "孙差" in names


def test_issuing_a_training_certificate_without_the_hours_is_refused_in_chinese(completed_workroom, trained, office):
    zhang = completed_workroom.memberships.get(teacher__name="张昇").teacher
    with pytest.raises(ValidationError) as exc:
        services.certificates_batch_request(
            workroom=completed_workroom, kind="training", teachers=[zhang, trained], actor=office
        )
    assert exc.value.messages == [
        "孙差（29.5 学时）在本工作室建设周期内出席活动的培训学时不足 30 学时，不能颁发培训合格证书。"
    ]
    assert not Job.objects.exists() and not Certificate.objects.exists()


def test_the_issue_page_says_who_lacks_hours_and_refuses_a_forged_pick(client, completed_workroom, trained, office):
    client.force_login(office)
    url = f"/archives/certificates/issue/?workroom={completed_workroom.pk}&kind=training"
    body = client.get(url).content.decode()
    assert 'id="short-of-hours"' in body and "孙差：29.5 学时" in body and "达到 30 学时" in body
    r = client.post(url, {"recipients": [trained.pk]})
    assert r.status_code == 400 and not Job.objects.exists()


def test_a_reissue_replaces_a_training_certificate_already_earned(completed_workroom, trained, office):
    cert, _ = services.certificate_issue(kind="training", recipient=trained, workroom=completed_workroom, actor=office)
    new, job = services.certificate_reissue(certificate=cert, actor=office, reason="遗失")
    assert new.reissue_of == cert and job.params["teacher_ids"] == [trained.pk]
