"""People are shown by name, never by login name (login names only on the account page)."""

from django.template import Context, Template

from members.selectors import user_display


def test_staff_without_a_teacher_profile_are_greeted_by_name(client, office):
    office.first_name = "孙丽"
    office.save()
    client.force_login(office)
    body = client.get("/").content.decode()
    assert "您好，孙丽" in body and ">office<" not in body


def test_one_person_filter_serves_every_app(office, teacher):
    office.first_name = "孙丽"
    office.save()
    html = Template("{% load people %}{{ a|person }}/{{ b|person }}/{{ c|person }}").render(
        Context({"a": office, "b": teacher.user, "c": None})
    )
    assert html == "孙丽/李堃/"
    assert user_display(teacher.user) == "李堃"


def test_there_is_one_person_filter(settings):
    from django.template import engines

    libraries = engines["django"].engine.template_libraries
    assert [name for name, lib in libraries.items() if "person" in lib.filters] == ["people"]


def test_admin_lists_name_who_acted(client, admin, teacher, office):
    from django.contrib.contenttypes.models import ContentType

    from core.models import StatusChange

    office.first_name = "孙丽"
    office.save()
    on_teacher = {"content_type": ContentType.objects.get_for_model(teacher), "object_id": teacher.pk}
    StatusChange.objects.create(**on_teacher, action="create", to_status="x", actor=office)
    StatusChange.objects.create(**on_teacher, action="confirm", to_status="x", actor=teacher.user)
    client.force_login(admin)
    body = client.get("/admin/core/statuschange/").content.decode()
    assert "孙丽" in body and "李堃" in body
    assert ">office<" not in body


def test_experts_are_offered_by_name_when_an_evaluation_opens(client, office, expert, workroom):
    from workrooms.models import Workroom

    Workroom.objects.filter(pk=workroom.pk).update(status=Workroom.Status.RUNNING)
    expert.first_name = "刘明远"
    expert.save()
    client.force_login(office)
    body = client.get("/assessment/evaluations/new/").content.decode()
    assert "刘明远" in body and ">expert<" not in body and " expert</label>" not in body
