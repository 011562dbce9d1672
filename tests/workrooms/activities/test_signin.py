"""Sign-in sheets and sign-in codes (DOMAIN.md §5, §6)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from tests.workrooms.activities.factories import ActivityFactory
from workrooms.activities import services as svc
from workrooms.models import Attendance, SignInAttempt, SignInCode


def sign_in(activity, user, code):
    return svc.signin_with_code(activity=activity, user=user, teacher=user.teacher, code=code)


def test_it_starts_a_six_digit_code_that_expires(activity, host):
    code = svc.signin_code_start(activity=activity, actor=host)
    assert len(code.code) == 6 and code.code.isdigit()
    lifetime = code.expires_at - code.created_at
    assert timedelta(minutes=14) < lifetime <= svc.SIGNIN_CODE_LIFETIME


def test_it_draws_codes_at_random(activity, host):
    codes = {svc.signin_code_start(activity=activity, actor=host).code for _ in range(20)}
    assert len(codes) > 15


def test_it_retires_the_previous_code_when_a_new_one_starts(activity, host, member):
    first = svc.signin_code_start(activity=activity, actor=host)
    second = svc.signin_code_start(activity=activity, actor=host)
    first.refresh_from_db()
    assert first.expires_at <= timezone.now() < second.expires_at
    if first.code != second.code:
        with pytest.raises(svc.SignInRefused, match="已失效"):
            sign_in(activity, member, first.code)


def test_it_refuses_a_code_on_another_day(workroom, host):
    tomorrow = ActivityFactory(workroom=workroom, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError, match="活动当天"):
        svc.signin_code_start(activity=tomorrow, actor=host)
    assert not SignInCode.objects.exists()


def test_it_signs_a_member_in_with_the_right_code(activity, host, member):
    code = svc.signin_code_start(activity=activity, actor=host)
    row = sign_in(activity, member, code.code)
    assert (row.status, row.source, row.teacher) == (Attendance.Status.PRESENT, Attendance.Source.CODE, member.teacher)


def test_it_turns_an_absence_into_presence_when_the_member_signs_in(activity, host, member):
    svc.attendance_record(activity=activity, actor=host, statuses={member.teacher.pk: Attendance.Status.ABSENT})
    code = svc.signin_code_start(activity=activity, actor=host)
    sign_in(activity, member, code.code)
    assert Attendance.objects.get(activity=activity, teacher=member.teacher).status == Attendance.Status.PRESENT


def test_it_refuses_reusing_a_code(activity, host, member):
    code = svc.signin_code_start(activity=activity, actor=host)
    sign_in(activity, member, code.code)
    with pytest.raises(svc.SignInRefused, match="您已签到"):
        sign_in(activity, member, code.code)
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_it_refuses_an_expired_code(activity, host, member):
    code = svc.signin_code_start(activity=activity, actor=host)
    SignInCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(svc.SignInRefused, match="签到码已失效"):
        sign_in(activity, member, code.code)
    assert not Attendance.objects.exists()


def test_it_refuses_another_workrooms_code(activity, member, department):
    other = f.WorkroomFactory(host=f.TeacherFactory(school=department.school))
    other_activity = ActivityFactory(workroom=other)
    code = svc.signin_code_start(activity=other_activity, actor=other.host.user)
    with pytest.raises(svc.SignInRefused, match="签到码不正确"):
        sign_in(activity, member, code.code)
    assert not Attendance.objects.exists()


def test_it_refuses_someone_outside_the_workroom(activity, host, outsider):
    code = svc.signin_code_start(activity=activity, actor=host)
    with pytest.raises(svc.SignInRefused, match="只有本工作室的成员"):
        sign_in(activity, outsider, code.code)
    assert not Attendance.objects.exists()


def test_it_rate_limits_guessing(activity, host, member):
    code = svc.signin_code_start(activity=activity, actor=host)
    wrong = f"{(int(code.code) + 1) % 10**6:06d}"
    for left in range(svc.SIGNIN_MAX_FAILURES - 1, -1, -1):
        with pytest.raises(svc.SignInRefused, match=f"还可尝试 {left} 次"):
            sign_in(activity, member, wrong)
    # Even the right code is refused while the limit holds: guessing stops here.
    with pytest.raises(svc.SignInRefused, match="错误次数过多，请 10 分钟后再试"):
        sign_in(activity, member, code.code)
    assert not Attendance.objects.exists()
    # Once the window has passed the member can sign in.
    SignInAttempt.objects.update(created_at=timezone.now() - svc.SIGNIN_FAILURE_WINDOW - timedelta(seconds=1))
    assert sign_in(activity, member, code.code).status == Attendance.Status.PRESENT


def test_it_limits_guesses_per_user_not_per_workroom(activity, host, member, workroom):
    other_member = f.MembershipFactory(workroom=workroom).teacher.user
    code = svc.signin_code_start(activity=activity, actor=host)
    for _ in range(svc.SIGNIN_MAX_FAILURES):
        with pytest.raises(svc.SignInRefused):
            sign_in(activity, member, "000000" if code.code != "000000" else "111111")
    assert sign_in(activity, other_member, code.code).status == Attendance.Status.PRESENT


def test_it_records_the_sheet_for_current_members(activity, host, member):
    written = svc.attendance_record(
        activity=activity, actor=host,
        statuses={member.teacher.pk: Attendance.Status.LEAVE, activity.workroom.host_id: Attendance.Status.PRESENT},
    )
    assert written == 2
    assert Attendance.objects.get(teacher=member.teacher).status == Attendance.Status.LEAVE


def test_it_refuses_a_sheet_with_strangers_or_before_the_event(activity, host, outsider, workroom, member):
    with pytest.raises(ValidationError, match="不属于本工作室"):
        svc.attendance_record(activity=activity, actor=host, statuses={outsider.teacher.pk: "present"})
    future = ActivityFactory(workroom=workroom, starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError, match="尚未开始"):
        svc.attendance_record(activity=future, actor=host, statuses={member.teacher.pk: "present"})
    assert not Attendance.objects.exists()


def test_it_forgets_old_attempts_after_a_success(activity, host, member):
    SignInAttempt.objects.create(user=member, succeeded=False)
    SignInAttempt.objects.update(created_at=timezone.now() - timedelta(hours=1))
    code = svc.signin_code_start(activity=activity, actor=host)
    sign_in(activity, member, code.code)
    assert list(SignInAttempt.objects.values_list("succeeded", flat=True)) == [True]


def test_the_activity_page_stops_offering_sign_in_once_signed_in(client, activity, host, member):
    client.force_login(member)
    url = f"/workrooms/activities/{activity.pk}/"
    assert "我要签到" in client.get(url).content.decode()
    sign_in(activity, member, svc.signin_code_start(activity=activity, actor=host).code)
    body = client.get(url).content.decode()
    assert "我要签到" not in body and "您已签到" in body
