"""§9.4 member assessment and §9.5 workroom evaluation, with their consequences."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services
from assessment.models import Distinction, Evaluation, MemberAssessment
from assessment.rules.evaluation import rubric_items
from core.models import StatusChange
from members import roles
from tests import factories as f
from tests.assessment.factories import evaluation_made_final
from workrooms.models import Workroom
from workrooms.selection.models import Membership

pytestmark = pytest.mark.django_db


def _scores(value):
    return {code: D(value) for code in ("ethics", "attitude", "theory", "management", "research")}


@pytest.fixture
def membership(workroom, member):
    return Membership.objects.get(workroom=workroom, teacher__user=member)


@pytest.mark.parametrize(
    "value, grade, honour, out",
    [("18", "优秀", True, False), ("12", "合格", False, False), ("11.9", "不合格", False, True)],
)
def test_it_grades_a_member_and_flags_the_consequence(membership, host, value, grade, honour, out):
    a = services.member_assessment_save(membership=membership, school_year=2025, semester=1, scores=_scores(value), actor=host)
    assert (a.grade, a.honour_certificate, a.adjust_out, a.assessed_by) == (grade, honour, out, host)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE  # the change itself is the membership workflow's


def test_it_uses_the_good_variant_of_the_settings(membership, host, ruleset):
    ruleset.member_grades = "good"
    ruleset.save()
    a = services.member_assessment_save(membership=membership, school_year=2025, semester=1, scores=_scores("14"), actor=host)
    assert a.grade == "良好"


def test_it_updates_the_same_semester_instead_of_adding_one(membership, host):
    services.member_assessment_save(membership=membership, school_year=2025, semester=1, scores=_scores("12"), actor=host)
    services.member_assessment_save(
        membership=membership, school_year=2025, semester=1, scores=_scores("19"), actor=host, reason="补交材料后重评",
    )
    assert MemberAssessment.objects.get().grade == "优秀"


@pytest.mark.parametrize("persona", ["member", "leader", "teacher"])
def test_it_lets_only_the_host_assess(request, membership, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.member_assessment_save(membership=membership, school_year=2025, semester=1, scores=_scores("18"), actor=getattr(user, "user", user))
    assert not MemberAssessment.objects.exists()


def test_it_refuses_a_dimension_out_of_range(membership, host):
    with pytest.raises(ValidationError, match="0–20"):
        services.member_assessment_save(membership=membership, school_year=2025, semester=1, scores=_scores("21"), actor=host)
    assert not MemberAssessment.objects.exists()


# --- §9.5 --------------------------------------------------------------------------


@pytest.fixture
def experts(db):
    return [f.UserFactory(username=f"expert{i}", groups=[roles.EXPERT]) for i in range(2)]


def _score_all(evaluation, experts, values):
    for expert, value in zip(experts, values, strict=True):
        services.evaluation_scores_save(evaluation=evaluation, scores={i.code: D(value) for i in rubric_items()}, actor=expert)


def test_it_revokes_a_workroom_failing_its_midterm(workroom, office, experts):
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.MIDTERM
    _score_all(evaluation, experts, ["59.9", "60"])  # panel mean 59.95 → 60.0
    assert services.evaluation_conclude(evaluation=evaluation, actor=office).grade == "合格"
    evaluation_made_final(evaluation, office)
    workroom.refresh_from_db()
    assert (workroom.status, workroom.funding_stopped) == (Workroom.Status.RUNNING, False)

    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    _score_all(evaluation, experts, ["59.8", "60"])  # 59.9
    result = services.evaluation_conclude(evaluation=evaluation, actor=office)
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.MIDTERM  # not revoked before its 公示 is final
    evaluation_made_final(evaluation, office)
    workroom.refresh_from_db()
    assert (result.total, result.grade) == (D("59.9"), "不合格")
    assert (workroom.status, workroom.funding_stopped) == (Workroom.Status.REVOKED, True)
    assert StatusChange.objects.filter(action="revoke", comment__contains="中期评估不合格").exists()


def test_it_completes_a_workroom_passing_its_final_and_titles_people(workroom, office, experts, member, host):
    kept = Membership.objects.get(workroom=workroom, teacher__user=member)
    failed = f.MembershipFactory(workroom=workroom)
    services.member_assessment_save(membership=kept, school_year=2025, semester=1, scores=_scores("15"), actor=host)
    services.member_assessment_save(membership=failed, school_year=2025, semester=1, scores=_scores("10"), actor=host)
    evaluation = services.evaluation_open(workroom=workroom, kind="final", experts=experts, actor=office)
    _score_all(evaluation, experts, ["90", "92"])
    result = services.evaluation_conclude(evaluation=evaluation, actor=office)
    evaluation_made_final(evaluation, office)
    workroom.refresh_from_db()
    assert (result.grade, workroom.status) == ("优秀", Workroom.Status.COMPLETED)
    titles = set(Distinction.objects.values_list("teacher__name", "kind"))
    assert titles == {("王喆", "master"), ("张昇", "backbone")}


def test_it_waits_for_every_expert_before_concluding(workroom, office, experts):
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    _score_all(evaluation, experts[:1], ["80"])
    with pytest.raises(ValidationError, match="1 位专家未完成评分"):
        services.evaluation_conclude(evaluation=evaluation, actor=office)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SCORING


def test_it_keeps_experts_independent(workroom, office, experts):
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    _score_all(evaluation, experts, ["70", "80"])
    _score_all(evaluation, experts[:1], ["90"])  # re-scoring replaces only that expert's sheet
    assert sorted(set(evaluation.scores.values_list("expert__username", "score"))) == [("expert0", D("90")), ("expert1", D("80"))]


def test_it_refuses_a_score_from_someone_not_on_the_panel(workroom, office, experts, expert):
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    with pytest.raises(PermissionDenied):
        services.evaluation_scores_save(evaluation=evaluation, scores={i.code: D(80) for i in rubric_items()}, actor=expert)
    assert not evaluation.scores.exists()


def test_it_accepts_only_experts_on_a_panel(workroom, office, teacher):
    with pytest.raises(ValidationError, match="专家"):
        services.evaluation_open(workroom=workroom, kind="midterm", experts=[teacher.user], actor=office)
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.RUNNING and not Evaluation.objects.exists()


# --- §9.4 with the workroom's own records ---------------------------------------------


@pytest.fixture
def semester_with_three_activities(membership, time_machine):
    """The current semester on 15 October 2026, the member joined at its
    start, three activities held."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from core.calendar import semester_of
    from tests.workrooms.activities.factories import ActivityFactory

    time_machine.move_to(datetime(2026, 10, 15, 10, tzinfo=timezone.get_current_timezone()))
    period = semester_of(timezone.localdate())
    membership.joined_on = period.start
    membership.save()
    tz = timezone.get_current_timezone()
    activities = [
        ActivityFactory(workroom=membership.workroom, starts_at=datetime.combine(period.start + timedelta(days=i), time(15), tzinfo=tz))
        for i in range(3)
    ]
    school_year, term = (int(part) for part in period.code.split("-"))
    return school_year, term, activities


def _attend(membership, activities, statuses):
    from workrooms.models import Attendance

    for activity, status in zip(activities, statuses, strict=True):
        Attendance.objects.create(activity=activity, teacher=membership.teacher, status=status)


@pytest.mark.parametrize(
    "statuses, grade, forced",
    [
        (["present", "absent", "absent"], "不合格", True),  # 1 of 3: below two thirds
        (["present", "absent", None], "不合格", True),  # no row on the sheet is an absence
        (["present", "leave", "absent"], "优秀", False),  # exactly two thirds (leave counts as attended)
        (["present", "present", "present"], "优秀", False),
    ],
)
def test_it_fails_a_member_below_two_thirds_attendance_whatever_the_scores(
    membership, host, semester_with_three_activities, statuses, grade, forced
):
    school_year, term, activities = semester_with_three_activities
    _attend(membership, [a for a, s in zip(activities, statuses) if s], [s for s in statuses if s])
    a = services.member_assessment_save(membership=membership, school_year=school_year, semester=term, scores=_scores("20"), actor=host)
    assert (a.total, a.grade, a.attendance_forced, a.adjust_out) == (D("100"), grade, forced, grade == "不合格")


def test_it_shows_attendance_and_duties_beside_the_scores(client, membership, host, workroom, semester_with_three_activities):
    from django.urls import reverse

    from tests.workrooms.records.factories import ReadingLogFactory

    school_year, term, activities = semester_with_three_activities
    _attend(membership, activities, ["present", "absent", "absent"])
    ReadingLogFactory.create_batch(2, teacher=membership.teacher, workroom=workroom, recommended=True)
    client.force_login(host)
    url = reverse("assessment:member_assess", args=[membership.pk]) + f"?year={school_year}&semester={term}"
    html = client.get(url).content.decode()
    assert "本学期出勤（含请假） 1 / 3 次" in html
    assert 'data-duty="推荐书目（德育/心理著作）"' in html and 'aria-valuenow="100"' in html
    data = dict.fromkeys(("ethics", "attitude", "theory", "management", "research"), "20")
    html = client.post(url, data | {"year": school_year, "semester": term}, follow=True).content.decode()
    assert "总分 100" in html and "不合格" in html and "缺席超过规定比例" in html


def test_it_shows_the_experts_the_workrooms_outreach(client, workroom, office, experts):
    from datetime import timedelta

    from tests.workrooms.outreach.factories import OutreachRecordFactory
    from workrooms.models import OutreachRecord

    day = workroom.cycle_start + timedelta(days=1)
    OutreachRecordFactory(workroom=workroom, kind=OutreachRecord.Kind.EXCHANGE, date=day, hours=D("2"))
    OutreachRecordFactory(workroom=workroom, kind=OutreachRecord.Kind.LECTURE, date=day, hours=D("1.5"))
    evaluation = services.evaluation_open(workroom=workroom, kind="midterm", experts=experts, actor=office)
    client.force_login(experts[0])
    body = client.get(f"/assessment/evaluations/{evaluation.pk}/").content.decode()
    assert "对外讲座 1 次" in body and "跨工作室交流 1 次" in body and "共 3.5 课时" in body
