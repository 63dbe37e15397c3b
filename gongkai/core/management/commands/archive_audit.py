"""Archive audit rows older than AUDIT_RETENTION_DAYS (at least 180) to a file, then remove them
(security.md AUD-02). Run daily by gongkai.core.tasks; safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.audit_files import ArchiveRefused, archive_old_events, archive_path


class Command(BaseCommand):
    help = "Move audit rows past the retention period into a hashed archive file."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = archive_old_events()
        except ArchiveRefused as error:
            raise CommandError(str(error)) from error
        if checkpoint is None:
            self.stdout.write("no audit rows past the retention period")
        else:
            self.stdout.write(
                f"archived rows {checkpoint.first_id}..{checkpoint.up_to_id} ({checkpoint.rows}) to "
                f"{archive_path(checkpoint.archive_name)} sha256 {checkpoint.archive_sha256}"
            )
