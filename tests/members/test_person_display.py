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
