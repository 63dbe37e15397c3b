"""Take a backup of the database and the private files (security.md REL-05; docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.audit import record_event
from gongkai.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the private files into one file (encrypted when BACKUP_ENCRYPTION_KEY is set)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(settings.BACKUP_DIR), help="directory for the backup file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = create_backup(Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_event("core.backup.created", data={"file": path.name, "bytes": path.stat().st_size})
        self.stdout.write(str(path))
