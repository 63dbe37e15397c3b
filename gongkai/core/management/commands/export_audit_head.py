"""Append the audit chain's current head (id, time, hash) to the export file (security.md AUD-02).

Run daily (gongkai.core.tasks does); in production AUDIT_HEAD_EXPORT_DIR is storage the database
host cannot rewrite, or the file is collected from there.
"""

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.core.audit_files import export_head, head_file


class Command(BaseCommand):
    help = "Export the audit chain's head hash to an append-only file outside the database."

    def handle(self, *args: Any, **options: Any) -> None:
        head = export_head()
        if head is None:
            self.stdout.write("audit trail is empty; nothing exported")
        else:
            self.stdout.write(f"exported audit head: row {head.id} at {head.occurred_at} hash {head.hash}")
            self.stdout.write(f"to {head_file()}")
