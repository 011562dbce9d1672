"""A teacher's profile items (DOMAIN.md §2, §4): the teacher enters them with
evidence, the office verifies or rejects them, only verified items count."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.workflow import TransitionRefused
from members.choices import Level
from members.models import ProfileItem
from members.profile import services
from tests import factories as f
from tests.workrooms.records.factories import pdf_upload

LIST, NEW = "/people/profile/", "/people/profile/new/"


def _data(**extra):
    data = {"kind": "honour", "title": "市优秀班主任", "level": "municipal", "year": "2024", "upload": pdf_upload()}
    data.update(extra)
    return data


@pytest.fixture
def item(teacher):
    return services.profile_item_create(
        actor=teacher.user, kind="honour", title="区优秀班主任", level="county", year=2023, upload=pdf_upload(),
    )


# --- permission matrix: anonymous → login, outsider → 404, read-only → 403, allowed → 200/302

MATRIX = [
    ("get", LIST, {"anonymous": 302, "outsider": 200, "leader": 200, "office": 200, "teacher": 200}),
    ("get", NEW, {"anonymous": 302, "leader": 403, "teacher": 200, "host": 200}),
    ("get", "/people/profile/{pk}/", {"anonymous": 302, "outsider": 404, "host": 404, "leader": 200, "office": 200,
                                      "teacher": 200}),
    ("get", "/people/profile/{pk}/edit/", {"anonymous": 302, "outsider": 404, "leader": 403, "office": 403,
                                           "teacher": 200}),
    ("post", "/people/profile/{pk}/verify/", {"anonymous": 302, "outsider": 404, "leader": 403, "teacher": 403,
                                              "office": 302}),
    ("get", "/people/profile/{pk}/evidence/", {"anonymous": 302, "outsider": 404, "host": 404, "leader": 200,
                                               "teacher": 200}),
]
CASES = [(method, url, persona, status) for method, url, table in MATRIX for persona, status in table.items()]


@pytest.mark.parametrize("method,url,persona,status", CASES)
def test_it_opens_each_page_only_to_the_right_people(client, item, teacher, host, outsider, leader, office,
                                                     method, url, persona, status):
    users = {"outsider": outsider, "leader": leader, "office": office, "teacher": teacher.user, "host": host}
    if persona != "anonymous":
        client.force_login(users[persona])
    data = {"action": "verify"} if method == "post" else None
    r = getattr(client, method)(url.format(pk=item.pk), data)
    assert r.status_code == status
    if status == 302 and persona == "anonymous":
        assert "/accounts/login/" in r["Location"]


def test_it_keeps_the_leaders_verify_refusal_from_changing_anything(client, item, leader):
    client.force_login(leader)
    client.post(f"/people/profile/{item.pk}/verify/", {"action": "verify"})
    item.refresh_from_db()
    assert item.status == ProfileItem.Status.PENDING


# --- the teacher enters an item ---------------------------------------------------------


def test_it_saves_the_teachers_item_with_its_evidence_waiting_for_the_office(client, teacher):
    client.force_login(teacher.user)
    r = client.post(NEW, _data())
    item = ProfileItem.objects.get(teacher=teacher)
    assert r.status_code == 302 and r["Location"] == f"/people/profile/{item.pk}/"
    assert (item.title, item.level, item.year, item.status) == ("市优秀班主任", Level.MUNICIPAL, 2024, "pending")
    assert item.evidence.original_name == "材料.pdf"
    page = client.get(LIST).content.decode()
    assert "市优秀班主任" in page and "待认定" in page


def test_a_double_submit_creates_one_item(client, teacher):
    client.force_login(teacher.user)
    client.post(NEW, _data())
    r = client.post(NEW, _data())
    assert r.status_code == 200
    assert "请勿重复提交" in r.content.decode()
    assert ProfileItem.objects.filter(teacher=teacher).count() == 1


def test_it_refuses_an_item_without_evidence_and_keeps_what_was_typed(client, teacher):
    client.force_login(teacher.user)
    r = client.post(NEW, _data(upload=""))
    body = r.content.decode()
    assert r.status_code == 200
    assert "这个字段是必填项" in body or "必填" in body
    assert 'value="市优秀班主任"' in body
    assert not ProfileItem.objects.exists()


def test_it_refuses_a_disguised_file_and_a_future_year(client, teacher):
    client.force_login(teacher.user)
    fake = SimpleUploadedFile("证书.pdf", b"just text", content_type="application/pdf")
    body = client.post(NEW, _data(upload=fake)).content.decode()
    assert "不支持的文件类型" in body
    body = client.post(NEW, _data(year="2999")).content.decode()
    assert "年份须在 1950 至" in body
    assert not ProfileItem.objects.exists()


def test_the_teachers_list_shows_only_their_own_items(client, teacher, item):
    other = f.TeacherFactory(name="别人", school=teacher.school)
    services.profile_item_create(actor=other.user, kind="honour", title="别人的荣誉", level="county", year=2023,
                                 upload=pdf_upload())
    client.force_login(teacher.user)
    body = client.get(LIST).content.decode()
    assert "区优秀班主任" in body and "别人的荣誉" not in body


# --- the office verifies ----------------------------------------------------------------


def test_the_office_verifies_an_item_which_then_is_locked(client, office, teacher, item):
    client.force_login(office)
    assert client.post(f"/people/profile/{item.pk}/verify/", {"action": "verify", "comment": "证书核实"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.verified_by, item.verify_comment) == ("verified", office, "证书核实")
    client.force_login(teacher.user)
    r = client.post(f"/people/profile/{item.pk}/edit/", _data(title="改名"))
    assert services.LOCKED in r.content.decode()
    item.refresh_from_db()
    assert item.title == "区优秀班主任"


def test_a_rejection_needs_a_reason_and_otherwise_changes_nothing(office, item):
    with pytest.raises(TransitionRefused):
        services.profile_item_verify(actor=office, item=item, action="reject", comment=" ")
    item.refresh_from_db()
    assert item.status == ProfileItem.Status.PENDING


def test_a_rejected_item_corrected_by_the_teacher_goes_back_to_the_office(client, office, teacher, item):
    services.profile_item_verify(actor=office, item=item, action="reject", comment="证书与名称不符")
    client.force_login(teacher.user)
    assert "证书与名称不符" in client.get(f"/people/profile/{item.pk}/").content.decode()
    r = client.post(f"/people/profile/{item.pk}/edit/", _data(title="区级优秀班主任", upload=""))
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.status) == ("区级优秀班主任", ProfileItem.Status.PENDING)
    assert item.evidence is not None


def test_the_office_list_filters_pending_items(client, office, teacher, item):
    done = services.profile_item_create(actor=teacher.user, kind="publication", title="班级管理论文", level="provincial",
                                        year=2024, upload=pdf_upload())
    services.profile_item_verify(actor=office, item=done, action="verify")
    client.force_login(office)
    body = client.get(LIST, {"status": "pending"}).content.decode()
    assert "区优秀班主任" in body and "班级管理论文" not in body
    assert teacher.name in body


def test_the_list_costs_the_same_queries_for_one_item_or_many(client, office, teacher, item,
                                                              django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(12) as one:
        client.get(LIST)
    for n in range(15):
        t = f.TeacherFactory(school=teacher.school)
        services.profile_item_create(actor=t.user, kind="honour", title=f"荣誉{n}", level="county", year=2023,
                                     upload=pdf_upload())
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(LIST)
