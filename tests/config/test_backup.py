"""manage.py backup and restore: the demo school backed up, restored into a
fresh empty PostgreSQL database and an empty file folder, has every record
(rows per model) and every file (same bytes)."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from config.backup import row_counts
from core.models import StoredFile

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database():
    name = f"wr_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args, database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": database_url,
           "MEDIA_ROOT": str(media)}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240)


def _tables_rows(url: str) -> dict[str, int]:
    counts = {}
    with psycopg.connect(url) as conn:
        for label in row_counts():
            table = apps.get_model(label)._meta.db_table
            counts[label] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts


def test_the_demo_school_restores_into_an_empty_database_with_every_record_and_file(tmp_path, empty_database, settings):
    # loaded as an operator would, by its own process, into the test database
    loaded = _manage("load_demo", database_url=_url(connection.settings_dict["NAME"]), media=settings.MEDIA_ROOT)
    assert loaded.returncode == 0, loaded.stderr
    rows = row_counts()
    files = {}
    for name in StoredFile.objects.values_list("file", flat=True):
        with default_storage.open(name, "rb") as f:
            files[name] = f.read()
    assert rows["workrooms.Workroom"] > 0 and rows["auth.User"] > 10 and len(files) >= 5

    out = StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path / "backups" and archive.name.startswith("workrooms-backup-")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["format"] == "pg_dump custom"
    assert manifest["rows"] == rows and sorted(f["name"] for f in manifest["files"]) == sorted(files)

    media = tmp_path / "restored-media"
    done = _manage("restore", str(archive), database_url=empty_database, media=media)
    assert done.returncode == 0, done.stderr
    assert f"{len(files)} 个文件" in done.stdout

    assert _tables_rows(empty_database) == rows
    for name, data in files.items():
        assert (media / name).read_bytes() == data, name

    # a second restore into the now filled database is refused and changes nothing
    again = _manage("restore", str(archive), database_url=empty_database, media=media)
    assert again.returncode != 0 and "数据库不是空的" in again.stderr and "--force" in again.stderr
    assert _tables_rows(empty_database) == rows
    # unless told --force: the tables are replaced by the archive's
    with psycopg.connect(empty_database) as conn:
        conn.execute('DELETE FROM "workrooms_statuschange"')
    assert _tables_rows(empty_database) != rows
    forced = _manage("restore", str(archive), "--force", database_url=empty_database, media=media)
    assert forced.returncode == 0, forced.stderr
    assert _tables_rows(empty_database) == rows


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, teacher):
    out = StringIO()
    call_command("backup", output=tmp_path, stdout=out)
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", out.getvalue().strip())
    assert teacher.__class__.objects.filter(pk=teacher.pk).exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    junk = tmp_path / "x.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(junk))
