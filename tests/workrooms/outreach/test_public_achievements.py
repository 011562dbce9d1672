"""Achievements (成果) the host marks public appear on the workroom's public
page and in its feed once the office has verified them (DOMAIN.md §3, §7);
their evidence, and pupils' names, never do."""

from django.urls import reverse

from tests.workrooms.outreach.public import feed, page
from tests.workrooms.records.factories import AchievementFactory
from workrooms.records.models import Achievement


def achievement(workroom, member, **kw):
    return AchievementFactory(workroom=workroom, teacher=member.teacher, **kw)


V = Achievement.Status


def test_it_shows_a_verified_achievement_marked_public_and_no_other(client, workroom, member, showcase):
    shown = achievement(workroom, member, title="市班主任基本功大赛一等奖", level="municipal",
                        kind=Achievement.Kind.COMPETITION, status=V.VERIFIED, is_public=True, verify_comment="材料齐全")
    achievement(workroom, member, title="未公开的成果", status=V.VERIFIED, is_public=False)
    achievement(workroom, member, title="待认定的成果", status=V.PENDING, is_public=True)
    achievement(workroom, member, title="未予认定的成果", status=V.REJECTED, is_public=True)
    html = page(client, workroom)
    assert f'id="achievement-{shown.pk}"' in html
    assert "市班主任基本功大赛一等奖" in html and "市级 · 竞赛获奖 · 张昇" in html
    for hidden in ("未公开的成果", "待认定的成果", "未予认定的成果", "材料齐全"):
        assert hidden not in html
    assert reverse("records:achievement_evidence", args=[shown.pk]) not in html
    assert "/media-not-public/" not in html and shown.evidence.original_name not in html


def test_it_names_a_class_or_a_student_only_by_their_teacher(client, workroom, member, showcase):
    achievement(workroom, member, title="市优秀班集体", owner_kind=Achievement.OwnerKind.CLASS, owner_name="初二（3）班",
                kind=Achievement.Kind.HONOUR, status=V.VERIFIED, is_public=True)
    achievement(workroom, member, title="省征文一等奖", owner_kind=Achievement.OwnerKind.STUDENT, owner_name="李小明",
                status=V.VERIFIED, is_public=True)
    html = page(client, workroom)
    assert "市优秀班集体" in html and "张昇所带班级" in html
    assert "省征文一等奖" in html and "张昇所带班级学生" in html
    assert "初二（3）班" not in html and "李小明" not in html


def test_the_feed_lists_the_public_achievement(client, workroom, member, showcase):
    achievement(workroom, member, title="市班主任基本功大赛一等奖", status=V.VERIFIED, is_public=True)
    achievement(workroom, member, title="待认定的成果", status=V.PENDING, is_public=True)
    body = feed(client, workroom)
    assert "[成果荣誉] 市班主任基本功大赛一等奖" in body and "待认定的成果" not in body


def test_an_achievement_that_loses_its_verification_leaves_the_page(client, workroom, member, showcase):
    a = achievement(workroom, member, title="市班主任基本功大赛一等奖", status=V.VERIFIED, is_public=True)
    assert "基本功大赛" in page(client, workroom)
    a.status = V.PENDING
    a.save()
    assert "基本功大赛" not in page(client, workroom)

