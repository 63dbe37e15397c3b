"""Delete applicants' personal data whose retention period is over (security.md PI-04)."""

from django.core.management.base import BaseCommand

from gongkai.applications.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise the applications whose retention period after the archive hand-over is over and delete "
        "their files; delete identity proofs whose own period is over. Audited; a second run changes nothing."
    )

    def handle(self, *args, **options):
        result = purge_personal_data()
        self.stdout.write(
            f"personal data deleted: {result.applications} applications, {result.identity_proofs} identity proofs"
        )
