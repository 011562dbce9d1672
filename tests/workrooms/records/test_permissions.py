"""Permission matrix of every records and archive page: anonymous → login,
outsider → 404, read-only persona → 403 on changes, allowed → 200/302."""

import pytest

from tests.workrooms.records.factories import (
    AchievementFactory,
    ArchiveEntryFactory,
    ReadingLogFactory,
    pdf_upload,
    this_semester,
)
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file
from workrooms.records import services


@pytest.fixture
def objs(member, workroom, project):
    writing = services.writing_create(
        actor=member, workroom=workroom, semester=this_semester(), kind="narrative", title="叙事",
        written_on=project.started_on, upload=pdf_upload(),
    )
    document = services.stage_document_add(actor=member, project=project, kind="plan", title="方案", upload=pdf_upload())
    log = ReadingLogFactory(teacher=member.teacher, workroom=workroom)
    achievement = AchievementFactory(teacher=member.teacher, workroom=workroom)
    upload = ArchiveEntryFactory(workroom=workroom)
    archive_file(workroom=workroom, category=ArchiveEntry.Category.RESEARCH, title="读书", source=log)
    return {
        "r": log.pk, "w": writing.pk, "p": project.pk, "d": document.pk, "a": achievement.pk,
        "e": upload.pk, "room": workroom.pk, "t": member.teacher.pk,
    }


def _post_data(name):
    return {
        "reading_review": {"action": "accept"},
        "writing_review": {"action": "accept"},
        "achievement_verify": {"action": "verify"},
        "stage_document_add": {"kind": "measures", "title": "措施", "upload": pdf_upload()},
        "close_stage": {},
        "archive_delete": {},
    }.get(name, {})


R, W, P, A = "/people/records/reading", "/people/records/writings", "/people/records/research", "/people/records/achievements"

# (name, method, url, {persona: expected status})
# Every teacher logs their own reading, writings and achievements (DOMAIN.md §1):
# a teacher in no workroom (the outsider) too; research projects stay with workrooms.
MATRIX = [
    ("reading_list", "get", f"{R}/", {"outsider": 200, "leader": 200, "member": 200}),
    ("reading_create", "get", f"{R}/new/", {"outsider": 200, "leader": 403, "member": 200}),
    ("reading_detail", "get", f"{R}/{{r}}/", {"outsider": 404, "other_host": 404, "second_member": 404, "leader": 200, "host": 200, "member": 200}),
    ("reading_edit", "get", f"{R}/{{r}}/edit/", {"outsider": 404, "leader": 403, "host": 403, "member": 200}),
    ("reading_review", "post", f"{R}/{{r}}/review/", {"outsider": 404, "leader": 403, "member": 403, "host": 302}),
    ("writing_list", "get", f"{W}/", {"outsider": 200, "leader": 200, "member": 200}),
    ("writing_create", "get", f"{W}/new/", {"outsider": 200, "leader": 403, "member": 200}),
    ("writing_detail", "get", f"{W}/{{w}}/", {"outsider": 404, "other_host": 404, "leader": 200, "host": 200, "member": 200}),
    ("writing_edit", "get", f"{W}/{{w}}/edit/", {"outsider": 404, "leader": 403, "host": 403, "member": 200}),
    ("writing_review", "post", f"{W}/{{w}}/review/", {"outsider": 404, "leader": 403, "member": 403, "host": 302}),
    ("writing_file", "get", f"{W}/{{w}}/file/", {"outsider": 404, "second_member": 404, "leader": 200, "member": 200}),
    ("project_list", "get", f"{P}/", {"outsider": 200, "leader": 200, "member": 200}),
    ("project_create", "get", f"{P}/new/", {"outsider": 403, "leader": 403, "member": 200}),
    ("project_detail", "get", f"{P}/{{p}}/", {"outsider": 404, "other_host": 404, "leader": 200, "second_member": 200, "member": 200}),
    ("project_edit", "get", f"{P}/{{p}}/edit/", {"outsider": 404, "leader": 403, "second_member": 403, "member": 200, "host": 200}),
    ("stage_document_add", "post", f"{P}/{{p}}/documents/", {"outsider": 404, "leader": 403, "second_member": 403, "host": 302}),
    ("close_stage", "post", f"{P}/{{p}}/close-stage/", {"outsider": 404, "leader": 403, "second_member": 403, "member": 302}),
    ("stage_document_file", "get", f"{P}/documents/{{d}}/", {"outsider": 404, "other_host": 404, "leader": 200, "member": 200}),
    ("achievement_list", "get", f"{A}/", {"outsider": 200, "leader": 200, "member": 200}),
    ("achievement_create", "get", f"{A}/new/", {"outsider": 200, "leader": 403, "member": 200}),
    ("achievement_detail", "get", f"{A}/{{a}}/", {"outsider": 404, "other_host": 404, "leader": 200, "host": 200, "member": 200}),
    ("achievement_edit", "get", f"{A}/{{a}}/edit/", {"outsider": 404, "leader": 403, "host": 403, "member": 200}),
    ("achievement_verify", "post", f"{A}/{{a}}/verify/", {"outsider": 404, "leader": 403, "host": 403, "member": 403, "office": 302}),
    ("achievement_evidence", "get", f"{A}/{{a}}/evidence/", {"outsider": 404, "leader": 200, "member": 200}),
    ("handbook", "get", "/people/records/handbook/", {"outsider": 200, "leader": 404, "member": 200}),
    ("member_handbook", "get", "/people/records/handbook/{t}/", {"outsider": 404, "other_host": 404, "second_member": 404, "leader": 200, "office": 200, "host": 200, "member": 200}),
    ("archive_index", "get", "/archives/", {"outsider": 200, "leader": 200, "host": 200}),
    ("archive_list", "get", "/archives/workrooms/{room}/", {"outsider": 404, "other_host": 404, "leader": 200, "member": 200, "host": 200}),
    ("archive_upload", "get", "/archives/workrooms/{room}/upload/", {"outsider": 404, "leader": 403, "member": 403, "archivist": 200, "host": 200, "office": 200}),
    ("archive_file", "get", "/archives/entries/{e}/file/", {"outsider": 404, "other_host": 404, "leader": 200, "member": 200}),
    ("archivist_set", "post", "/archives/workrooms/{room}/archivist/", {"outsider": 404, "leader": 403, "member": 403, "archivist": 403, "host": 302, "office": 302}),
    ("archive_delete", "post", "/archives/entries/{e}/delete/", {"outsider": 404, "leader": 403, "member": 403, "archivist": 302}),
]

CASES = [
    pytest.param(name, method, url, persona, expected, id=f"{name}-{persona}")
    for name, method, url, expectations in MATRIX
    for persona, expected in [("anonymous", 302), *expectations.items()]
]


@pytest.mark.parametrize("name, method, url, persona, expected", CASES)
def test_it_applies_the_permission_matrix(request, client, objs, name, method, url, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    path = url.format(**objs)
    r = getattr(client, method)(path, _post_data(name))
    assert r.status_code == expected
    if persona == "anonymous":
        assert r["Location"].startswith("/accounts/login/")


def test_it_lists_only_the_archives_a_host_may_open(client, host, other_workroom, workroom):
    client.force_login(host)
    r = client.get("/archives/")
    assert [w.name for w in r.context["page_obj"]] == [workroom.name]
