"""python manage.py restore ARCHIVE [--force]

Restores an archive written by ``backup`` into this site's database, which
must be empty (just created, not migrated) unless ``--force`` (then every
table is dropped first), and its files into the storage; checks every file
against the manifest's SHA-256 and the row count of every model."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backup import BackupError, restore


class Command(BaseCommand):
    help = "从 backup 写出的归档恢复数据库与全部文件（数据库须为空，否则加 --force）"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份归档（.tar.gz）")
        parser.add_argument("--force", action="store_true", help="数据库不为空时先删除其中所有表再恢复")

    def handle(self, *args, archive, force=False, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份文件：{archive}")
        try:
            done = restore(archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复 {sum(done.rows.values())} 行数据（{len(done.rows)} 个模型）与 {done.files} 个文件。")
