"""Home-page sections: what waits for each role, in bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.workrooms.factories import (
    ExpertReviewFactory,
    HostApplicationFactory,
    ObjectionFactory,
    in_public_notice,
)
from workrooms import inbox
from workrooms.models import HostApplication

A = HostApplication.Status


def _titles(user):
    return {s.title: s for s in inbox.sections(user)}


def _labels(section):
    return [label for label, _, _ in section.items]


def test_it_shows_a_reviewer_their_departments_applications(application, reviewer, other_reviewer):
    mine = _titles(reviewer)["待系部审核的主持人申报"]
    assert mine.count == 1 and _labels(mine) == [f"李堃：{application.research_direction}"]
    assert _titles(other_reviewer)["待系部审核的主持人申报"].count == 0


def test_it_shows_the_office_reviews_conclusions_and_objections(application, office, expert, school, department):
    application.status = A.OFFICE_REVIEW
    application.save()
    done = HostApplicationFactory(applicant=f.TeacherFactory(name="韩成", school=school, department=department), status=A.EXPERT_REVIEW)
    done.experts.set([expert])
    ExpertReviewFactory(application=done, expert=expert)
    waiting = HostApplicationFactory(applicant=f.TeacherFactory(name="魏等", school=school, department=department), status=A.EXPERT_REVIEW)
    waiting.experts.set([expert])
    noticed = in_public_notice(HostApplicationFactory(applicant=f.TeacherFactory(name="冯示", school=school, department=department)))
    ObjectionFactory(application=noticed, raised_by=f.UserFactory(), text="证书存疑")
    sections = _titles(office)
    assert _labels(sections["待德育处审核的主持人申报"]) == [f"李堃：{application.research_direction}"]
    assert [label.split("：")[0] for label in _labels(sections["专家评审已完成、待作结论"])] == ["韩成"]
    assert _labels(sections["待答复的公示异议"]) == ["冯示的申报：证书存疑"]


def test_it_shows_the_administrator_applications_ready_for_approval(application, admin, school, department):
    in_public_notice(application, ends_in=timedelta(seconds=-1))
    still_open = in_public_notice(HostApplicationFactory(applicant=f.TeacherFactory(name="蒋期", school=school, department=department)))
    objected = in_public_notice(
        HostApplicationFactory(applicant=f.TeacherFactory(name="沈议", school=school, department=department)), ends_in=timedelta(seconds=-1)
    )
    ObjectionFactory(application=objected, raised_by=f.UserFactory())
    ready = _titles(admin)["公示期满、待审批的申报"]
    assert [label.split("：")[0] for label in _labels(ready)] == ["李堃"]
    assert still_open.pk


def test_it_shows_an_expert_only_assigned_applications_not_yet_reviewed(application, expert, other_expert, school, department):
    application.status = A.EXPERT_REVIEW
    application.save()
    application.experts.set([expert])
    reviewed = HostApplicationFactory(applicant=f.TeacherFactory(school=school, department=department), status=A.EXPERT_REVIEW)
    reviewed.experts.set([expert])
    ExpertReviewFactory(application=reviewed, expert=expert)
    assert _titles(expert)["待我评审的主持人申报"].count == 1
    assert _titles(other_expert)["待我评审的主持人申报"].count == 0


def test_it_shows_a_teacher_their_application_and_open_notices(application, teacher, outsider, school, department):
    noticed = in_public_notice(HostApplicationFactory(applicant=f.TeacherFactory(name="冯示", school=school, department=department)))
    mine = _titles(teacher.user)
    assert [(label, note) for label, _, note in mine["我的主持人申报"].items] == [(application.research_direction, "待系部审核")]
    assert [label.split("：")[0] for label in _labels(mine["正在公示的主持人申报（可提出异议）"])] == ["冯示"]
    assert _titles(outsider)["我的主持人申报"].items == []
    assert noticed.pk


def test_it_renders_the_sections_on_the_home_page(client, application, reviewer):
    client.force_login(reviewer)
    body = client.get("/").content.decode()
    assert "待系部审核的主持人申报" in body and f"/workrooms/applications/{application.pk}/" in body


@pytest.mark.parametrize("persona", ["admin", "reviewer", "expert", "teacher"])
def test_it_builds_the_home_page_in_the_same_queries_for_1_and_20_waiting_items(client, request, persona, expert, department, ruleset):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)

    def add():
        a = HostApplicationFactory(applicant=f.TeacherFactory(school=department.school, department=department))
        a.experts.set([expert])
        return a

    def spread(n):
        # one application waiting at every step of the round
        for status in (A.DEPT_REVIEW, A.OFFICE_REVIEW):
            for _ in range(n):
                a = add()
                a.status = status
                a.save()
        for _ in range(n):
            a = add()
            a.status = A.EXPERT_REVIEW
            a.save()
        for _ in range(n):
            ObjectionFactory(application=in_public_notice(add()), raised_by=f.UserFactory())
            in_public_notice(add(), ends_in=timedelta(seconds=-1))

    client.force_login(user)
    spread(1)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    spread(19)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/").content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert body.count("/workrooms/applications/") >= 10  # the sections do list the waiting items
