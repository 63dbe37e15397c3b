"""When a catalog entry must be published (A6: 20 working days after it was formed; D4: an
official document 1 working day after it was issued), stored on the entry and moved when the
holiday calendar changes. The reminder sweep over these dates lives with the reminders."""

from __future__ import annotations

from gongkai.catalog.choices import Attribute
from gongkai.catalog.models import Entry
from gongkai.core.calendar import due_date
from gongkai.core.workdays import WorkdayResult

PUBLISH_WITHIN_WORKING_DAYS = 20  # A6
OFFICIAL_DOCUMENT_WITHIN_WORKING_DAYS = 1  # D4
DEADLINE_FIELDS = ["publish_due_on", "publish_due_provisional"]


def publish_deadline(entry: Entry) -> WorkdayResult:
    """The date by which the entry must be published.

    An official document is due 1 working day after the day it was issued (印发, D4): the day it
    was written (成文) comes earlier and would give a date before the document existed, and
    A6's 20 working days from an earlier "formed" date would do the same. Anything else, and an
    official document registered before the issue date was recorded, is due 20 working days
    after it was formed (A6)."""
    if entry.is_official_document and entry.issued_on:
        return due_date(entry.issued_on, OFFICIAL_DOCUMENT_WITHIN_WORKING_DAYS)
    return due_date(entry.formed_on, PUBLISH_WITHIN_WORKING_DAYS)


def store_deadline(entry: Entry) -> list[str]:
    """Set the entry's publish-by date (none for what is not proactively disclosed, or was
    imported); returns the fields to save."""
    if entry.attribute != Attribute.PROACTIVE or entry.imported:
        entry.publish_due_on, entry.publish_due_provisional = None, False
    else:
        result = publish_deadline(entry)
        entry.publish_due_on, entry.publish_due_provisional = result.due, result.provisional
    return list(DEADLINE_FIELDS)


def recompute_publish_deadlines(years: set[int]) -> int:
    """Calendar changed: move the publish-by dates of unpublished entries (registered recomputer)."""
    changed = 0
    for entry in Entry.objects.awaiting_publication().select_for_update():
        before = (entry.publish_due_on, entry.publish_due_provisional)
        store_deadline(entry)
        if (entry.publish_due_on, entry.publish_due_provisional) != before:
            entry.save(update_fields=DEADLINE_FIELDS)
            changed += 1
    return changed
