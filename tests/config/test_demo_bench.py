"""python manage.py bench_generate: the benchmark data set, here at a small scale."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from config.management.commands.bench_generate import PERSONAS
from core.models import StatusChange
from members.models import School, Teacher
from members.roles import roles_of
from workrooms.models import HostApplication, Workroom
from workrooms.selection.models import JoinRequest, Membership


def generate(*args):
    out = StringIO()
    call_command("bench_generate", "--scale", "0.02", *args, stdout=out)
    return out.getvalue()


def test_it_generates_a_consistent_data_set_with_every_persona(db, django_user_model):
    generate()
    assert Teacher.objects.count() == 120 and Workroom.objects.count() == 4
    assert Membership.objects.filter(role=Membership.Role.MEMBER).count() == 48
    assert JoinRequest.objects.count() == 20
    for app in HostApplication.objects.all():
        last = StatusChange.objects.filter(content_type__model="hostapplication", object_id=app.pk).order_by("-id").first()
        assert last.to_status == app.status
    assert HostApplication.objects.filter(status=HostApplication.Status.APPROVED, workroom__isnull=False).count() == 4
    from workrooms.workflow import HOST_APPLICATION, WORKROOM

    actions = {t.action for t in HOST_APPLICATION.transitions} | {t.action for t in WORKROOM.transitions} | {"submit"}
    assert set(StatusChange.objects.values_list("action", flat=True)) <= actions
    r = {key: roles_of(django_user_model.objects.get(username=name)) for key, name in PERSONAS.items()}
    assert r["admin"].is_admin and r["office"].is_office and r["leader"].is_leader and r["expert"].is_expert
    assert r["reviewer"].is_department_reviewer and r["host"].hosted_workroom_ids and r["member"].member_workroom_ids
    assert not (r["teacher"].hosted_workroom_ids or r["teacher"].member_workroom_ids or r["teacher"].is_department_reviewer)


def test_it_refuses_to_generate_twice_but_resets_on_request(db):
    generate()
    with pytest.raises(CommandError, match="基准数据已存在"):
        generate()
    generate("--reset")
    assert School.objects.filter(code="BENCH").count() == 3 and Teacher.objects.count() == 120
