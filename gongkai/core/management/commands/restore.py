"""Restore a backup into the configured (empty) database and private-file directory, then verify
the row counts, SQLite's integrity check, the audit chain and every stored file (REL-05)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import record_event
from gongkai.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` and verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="the backup file")
        parser.add_argument("--force", action="store_true", help="replace a database and files that are not empty")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(Path(options["backup"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(_("Restore refused: %(reason)s") % {"reason": exc}) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        line = (
            f"{timezone.localtime().isoformat()} {Path(options['backup']).name} "
            f"tables={len(report.manifest['row_counts'])} rows={sum(report.manifest['row_counts'].values())} "
            f"files={report.files} seconds={report.seconds} problems={len(report.problems)}"
        )
        log = Path(settings.VAR_DIR) / "restore-drills.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        if report.problems:
            raise CommandError(
                _("Restored, but the verification found %(count)d problem(s).") % {"count": len(report.problems)}
            )
        record_event(
            "core.backup.restored",
            data={"file": Path(options["backup"]).name, "seconds": report.seconds, "files": report.files},
        )
        self.stdout.write(_("Restored and verified: %(line)s") % {"line": line})
