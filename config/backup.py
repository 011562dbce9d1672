"""Backup and restore of the whole system: the database and every stored
file in one dated ``.tar.gz`` with a manifest (``manage.py backup`` and
``manage.py restore``, README.md 备份与恢复).

Layout of an archive::

    manifest.json      what is inside: database format, row count per model, every file with size and SHA-256
    database.dump      PostgreSQL: pg_dump custom format (or database.sqlite3: a copy of an SQLite database)
    files/<name>       each stored file under its storage name

Files are read and written only through the storage API, so a backup taken
from a folder restores into an object store and the other way round."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.utils import timezone

from core.models import StoredFile

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


def _pg_env() -> dict:
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"], "PGUSER": s["USER"] or "", "PGHOST": s["HOST"] or "",
           "PGPORT": str(s["PORT"] or "")}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return {k: v for k, v in env.items() if v != ""}


def _run(cmd: list[str]) -> None:
    try:
        done = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"找不到 {cmd[0]}：请安装 PostgreSQL 客户端（postgresql-client）。") from None
    if done.returncode:
        raise BackupError(f"{cmd[0]} 失败：{done.stderr.strip()[-2000:]}")


def row_counts() -> dict[str, int]:
    """Rows of every concrete model's table, by ``app_label.ModelName``."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._base_manager.using(connection.alias).count()
    return counts


def _sha256(f) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: f.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _storage():
    return StoredFile._meta.get_field("file").storage


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), mtime
    tar.addfile(info, io.BytesIO(data))


def _dump_database(target: Path) -> dict:
    vendor = connection.vendor
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return {"vendor": vendor, "file": "database.dump", "format": "pg_dump custom"}
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return {"vendor": vendor, "file": "database.sqlite3", "format": "sqlite3"}
    raise BackupError(f"不支持的数据库：{vendor}")


def backup(directory: Path, *, now: datetime | None = None) -> Path:
    """Write ``workrooms-backup-<date>-<time>.tar.gz`` into ``directory``."""
    now = timezone.localtime(now or timezone.now())
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"workrooms-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    storage = _storage()
    partial = final.with_name(final.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database"
        database = _dump_database(dump)
        counts = row_counts()
        names = sorted(set(StoredFile.objects.exclude(file="").values_list("file", flat=True)))
        files, missing = [], []
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=database["file"])
            for name in names:
                try:
                    with storage.open(name, "rb") as f:
                        sha = _sha256(f)
                        f.seek(0)
                        info = tarfile.TarInfo(FILES + name)
                        info.size, info.mtime = storage.size(name), now.timestamp()
                        tar.addfile(info, f)
                except FileNotFoundError:
                    missing.append(name)
                    continue
                files.append({"name": name, "size": info.size, "sha256": sha})
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "database": database,
                "rows": counts,
                "files": files,
                "missing_files": missing,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode(), now.timestamp())
    os.replace(partial, final)  # only a complete archive carries the final name
    return final


@dataclass
class Restored:
    rows: dict[str, int]
    files: int


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"不是有效的备份文件：{archive}（{exc}）") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _clear_database() -> None:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def _restore_database(tar: tarfile.TarFile, database: dict, scratch: Path) -> None:
    if database["vendor"] != connection.vendor:
        raise BackupError(f"备份来自 {database['vendor']} 数据库，不能恢复到 {connection.vendor}。")
    tar.extract(database["file"], scratch, filter="data")
    source = scratch / database["file"]
    if connection.vendor == "postgresql":
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={connection.settings_dict['NAME']}", str(source)])
    else:
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Restore ``archive`` into this (empty) database and the storage."""
    manifest = read_manifest(archive)
    if not database_is_empty():
        if not force:
            raise BackupError("数据库不是空的，恢复会覆盖其中的数据；确认要覆盖时加 --force。")
        _clear_database()
    storage = _storage()
    expected = {f["name"]: f for f in manifest["files"]}
    restored = 0
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive, "r:gz") as tar:
        _restore_database(tar, manifest["database"], Path(scratch))
        for member in tar:
            if not member.isfile() or not member.name.startswith(FILES):
                continue
            name = member.name.removeprefix(FILES)
            if name not in expected or ".." in Path(name).parts or name.startswith("/"):
                raise BackupError(f"备份中有清单之外的文件：{name}")
            with tempfile.TemporaryFile() as f:
                shutil.copyfileobj(tar.extractfile(member), f)
                f.seek(0)
                if _sha256(f) != expected[name]["sha256"]:
                    raise BackupError(f"文件 {name} 与清单的校验值不符，备份已损坏。")
                f.seek(0)
                if storage.exists(name):
                    storage.delete(name)
                if storage.save(name, f) != name:
                    raise BackupError(f"文件 {name} 未能按原名保存。")
            restored += 1
    if restored != len(expected):
        raise BackupError(f"备份中只有 {restored} 个文件，清单列出 {len(expected)} 个。")
    rows = row_counts()
    differ = {label: (n, rows.get(label)) for label, n in manifest["rows"].items() if rows.get(label) != n}
    if differ:
        raise BackupError(f"恢复后的行数与清单不符：{differ}")
    return Restored(rows=rows, files=restored)
