"""修改记录 (DOMAIN.md §12): every change to a monthly score, a veto case, a
bonus award, a member assessment and an evaluation is kept with who, when,
old value, new value and why, and shown on the object's page."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment import services
from assessment.models import MonthlyScore
from assessment.rules.evaluation import rubric_items
from assessment.workflow import ASSESSMENT_PERIOD
from tests import factories as f
from tests.assessment.factories import VetoCaseFactory
from workrooms.selection.models import Membership

pytestmark = pytest.mark.django_db


def _history_table(body: str) -> str:
    start = body.index('id="change-history"')
    return body[start:body.index("</table>", start)]


@pytest.fixture
def grid_url(month, grade_dept):
    return reverse("assessment:grid", args=[month.pk, grade_dept.pk])


@pytest.fixture
def entered(client, office, teacher, grid_url, time_machine):
    """李堃's office score entered as 80 on 2025-10-20."""
    time_machine.move_to("2025-10-20 09:00 +08:00", tick=False)
    client.force_login(office)
    client.post(grid_url, {f"office_{teacher.pk}": "80"})
    return MonthlyScore.objects.get(teacher=teacher)


def test_it_refuses_to_change_an_entered_score_without_a_reason_keeping_the_input(client, entered, teacher, grid_url):
    r = client.post(grid_url, {f"office_{teacher.pk}": "85"})
    body = r.content.decode()
    assert "更改已录入的成绩须填写修改原因" in body
    assert 'value="85"' in body
    entered.refresh_from_db()
    assert entered.office_score == D("80")
    assert entered.history.count() == 1


def test_it_keeps_and_shows_who_changed_a_score_when_from_what_and_why(
    client, entered, teacher, grid_url, office, time_machine
):
    office.first_name = "周德"
    office.save()
    time_machine.move_to("2025-10-28 15:30 +08:00", tick=False)
    r = client.post(grid_url, {f"office_{teacher.pk}": "85", "reason": "复核抽查记录，漏记一次加分"})
    assert r.status_code == 302
    table = _history_table(client.get(grid_url).content.decode())
    assert "2025-10-28 15:30" in table and "周德" in table
    assert "德育处抽查" in table and "80 → 85" in table and "复核抽查记录，漏记一次加分" in table
    assert "2025-10-20 09:00" in table and "新建" in table  # the first entry stays listed
    assert [h.office_score for h in entered.history.order_by("history_date")] == [D("80"), D("85")]


def test_it_shows_a_teacher_the_history_behind_their_published_result(
    client, entered, teacher, office, reviewer, grid_url, month
):
    client.post(grid_url, {f"office_{teacher.pk}": "70", "reason": "家长投诉查实扣分"})
    client.force_login(reviewer)
    client.post(grid_url, {f"dept_{teacher.pk}": "90"})
    services.period_compute(period=month, actor=office)
    month.refresh_from_db()
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    result = teacher.assessment_results.get()
    client.force_login(teacher.user)
    table = _history_table(client.get(reverse("assessment:result_detail", args=[result.pk])).content.decode())
    assert "80 → 70" in table and "家长投诉查实扣分" in table


def test_it_records_a_veto_case_and_its_confirmation(client, office, month, teacher):
    veto = services.veto_record(period=month, teacher=teacher, kind=2, description="重大安全事故", actor=office)
    services.veto_confirm(veto=veto, actor=office)
    client.force_login(office)
    table = _history_table(client.get(reverse("assessment:veto_list")).content.decode())
    assert "查实认定" in table and "认定时间" in table and "登记" in table and "李堃" in table


def test_it_hides_the_history_of_another_teachers_veto(client, month, teacher, grade_dept):
    other = f.TeacherFactory(name="钱同", school=grade_dept.school, department=grade_dept)
    VetoCaseFactory(period=month, teacher=other)
    client.force_login(teacher.user)
    body = client.get(reverse("assessment:veto_list")).content.decode()
    assert "钱同" not in body


def test_it_records_a_bonus_award_on_the_award_list(client, office, teacher):
    services.bonus_award_add(
        teacher=teacher, school_year=2025, semester=1, category="student_prize", event="市班会课比赛",
        level="municipal", actor=office,
    )
    client.force_login(office)
    table = _history_table(client.get(reverse("assessment:award_list")).content.decode())
    assert "市班会课比赛" in table and "新建" in table


def test_it_requires_a_reason_to_change_a_member_assessment_and_shows_the_change(client, workroom, member, host):
    membership = Membership.objects.get(workroom=workroom, teacher__user=member)
    url = reverse("assessment:member_assess", args=[membership.pk]) + "?year=2025&semester=1"
    scores = {code: "15" for code in ("ethics", "attitude", "theory", "management", "research")}
    client.force_login(host)
    assert client.post(url, scores).status_code == 302
    refused = client.post(url, {**scores, "ethics": "18"})
    assert "修改已保存的考核分数须填写修改原因" in refused.content.decode()
    assert client.post(url, {**scores, "ethics": "18", "reason": "补充师德表彰材料"}).status_code == 302
    table = _history_table(client.get(url).content.decode())
    assert "师德表现" in table and "15 → 18" in table and "补充师德表彰材料" in table
    assert "总分" in table and "75 → 78" in table


def test_it_keeps_an_experts_changed_score_and_shows_it_only_to_that_expert_and_the_office(client, workroom, office):
    experts = [f.UserFactory(username=f"expert{i}", groups=["专家"]) for i in range(2)]
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    first = rubric_items()[0].code
    for expert in experts:
        services.evaluation_scores_save(evaluation=evaluation, scores={i.code: D(80) for i in rubric_items()}, actor=expert)
    services.evaluation_scores_save(
        evaluation=evaluation, scores={i.code: D(90 if i.code == first else 80) for i in rubric_items()}, actor=experts[0],
    )
    url = reverse("assessment:evaluation_detail", args=[evaluation.pk])
    client.force_login(experts[0])
    assert "80 → 90" in _history_table(client.get(url).content.decode())
    client.force_login(experts[1])
    assert "80 → 90" not in _history_table(client.get(url).content.decode())
    client.force_login(office)
    assert f"指标 {first}" in _history_table(client.get(url).content.decode())


def test_it_refuses_a_reasonless_correction_in_the_service_too(office, month, teacher, grade_dept):
    services.monthly_scores_save(period=month, department=grade_dept, values={teacher.pk: {"office": D("80")}}, actor=office)
    with pytest.raises(ValidationError):
        services.monthly_scores_save(period=month, department=grade_dept, values={teacher.pk: {"office": D("60")}}, actor=office)
    assert MonthlyScore.objects.get().office_score == D("80")
