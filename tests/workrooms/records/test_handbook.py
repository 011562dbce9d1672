"""成长手册 (DOMAIN.md §5): a member's records as one timeline."""

from datetime import timedelta

from django.utils import timezone

from core.calendar import semester_of
from tests.workrooms.records.factories import (
    AchievementFactory,
    ArchiveEntryFactory,
    ReadingLogFactory,
    WritingFactory,
)
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file
from workrooms.records import services
from workrooms.records.selectors import growth_handbook


def test_it_puts_every_kind_of_record_on_one_timeline_newest_first(member, host, workroom, project):
    today = timezone.localdate()
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="爱心与教育", read_on=today - timedelta(days=3))
    WritingFactory(teacher=member.teacher, workroom=workroom, title="家访手记", written_on=today - timedelta(days=2))
    AchievementFactory(teacher=member.teacher, workroom=workroom, title="优秀班主任", achieved_on=today - timedelta(days=1))
    ArchiveEntryFactory(workroom=workroom, member=member.teacher, title="个人发展规划", filed_on=today - timedelta(days=5))
    services.record_review(actor=host, record=log, action="accept")  # filed, but shown once

    items = growth_handbook(member.teacher)

    assert [(i.kind, i.title) for i in items] == [
        ("课题", "班级自主管理的实践研究"),
        ("竞赛获奖", "优秀班主任"),
        ("教育叙事", "家访手记"),
        ("读书记录·书籍", "《爱心与教育》"),
        ("档案·其他类", "个人发展规划"),
    ]
    assert ArchiveEntry.objects.filter(member=member.teacher).count() == 2


def test_it_shows_the_handbook_to_the_host(client, host, member, workroom):
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="爱心与教育")
    archive_file(workroom=workroom, category="plans", title="学期总结", member=member.teacher)
    client.force_login(host)
    r = client.get(f"/people/records/handbook/{member.teacher.pk}/")
    html = r.content.decode()
    assert f"{member.teacher.name}的成长手册" in html
    assert semester_of(timezone.localdate()).label in html  # grouped by semester
    assert "《爱心与教育》" in html and "学期总结" in html


def test_it_builds_the_handbook_in_a_constant_number_of_queries(member, workroom, django_assert_num_queries):
    from tests.workrooms.records.factories import ArchiveEntryFactory as Entry

    def build(n):
        for _ in range(n):
            ReadingLogFactory(teacher=member.teacher, workroom=workroom)
            WritingFactory(teacher=member.teacher, workroom=workroom)
            AchievementFactory(teacher=member.teacher, workroom=workroom)
            Entry(workroom=workroom, member=member.teacher)

    for n in (1, 30):
        build(n)
        with django_assert_num_queries(5):  # one per kind of record
            items = growth_handbook(member.teacher)
        assert len(items) == 4 * (1 if n == 1 else 31)
