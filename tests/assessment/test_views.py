"""Permission matrix for every assessment view, and the pages' behaviour."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import services
from assessment.models import (
    BonusAward,
    Evaluation,
    MonthlyScore,
    PeriodObjection,
    Result,
    VetoCase,
)
from assessment.rules.evaluation import rubric_items
from assessment.workflow import ASSESSMENT_PERIOD
from tests import factories as f
from tests.assessment.factories import MonthlyScoreFactory, VetoCaseFactory
from tests.submit_twice import assert_refused_second, post_twice

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def scene(grade_dept, month, teacher, office, expert, workroom, member):
    """A computed and published month for ``teacher``, a veto case with
    evidence, an objection, a member of ``workroom`` and an evaluation."""
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    veto = services.veto_record(
        period=month, teacher=teacher, kind=VetoCase.Kind.SAFETY, description="安全事故",
        evidence=SimpleUploadedFile("证明.png", PNG, content_type="image/png"), actor=office,
    )
    services.period_compute(period=month, actor=office)
    ASSESSMENT_PERIOD.apply(month, "publish", actor=office)
    objection = PeriodObjection.objects.create(period=month, raised_by=teacher.user, text="有误")
    evaluation = Evaluation.objects.create(workroom=workroom, kind="midterm", opened_by=office)
    evaluation.experts.add(expert)
    membership = workroom.memberships.get(teacher__user=member)
    return {
        "period": month, "dept": grade_dept, "veto": veto, "objection": objection, "evaluation": evaluation,
        "membership": membership, "result": Result.objects.get(teacher=teacher),
    }


def _url(name, scene):
    s = scene
    return {
        "period_list": reverse("assessment:period_list"),
        "period_create": reverse("assessment:period_create"),
        "period_detail": reverse("assessment:period_detail", args=[s["period"].pk]),
        "period_compute": reverse("assessment:period_compute", args=[s["period"].pk]),
        "period_freeze": reverse("assessment:period_transition", args=[s["period"].pk, "freeze"]),
        "grid": reverse("assessment:grid", args=[s["period"].pk, s["dept"].pk]),
        "cover_create": reverse("assessment:cover_create", args=[s["period"].pk]),
        "objection_create": reverse("assessment:objection_create", args=[s["period"].pk]),
        "objection_answer": reverse("assessment:objection_answer", args=[s["objection"].pk]),
        "my_results": reverse("assessment:my_results"),
        "result_detail": reverse("assessment:result_detail", args=[s["result"].pk]),
        "veto_list": reverse("assessment:veto_list"),
        "veto_create": reverse("assessment:veto_create"),
        "veto_confirm": reverse("assessment:veto_confirm", args=[s["veto"].pk]),
        "veto_evidence": reverse("assessment:veto_evidence", args=[s["veto"].pk]),
        "award_list": reverse("assessment:award_list"),
        "award_create": reverse("assessment:award_create"),
        "conditions_edit": reverse("assessment:conditions_edit"),
        "member_list": reverse("assessment:member_list"),
        "member_assess": reverse("assessment:member_assess", args=[s["membership"].pk]),
        "evaluation_list": reverse("assessment:evaluation_list"),
        "evaluation_create": reverse("assessment:evaluation_create"),
        "evaluation_detail": reverse("assessment:evaluation_detail", args=[s["evaluation"].pk]),
        "evaluation_conclude": reverse("assessment:evaluation_conclude", args=[s["evaluation"].pk]),
    }[name]


# (view, method, persona, expected status); "anonymous" always goes to the login page.
MATRIX = [
    ("period_list", "get", "outsider", 200), ("period_list", "get", "teacher", 200),
    ("period_create", "get", "leader", 403), ("period_create", "get", "office", 200),
    ("period_detail", "get", "outsider", 404), ("period_detail", "get", "leader", 200), ("period_detail", "get", "teacher", 200),
    ("period_compute", "post", "outsider", 404), ("period_compute", "post", "leader", 403), ("period_compute", "post", "office", 302),
    ("period_freeze", "post", "outsider", 404), ("period_freeze", "post", "leader", 403), ("period_freeze", "post", "office", 302),
    ("grid", "get", "outsider", 404), ("grid", "get", "teacher", 404), ("grid", "get", "leader", 200),
    ("grid", "get", "reviewer", 200), ("grid", "get", "office", 200),
    ("grid", "post", "leader", 403), ("grid", "post", "reviewer", 200), ("grid", "post", "office", 200),
    ("cover_create", "get", "outsider", 404), ("cover_create", "get", "leader", 403), ("cover_create", "get", "office", 200),
    ("objection_create", "post", "outsider", 404), ("objection_create", "post", "leader", 403), ("objection_create", "post", "teacher", 302),
    ("objection_answer", "post", "outsider", 404), ("objection_answer", "post", "teacher", 403), ("objection_answer", "post", "office", 302),
    ("my_results", "get", "teacher", 200), ("my_results", "get", "outsider", 200),
    ("result_detail", "get", "outsider", 404), ("result_detail", "get", "member", 404),
    ("result_detail", "get", "teacher", 200), ("result_detail", "get", "leader", 200), ("result_detail", "get", "reviewer", 200),
    ("veto_list", "get", "outsider", 200), ("veto_list", "get", "office", 200),
    ("veto_create", "get", "leader", 403), ("veto_create", "get", "teacher", 403), ("veto_create", "get", "office", 200),
    ("veto_confirm", "post", "outsider", 404), ("veto_confirm", "post", "leader", 403), ("veto_confirm", "post", "office", 302),
    ("veto_evidence", "get", "outsider", 404), ("veto_evidence", "get", "teacher", 200), ("veto_evidence", "get", "office", 200),
    ("award_list", "get", "teacher", 404), ("award_list", "get", "leader", 200),
    ("award_create", "get", "leader", 403), ("award_create", "get", "office", 200),
    ("conditions_edit", "get", "leader", 403), ("conditions_edit", "get", "office", 200),
    ("member_list", "get", "outsider", 404), ("member_list", "get", "member", 404), ("member_list", "get", "host", 200), ("member_list", "get", "leader", 200),
    ("member_assess", "get", "outsider", 404), ("member_assess", "get", "member", 200), ("member_assess", "get", "host", 200),
    ("member_assess", "post", "member", 403), ("member_assess", "post", "leader", 403), ("member_assess", "post", "host", 200),
    ("evaluation_list", "get", "host", 200), ("evaluation_list", "get", "expert", 200),
    ("evaluation_create", "get", "leader", 403), ("evaluation_create", "get", "expert", 403), ("evaluation_create", "get", "office", 200),
    ("evaluation_detail", "get", "outsider", 404), ("evaluation_detail", "get", "expert", 200), ("evaluation_detail", "get", "host", 200),
    ("evaluation_detail", "post", "host", 403), ("evaluation_detail", "post", "leader", 403), ("evaluation_detail", "post", "expert", 200),
    ("evaluation_conclude", "post", "outsider", 404), ("evaluation_conclude", "post", "expert", 403), ("evaluation_conclude", "post", "office", 302),
]


def _user(request, persona):
    user = request.getfixturevalue(persona)
    return getattr(user, "user", user)


@pytest.mark.parametrize("view, method, persona, status", MATRIX)
def test_it_applies_the_permission_matrix(request, client, scene, view, method, persona, status):
    client.force_login(_user(request, persona))
    response = getattr(client, method)(_url(view, scene))
    assert response.status_code == status


@pytest.mark.parametrize("view, method", sorted({(v, m) for v, m, _, _ in MATRIX}))
def test_it_sends_anonymous_visitors_to_the_login_page(client, scene, view, method):
    response = getattr(client, method)(_url(view, scene))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- grid ---------------------------------------------------------------------------


@pytest.fixture
def open_month(grade_dept, month, teacher):
    return month


def test_it_saves_a_grid_and_shows_the_scores(client, reviewer, office, open_month, grade_dept, teacher):
    url = reverse("assessment:grid", args=[open_month.pk, grade_dept.pk])
    client.force_login(reviewer)
    client.post(url, {f"dept_{teacher.pk}": "88.5"})
    client.force_login(office)
    response = client.post(url, {f"office_{teacher.pk}": "91"}, follow=True)
    assert "1 位班主任的成绩有更新" in response.content.decode()
    score = MonthlyScore.objects.get(teacher=teacher)
    assert (score.dept_score, score.office_score) == (D("88.5"), D("91"))


def test_it_saves_nothing_when_one_cell_is_bad(client, office, open_month, grade_dept, teacher):
    other = f.TeacherFactory(school=grade_dept.school, department=grade_dept, name="周老师")
    client.force_login(office)
    url = reverse("assessment:grid", args=[open_month.pk, grade_dept.pk])
    response = client.post(url, {f"office_{teacher.pk}": "90", f"office_{other.pk}": "101"})
    html = response.content.decode()
    assert "不能超过 100" in html and "所有成绩均未保存" in html
    assert 'value="90"' in html  # what was typed is kept
    assert not MonthlyScore.objects.exists()


@pytest.mark.parametrize("value, message", [("abc", "请输入数字"), ("-1", "不能小于 0"), ("80.55", "最多保留一位小数")])
def test_it_explains_each_bad_cell_in_chinese(client, office, open_month, grade_dept, teacher, value, message):
    client.force_login(office)
    response = client.post(reverse("assessment:grid", args=[open_month.pk, grade_dept.pk]), {f"office_{teacher.pk}": value})
    assert message in response.content.decode()
    assert not MonthlyScore.objects.exists()


def test_it_refuses_a_grid_edit_in_a_published_month(client, office, scene, teacher):
    client.force_login(office)
    response = client.post(_url("grid", scene), {f"office_{teacher.pk}": "10"}, follow=True)
    assert "公示中，不能修改" in response.content.decode()
    assert MonthlyScore.objects.get(teacher=teacher).office_score == D("90")


def _grid_rows(grade_dept, month, n):
    for _ in range(n):
        MonthlyScoreFactory(period=month, teacher=f.TeacherFactory(school=grade_dept.school, department=grade_dept), department=grade_dept)


@pytest.mark.parametrize("view", ["grid", "period_detail", "veto_list"])
def test_it_uses_the_same_number_of_queries_for_1_and_50_rows(client, office, grade_dept, month, view):
    client.force_login(office)
    counts = []
    for n in (1, 49):  # 1 row, then 50
        _grid_rows(grade_dept, month, n)
        services.period_compute(period=month, actor=office)
        for t in [s.teacher for s in MonthlyScore.objects.filter(period=month).select_related("teacher")[:n]]:
            VetoCaseFactory(period=month, teacher=t)
        url = {
            "grid": reverse("assessment:grid", args=[month.pk, grade_dept.pk]),
            "period_detail": reverse("assessment:period_detail", args=[month.pk]),
            "veto_list": reverse("assessment:veto_list"),
        }[view]
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


# --- results and publication ---------------------------------------------------------


def test_it_shows_a_teacher_the_formula_with_their_numbers(client, scene, teacher):
    client.force_login(teacher.user)
    html = client.get(_url("result_detail", scene)).content.decode()
    assert "80.0 × 50% + 90.0 × 50% = 85.0" in html
    assert "第 1 版" in html


def test_it_hides_unpublished_results_from_the_teacher(client, grade_dept, month, teacher, office):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    services.period_compute(period=month, actor=office)
    client.force_login(teacher.user)
    result = Result.objects.get(teacher=teacher)
    assert client.get(reverse("assessment:result_detail", args=[result.pk])).status_code == 404
    assert "暂无已公布的考核结果" in client.get(reverse("assessment:my_results")).content.decode()


def test_it_shows_a_host_the_results_of_their_members(client, scene, host, member, office, grade_dept):
    member_teacher = scene["membership"].teacher
    MonthlyScore.objects.create(period=scene["period"], teacher=member_teacher, department=grade_dept, dept_score=70, office_score=70)
    ASSESSMENT_PERIOD.apply(scene["period"], "reopen", actor=f.UserFactory(is_superuser=True), comment="补录")
    services.period_compute(period=scene["period"], actor=office)
    ASSESSMENT_PERIOD.apply(scene["period"], "publish", actor=office)
    client.force_login(host)
    html = client.get(_url("period_detail", scene)).content.decode()
    table = html.split('id="results"')[1].split("</table>")[0]
    member_result = Result.objects.get(teacher=member_teacher)
    # The member's result is linked; 李堃 of the host's department is on the 公示名单 (§12), unlinked.
    assert reverse("assessment:result_detail", args=[member_result.pk]) in table
    assert "李堃" in table and reverse("assessment:result_detail", args=[scene["result"].pk]) not in table


def test_it_states_the_tie_and_rounding_rules_on_the_period_page(client, scene, office):
    client.force_login(office)
    html = client.get(_url("period_detail", scene)).content.decode()
    assert "四舍五入" in html and "同分同名次" in html and "7 人为 2/3/2" in html


def test_it_refuses_to_freeze_with_an_open_objection_and_says_why(client, scene, office, after_notice):
    after_notice(scene["period"])
    client.force_login(office)
    response = client.post(_url("period_freeze", scene), follow=True)
    assert "1 条异议未答复" in response.content.decode()
    scene["period"].refresh_from_db()
    assert scene["period"].status == "publicized"


def test_it_records_a_veto_with_its_evidence(client, office, month, teacher):
    client.force_login(office)
    response = client.post(reverse("assessment:veto_create"), {
        "period": month.pk, "teacher": teacher.pk, "kind": 1, "description": "家长投诉属实",
        "evidence_file": SimpleUploadedFile("证明.png", PNG, content_type="image/png"),
    })
    assert response.status_code == 302
    veto = VetoCase.objects.get()
    assert (veto.recorded_by, veto.evidence.original_name, veto.is_confirmed) == (office, "证明.png", False)


def test_it_refuses_a_fake_evidence_file_and_records_nothing(client, office, month, teacher):
    client.force_login(office)
    response = client.post(reverse("assessment:veto_create"), {
        "period": month.pk, "teacher": teacher.pk, "kind": 1, "description": "家长投诉属实",
        "evidence_file": SimpleUploadedFile("证明.png", b"<script>alert(1)</script>", content_type="image/png"),
    })
    assert "不支持的文件类型" in response.content.decode()
    assert not VetoCase.objects.exists()


def test_it_lets_an_expert_score_every_item(client, scene, expert):
    client.force_login(expert)
    data = {item.code: "85" for item in rubric_items()}
    response = client.post(_url("evaluation_detail", scene), data)
    assert response.status_code == 302
    assert scene["evaluation"].scores.filter(expert=expert).count() == len(data)


def test_it_saves_no_expert_score_when_one_is_missing(client, scene, expert):
    client.force_login(expert)
    data = {item.code: "85" for item in rubric_items()[1:]}
    response = client.post(_url("evaluation_detail", scene), data)
    assert "评分未保存" in response.content.decode()
    assert not scene["evaluation"].scores.exists()


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_a_teachers_results_in_constant_queries(client, grade_dept, teacher, office):
    from tests.assessment.factories import MonthPeriodFactory

    client.force_login(teacher.user)
    counts = []
    for years in (range(2000, 2001), range(2001, 2020)):
        for year in years:
            period = MonthPeriodFactory(school=grade_dept.school, school_year=year, month=10)
            MonthlyScoreFactory(period=period, teacher=teacher, department=grade_dept)
            services.period_compute(period=period, actor=office)
            ASSESSMENT_PERIOD.apply(period, "publish", actor=office)
        counts.append(_queries(client, reverse("assessment:my_results")))
    assert counts[0] == counts[1]


def test_it_lists_members_awards_periods_and_evaluations_in_constant_queries(client, workroom, host, office, expert, grade_dept, teacher):
    from tests.assessment.factories import BonusAwardFactory, MonthPeriodFactory

    counts = {"members": [], "awards": [], "periods": [], "evaluations": []}
    for n in (1, 24):
        for i in range(n):
            m = f.MembershipFactory(workroom=workroom)
            services.member_assessment_save(membership=m, school_year=2025, semester=1, scores=dict.fromkeys(
                ("ethics", "attitude", "theory", "management", "research"), D("15")), actor=host)
            BonusAwardFactory(teacher=teacher, event=f"赛事{n}-{i}")
            MonthPeriodFactory(school=grade_dept.school, school_year=1900 + n * 30 + i, month=9)
            e = Evaluation.objects.create(workroom=workroom, kind="midterm", opened_by=office)
            e.experts.add(expert)
        client.force_login(host)
        counts["members"].append(_queries(client, reverse("assessment:member_list") + "?year=2025&semester=1"))
        client.force_login(office)
        counts["awards"].append(_queries(client, reverse("assessment:award_list")))
        counts["periods"].append(_queries(client, reverse("assessment:period_list")))
        client.force_login(expert)
        counts["evaluations"].append(_queries(client, reverse("assessment:evaluation_list")))
    assert all(a == b for a, b in counts.values()), counts


def test_it_records_a_substitute_and_refuses_more_days_than_the_month_has(client, office, month, teacher, grade_dept):
    from assessment.models import SubstituteCover

    sub = f.TeacherFactory(school=grade_dept.school, department=grade_dept, name="代班老师")
    client.force_login(office)
    url = reverse("assessment:cover_create", args=[month.pk])
    response = client.post(url, {"teacher": teacher.pk, "substitute": sub.pk, "days": 31 + 1})
    assert "不能超过 31 天" in response.content.decode()
    response = client.post(url, {"teacher": teacher.pk, "substitute": teacher.pk, "days": 3})
    assert "不能是班主任本人" in response.content.decode()
    assert not SubstituteCover.objects.exists()
    response = client.post(url, {"teacher": teacher.pk, "substitute": sub.pk, "days": 10})
    assert response.status_code == 302
    assert SubstituteCover.objects.get().days == 10


def test_it_lists_what_waits_on_the_home_page(client, scene, office, reviewer, expert, teacher):
    client.force_login(office)
    assert "1 条异议待答复" in client.get(reverse("home")).content.decode()
    client.force_login(expert)
    assert "待评分" in client.get(reverse("home")).content.decode()
    client.force_login(teacher.user)
    assert "公示中的考核结果" in client.get(reverse("home")).content.decode()


def test_it_creates_a_month_period_and_says_what_is_missing(client, office, school):
    from assessment.models import Period

    client.force_login(office)
    response = client.post(reverse("assessment:period_create"), {"kind": "month", "school_year": "2025"})
    assert "月考核须选择月份" in response.content.decode()
    assert not Period.objects.exists()
    response = client.post(reverse("assessment:period_create"), {"kind": "month", "school_year": "2025", "month": "3"})
    period = Period.objects.get()
    assert (period.calendar_year, period.month, period.semester) == (2026, 3, 2)
    assert response.url == reverse("assessment:period_detail", args=[period.pk])


def test_it_reopens_a_frozen_period_only_with_a_reason(client, scene, office, admin, after_notice):
    period = scene["period"]
    services.objection_answer(objection=scene["objection"], answer="已复核", actor=office)
    after_notice(period)
    ASSESSMENT_PERIOD.apply(period, "freeze", actor=office)
    client.force_login(admin)
    url = reverse("assessment:period_transition", args=[period.pk, "reopen"])
    response = client.post(url, {"comment": ""}, follow=True)
    assert "需要填写意见" in response.content.decode()
    period.refresh_from_db()
    assert period.status == "frozen"
    response = client.post(url, {"comment": "更正抽查分"}, follow=True)
    period.refresh_from_db()
    assert period.status == "open"
    assert "更正抽查分" in response.content.decode()  # the recorded reason is on the page


def test_it_records_a_bonus_award_and_class_conditions(client, office, teacher):
    from assessment.models import BonusAward, ClassConditions

    client.force_login(office)
    response = client.post(reverse("assessment:award_create"), {
        "teacher": teacher.pk, "school_year": 2025, "semester": 1, "category": "class_prize", "event": "市文明班级", "level": "municipal",
    })
    assert response.status_code == 302 and BonusAward.objects.get().recorded_by == office
    data = {"teacher": teacher.pk, "school_year": 2025, "semester": 1, "urgent_tasks": "on", "core_pass_rate": "1", "test_score": "80"}
    client.post(reverse("assessment:conditions_edit"), data)
    client.post(reverse("assessment:conditions_edit"), data | {"student_prizes": "on"})
    assert ClassConditions.objects.get().conditions_met == 2
    response = client.post(reverse("assessment:conditions_edit"), data | {"core_pass_rate": "1.5"})
    assert response.status_code == 200 and ClassConditions.objects.get().core_pass_rate == D("1")


def test_it_lets_the_host_assess_a_member_on_the_page(client, scene, host):
    url = reverse("assessment:member_assess", args=[scene["membership"].pk]) + "?year=2025&semester=1"
    client.force_login(host)
    data = {"ethics": "18", "attitude": "18", "theory": "18", "management": "18", "research": "18", "year": "2025", "semester": "1"}
    html = client.post(url, data, follow=True).content.decode()
    assert "已保存：张昇 总分 90" in html and "颁发荣誉证书" in html
    assert "活动出勤" in html and "履职情况" in html
    html = client.post(url, data | {"research": "25"}).content.decode()
    assert "不能超过 20" in html


def test_it_shows_a_semester_ranking_with_titles_and_the_bonus_explained(client, office, grade_dept, teacher):
    from tests.assessment.factories import BonusAwardFactory, MonthPeriodFactory

    for m in (9, 10):
        period = MonthPeriodFactory(school=grade_dept.school, school_year=2025, month=m)
        MonthlyScoreFactory(period=period, teacher=teacher, department=grade_dept)
    BonusAwardFactory(teacher=teacher, level="county")
    BonusAwardFactory(teacher=teacher, level="municipal")  # the same event: only 市级 counts
    semester = services.period_create(school=grade_dept.school, kind="semester", school_year=2025, semester=1, actor=office)
    services.period_compute(period=semester, actor=office)
    client.force_login(office)
    html = client.get(reverse("assessment:period_detail", args=[semester.pk])).content.decode()
    assert "合格班队" in html and "173.0" in html and "同分同名次" in html
    result = Result.objects.get(period=semester)
    html = client.get(reverse("assessment:result_detail", args=[result.pk])).content.decode()
    assert "85.0 + 85.0" in html and "市级 3" in html and "400.00 元" in html


def test_it_warns_about_half_entered_scores(client, office, month, grade_dept, teacher):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept, office_score=None)
    client.force_login(office)
    html = client.get(reverse("assessment:period_detail", args=[month.pk])).content.decode()
    missing = html.split('id="missing-inputs"')[1].split("</div>")[0]
    assert "以下成绩尚未录齐" in missing and "高一年级部：1 位班主任均无完整成绩" in missing


def test_a_veto_posted_twice_is_recorded_once(client, office, month, teacher):
    client.force_login(office)
    url = reverse("assessment:veto_create")
    first, second = post_twice(client, url, url, lambda: {
        "period": month.pk, "teacher": teacher.pk, "kind": 1, "description": "家长投诉属实",
        "evidence_file": SimpleUploadedFile("证明.png", PNG, content_type="image/png"),
    })
    assert_refused_second(first, second)
    assert VetoCase.objects.count() == 1


def test_a_bonus_award_posted_twice_is_recorded_once(client, office, teacher):
    client.force_login(office)
    url = reverse("assessment:award_create")
    first, second = post_twice(client, url, url, lambda: {
        "teacher": teacher.pk, "school_year": 2025, "semester": 1, "category": "class_prize", "event": "市文明班级", "level": "municipal",
    })
    assert_refused_second(first, second)
    assert BonusAward.objects.count() == 1


def test_an_objection_posted_twice_is_raised_once(client, scene, teacher):
    PeriodObjection.objects.all().delete()
    client.force_login(teacher.user)
    page = reverse("assessment:period_detail", args=[scene["period"].pk])
    url = reverse("assessment:objection_create", args=[scene["period"].pk])
    first, second = post_twice(client, page, url, lambda: {"text": "第三周的得分有误"})
    assert_refused_second(first, second)
    assert PeriodObjection.objects.count() == 1
