"""python manage.py load_demo: the demo school, idempotent, every account usable."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from assessment.models import MemberAssessment, MonthlyScore, Period, Result
from core.models import StatusChange, StoredFile
from members.models import Department, EthicsRecord, ProfileItem, School, Teacher
from members.roles import roles_of
from workrooms.archive.models import ArchiveEntry
from workrooms.models import (
    Activity,
    Attendance,
    Expense,
    ExpertReview,
    HostApplication,
    Objection,
    RuleSet,
    Workroom,
)
from workrooms.records.models import (
    Achievement,
    ReadingLog,
    ResearchProject,
    ReviewStatus,
    StageDocument,
    Writing,
)
from workrooms.records.rules import ResearchStatus
from workrooms.selection.models import JoinRequest, Membership

MODELS = [School, Department, Teacher, User, ProfileItem, EthicsRecord, Membership, JoinRequest, Workroom,
          HostApplication, ExpertReview, Objection, StatusChange, RuleSet, Activity, Attendance, Expense,
          ReadingLog, Writing, ResearchProject, StageDocument, Achievement, ArchiveEntry, StoredFile,
          Period, MonthlyScore, Result, MemberAssessment]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return load()


def test_it_loads_the_demo_once_however_often_it_runs(demo):
    first = counts()
    assert "演示数据已存在" in load()
    assert counts() == first
    assert "演示数据已加载" in load("--reset")
    assert counts() == first
    assert first["Teacher"] == 60 and first["School"] == 3 and first["Workroom"] == 5 and first["RuleSet"] == 1


def test_it_resets_after_the_demo_users_approved_and_filed_an_agreement(demo):
    """Approval and a filed agreement issue 聘书 and a 挂牌证书, which hold on to
    their workroom and people: the reset removes them first."""
    from archives.models import Certificate
    from workrooms.selection.services import membership_sign_agreement
    from workrooms.services import application_transition

    ended = HostApplication.objects.get(
        status=HostApplication.Status.PUBLIC_NOTICE, notice_ends_at__lt=timezone.now()
    )
    application_transition(application=ended, action="approve", actor=User.objects.get(username="admin"))
    pending = Membership.objects.select_related("teacher__user").get(status=Membership.Status.PENDING_AGREEMENT)
    membership_sign_agreement(membership=pending, actor=pending.teacher.user)
    assert Certificate.objects.count() == 3
    assert "演示数据已加载" in load("--reset")
    assert not Certificate.objects.exists()


def test_it_prints_every_account_with_its_role(demo):
    for line in ("admin      管理员", "office     德育处", "leader     校领导（只读）", "expert1    专家",
                 "reviewer   系部审核人（高一年级部）", "host       主持人", "member     成员", "teacher    普通教师"):
        assert line in demo
    assert "密码均为 demo12345" in demo


@pytest.mark.parametrize("username, check", [
    ("admin", lambda r: r.is_admin and r.user.is_superuser and r.user.is_staff),
    ("office", lambda r: r.is_office and not r.is_admin),
    ("leader", lambda r: r.is_leader and not r.is_office),
    ("expert1", lambda r: r.is_expert),
    ("expert2", lambda r: r.is_expert),
    ("reviewer", lambda r: r.is_department_reviewer and r.teacher.name == "周建华"),
    ("host", lambda r: r.hosted_workroom_ids and r.teacher.name == "王喆"),
    ("member", lambda r: r.member_workroom_ids and r.teacher.name == "张昇"),
    ("teacher", lambda r: r.teacher.name == "李堃" and not (r.hosted_workroom_ids or r.member_workroom_ids or r.groups)),
])
def test_each_demo_account_logs_in_with_its_role(client, demo, username, check):
    r = client.post("/accounts/login/", {"username": username, "password": "demo12345"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    assert check(roles_of(User.objects.get(username=username)))


def test_the_demo_is_consistent_with_its_states(demo):
    W, A = Workroom.Status, HostApplication.Status
    assert set(Workroom.objects.values_list("status", flat=True)) == {W.RUNNING, W.APPROVED, W.MIDTERM, W.REVOKED, W.COMPLETED}
    completed = Workroom.objects.get(status=W.COMPLETED)
    final = completed.evaluations.get()
    assert final.kind == "final" and final.grade in ("优秀", "合格") and final.total >= 60
    assert Workroom.objects.get(status=W.REVOKED).funding_stopped
    for wr in Workroom.objects.all():
        assert wr.memberships.filter(role=Membership.Role.HOST, teacher=wr.host).exists()
        assert wr.application.status == A.APPROVED and wr.application.eligibility["ok"]
    running = Workroom.objects.get(status=W.RUNNING)
    assert running.memberships.filter(status=Membership.Status.PENDING_AGREEMENT).count() == 1
    assert set(HostApplication.objects.exclude(status=A.APPROVED).values_list("status", flat=True)) == {
        A.DEPT_REVIEW, A.OFFICE_REVIEW, A.EXPERT_REVIEW, A.PUBLIC_NOTICE, A.RETURNED}
    assert HostApplication.objects.get(status=A.EXPERT_REVIEW).experts.count() == 2
    assert Objection.objects.get().application.status == A.PUBLIC_NOTICE
    # One notice still open (with an objection), one over: the office can approve it.
    notices = HostApplication.objects.filter(status=A.PUBLIC_NOTICE).order_by("notice_ends_at")
    assert len(notices) == 2 and notices[0].notice_ends_at < timezone.now() < notices[1].notice_ends_at
    # every application's history ends in its current state, with the workflow's actions,
    # the department step by that department's reviewer
    from assessment.workflow import ASSESSMENT_PERIOD
    from workrooms import workflow
    from workrooms.funding.services import EXPENSE
    from workrooms.records.workflow import ACHIEVEMENT, RECORD_REVIEW, RESEARCH_PROJECT
    from workrooms.selection.workflow import MEMBERSHIP

    machines = (workflow.HOST_APPLICATION, workflow.WORKROOM, MEMBERSHIP, RECORD_REVIEW,
                ACHIEVEMENT, RESEARCH_PROJECT, ASSESSMENT_PERIOD, EXPENSE)
    actions = {t.action for m in machines for t in m.transitions} | {"submit"}
    assert set(StatusChange.objects.values_list("action", flat=True)) <= actions
    for app in HostApplication.objects.all():
        steps = list(StatusChange.objects.filter(object_id=app.pk, content_type__model="hostapplication").order_by("created_at"))
        assert steps[-1].to_status == app.status and steps[0].action == "submit"
        if len(steps) > 1:
            assert steps[1].actor in app.applicant.department.reviewers.all()
    names = set(Teacher.objects.values_list("name", flat=True))
    assert {"王喆", "李堃", "张昇"} <= names
    assert EthicsRecord.objects.filter(confirmed=True).count() == 2
    assert ProfileItem.objects.values("kind").distinct().count() == 5


def test_the_demo_teacher_may_apply_to_host_and_ask_to_join(demo):
    from members.eligibility import HostRules, MemberRules, host_eligibility, member_eligibility
    from members.selectors import teacher_facts

    teacher = Teacher.objects.get(user__username="teacher")
    ruleset = RuleSet.objects.current()
    facts = teacher_facts(teacher)
    assert host_eligibility(facts, HostRules.from_ruleset(ruleset), commits_future_years=True).ok
    assert member_eligibility(facts, MemberRules.from_ruleset(ruleset)).ok


def test_every_department_with_teachers_has_a_reviewer(demo):
    for dep in Department.objects.filter(teachers__isnull=False).distinct():
        reviewers = set(dep.reviewers.all())
        assert reviewers, f"{dep.school.name}{dep.name}"
    teacher = Teacher.objects.get(user__username="teacher")
    assert set(teacher.department.reviewers.all()) - {teacher.user}


def test_activity_titles_do_not_repeat_the_type(demo):
    for activity in Activity.objects.all():
        assert not activity.theme.startswith(activity.get_type_display()[:2]), activity.theme


def test_accounts_without_a_teacher_profile_have_names(demo):
    for username in ("admin", "office", "leader", "expert1", "expert2"):
        assert User.objects.get(username=username).get_full_name()


def test_the_demo_members_meet_the_member_criteria(demo):
    from members.eligibility import MemberRules, member_eligibility
    from members.selectors import teacher_facts

    rules = MemberRules.from_ruleset(RuleSet.objects.current())
    members = Membership.objects.filter(role=Membership.Role.MEMBER).select_related("teacher")
    assert members.count() == 8
    for m in members:
        assert member_eligibility(teacher_facts(m.teacher), rules).ok, m.teacher.name


@pytest.mark.parametrize("username", ["admin", "office", "leader", "expert1", "reviewer", "host", "member", "teacher"])
def test_every_demo_account_opens_its_pages(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    for url in ("/", "/workrooms/", "/workrooms/applications/"):
        assert client.get(url).status_code == 200, url
    for app in HostApplication.objects.visible_to(user):
        assert client.get(f"/workrooms/applications/{app.pk}/").status_code == 200
    for wr in Workroom.objects.visible_to(user):
        assert client.get(f"/workrooms/{wr.pk}/").status_code == 200


def test_the_demo_gives_the_reviewer_and_the_office_something_to_do(client, demo):
    waiting = HostApplication.objects.get(status=HostApplication.Status.DEPT_REVIEW)
    client.force_login(User.objects.get(username="reviewer"))
    assert waiting.applicant.name in client.get("/").content.decode()
    client.force_login(User.objects.get(username="office"))
    assert "该教师近一年未实际担任班主任" in client.get("/").content.decode()


# --- the running workroom's semester and the assessment --------------------------


@pytest.fixture
def running(demo):
    return Workroom.objects.get(status=Workroom.Status.RUNNING)


def test_it_loads_a_semester_of_activities_with_sign_in_sheets(running):
    activities = list(running.activities.all())
    assert len({a.type for a in activities}) >= 5
    assert all(a.training_hours > 0 for a in activities)
    held = [a for a in activities if a.attendances.exists()]
    assert len(held) >= 6 and len(held) < len(activities)  # the coming ones have no sheet yet
    statuses = set(Attendance.objects.filter(activity__workroom=running).values_list("status", flat=True))
    assert statuses == {Attendance.Status.PRESENT, Attendance.Status.LEAVE, Attendance.Status.ABSENT}
    signed = set(Attendance.objects.filter(activity__workroom=running).values_list("teacher_id", flat=True))
    active = set(Membership.objects.filter(workroom=running, status=Membership.Status.ACTIVE).values_list("teacher_id", flat=True))
    assert signed == active


def test_it_loads_expenses_within_the_allocation(running):
    expenses = list(running.expenses.all())
    assert {e.status for e in expenses} == {Expense.Status.APPROVED, Expense.Status.PENDING}
    assert sum(e.amount for e in expenses) <= RuleSet.objects.current().annual_funding
    assert all(e.receipt_id for e in expenses)


def test_it_loads_members_records_as_the_services_leave_them(running):
    minimum = RuleSet.objects.current().reflection_min_chars
    logs = list(ReadingLog.objects.filter(workroom=running))
    assert {log.status for log in logs} == {ReviewStatus.ACCEPTED, ReviewStatus.SUBMITTED}
    assert all(len(log.reflection) >= minimum for log in logs)
    assert Writing.objects.filter(workroom=running, status=ReviewStatus.ACCEPTED).exists()
    project = ResearchProject.objects.get(workroom=running)
    assert project.status == ResearchStatus.OPENING
    assert set(StageDocument.objects.filter(stage__project=project).values_list("stage__stage", flat=True)) == {
        ResearchStatus.APPROVAL, ResearchStatus.OPENING}
    assert set(Achievement.objects.filter(workroom=running).values_list("status", flat=True)) == {
        Achievement.Status.VERIFIED, Achievement.Status.PENDING}


def test_the_archive_holds_what_the_records_produced(running):
    entries = ArchiveEntry.objects.filter(workroom=running)
    assert set(entries.values_list("category", flat=True)) == set(ArchiveEntry.Category.values)
    accepted = ReadingLog.objects.filter(workroom=running, status=ReviewStatus.ACCEPTED).count()
    accepted += Writing.objects.filter(workroom=running, status=ReviewStatus.ACCEPTED).count()
    assert entries.filter(category=ArchiveEntry.Category.RESEARCH, kind__in=["读书记录", *Writing.Kind.labels]).count() == accepted
    assert entries.filter(category=ArchiveEntry.Category.RESEARCH, kind="课题材料").count() == 1  # 立项 closed
    verified = Achievement.objects.get(workroom=running, status=Achievement.Status.VERIFIED)
    assert entries.get(category=ArchiveEntry.Category.ACHIEVEMENTS).source == verified
    held = Activity.objects.filter(workroom=running, attendances__isnull=False).distinct().count()
    assert entries.filter(category=ArchiveEntry.Category.OTHER).count() == held


def test_it_loads_monthly_scores_results_and_a_member_assessment(demo):
    periods = list(Period.objects.filter(kind=Period.Kind.MONTH).order_by("created_at"))
    assert len(periods) == 5
    # Two earlier months final, the oldest of the recent three in 公示, the last being entered.
    assert [p.status for p in periods] == ["frozen", "frozen", "publicized", "open", "open"]
    assert all(p.month != 8 for p in periods)
    departments = set(MonthlyScore.objects.values_list("department__name", flat=True))
    assert departments == {"高一年级部"}
    assert MonthlyScore.objects.filter(dept_score__isnull=False, office_score__isnull=False).count() == MonthlyScore.objects.count()
    computed = [p for p in periods if p.results.exists()]
    assert len(computed) == 4 and all(p.ruleset_id for p in computed)
    assert set(Result.objects.values_list("outcome", flat=True)) == {"合格", "不合格"}
    assessment = MemberAssessment.objects.get()
    assert assessment.membership.teacher.name == "张昇" and assessment.grade and assessment.total > 0


INSIDE = ("admin", "office", "leader", "host", "member")  # see the running workroom's pages
PROFILED = ("reviewer", "host", "member", "teacher")  # have a teacher profile: their growth handbook
SCHOOL_WIDE = ("admin", "office", "leader")
OWN_SCHOOL = ("admin", "office", "leader", "reviewer", "host", "teacher")  # 示范中学's assessment periods


def key_pages(username, workroom, period):
    pages = ["/", "/archives/", "/assessment/", "/assessment/mine/", "/people/records/reading/",
             "/people/records/writings/", "/people/records/research/", "/people/records/achievements/"]
    if username in INSIDE:
        pages += [f"/workrooms/{workroom.pk}/dashboard/", f"/workrooms/{workroom.pk}/duties/",
                  f"/workrooms/{workroom.pk}/activities/", f"/workrooms/{workroom.pk}/funding/",
                  f"/archives/workrooms/{workroom.pk}/"]
    if username in PROFILED:
        pages.append("/people/records/handbook/")
    if username in SCHOOL_WIDE:
        pages.append("/workrooms/duties/overview/")
    if username in OWN_SCHOOL:
        pages.append(f"/assessment/periods/{period.pk}/")
    return pages


def test_every_demo_account_opens_its_key_pages(client, running):
    period = Period.objects.get(status=Period.Status.PUBLICIZED)
    for username in ("admin", "office", "leader", "expert1", "expert2", "reviewer", "host", "member", "teacher"):
        client.force_login(User.objects.get(username=username))
        for url in key_pages(username, running, period):
            assert client.get(url).status_code == 200, (username, url)


def test_the_key_pages_show_the_demo_data(client, running):
    client.force_login(User.objects.get(username="host"))
    held = Activity.objects.filter(workroom=running, attendances__isnull=False).first()
    assert held.theme in client.get(f"/workrooms/{running.pk}/activities/").content.decode()
    assert "签到表及纪要" in client.get(f"/archives/workrooms/{running.pk}/").content.decode()
    mine = client.get("/assessment/mine/").content.decode()
    assert "合格" in mine
    waiting = ReadingLog.objects.filter(workroom=running, status=ReviewStatus.SUBMITTED).first()
    assert waiting.title in client.get("/people/records/reading/").content.decode()
    client.force_login(User.objects.get(username="office"))
    pending = Achievement.objects.get(workroom=running, status=Achievement.Status.PENDING)
    assert pending.title in client.get("/people/records/achievements/").content.decode()


def test_the_demo_has_an_outstanding_member_and_class_titles(client, demo):
    from assessment.models import ClassTitle, OutstandingMember

    named = OutstandingMember.objects.get()
    assert (named.teacher.name, named.assessment.grade) == ("张昇", "优秀")
    assert sorted(ClassTitle.objects.values_list("kind", flat=True)) == ["excellent", "excellent", "window"]
    assert set(ClassTitle.objects.values_list("department__name", flat=True)) == {"高一年级部"}
    client.force_login(User.objects.get(username="member"))
    assert "优秀工作室成员" in client.get(f"/people/teachers/{named.teacher_id}/").content.decode()
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get("/assessment/class-titles/").content.decode()
    assert "窗口班级" in page and page.count("优秀班级</td>") == 2
