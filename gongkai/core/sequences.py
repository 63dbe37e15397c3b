"""Numbered sequences (application numbers, catalog index numbers, notice numbers), safe under
concurrency on SQLite and PostgreSQL (security.md REL-03), all kept in ``core.Counter``."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gongkai.core.models import Counter


def next_in_sequence(name: str, agency_id: int, year: int = 0) -> int:
    """The next value of the sequence ``name`` of the agency in ``year`` (0: a sequence that does
    not start again each year). The counter row stays locked until the caller's transaction ends
    (it is created when missing; losing the race to create it is fine). A value is never given
    twice; a caller that rolls back gives its value back, one that fails after its own
    transaction committed leaves a gap. PostgreSQL locks the row; SQLite's IMMEDIATE
    transactions hold the database's write lock from their start."""
    key = {"agency_id": agency_id, "name": name, "year": year}
    with transaction.atomic():
        if not Counter.objects.filter(**key).exists():
            try:
                with transaction.atomic():  # a savepoint
                    Counter.objects.create(**key)
            except IntegrityError:
                pass
        counter = Counter.objects.select_for_update().get(**key)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last
