"""Honours through their services (DOMAIN.md §9.1, §9.4, §9.5, §3): each
naming within its limit, each refusal in Chinese and changing nothing, the
cycle extension of an excellent workroom and the veto from all honours."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from archives import services as certificates
from archives.models import Certificate
from archives.selectors import certificate_candidates, vetoed_certificate_candidates
from assessment import services
from assessment.honours import services as honours
from assessment.models import (
    ClassTitle,
    Distinction,
    Evaluation,
    HostVeto,
    OutstandingMember,
)
from assessment.rules.evaluation import rubric_items
from core.calendar import add_years
from core.models import Notification, StatusChange
from core.workflow import TransitionRefused
from members import roles
from members.choices import DepartmentKind
from members.models import EthicsRecord
from tests import factories as f
from tests.assessment.factories import evaluation_made_final
from tests.workrooms.selection.test_concurrency import race
from workrooms.models import Workroom
from workrooms.selection.models import Membership
from workrooms.services import ruleset_create_version
from workrooms.workflow import WORKROOM

pytestmark = pytest.mark.django_db

YEAR, TERM = 2025, 1  # 2025–2026学年第一学期


def _scores(value):
    return {code: D(value) for code in ("ethics", "attitude", "theory", "management", "research")}


def assess(membership, host, value, *, year=YEAR, term=TERM):
    return services.member_assessment_save(membership=membership, school_year=year, semester=term, scores=_scores(value), actor=host)


@pytest.fixture
def zhang(workroom, member):
    return Membership.objects.get(workroom=workroom, teacher__user=member)


@pytest.fixture
def li(workroom, teacher):
    return f.MembershipFactory(workroom=workroom, teacher=teacher)


def titles_of(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


# --- 优秀工作室成员 (§9.4) ----------------------------------------------------------------------


def test_the_host_names_an_excellent_member_and_the_member_hears_of_it(zhang, host, member):
    assessment = assess(zhang, host, "18")  # 90: exactly the 优秀 line
    title = honours.outstanding_member_name(assessment=assessment, actor=host)
    assert (title.teacher, title.workroom, title.school_year, title.semester, title.named_by) == (
        zhang.teacher, zhang.workroom, YEAR, TERM, host,
    )
    assert titles_of(member) == ["您被评为王喆名班主任工作室2025–2026学年第一学期优秀工作室成员"]


def test_one_member_per_workroom_and_semester(zhang, li, host, workroom):
    honours.outstanding_member_name(assessment=assess(zhang, host, "19"), actor=host)
    second = assess(li, host, "20")
    with pytest.raises(ValidationError, match=r"已评出优秀工作室成员（张昇），每学期只能评选一名"):
        honours.outstanding_member_name(assessment=second, actor=host)
    assert list(OutstandingMember.objects.values_list("teacher__name", flat=True)) == ["张昇"]
    # The next semester is a new choice.
    honours.outstanding_member_name(assessment=assess(li, host, "20", term=2), actor=host)
    assert OutstandingMember.objects.count() == 2


def test_the_database_keeps_one_per_workroom_and_semester(zhang, li, host):
    first = honours.outstanding_member_name(assessment=assess(zhang, host, "19"), actor=host)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutstandingMember.objects.create(
            assessment=assess(li, host, "20"), workroom=first.workroom, teacher=li.teacher, school_year=YEAR, semester=TERM,
        )


def test_it_names_only_a_member_graded_excellent(zhang, host, member):
    assessment = assess(zhang, host, "17.9")  # 89.5: 合格
    with pytest.raises(ValidationError, match="成员考核为合格，优秀工作室成员只能从考核优秀的成员中评选"):
        honours.outstanding_member_name(assessment=assessment, actor=host)
    assert not OutstandingMember.objects.exists() and not titles_of(member)


@pytest.mark.parametrize("persona", ["office", "leader", "member"])
def test_only_the_host_of_the_workroom_names(request, zhang, host, persona):
    assessment = assess(zhang, host, "19")
    with pytest.raises(PermissionDenied, match="只有本工作室主持人可以评选优秀工作室成员"):
        honours.outstanding_member_name(assessment=assessment, actor=request.getfixturevalue(persona))
    other_host = f.WorkroomFactory().host.user
    with pytest.raises(PermissionDenied):
        honours.outstanding_member_name(assessment=assessment, actor=other_host)
    assert not OutstandingMember.objects.exists()


def test_a_withdrawal_lets_the_host_name_someone_else(zhang, li, host):
    title = honours.outstanding_member_name(assessment=assess(zhang, host, "19"), actor=host)
    honours.outstanding_member_withdraw(outstanding=title, actor=host)
    honours.outstanding_member_name(assessment=assess(li, host, "20"), actor=host)
    assert list(OutstandingMember.objects.values_list("teacher__name", flat=True)) == ["李堃"]


def test_a_named_members_grade_cannot_drop_below_excellent(zhang, host):
    honours.outstanding_member_name(assessment=assess(zhang, host, "19"), actor=host)
    with pytest.raises(ValidationError, match="已被评为本学期优秀工作室成员，考核不能改为合格"):
        assess(zhang, host, "15")
    kept = zhang.assessments.get()
    assert (kept.total, kept.grade) == (D("95"), "优秀")


def test_a_member_vetoed_for_ethics_is_not_named(zhang, host):
    assessment = assess(zhang, host, "19")
    EthicsRecord.objects.create(teacher=zhang.teacher, occurred_on=date(2025, 11, 1), description="有偿补课", confirmed=True)
    with pytest.raises(ValidationError, match=r"张昇已被荣誉一票否决（师德一票否决），不能评为优秀工作室成员"):
        honours.outstanding_member_name(assessment=assessment, actor=host)
    assert not OutstandingMember.objects.exists()


# --- 优秀班级 / 窗口班级 (§9.1) --------------------------------------------------------------------


@pytest.fixture
def classes(grade_dept):
    """Five head teachers of 高一年级部 with their classes."""
    return [
        f.TeacherFactory(school=grade_dept.school, department=grade_dept, name=f"班主任{i}", class_name=f"高一（{i}）班")
        for i in range(1, 6)
    ]


WEEK = date(2025, 10, 22)  # a Wednesday: the week of 20–26 October 2025


def name(reviewer, dept, teacher, kind="excellent", day=WEEK, **kw):
    return honours.class_title_name(department=dept, teacher=teacher, kind=kind, day=day, actor=reviewer, **kw)


def test_a_department_names_three_excellent_classes_a_week_and_no_fourth(reviewer, grade_dept, classes):
    for t in classes[:3]:
        name(reviewer, grade_dept, t)
    with pytest.raises(ValidationError, match="高一年级部2025年10月20日—10月26日已评出 3 个优秀班级，每周最多 3 个"):
        name(reviewer, grade_dept, classes[3], day=date(2025, 10, 26))  # the Sunday of that week
    assert ClassTitle.objects.count() == 3
    name(reviewer, grade_dept, classes[3], day=date(2025, 10, 27))  # next week starts anew
    week = ClassTitle.objects.filter(starts_on=date(2025, 10, 20))
    assert sorted(week.values_list("class_name", flat=True)) == ["高一（1）班", "高一（2）班", "高一（3）班"]
    assert titles_of(classes[0].user) == ["您的班级高一（1）班被高一年级部评为2025年10月20日—10月26日优秀班级"]


def test_a_department_names_one_window_class_a_month(reviewer, grade_dept, classes):
    title = name(reviewer, grade_dept, classes[0], kind="window", day=date(2025, 10, 3))
    assert (title.starts_on, title.period_label) == (date(2025, 10, 1), "2025年10月")
    with pytest.raises(ValidationError, match="高一年级部2025年10月已评出 1 个窗口班级，每月最多 1 个"):
        name(reviewer, grade_dept, classes[1], kind="window", day=date(2025, 10, 31))
    name(reviewer, grade_dept, classes[1], kind="window", day=date(2025, 11, 1))
    # An excellent class of the week is a title of its own.
    name(reviewer, grade_dept, classes[0], day=date(2025, 10, 3))
    assert ClassTitle.objects.count() == 3


def test_the_limits_are_the_settings_in_force(reviewer, grade_dept, classes, admin, ruleset):
    new = ruleset_create_version(values={"excellent_classes_per_week": 4}, actor=admin, change_note="每周评4个优秀班级")
    titles = [name(reviewer, grade_dept, t) for t in classes[:4]]
    assert {t.ruleset for t in titles} == {new}
    with pytest.raises(ValidationError, match="已评出 4 个优秀班级，每周最多 4 个"):
        name(reviewer, grade_dept, classes[4])


def test_a_department_names_only_its_own_classes(reviewer, grade_dept, school):
    other = f.DepartmentFactory(school=school, name="高二年级部", kind=DepartmentKind.GRADE, grade=2)
    outside = f.TeacherFactory(school=school, department=other, name="陈晨", class_name="高二（5）班")
    with pytest.raises(ValidationError, match="高二（5）班（班主任陈晨）不属于高一年级部，只能评选本年级部的班级"):
        name(reviewer, grade_dept, outside)
    not_head = f.TeacherFactory(school=school, department=grade_dept, name="钱程", is_head_teacher=False, class_name="")
    with pytest.raises(ValidationError, match="钱程不是在岗班主任"):
        name(reviewer, grade_dept, not_head)
    assert not ClassTitle.objects.exists()


@pytest.mark.parametrize("persona", ["office", "leader", "teacher", "host"])
def test_only_the_departments_reviewer_names(request, grade_dept, classes, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="只有高一年级部的审核人可以评选本年级部的班级"):
        name(getattr(user, "user", user), grade_dept, classes[0])
    assert not ClassTitle.objects.exists()


def test_it_refuses_a_week_not_begun_and_the_same_class_twice(reviewer, grade_dept, classes):
    with pytest.raises(ValidationError, match="2025年10月27日—11月2日尚未开始，不能提前评选优秀班级"):
        name(reviewer, grade_dept, classes[0], day=date(2025, 10, 27), today=date(2025, 10, 26))
    name(reviewer, grade_dept, classes[0])
    with pytest.raises(ValidationError, match="高一（1）班已是2025年10月20日—10月26日的优秀班级"):
        name(reviewer, grade_dept, classes[0], day=date(2025, 10, 20))
    assert ClassTitle.objects.count() == 1


def test_a_withdrawn_class_frees_its_place(reviewer, grade_dept, classes):
    titles = [name(reviewer, grade_dept, t) for t in classes[:3]]
    honours.class_title_withdraw(title=titles[0], actor=reviewer)
    name(reviewer, grade_dept, classes[3])
    assert ClassTitle.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_naming_the_last_window_class_at_once_name_one(school, ruleset):
    dept = f.DepartmentFactory(school=school, name="高一年级部", kind=DepartmentKind.GRADE, grade=1)
    a, b = (f.TeacherFactory(school=school, department=dept, class_name=f"高一（{i}）班") for i in (1, 2))
    users = [f.UserFactory(), f.UserFactory()]
    dept.reviewers.add(*users)
    results = race(*(
        lambda u=u, t=t: honours.class_title_name(department=dept, teacher=t, kind="window", day=WEEK, actor=u)
        for u, t in zip(users, (a, b))
    ))
    assert sorted(type(r).__name__ for r in results) == ["ClassTitle", "ValidationError"]
    assert ClassTitle.objects.count() == 1


# --- extending the construction cycle (§9.5) -----------------------------------------------------


@pytest.fixture
def experts(db):
    return [f.UserFactory(username=f"expert{i}", groups=[roles.EXPERT]) for i in range(2)]


def conclude_final(workroom, office, experts, score):
    evaluation = services.evaluation_open(workroom=workroom, kind="final", experts=experts, actor=office)
    for expert in experts:
        services.evaluation_scores_save(evaluation=evaluation, scores={i.code: D(score) for i in rubric_items()}, actor=expert)
    services.evaluation_conclude(evaluation=evaluation, actor=office)
    evaluation_made_final(evaluation, office)
    return evaluation


def test_an_excellent_final_extends_the_cycle_by_the_cycle_length_once(
    workroom, office, experts, host, django_capture_on_commit_callbacks
):
    final = conclude_final(workroom, office, experts, "92")
    workroom.refresh_from_db()
    old_end = workroom.cycle_end
    assert (final.grade, workroom.status) == ("优秀", Workroom.Status.COMPLETED)

    with django_capture_on_commit_callbacks(execute=True):
        change = WORKROOM.apply(workroom, "extend", actor=office, comment="示范作用突出，续建三年")
    workroom.refresh_from_db()
    final.refresh_from_db()
    assert workroom.status == Workroom.Status.RUNNING
    assert workroom.cycle_end == add_years(old_end, 3)
    assert (change.action, change.from_status, change.to_status, change.actor) == ("extend", "completed", "running", office)
    assert change.comment.startswith("示范作用突出，续建三年\n")
    assert f"建设周期由 {old_end:%Y-%m-%d} 延长至 {workroom.cycle_end:%Y-%m-%d}（3 年，学校设置第 1 版）" in change.comment
    assert final.cycle_extended_at is not None
    assert titles_of(host) == [f"王喆名班主任工作室建设周期已延长至{workroom.cycle_end:%Y年%m月%d日}"]

    # Completed again without a new final evaluation: the same 优秀 does not extend twice.
    WORKROOM.apply(workroom, "start_final", actor=office)
    WORKROOM.apply(workroom, "complete", actor=office)
    with pytest.raises(TransitionRefused, match="已依据本次终期评估延长过建设周期；每次终期评估只能延长一次"):
        WORKROOM.apply(workroom, "extend", actor=office, comment="再延长")
    workroom.refresh_from_db()
    assert (workroom.status, workroom.cycle_end) == (Workroom.Status.COMPLETED, add_years(old_end, 3))


def test_the_extension_follows_the_cycle_length_in_force(workroom, office, experts, admin, ruleset):
    conclude_final(workroom, office, experts, "95")
    ruleset_create_version(values={"cycle_years": 2}, actor=admin, change_note="按002改为2年")
    workroom.refresh_from_db()
    old_end = workroom.cycle_end
    change = WORKROOM.apply(workroom, "extend", actor=office, comment="续建")
    workroom.refresh_from_db()
    assert workroom.cycle_end == add_years(old_end, 2) and "（2 年，学校设置第 2 版）" in change.comment


def test_a_final_that_is_not_excellent_does_not_extend(workroom, office, experts):
    conclude_final(workroom, office, experts, "89.9")  # 合格
    workroom.refresh_from_db()
    before = (workroom.status, workroom.cycle_end)
    with pytest.raises(TransitionRefused, match="该工作室终期评估为合格；只有终期评估为优秀的工作室可以延长建设周期"):
        WORKROOM.apply(workroom, "extend", actor=office, comment="希望延长")
    workroom.refresh_from_db()
    assert (workroom.status, workroom.cycle_end) == before
    assert not StatusChange.objects.filter(action="extend").exists()


def test_a_completed_workroom_without_a_final_does_not_extend(workroom, office):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    workroom.refresh_from_db()
    with pytest.raises(TransitionRefused, match="尚无终期评估结果"):
        WORKROOM.apply(workroom, "extend", actor=office, comment="x")


@pytest.mark.parametrize("persona", ["host", "leader", "member"])
def test_only_the_office_extends(request, workroom, office, experts, persona):
    conclude_final(workroom, office, experts, "92")
    workroom.refresh_from_db()
    with pytest.raises(PermissionDenied):
        WORKROOM.apply(workroom, "extend", actor=request.getfixturevalue(persona), comment="续建")
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.COMPLETED
    assert Evaluation.objects.get().cycle_extended_at is None


def test_an_extension_needs_a_reason(workroom, office, experts):
    conclude_final(workroom, office, experts, "92")
    workroom.refresh_from_db()
    with pytest.raises(TransitionRefused, match="「延长建设周期」需要填写意见"):
        WORKROOM.apply(workroom, "extend", actor=office, comment=" ")
    assert Evaluation.objects.get().cycle_extended_at is None


# --- the veto from all honours (§9.5, §3) -----------------------------------------------------------


def test_a_host_vetoed_before_the_final_concludes_gets_no_title(workroom, office, experts, host, zhang):
    assess(zhang, host, "16")
    evaluation = services.evaluation_open(workroom=workroom, kind="final", experts=experts, actor=office)
    honours.host_veto_record(evaluation=evaluation, reason="三年目标任务未完成，台账材料突击补写", actor=office)
    for expert in experts:
        services.evaluation_scores_save(evaluation=evaluation, scores={i.code: D(95) for i in rubric_items()}, actor=expert)
    services.evaluation_conclude(evaluation=evaluation, actor=office)
    evaluation_made_final(evaluation, office)
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.COMPLETED
    assert set(Distinction.objects.values_list("teacher__name", "kind")) == {("张昇", "backbone")}
    assert titles_of(host) == ["王喆名班主任工作室终期评估：终期评估认定未完成目标任务或搞形式主义，您的一切荣誉一票否决"]


def _vetoed_completed(workroom, office, experts):
    evaluation = conclude_final(workroom, office, experts, "92")
    honours.host_veto_record(evaluation=evaluation, reason="只做表面文章", actor=office)
    return evaluation


def test_a_vetoed_host_is_left_out_of_title_and_honour_certificates(workroom, office, experts, zhang):
    _vetoed_completed(workroom, office, experts)
    workroom.refresh_from_db()
    f.attended(workroom, [zhang.teacher])  # the training hours a 培训合格证书 asks for
    assert certificate_candidates(workroom=workroom, kind="title") == []
    assert [m.teacher.name for m in certificate_candidates(workroom=workroom, kind="honour")] == ["张昇"]
    assert [m.teacher.name for m in certificate_candidates(workroom=workroom, kind="training")] == ["张昇"]
    left_out = vetoed_certificate_candidates(workroom=workroom, kind="title")
    assert [(m.teacher.name, [r.label for r in reasons]) for m, reasons in left_out] == [
        ("王喆", ["终期评估认定未完成目标任务或搞形式主义"])
    ]
    with pytest.raises(ValidationError, match=r"王喆（终期评估认定未完成目标任务或搞形式主义）已被荣誉一票否决，不能颁发名班主任称号证书"):
        certificates.certificate_issue(kind="title", recipient=workroom.host, workroom=workroom, actor=office)
    with pytest.raises(ValidationError, match="不能颁发荣誉证书"):
        certificates.certificates_batch_request(
            workroom=workroom, kind="honour", teachers=[workroom.host, zhang.teacher], honour="优秀主持人", actor=office
        )
    assert not Certificate.objects.exists()


def test_a_veto_after_the_title_takes_it_back(client, workroom, office, experts):
    evaluation = conclude_final(workroom, office, experts, "92")
    workroom.refresh_from_db()
    cert, _ = certificates.certificate_issue(kind="title", recipient=workroom.host, workroom=workroom, actor=office)
    honours.host_veto_record(evaluation=evaluation, reason="只做表面文章", actor=office)
    cert.refresh_from_db()
    master = Distinction.objects.get(kind="master")
    assert cert.is_revoked and cert.revoke_reason == "荣誉一票否决：终期评估认定未完成目标任务或搞形式主义。只做表面文章"
    assert master.is_revoked and master.revoke_reason == cert.revoke_reason
    body = client.get(f"/archives/verify/{cert.serial}/{cert.check_code}/").content.decode()
    assert "该证书已于" in body and "撤销，不再有效" in body and "证书真实有效" not in body


def test_a_confirmed_ethics_violation_removes_the_title(client, workroom, office, experts, host):
    conclude_final(workroom, office, experts, "92")
    workroom.refresh_from_db()
    cert, _ = certificates.certificate_issue(kind="title", recipient=workroom.host, workroom=workroom, actor=office)
    training, _ = certificates.certificate_issue(kind="training", recipient=workroom.host, workroom=workroom, actor=office)
    assert "证书真实有效" in client.get(f"/archives/verify/{cert.serial}/{cert.check_code}/").content.decode()

    record = honours.ethics_violation_record(
        teacher=workroom.host, occurred_on=timezone.localdate() - timedelta(days=3), description="体罚学生，经查属实", actor=office,
    )
    assert (record.confirmed, record.confirmed_by) == (True, office)
    cert.refresh_from_db()
    training.refresh_from_db()
    assert cert.is_revoked and cert.revoke_reason == "师德一票否决：体罚学生，经查属实"
    assert not training.is_revoked  # a training certificate is not an honour
    assert Distinction.objects.get(kind="master").is_revoked
    body = client.get(f"/archives/verify/{cert.serial}/{cert.check_code}/").content.decode()
    assert "撤销，不再有效" in body
    assert titles_of(host) == ["经查实的师德违规：一切荣誉一票否决，名班主任称号已撤销"]
    assert honours.is_vetoed(workroom.host_id)


def test_a_host_veto_is_recorded_once_on_a_final_by_the_office(workroom, office, experts, leader, host):
    midterm = Evaluation.objects.create(workroom=workroom, kind="midterm", opened_by=office)
    with pytest.raises(ValidationError, match="荣誉一票否决只能在终期评估上记录"):
        honours.host_veto_record(evaluation=midterm, reason="x", actor=office)
    final = Evaluation.objects.create(workroom=workroom, kind="final", opened_by=office)
    for user in (leader, host):
        with pytest.raises(PermissionDenied, match="只有德育处可以记录荣誉一票否决"):
            honours.host_veto_record(evaluation=final, reason="x", actor=user)
    with pytest.raises(ValidationError, match="请填写情况说明"):
        honours.host_veto_record(evaluation=final, reason="  ", actor=office)
    assert not HostVeto.objects.exists() and not honours.is_vetoed(workroom.host_id)
    honours.host_veto_record(evaluation=final, reason="目标未达成", actor=office)
    with pytest.raises(ValidationError, match="本次终期评估已记录荣誉一票否决"):
        honours.host_veto_record(evaluation=final, reason="再记一次", actor=office)
    assert HostVeto.objects.count() == 1


def test_an_ethics_violation_is_recorded_by_the_office_with_its_facts(teacher, office, leader):
    for kwargs, error in (
        ({"actor": leader, "description": "x", "occurred_on": date(2025, 1, 1)}, PermissionDenied),
        ({"actor": office, "description": " ", "occurred_on": date(2025, 1, 1)}, ValidationError),
        ({"actor": office, "description": "x", "occurred_on": timezone.localdate() + timedelta(days=1)}, ValidationError),
    ):
        with pytest.raises(error):
            honours.ethics_violation_record(teacher=teacher, **kwargs)
    assert not EthicsRecord.objects.exists()


def test_a_vetoed_head_teachers_class_is_not_named(reviewer, grade_dept, teacher, office):
    honours.ethics_violation_record(teacher=teacher, occurred_on=date(2025, 9, 1), description="有偿补课", actor=office)
    with pytest.raises(ValidationError, match="李堃已被荣誉一票否决（师德一票否决），其班级不能评为优秀班级"):
        name(reviewer, grade_dept, teacher)
    assert not ClassTitle.objects.exists()


def test_the_veto_reads_in_a_fixed_number_of_queries(workroom, office, experts, django_assert_num_queries):
    _vetoed_completed(workroom, office, experts)
    others = [f.TeacherFactory() for _ in range(5)]
    for t in others:
        EthicsRecord.objects.create(teacher=t, occurred_on=date(2025, 1, 1), description="x", confirmed=True)
    ids = [workroom.host_id, *(t.pk for t in others)]
    with django_assert_num_queries(1):
        assert honours.vetoed_teacher_ids(ids) == set(ids)
    with django_assert_num_queries(2):  # host vetoes, ethics records
        reasons = honours.veto_reasons(ids)
    assert len(reasons) == 6


# --- the growth handbook (§9.4, §10) -------------------------------------------------------------


def test_the_growth_handbook_has_a_line_for_the_title_at_the_same_cost(zhang, host, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archives import documents
    from core import pdf
    from tests.archives.test_report_chapters import flat, pdf_text

    assess(zhang, host, "19")
    pdf.render_html("pdf/handbook.html", documents.handbook_context(zhang.teacher))  # warm the caches
    with CaptureQueriesContext(connection) as before:
        html = pdf.render_html("pdf/handbook.html", documents.handbook_context(zhang.teacher))
    assert "获评优秀工作室成员" not in html
    honours.outstanding_member_name(assessment=zhang.assessments.get(), actor=host)
    honours.outstanding_member_name(assessment=assess(zhang, host, "20", term=2), actor=host)
    with CaptureQueriesContext(connection) as after:
        context = documents.handbook_context(zhang.teacher)
        pdf.render_html("pdf/handbook.html", context)
    assert len(after) == len(before)
    text = flat(pdf_text("pdf/handbook.html", context, tmp_path))
    assert "十一、考核结果" in text
    assert "获评优秀工作室成员：2025—2026学年第一学期（王喆名班主任工作室）" in text
    assert "获评优秀工作室成员：2025—2026学年第二学期（王喆名班主任工作室）" in text


def test_a_batch_asked_for_before_the_veto_fails_with_the_reason(workroom, office, experts):
    from archives.errors import JobError
    from archives.tasks import describe, job_run

    evaluation = conclude_final(workroom, office, experts, "92")
    workroom.refresh_from_db()
    job = certificates.certificates_batch_request(workroom=workroom, kind="title", teachers=[workroom.host], actor=office)
    honours.host_veto_record(evaluation=evaluation, reason="只做表面文章", actor=office)
    # Tests run tasks eagerly and propagate; the worker stores this message on the job and does not retry.
    with pytest.raises(JobError) as failure:
        job_run.apply(args=[job.pk], throw=True)
    assert describe(failure.value) == "王喆（终期评估认定未完成目标任务或搞形式主义）已被荣誉一票否决，不能颁发名班主任称号证书。"
    assert not Certificate.objects.exists()
