"""python manage.py backup [--output DIR]

Writes the database and every stored file to one dated archive
``workrooms-backup-<date>-<time>.tar.gz`` with a manifest (``config.backup``).
The folder is ``--output``, else ``BACKUP_DIR``, else ``backups/`` in the project."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与全部文件到一个带日期的归档（.tar.gz，含清单）"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None, help="归档所在目录（默认 BACKUP_DIR）")

    def handle(self, *args, output=None, **options):
        try:
            archive = backup(output or Path(settings.BACKUP_DIR))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(archive))
