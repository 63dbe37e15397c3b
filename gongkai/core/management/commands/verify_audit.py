"""Recompute the audit hash chain; exit 1 naming the first row that was altered or removed."""

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.audit import verify_chain
from gongkai.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (tamper evidence)."

    def handle(self, *args, **options):
        problems = list(verify_chain())
        if problems:
            first = problems[0]
            for problem in problems[:20]:
                self.stderr.write(f"row {problem.event_id}: {problem.reason}")
            raise CommandError(f"audit chain broken: first bad row is {first.event_id} ({len(problems)} problem(s))")
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} rows")
