"""Helper run as a separate process by test_sequences.py (SQLite concurrency), on the database
file named by DATABASE_URL: ``setup`` creates the counter table; ``take N`` takes N values of
one sequence, every other one inside a transaction of its own, and prints them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from gongkai.core.models import Counter
    from gongkai.core.sequences import next_in_sequence

    if sys.argv[1] == "setup":
        with connection.schema_editor() as editor:
            editor.create_model(Counter)
        return
    taken = []
    for i in range(int(sys.argv[2])):
        if i % 2:
            taken.append(next_in_sequence("test.sequence", 7, 2026))  # its own transaction
        else:
            with transaction.atomic():
                taken.append(next_in_sequence("test.sequence", 7, 2026))
    print(",".join(map(str, taken)))


if __name__ == "__main__":
    main()
