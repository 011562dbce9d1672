"""The honours pages: a permission matrix for every view, and what each
page shows (DOMAIN.md §9.1, §9.4, §9.5, §3)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archives import services as certificates
from assessment import services
from assessment.honours import services as honours
from assessment.models import ClassTitle, Evaluation, HostVeto, OutstandingMember
from core.calendar import school_today
from members.models import EthicsRecord
from tests import factories as f
from tests.assessment.test_views import _user
from tests.submit_twice import assert_refused_second, post_twice
from workrooms.models import Workroom
from workrooms.selection.models import Membership

pytestmark = pytest.mark.django_db

YEAR, TERM = 2025, 1
WEEK = date(2025, 10, 22)


def _scores(value):
    return {code: D(value) for code in ("ethics", "attitude", "theory", "management", "research")}


@pytest.fixture
def scene(grade_dept, reviewer, teacher, office, expert, workroom, host, member):
    """张昇 named 优秀工作室成员 of 2025-1 and graded 优秀 in 2025-2 (not yet
    named); 李堃's class named 优秀班级 by 高一年级部; a final evaluation of
    the workroom with ``expert`` on its panel."""
    zhang = Membership.objects.get(workroom=workroom, teacher__user=member)
    first = services.member_assessment_save(membership=zhang, school_year=YEAR, semester=1, scores=_scores("19"), actor=host)
    second = services.member_assessment_save(membership=zhang, school_year=YEAR, semester=2, scores=_scores("19"), actor=host)
    outstanding = honours.outstanding_member_name(assessment=first, actor=host)
    title = honours.class_title_name(department=grade_dept, teacher=teacher, kind="excellent", day=WEEK, actor=reviewer)
    evaluation = Evaluation.objects.create(workroom=workroom, kind="final", opened_by=office)
    evaluation.experts.add(expert)
    return {
        "zhang": zhang, "unnamed": second, "outstanding": outstanding, "title": title, "evaluation": evaluation,
        "teacher": teacher,
    }


def _url(view, s):
    return {
        "outstanding_list": reverse("assessment:outstanding_list"),
        "outstanding_name": reverse("assessment:outstanding_name", args=[s["unnamed"].pk]),
        "outstanding_withdraw": reverse("assessment:outstanding_withdraw", args=[s["outstanding"].pk]),
        "class_title_list": reverse("assessment:class_title_list"),
        "class_title_create": reverse("assessment:class_title_create"),
        "class_title_withdraw": reverse("assessment:class_title_withdraw", args=[s["title"].pk]),
        "evaluation_veto": reverse("assessment:evaluation_veto", args=[s["evaluation"].pk]),
        "ethics_veto": reverse("assessment:ethics_veto", args=[s["teacher"].pk]),
    }[view]


# (view, method, persona, expected status); anonymous visitors always go to the login page.
MATRIX = [
    ("outstanding_list", "get", "outsider", 404), ("outstanding_list", "get", "member", 404),
    ("outstanding_list", "get", "leader", 200), ("outstanding_list", "get", "host", 200), ("outstanding_list", "get", "office", 200),
    ("outstanding_name", "post", "outsider", 404), ("outstanding_name", "post", "teacher", 404),
    ("outstanding_name", "post", "member", 403), ("outstanding_name", "post", "leader", 403), ("outstanding_name", "post", "office", 403),
    ("outstanding_name", "post", "host", 302),
    ("outstanding_withdraw", "post", "outsider", 404), ("outstanding_withdraw", "post", "member", 404),
    ("outstanding_withdraw", "post", "leader", 403), ("outstanding_withdraw", "post", "office", 403),
    ("outstanding_withdraw", "post", "host", 302),
    ("class_title_list", "get", "outsider", 404), ("class_title_list", "get", "teacher", 404), ("class_title_list", "get", "host", 404),
    ("class_title_list", "get", "leader", 200), ("class_title_list", "get", "office", 200), ("class_title_list", "get", "reviewer", 200),
    ("class_title_create", "get", "outsider", 404), ("class_title_create", "get", "teacher", 404),
    ("class_title_create", "get", "leader", 403), ("class_title_create", "get", "office", 403),
    ("class_title_create", "get", "reviewer", 200), ("class_title_create", "post", "office", 403),
    ("class_title_create", "post", "reviewer", 200),  # nothing chosen: the form again, with its errors
    ("class_title_withdraw", "post", "outsider", 404), ("class_title_withdraw", "post", "teacher", 404),
    ("class_title_withdraw", "post", "leader", 403), ("class_title_withdraw", "post", "office", 403),
    ("class_title_withdraw", "post", "reviewer", 302),
    ("evaluation_veto", "post", "outsider", 404), ("evaluation_veto", "post", "teacher", 404),
    ("evaluation_veto", "post", "expert", 403), ("evaluation_veto", "post", "host", 403), ("evaluation_veto", "post", "leader", 403),
    ("evaluation_veto", "post", "office", 302),
    ("ethics_veto", "get", "outsider", 404), ("ethics_veto", "get", "member", 404),
    ("ethics_veto", "get", "reviewer", 403), ("ethics_veto", "get", "leader", 403), ("ethics_veto", "get", "teacher", 403),
    ("ethics_veto", "get", "office", 200), ("ethics_veto", "post", "leader", 403),
]


@pytest.mark.parametrize("view, method, persona, status", MATRIX)
def test_it_applies_the_permission_matrix(request, client, scene, view, method, persona, status):
    client.force_login(_user(request, persona))
    response = getattr(client, method)(_url(view, scene), {"reason": "目标未完成"} if view == "evaluation_veto" else {})
    assert response.status_code == status


@pytest.mark.parametrize("view, method", sorted({(v, m) for v, m, _, _ in MATRIX}))
def test_it_sends_anonymous_visitors_to_the_login_page(client, scene, view, method):
    response = getattr(client, method)(_url(view, scene))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert OutstandingMember.objects.count() == 1 and ClassTitle.objects.count() == 1 and not HostVeto.objects.exists()


def test_the_refused_leave_everything_as_it_was(request, client, scene):
    for persona in ("member", "office", "leader"):
        client.force_login(_user(request, persona))
        client.post(_url("outstanding_name", scene))
        client.post(_url("outstanding_withdraw", scene))
        client.post(_url("class_title_withdraw", scene))
    assert list(OutstandingMember.objects.values_list("semester", flat=True)) == [1]
    assert ClassTitle.objects.count() == 1


# --- 优秀工作室成员 ---------------------------------------------------------------------------------


def test_the_host_names_from_the_assessment_page_and_the_member_sees_it(client, scene, host, member):
    zhang = scene["zhang"]
    url = reverse("assessment:member_assess", args=[zhang.pk]) + f"?year={YEAR}&semester=2"
    client.force_login(host)
    page = client.get(url).content.decode()
    assert "评为本学期优秀工作室成员" in page
    page = client.post(_url("outstanding_name", scene), follow=True).content.decode()
    assert "已将张昇评为2025–2026学年第二学期优秀工作室成员" in page and "撤回评选" in page

    client.force_login(member)
    mine = client.get(reverse("members:teacher_detail", args=[zhang.teacher_id])).content.decode()
    assert "优秀工作室成员</span> 2025–2026学年第一学期（王喆名班主任工作室）" in mine
    assert "2025–2026学年第二学期（王喆名班主任工作室）" in mine
    own_assessment = client.get(url).content.decode()
    assert "已被评为本学期优秀工作室成员" in own_assessment and "撤回评选" not in own_assessment


def test_the_refusal_is_shown_in_words(client, scene, host, teacher, workroom):
    li = f.MembershipFactory(workroom=workroom, teacher=teacher)
    other = services.member_assessment_save(membership=li, school_year=YEAR, semester=1, scores=_scores("20"), actor=host)
    client.force_login(host)
    page = client.post(reverse("assessment:outstanding_name", args=[other.pk]), follow=True).content.decode()
    assert "本工作室2025–2026学年第一学期已评出优秀工作室成员（张昇），每学期只能评选一名。" in page
    assert OutstandingMember.objects.count() == 1


def test_the_member_assessment_list_shows_who_is_named(client, scene, host):
    client.force_login(host)
    page = client.get(reverse("assessment:member_list") + f"?year={YEAR}&semester=1").content.decode()
    assert "本学期优秀工作室成员" in page and "王喆名班主任工作室：<strong>张昇</strong>" in page
    assert '<span class="badge bg-warning text-dark">优秀工作室成员</span>' in page
    page = client.get(reverse("assessment:member_list") + f"?year={YEAR}&semester=2").content.decode()
    assert "王喆名班主任工作室：<span class=\"text-muted\">尚未评选</span>" in page


def _named_in(n, school):
    """``n`` workrooms each with a 优秀工作室成员 of 2025-1."""
    for i in range(n):
        room = f.WorkroomFactory(host=f.TeacherFactory(school=school, name=f"主持{i}"))
        m = f.MembershipFactory(workroom=room, teacher=f.TeacherFactory(school=school, name=f"成员{i}"))
        a = services.member_assessment_save(membership=m, school_year=YEAR, semester=1, scores=_scores("19"), actor=room.host.user)
        honours.outstanding_member_name(assessment=a, actor=room.host.user)


def test_the_office_lists_every_named_member_with_search_and_filters(client, scene, office, school):
    _named_in(2, school)
    client.force_login(office)
    url = reverse("assessment:outstanding_list")
    page = client.get(url).content.decode()
    assert all(name in page for name in ("张昇", "成员0", "成员1"))
    page = client.get(url, {"q": "成员1"}).content.decode()
    assert "成员1" in page and "成员0" not in page and "张昇" not in page
    page = client.get(url, {"school_year": YEAR, "semester": 2}).content.decode()
    assert "暂无记录" in page
    page = client.get(url, {"workroom": scene["zhang"].workroom_id}).content.decode()
    assert "张昇" in page and "成员0" not in page


def test_a_host_lists_only_their_own_workrooms_named_members(client, scene, host, school):
    _named_in(1, school)
    client.force_login(host)
    page = client.get(reverse("assessment:outstanding_list")).content.decode()
    assert "张昇" in page and "成员0" not in page


@pytest.mark.parametrize("view", ["outstanding_list", "class_title_list"])
def test_the_lists_cost_the_same_for_many_rows(client, scene, office, reviewer, school, grade_dept, view):
    client.force_login(office)
    url = _url(view, scene)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _named_in(4, school)
    for i in range(2, 5):
        t = f.TeacherFactory(school=school, department=grade_dept, class_name=f"高一（{i}）班")
        honours.class_title_name(department=grade_dept, teacher=t, kind="window" if i == 4 else "excellent", day=WEEK, actor=reviewer)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(one)
    assert ("成员3" in page) if view == "outstanding_list" else ("高一（4）班" in page)


# --- 优秀班级 / 窗口班级 -----------------------------------------------------------------------------


def test_the_reviewer_names_classes_and_sees_the_limit_refused_in_words(client, scene, reviewer, grade_dept, school):
    others = [f.TeacherFactory(school=school, department=grade_dept, name=f"周{i}", class_name=f"高一（{i}）班") for i in (2, 3, 4)]
    client.force_login(reviewer)
    url = reverse("assessment:class_title_create")
    form = client.get(url).content.decode()
    assert "每周至多 3 个优秀班级" in form and "高一（2）班 · 班主任周2（高一年级部）" in form
    for t in others[:2]:
        r = client.post(url, {"department": grade_dept.pk, "kind": "excellent", "day": "2025-10-24", "teacher": t.pk})
        assert r.status_code == 302
    page = client.post(url, {"department": grade_dept.pk, "kind": "excellent", "day": "2025-10-24", "teacher": others[2].pk}).content.decode()
    assert "高一年级部2025年10月20日—10月26日已评出 3 个优秀班级，每周最多 3 个。" in page
    assert ClassTitle.objects.count() == 3


def test_the_class_titles_list_filters_by_department_week_and_month(client, scene, reviewer, office, grade_dept, school):
    t2 = f.TeacherFactory(school=school, department=grade_dept, class_name="高一（2）班")
    honours.class_title_name(department=grade_dept, teacher=t2, kind="window", day=date(2025, 11, 5), actor=reviewer)
    honours.class_title_name(department=grade_dept, teacher=t2, kind="excellent", day=date(2025, 11, 5), actor=reviewer)
    client.force_login(office)
    url = reverse("assessment:class_title_list")
    rows = lambda **q: client.get(url, q).content.decode().split("<tbody>")[1]
    assert "高一（1）班" in rows() and "2025年11月" in rows()
    week = rows(week="2025-10-26")
    assert "高一（1）班" in week and "高一（2）班" not in week
    month = rows(month="2025-11")
    assert "高一（1）班" not in month and month.count("高一（2）班") == 2
    assert rows(month="2025-11", kind="window").count("高一（2）班") == 1
    other = f.DepartmentFactory(school=school, name="高二年级部", kind="grade", grade=2)
    assert "暂无记录" in rows(department=other.pk)
    assert "暂无记录" in rows(month="not-a-month")


def test_a_reviewer_sees_only_their_departments_titles(client, scene, school, grade_dept):
    other = f.DepartmentFactory(school=school, name="高二年级部", kind="grade", grade=2)
    other_reviewer = f.UserFactory()
    other.reviewers.add(other_reviewer)
    client.force_login(other_reviewer)
    page = client.get(reverse("assessment:class_title_list")).content.decode()
    assert "高一（1）班" not in page
    assert client.post(_url("class_title_withdraw", scene)).status_code == 404


def test_the_head_teacher_sees_their_classs_titles_on_their_page(client, scene, teacher):
    client.force_login(teacher.user)
    page = client.get(reverse("members:teacher_detail", args=[teacher.pk])).content.decode()
    assert "班级荣誉" in page and "2025年10月20日—10月26日 优秀班级（高一（1）班，高一年级部评选）" in page


# --- the cycle extension and the honours veto on the pages ---------------------------------------------


def test_the_office_extends_an_excellent_workroom_from_its_page(client, workroom, office):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    Evaluation.objects.create(workroom=workroom, kind="final", status="concluded", grade="优秀", total=D("93"), opened_by=office)
    old_end = workroom.cycle_end
    client.force_login(office)
    page = client.get(f"/workrooms/{workroom.pk}/").content.decode()
    assert "延长建设周期" in page
    r = client.post(f"/workrooms/{workroom.pk}/transition/extend/", {"comment": "示范引领成效显著"}, follow=True)
    page = r.content.decode()
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.RUNNING and workroom.cycle_end.year == old_end.year + 3
    assert f"{workroom.cycle_end:%Y-%m-%d}" in page and "示范引领成效显著" in page and "终期评估优秀（93.0 分）" in page


def test_a_workroom_not_excellent_is_refused_on_its_page(client, workroom, office):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    Evaluation.objects.create(workroom=workroom, kind="final", status="concluded", grade="合格", total=D("80"), opened_by=office)
    client.force_login(office)
    page = client.post(f"/workrooms/{workroom.pk}/transition/extend/", {"comment": "希望延长"}, follow=True).content.decode()
    assert "该工作室终期评估为合格；只有终期评估为优秀的工作室可以延长建设周期。" in page
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.COMPLETED


def test_the_evaluation_page_records_and_explains_the_veto(client, scene, office, host):
    url = reverse("assessment:evaluation_detail", args=[scene["evaluation"].pk])
    client.force_login(office)
    assert "记录：主持人荣誉一票否决" in client.get(url).content.decode()
    client.post(_url("evaluation_veto", scene), {"reason": "三年目标未完成，只做表面文章"})
    client.force_login(host)
    page = client.get(url).content.decode()
    assert "未完成目标任务或搞形式主义</strong>：三年目标未完成，只做表面文章" in page
    assert "记录：主持人荣誉一票否决" not in page
    mine = client.get(reverse("members:teacher_detail", args=[scene["evaluation"].workroom.host_id])).content.decode()
    assert "一切荣誉一票否决。" in mine and "三年目标未完成，只做表面文章" in mine


def test_the_certificate_page_says_who_is_left_out_and_why(client, scene, office, workroom):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    honours.host_veto_record(evaluation=scene["evaluation"], reason="目标未完成", actor=office)
    client.force_login(office)
    page = client.get(reverse("archives:certificate_issue"), {"workroom": workroom.pk, "kind": "title"}).content.decode()
    assert "已被荣誉一票否决，不能获得名班主任称号证书" in page
    assert "王喆（主持人）：终期评估认定未完成目标任务或搞形式主义（王喆名班主任工作室终期评估）" in page
    assert "该工作室当前没有符合条件的人员" in page


def test_the_office_records_an_ethics_violation_and_the_title_certificate_is_revoked(client, scene, office, workroom, host):
    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.COMPLETED)
    workroom.refresh_from_db()
    cert, _ = certificates.certificate_issue(kind="title", recipient=workroom.host, workroom=workroom, actor=office)
    client.force_login(office)
    host_page = reverse("members:teacher_detail", args=[workroom.host_id])
    assert "登记师德违规（一票否决）" in client.get(host_page).content.decode()
    r = client.post(reverse("assessment:ethics_veto", args=[workroom.host_id]), {"occurred_on": "2026-01-05", "description": "体罚学生"})
    assert r.status_code == 302 and r.url == host_page
    assert EthicsRecord.objects.get(teacher=workroom.host).confirmed
    cert.refresh_from_db()
    assert cert.is_revoked and cert.revoke_reason == "师德一票否决：体罚学生"
    verify = client.get(f"/archives/verify/{cert.serial}/{cert.check_code}/").content.decode()
    assert "撤销，不再有效" in verify
    # The host sees why on their own page, without the account of the 师德 record.
    client.force_login(host)
    mine = client.get(host_page).content.decode()
    assert "一切荣誉一票否决。" in mine and "师德一票否决（师德记录，2026-01-05）" in mine and "体罚学生" not in mine


def test_the_ethics_form_keeps_what_was_typed_when_refused(client, scene, office, teacher):
    client.force_login(office)
    page = client.post(reverse("assessment:ethics_veto", args=[teacher.pk]), {"occurred_on": "2999-01-01", "description": "有偿补课"}).content.decode()
    assert "发生日期不能晚于今天" in page and "有偿补课" in page
    assert not EthicsRecord.objects.exists()


def test_the_settings_page_shows_the_class_title_limits(client, admin, ruleset):
    client.force_login(admin)
    page = client.get("/workrooms/settings/").content.decode()
    assert "每个年级部每周优秀班级（个）" in page and "每个年级部每月窗口班级（个）" in page


def test_the_veto_is_explained_to_the_teacher_and_the_school_only(client, scene, office, reviewer, leader):
    honours.host_veto_record(evaluation=scene["evaluation"], reason="目标未完成", actor=office)
    host_page = reverse("members:teacher_detail", args=[scene["evaluation"].workroom.host_id])
    client.force_login(reviewer)  # sees the host's profile (their 年级部), not why honours are vetoed
    assert "一切荣誉一票否决" not in client.get(host_page).content.decode()
    client.force_login(leader)
    assert "一切荣誉一票否决" in client.get(host_page).content.decode()


def test_a_teacher_reaches_their_own_page_from_the_menu(client, member):
    client.force_login(member)
    own = reverse("members:teacher_detail", args=[member.teacher.pk])
    assert f'href="{own}">我的档案与荣誉' in client.get("/").content.decode()


def test_an_ethics_record_posted_twice_is_recorded_once(client, office, teacher):
    client.force_login(office)
    url = reverse("assessment:ethics_veto", args=[teacher.pk])
    occurred = (school_today() - timedelta(days=3)).isoformat()
    first, second = post_twice(client, url, url, lambda: {"occurred_on": occurred, "description": "体罚学生"})
    assert_refused_second(first, second)
    assert EthicsRecord.objects.filter(teacher=teacher).count() == 1
