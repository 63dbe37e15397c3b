"""Re-encrypt personal data under the current key (docs/decisions/0022; security.md PI-03)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core import crypto
from gongkai.core.audit import record_event
from gongkai.core.key_rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Rewrite every encrypted column, keyed hash and applicant file not yet under the first key of "
        "PERSONAL_DATA_KEYS and the PERSONAL_DATA_CIPHER algorithm. Batched and resumable; run it again "
        "until it reports 0, then remove the old key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        key_id, alg = crypto.key_ring().current, crypto.current_alg()
        result = rotate_all(batch_size=batch_size)
        if result.rows or result.files:
            record_event(
                "core.personal_data.rekeyed",
                data={"key_id": key_id, "algorithm": alg, "rows": result.rows, "files": result.files},
            )
        self.stdout.write(f"key {key_id} ({alg}): {result.rows} rows and {result.files} files re-encrypted")
