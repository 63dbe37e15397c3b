"""Per-agency, per-year counters (application numbers, catalog index numbers), safe under
concurrency on SQLite and PostgreSQL (security.md REL-03)."""

from __future__ import annotations

from django.db import IntegrityError, transaction


def next_in_sequence(model, *, agency, year: int) -> int:
    """Lock the counter row of ``agency`` and ``year`` until the transaction ends (creating it
    when missing; losing the race to create it is fine) and return its next value. A rolled-back
    caller leaves a gap; a value is never given twice. ``model`` has ``agency``, ``year`` and
    ``last`` fields, unique together on agency and year."""
    if not model.objects.filter(agency=agency, year=year).exists():
        try:
            with transaction.atomic():  # a savepoint
                model.objects.create(agency=agency, year=year)
        except IntegrityError:
            pass
    sequence = model.objects.select_for_update().get(agency=agency, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
