"""成员考核表 read back: one sheet per workroom, the stored scores and grade."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from assessment import services
from tests import factories as f
from workrooms.selection.models import Membership


def _book(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _scores(value):
    return {code: D(value) for code in ("ethics", "attitude", "theory", "management", "research")}


@pytest.fixture
def assessed(workroom, member, host, office):
    """王喆's workroom: 张昇 scored 18.5 each (优秀), 李堃 not assessed; 孙一 in a second workroom."""
    zhang = Membership.objects.get(workroom=workroom, teacher__user=member)
    f.MembershipFactory(workroom=workroom, teacher=f.TeacherFactory(name="李堃", staff_no="T900"))
    services.member_assessment_save(
        membership=zhang, school_year=2025, semester=1, scores=_scores("18.5"), comment="=带头示范", actor=host
    )
    other = f.WorkroomFactory(host=f.TeacherFactory(name="赵主持"), name="赵主持名班主任工作室")
    sun = f.MembershipFactory(workroom=other, teacher=f.TeacherFactory(name="孙一"))
    services.member_assessment_save(membership=sun, school_year=2025, semester=1, scores=_scores("12"), actor=office)
    return workroom, other


def test_it_exports_one_sheet_per_workroom_with_the_stored_scores(client, office, assessed):
    workroom, other = assessed
    client.force_login(office)
    wb = _book(client.get("/archives/export/member-assessments/", {"year": 2025, "semester": 1}))
    assert wb.sheetnames == sorted([workroom.name, other.name])
    ws = wb[workroom.name]
    assert ws["A1"].value == f"2025–2026学年第一学期成员考核表（{workroom.name}）"
    assert ws.freeze_panes == "A3"
    headers = [c.value for c in ws[2]]
    assert headers[:8] == ["序号", "姓名", "工号", "师德表现", "工作态度", "理论水平", "管理能力", "科研能力"]
    rows = {r[1].value: dict(zip(headers, r)) for r in ws.iter_rows(min_row=3)}
    zhang = rows["张昇"]
    assert zhang["师德表现"].value == 18.5 and zhang["师德表现"].number_format == "0.0"
    assert (zhang["总分"].value, zhang["等级"].value, zhang["颁发荣誉证书"].value) == (92.5, "优秀", "是")
    assert zhang["评语"].value == "=带头示范" and zhang["评语"].data_type == "s"
    assert (rows["李堃"]["总分"].value, rows["李堃"]["等级"].value) == (None, "未考核")
    assert [r[1].value for r in wb[other.name].iter_rows(min_row=3)] == ["孙一"]


def test_another_semester_shows_nobody_assessed(client, office, assessed):
    client.force_login(office)
    wb = _book(client.get("/archives/export/member-assessments/", {"year": 2025, "semester": 2}))
    grades = {r[1].value: r[9].value for ws in wb for r in ws.iter_rows(min_row=3)}
    assert set(grades.values()) == {"未考核"}


def test_a_host_exports_only_their_workroom_and_the_filter_applies(client, host, assessed):
    workroom, _ = assessed
    client.force_login(host)
    wb = _book(client.get("/archives/export/member-assessments/", {"year": 2025, "semester": 1, "q": "李"}))
    assert wb.sheetnames == [workroom.name]
    assert [r[1].value for r in wb.active.iter_rows(min_row=3)] == ["李堃"]


@pytest.mark.parametrize(
    "persona, expected", [(None, 302), ("outsider", 404), ("member", 404), ("host", 200), ("office", 200), ("leader", 200)]
)
def test_who_may_export_member_assessments(client, request, workroom, member, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    r = client.get("/archives/export/member-assessments/")
    assert r.status_code == expected
    if persona is None:
        assert r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("rows", [1, 50])
def test_it_exports_with_a_fixed_number_of_queries(client, office, workroom, rows, django_assert_num_queries):
    for _ in range(rows):
        f.MembershipFactory(workroom=workroom)
    client.force_login(office)
    # session, user, groups (roles), count, the rows (one cursor)
    with django_assert_num_queries(5):
        wb = _book(client.get("/archives/export/member-assessments/", {"year": 2025, "semester": 1}))
    assert wb.active.max_row == 2 + rows


def test_the_member_list_links_the_export(client, host, workroom):
    client.force_login(host)
    page = client.get("/assessment/members/", {"year": 2025, "semester": 2}).content.decode()
    assert 'href="/archives/export/member-assessments/?year=2025&amp;semester=2"' in page
