"""导师制 (DOMAIN.md §5): pairs within the school's limit, guidance records,
semester comments, on both people's pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Notification, NotificationKind
from tests import factories as f
from tests.workrooms.outreach.conftest import XSS, assert_no_script
from workrooms.mentoring import services as mentoring
from workrooms.mentoring.models import MentorPair
from workrooms.models import RuleSet


@pytest.fixture
def trainee(department):
    return f.TeacherFactory(name="新班主任甲", school=department.school, department=department)


@pytest.fixture
def trainee2(department):
    return f.TeacherFactory(name="新班主任乙", school=department.school, department=department)


def test_it_pairs_a_mentor_with_a_trainee_and_tells_both(workroom, host, member, trainee):
    pair = mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    assert (pair.mentor, pair.trainee, pair.is_current) == (member.teacher, trainee, True)
    assert set(Notification.objects.filter(kind=NotificationKind.MENTORING).values_list("user_id", flat=True)) == {
        member.pk, trainee.user_id
    }


def test_it_refuses_a_second_trainee_beyond_the_default_limit(workroom, host, member, trainee, trainee2):
    mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    with pytest.raises(ValidationError, match="每位导师同时最多带教 1 名学员"):
        mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee2, actor=host)
    assert MentorPair.objects.count() == 1


def test_it_allows_more_trainees_when_the_setting_allows(workroom, host, member, trainee, trainee2, ruleset):
    RuleSet.objects.create(version=ruleset.version + 1, mentees_per_mentor=2)
    mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee2, actor=host)
    assert MentorPair.objects.filter(mentor=member.teacher).count() == 2


def test_it_frees_the_mentor_when_a_pair_ends(workroom, host, member, trainee, trainee2):
    pair = mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    mentoring.mentor_pair_end(pair=pair, actor=host)
    mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee2, actor=host)
    assert MentorPair.objects.filter(ended_on__isnull=True).count() == 1


def test_it_gives_a_trainee_one_mentor_at_a_time(workroom, host, member, second_member, trainee):
    mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    with pytest.raises(ValidationError, match="新班主任甲已有导师"):
        mentoring.mentor_pair_create(workroom=workroom, mentor=second_member.teacher, trainee=trainee, actor=host)


def test_it_refuses_a_mentor_outside_the_workroom(workroom, host, teacher, trainee):
    with pytest.raises(ValidationError, match="不是本工作室在册成员"):
        mentoring.mentor_pair_create(workroom=workroom, mentor=teacher, trainee=trainee, actor=host)


@pytest.mark.parametrize("persona", ["member", "leader", "outsider"])
def test_it_lets_only_the_host_pair(request, workroom, member, trainee, persona):
    with pytest.raises(PermissionDenied):
        mentoring.mentor_pair_create(
            workroom=workroom, mentor=member.teacher, trainee=trainee, actor=request.getfixturevalue(persona)
        )


def test_the_page_shows_the_refusal_and_keeps_the_choice(client, workroom, host, member, trainee, trainee2):
    mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    client.force_login(host)
    r = client.post(reverse("mentoring:mentor_pair_new", args=[workroom.pk]), {"mentor": member.teacher.pk, "trainee": trainee2.pk})
    assert r.status_code == 200
    assert "每位导师同时最多带教 1 名学员" in r.content.decode()
    assert f'value="{trainee2.pk}" selected' in r.content.decode()


def test_the_mentor_records_guidance_and_a_semester_comment_seen_by_both(client, workroom, host, member, trainee):
    pair = mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    client.force_login(member)
    client.post(reverse("mentoring:guidance_new", args=[pair.pk]), {"date": "2026-03-02", "content": "<p>指导班会设计</p>"})
    client.post(reverse("mentoring:mentor_comment", args=[pair.pk]), {"school_year": 2025, "term": 2, "body": "<p>进步明显</p>"})
    client.post(reverse("mentoring:mentor_comment", args=[pair.pk]), {"school_year": 2025, "term": 2, "body": "<p>进步很大</p>"})
    assert pair.comments.get().body == "<p>进步很大</p>"
    for user in (member, trainee.user):
        client.force_login(user)
        page = client.get(reverse("mentoring:mentor_pair", args=[pair.pk])).content.decode()
        assert "指导班会设计" in page and "进步很大" in page
        mine = client.get(reverse("mentoring:my_mentoring")).content.decode()
        assert ("学员：新班主任甲" if user == member else "导师：张昇") in mine


def test_only_the_mentor_writes_guidance(workroom, host, member, trainee):
    pair = mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    for actor in (trainee.user, host):
        with pytest.raises(PermissionDenied):
            mentoring.guidance_record_create(pair=pair, actor=actor, date=date(2026, 3, 1), content="<p>x</p>")
    assert not pair.guidance_records.exists()


@pytest.mark.parametrize("payload", XSS)
def test_it_strips_scripts_from_guidance_and_comments(workroom, host, member, trainee, payload):
    pair = mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    g = mentoring.guidance_record_create(pair=pair, actor=member, date=date(2026, 3, 1), content=payload)
    c = mentoring.mentor_comment_save(pair=pair, actor=member, school_year=2025, term=2, body=payload)
    for value in (g.content, c.body):
        assert_no_script(value)
        assert "正文" in value


@pytest.mark.parametrize("current, limit, refused", [(0, 1, False), (1, 1, True), (1, 2, False), (2, 2, True)])
def test_the_mentor_limit_rule(current, limit, refused):
    assert (mentoring.mentor_refusal(mentoring.MentorLoad(current, limit)) is not None) is refused


def test_the_pair_shows_on_both_teachers_profile_pages(client, workroom, host, member, trainee, office):
    pair = mentoring.mentor_pair_create(workroom=workroom, mentor=member.teacher, trainee=trainee, actor=host)
    mentoring.guidance_record_create(pair=pair, actor=member, date=date(2026, 3, 1), content="<p>听课</p>")
    client.force_login(office)
    mentor_page = client.get(reverse("members:teacher_detail", args=[member.teacher.pk])).content.decode()
    trainee_page = client.get(reverse("members:teacher_detail", args=[trainee.pk])).content.decode()
    assert "学员：新班主任甲" in mentor_page and "指导记录 1 条" in mentor_page
    assert "导师：张昇" in trainee_page and reverse("mentoring:mentor_pair", args=[pair.pk]) in trainee_page
