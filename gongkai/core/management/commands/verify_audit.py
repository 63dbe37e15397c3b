"""Recompute the audit hash chain and compare it with the exported heads; exit 1 naming the first
row that was altered or removed (security.md AUD-02)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.audit import verify_chain
from gongkai.core.audit_files import check_archives, check_exported_heads, current_head
from gongkai.core.models import AuditCheckpoint, AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, its exported heads and its archives (tamper evidence)."

    def handle(self, *args: Any, **options: Any) -> None:
        head = current_head()
        if head is None:
            self.stdout.write("audit head: no rows yet")
        else:
            self.stdout.write(f"audit head: row {head.id} at {head.occurred_at} hash {head.hash}")
        problems = list(verify_chain())
        head_problems, exported = check_exported_heads()
        archive_problems, notes = check_archives()
        for note in notes:
            self.stdout.write(f"note: {note}")
        if problems:
            first = problems[0]
            for problem in problems[:20]:
                self.stderr.write(f"row {problem.event_id}: {problem.reason}")
            raise CommandError(f"audit chain broken: first bad row is {first.event_id} ({len(problems)} problem(s))")
        if head_problems or archive_problems:
            for problem in (head_problems + archive_problems)[:20]:
                self.stderr.write(f"row {problem.event_id}: {problem.reason}")
            first = (head_problems + archive_problems)[0]
            raise CommandError(f"audit trail incomplete: {first.reason} (row {first.event_id})")
        archived = AuditCheckpoint.objects.count()
        self.stdout.write(
            f"audit chain intact: {AuditEvent.objects.count()} rows"
            + (f", {archived} archive(s) before them" if archived else "")
            + (f"; {exported} exported head(s) still in the chain" if exported else "")
        )
