"""Home-page sections and navigation entries of records and archives."""

from tests.workrooms.records.factories import (
    AchievementFactory,
    ReadingLogFactory,
    WritingFactory,
)
from workrooms.records import services


def test_it_shows_the_host_what_waits_for_review(client, host, member, workroom):
    ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="爱弥儿")
    WritingFactory(teacher=member.teacher, workroom=workroom, title="家访手记")
    done = ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="已审的书")
    services.record_review(actor=host, record=done, action="accept")
    client.force_login(host)
    html = client.get("/").content.decode()
    assert "待审阅的成员记录" in html and "《爱弥儿》" in html and "家访手记" in html
    assert "已审的书" not in html


def test_it_shows_the_office_achievements_to_verify(client, office, member, workroom):
    AchievementFactory(teacher=member.teacher, workroom=workroom, title="省级优秀班主任")
    client.force_login(office)
    html = client.get("/").content.decode()
    assert "待认定的成果" in html and "省级优秀班主任" in html


def test_it_shows_my_records_to_teachers_and_the_archive_to_hosts_and_office(client, member, host, office):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "我的记录" in html and ">档案<" not in html
    client.force_login(host)
    assert ">档案<" in client.get("/").content.decode()
    client.force_login(office)
    html = client.get("/").content.decode()
    assert ">档案<" in html and "我的记录" not in html


def test_it_shows_a_member_the_records_returned_to_them(client, member, host, office, workroom):
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom, title="教育的情调")
    services.record_review(actor=host, record=log, action="return", comment="再写具体些")
    a = AchievementFactory(teacher=member.teacher, workroom=workroom, title="区优秀班主任")
    services.achievement_verify(actor=office, achievement=a, action="reject", comment="证书模糊")
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "需要修改的记录" in html and "《教育的情调》" in html and "区优秀班主任" in html
