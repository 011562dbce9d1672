"""Workroom list and detail pages, the lifecycle buttons, and the permission
matrix of every page of the workrooms app."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.workflow import history
from tests import factories as f
from tests.workrooms.factories import HostApplicationFactory, in_public_notice
from workrooms.models import HostApplication, Workroom
from workrooms.selection.models import Membership

A = HostApplication.Status


def test_it_lists_and_filters_workrooms(client, teacher, workroom, school):
    f.WorkroomFactory(host=f.TeacherFactory(name="周敏", school=school), research_direction="心理健康教育", status=Workroom.Status.APPROVED)
    client.force_login(teacher.user)
    body = client.get("/workrooms/").content.decode()
    assert "王喆名班主任工作室" in body and "周敏名班主任工作室" in body
    body = client.get("/workrooms/?q=心理").content.decode()
    assert "周敏名班主任工作室" in body and "王喆名班主任工作室" not in body
    body = client.get("/workrooms/?status=running").content.decode()
    assert "王喆名班主任工作室" in body and "周敏名班主任工作室" not in body
    body = client.get("/workrooms/?q=王喆").content.decode()
    assert "王喆名班主任工作室" in body and "周敏名班主任工作室" not in body


def test_it_shows_the_workroom_with_host_cycle_roster_and_history(client, workroom, member, office):
    client.force_login(office)
    client.post(f"/workrooms/{workroom.pk}/transition/start_midterm/", {"comment": "按期评估"})
    body = client.get(f"/workrooms/{workroom.pk}/").content.decode()
    assert "王喆" in body and "张昇" in body and "班级文化建设" in body
    assert workroom.cycle_end.strftime("%Y-%m-%d") in body
    assert "启动中期评估" in body and "按期评估" in body


def test_it_launches_an_approved_workroom_for_the_office(client, workroom, office):
    workroom.status = Workroom.Status.APPROVED
    workroom.save()
    client.force_login(office)
    assert "挂牌运行" in client.get(f"/workrooms/{workroom.pk}/").content.decode()
    assert client.post(f"/workrooms/{workroom.pk}/transition/launch/").status_code == 302
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.RUNNING


@pytest.mark.parametrize("persona", ["host", "member", "leader", "teacher", "outsider", "reviewer", "expert"])
def test_it_refuses_lifecycle_steps_to_anyone_but_the_office(client, request, workroom, persona):
    workroom.status = Workroom.Status.APPROVED
    workroom.save()
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    assert "挂牌运行" not in client.get(f"/workrooms/{workroom.pk}/").content.decode()
    assert client.post(f"/workrooms/{workroom.pk}/transition/launch/").status_code == 403
    workroom.refresh_from_db()
    assert (workroom.status, history(workroom).count()) == (Workroom.Status.APPROVED, 0)


def test_it_shows_a_refused_lifecycle_step_with_its_reason(client, workroom, office):
    client.force_login(office)
    r = client.post(f"/workrooms/{workroom.pk}/transition/complete/", follow=True)
    assert "当前状态为「运行中」，不能执行「结题」" in r.content.decode()
    workroom.refresh_from_db()
    assert workroom.status == Workroom.Status.RUNNING


@pytest.mark.parametrize(
    "persona, join, manage",
    [("teacher", True, False), ("host", False, True), ("member", False, False), ("office", False, True), ("leader", False, False)],
)
def test_it_links_joining_for_teachers_and_member_management_for_host_and_office(client, request, workroom, persona, join, manage):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    body = client.get(f"/workrooms/{workroom.pk}/").content.decode()
    assert (f"/people/workrooms/{workroom.pk}/join/" in body) is join
    assert (f"/people/workrooms/{workroom.pk}/members/" in body) is manage


def test_it_offers_each_role_only_its_own_buttons_on_an_application(client, application, reviewer, teacher, leader):
    url = f"/workrooms/applications/{application.pk}/"
    client.force_login(reviewer)
    body = client.get(url).content.decode()
    assert "系部审核通过" in body and 'data-confirm="确定要退回申报人吗？"' in body
    assert "撤回申报" not in body
    client.force_login(teacher.user)
    body = client.get(url).content.decode()
    assert 'data-confirm="确定要撤回申报吗？"' in body and "系部审核通过" not in body
    client.force_login(leader)
    body = client.get(url).content.decode()
    assert "审核操作" not in body


def test_it_offers_expert_assignment_to_the_office(client, application, office, expert):
    application.status = A.OFFICE_REVIEW
    application.save()
    client.force_login(office)
    body = client.get(f"/workrooms/applications/{application.pk}/").content.decode()
    assert "分配评审专家" in body and f'value="{expert.pk}"' in body


def test_it_lists_and_filters_applications_visible_to_the_user(client, application, reviewer, outsider, school):
    other_dept = f.DepartmentFactory(school=school, name="高三年级部")
    HostApplicationFactory(applicant=f.TeacherFactory(name="吴远", school=school, department=other_dept), research_direction="劳动教育")
    client.force_login(reviewer)
    body = client.get("/workrooms/applications/").content.decode()
    assert "李堃" in body and "吴远" not in body  # another department's application
    client.force_login(outsider)
    body = client.get("/workrooms/applications/").content.decode()
    assert "李堃" not in body
    in_public_notice(application)
    assert "李堃" in client.get("/workrooms/applications/").content.decode()  # public notice: everyone sees it


def test_it_filters_applications_by_status_department_and_search(client, application, office, school):
    other_dept = f.DepartmentFactory(school=school, name="高三年级部")
    other = HostApplicationFactory(
        applicant=f.TeacherFactory(name="吴远", school=school, department=other_dept), research_direction="劳动教育", status=A.OFFICE_REVIEW
    )
    client.force_login(office)
    assert "吴远" not in client.get("/workrooms/applications/?status=dept_review").content.decode()
    body = client.get(f"/workrooms/applications/?department={other_dept.pk}").content.decode()
    assert "吴远" in body and "李堃" not in body
    body = client.get("/workrooms/applications/?q=劳动").content.decode()
    assert "吴远" in body and "李堃" not in body
    assert other.pk


# --- permission matrix: reading pages --------------------------------------------

PAGES = {
    "workroom_list": lambda app, wr: "/workrooms/",
    "workroom_detail": lambda app, wr: f"/workrooms/{wr.pk}/",
    "application_list": lambda app, wr: "/workrooms/applications/",
    "application_detail": lambda app, wr: f"/workrooms/applications/{app.pk}/",
    "application_create": lambda app, wr: "/workrooms/applications/new/",
}
# persona -> expected GET status per page, for an application under department review
MATRIX = {
    "outsider": {"workroom_list": 200, "workroom_detail": 200, "application_list": 200, "application_detail": 404, "application_create": 200},
    "leader": {"workroom_list": 200, "workroom_detail": 200, "application_list": 200, "application_detail": 200, "application_create": 403},
    "reviewer": {"workroom_list": 200, "workroom_detail": 200, "application_list": 200, "application_detail": 200, "application_create": 200},
    "office": {"workroom_list": 200, "workroom_detail": 200, "application_list": 200, "application_detail": 200, "application_create": 403},
    "applicant": {"workroom_list": 200, "workroom_detail": 200, "application_list": 200, "application_detail": 200, "application_create": 200},
}


@pytest.mark.parametrize("page", list(PAGES))
def test_it_sends_anonymous_visitors_to_login(client, application, workroom, page):
    r = client.get(PAGES[page](application, workroom))
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona, page", [(p, page) for p in MATRIX for page in PAGES])
def test_it_answers_each_persona_on_each_page(client, request, application, workroom, persona, page):
    user = application.applicant.user if persona == "applicant" else request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(PAGES[page](application, workroom)).status_code == MATRIX[persona][page]


# --- query counts ----------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_workrooms_in_the_same_number_of_queries_for_1_and_50_rows(client, office, ruleset, django_assert_num_queries):
    f.WorkroomFactory()
    client.force_login(office)
    # session, user, groups, teacher of the user, schools (filter), count, page
    # of rows, the header's unread-notification count
    with django_assert_num_queries(8):
        client.get("/workrooms/")
    for _ in range(49):
        f.WorkroomFactory()
    with django_assert_num_queries(8):
        client.get("/workrooms/")


def test_it_lists_applications_in_the_same_number_of_queries_for_1_and_50_rows(client, office, ruleset, department, django_assert_num_queries):
    HostApplicationFactory(applicant=f.TeacherFactory(school=department.school, department=department))
    client.force_login(office)
    # session, user, groups, teacher of the user, departments (filter), count,
    # page of rows, the header's unread-notification count
    with django_assert_num_queries(8):
        client.get("/workrooms/applications/")
    for _ in range(49):
        HostApplicationFactory(applicant=f.TeacherFactory(school=department.school, department=department))
    with django_assert_num_queries(8):
        client.get("/workrooms/applications/")


def test_it_lists_a_reviewers_applications_in_constant_queries(client, reviewer, department, ruleset):
    HostApplicationFactory(applicant=f.TeacherFactory(school=department.school, department=department))
    client.force_login(reviewer)
    one = _count(client, "/workrooms/applications/")
    for _ in range(49):
        HostApplicationFactory(applicant=f.TeacherFactory(school=department.school, department=department))
    assert _count(client, "/workrooms/applications/") == one


def test_it_shows_a_workroom_roster_in_constant_queries(client, workroom, office):
    f.MembershipFactory(workroom=workroom)
    client.force_login(office)
    one = _count(client, f"/workrooms/{workroom.pk}/")
    for _ in range(11):
        f.MembershipFactory(workroom=workroom)
    assert Membership.objects.filter(workroom=workroom).count() == 13
    assert _count(client, f"/workrooms/{workroom.pk}/") == one


def test_it_lists_settings_versions_in_constant_queries(client, admin, ruleset):
    from workrooms import services

    client.force_login(admin)
    services.ruleset_create_version(values={"max_members": 11}, actor=admin, change_note="v2")
    one = _count(client, "/workrooms/settings/versions/")
    for n in range(30):
        services.ruleset_create_version(values={"max_members": 11 + n % 2}, actor=admin, change_note=f"v{n}")
    assert _count(client, "/workrooms/settings/versions/") == one


def _every_url(application, workroom):
    from tests.workrooms.factories import ObjectionFactory

    objection = ObjectionFactory(application=application, raised_by=f.UserFactory())
    a = f"/workrooms/applications/{application.pk}"
    return [
        "/workrooms/", f"/workrooms/{workroom.pk}/", f"/workrooms/{workroom.pk}/transition/launch/",
        "/workrooms/applications/", "/workrooms/applications/new/", f"{a}/", f"{a}/edit/", f"{a}/transition/dept_pass/",
        f"{a}/attachments/1/", f"{a}/objections/new/", f"{a}/objections/{objection.pk}/answer/", f"{a}/review/",
        "/workrooms/settings/", "/workrooms/settings/versions/",
    ]


def test_it_sends_anonymous_visitors_to_login_from_every_page_and_action(client, application, workroom):
    for url in _every_url(application, workroom):
        for method in (client.get, client.post):
            r = method(url)
            if r.status_code == 405:  # POST-only actions
                continue
            assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url


def test_it_hides_every_page_of_an_application_under_review_from_an_outsider(client, application, workroom, outsider):
    client.force_login(outsider)
    for url in _every_url(application, workroom):
        if "/applications/" in url and url != "/workrooms/applications/" and not url.endswith("/new/"):
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url).status_code == 404, url
    application.refresh_from_db()
    assert (application.status, application.objections.filter(answered_at__isnull=False).count()) == (A.DEPT_REVIEW, 0)
