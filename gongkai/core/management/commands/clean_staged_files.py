"""Remove what a crash left in the upload staging and temp directories (REL-06).

Run at start-up (`make run` does; in production the service's ExecStartPre) with ``--all``, when
no other process of this installation is writing; the hourly job removes only parts older
than an hour, which no live transaction still holds."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.uploads import STALE_AFTER_SECONDS, clean_staging


class Command(BaseCommand):
    help = "Remove staged upload files that no committed transaction moved into place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="remove every staged file, however recent (only while the site is stopped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = clean_staging(older_than=0 if options["all"] else STALE_AFTER_SECONDS)
        self.stdout.write(f"removed {len(removed)} stray staged file(s)")
