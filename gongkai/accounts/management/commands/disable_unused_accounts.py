"""Disable staff accounts not used for ACCOUNT_INACTIVE_DAYS (security.md AUTH-01). Idempotent;
also run daily by the job runner."""

from django.core.management.base import BaseCommand

from gongkai.accounts.services import disable_stale_accounts


class Command(BaseCommand):
    help = "Disable staff accounts unused for ACCOUNT_INACTIVE_DAYS days."

    def handle(self, *args, **options):
        self.stdout.write(f"disabled {disable_stale_accounts()} account(s)")
