"""Writings the host marks public appear on the workroom's public page and in
its feed, while they are accepted (DOMAIN.md §3 辐射引领, §7); nothing else of
them, and no other writing, ever does."""

import pytest
from django.urls import reverse

from tests.workrooms.outreach.public import feed, page
from tests.workrooms.records.factories import StoredFileFactory, WritingFactory
from workrooms.records.models import ReviewStatus, Writing


@pytest.fixture
def author(member):
    t = member.teacher
    t.phone = "13812345678"
    t.save()
    return t


def writing(workroom, author, **kw):
    return WritingFactory(workroom=workroom, teacher=author, **kw)


def test_it_shows_an_accepted_writing_marked_public_and_no_other(client, workroom, showcase, author):
    shown = writing(workroom, author, title="一次家访", kind=Writing.Kind.NARRATIVE, text="那天下午，我走进了小林的家。",
                    status=ReviewStatus.ACCEPTED, is_public=True, review_comment="叙事细节真实", published=True,
                    submitted=True, publication="班主任之友")
    writing(workroom, author, title="未公开的叙事", status=ReviewStatus.ACCEPTED, is_public=False)
    writing(workroom, author, title="待审阅的叙事", status=ReviewStatus.SUBMITTED, is_public=True)
    writing(workroom, author, title="已退回的叙事", status=ReviewStatus.RETURNED, is_public=True)
    html = page(client, workroom)
    assert f'id="writing-{shown.pk}"' in html
    assert "教育叙事：一次家访" in html and "那天下午，我走进了小林的家。" in html
    assert "张昇" in html and "发表于《班主任之友》" in html
    for hidden in ("未公开的叙事", "待审阅的叙事", "已退回的叙事", "叙事细节真实", "13812345678"):
        assert hidden not in html


def test_the_feed_lists_the_public_writing(client, workroom, showcase, author):
    writing(workroom, author, title="一次家访", text="那天下午……", status=ReviewStatus.ACCEPTED, is_public=True)
    writing(workroom, author, title="待审阅的叙事", status=ReviewStatus.SUBMITTED, is_public=True)
    body = feed(client, workroom)
    assert "[教育写作] 教育叙事：一次家访" in body and "那天下午……" in body
    assert "待审阅的叙事" not in body


def test_it_never_shows_the_uploaded_file(client, workroom, showcase, author):
    w = writing(workroom, author, title="班会课设计：感恩", text="", file=StoredFileFactory(original_name="感恩班会.pdf"),
                status=ReviewStatus.ACCEPTED, is_public=True)
    html = page(client, workroom)
    assert "班会课设计：感恩" in html
    assert reverse("records:writing_file", args=[w.pk]) not in html and "感恩班会.pdf" not in html
    assert "/media-not-public/" not in html and str(w.file.uuid) not in html


def test_it_blots_out_phone_and_id_numbers_in_the_text(client, workroom, showcase, author):
    writing(workroom, author, title="学生个案：小林", kind=Writing.Kind.STUDENT_CASE, status=ReviewStatus.ACCEPTED,
            is_public=True, text="家长电话 13900001111，身份证号 11010119900307123X，班级 40 人，学号 2024001。")
    html, body = page(client, workroom), feed(client, workroom)
    for text in (html, body):
        assert "13900001111" not in text and "11010119900307123X" not in text
        assert "家长电话 ***********" in text and "班级 40 人，学号 2024001" in text


def test_a_writing_that_leaves_the_accepted_state_leaves_the_page(client, workroom, showcase, author):
    w = writing(workroom, author, title="一次家访", status=ReviewStatus.ACCEPTED, is_public=True)
    assert "一次家访" in page(client, workroom)
    w.status = ReviewStatus.RETURNED
    w.save()
    assert "一次家访" not in page(client, workroom) and "一次家访" not in feed(client, workroom)


def test_the_host_accepts_then_publishes_through_the_services(workroom, host, showcase, author, client):
    from workrooms.records import services as records

    w = writing(workroom, author, title="一次家访")
    records.record_review(actor=host, record=w, action="accept")
    records.writing_set_public(actor=host, writing=w, is_public=True)
    assert "一次家访" in page(client, workroom)


def test_it_shows_nothing_of_another_workrooms_writing(client, workroom, showcase, author):
    from tests.factories import WorkroomFactory

    writing(WorkroomFactory(), author, title="别室的叙事", status=ReviewStatus.ACCEPTED, is_public=True)
    assert "别室的叙事" not in page(client, workroom)
