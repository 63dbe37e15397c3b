"""The catalog's reminders (A6, D4): an entry due for publication within the due-soon window,
or overdue, reminds whoever must act next and the agency's disclosure office, once per entry,
threshold and deadline (REL-04). Registered in ``CatalogConfig.ready()``; sent by the one daily
sweep (``gongkai.core.reminders.sweep_reminders``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.choices import Status, Step
from gongkai.catalog.deadlines import publish_deadline
from gongkai.catalog.models import Entry
from gongkai.catalog.steps import ROLES_OF_STEP, STEP_OF_STATUS
from gongkai.core.calendar import explain
from gongkai.core.reminders import Due, ReminderKind, sweep_reminders


def step_owners(entry: Entry) -> list[str]:
    """E-mail addresses of who must act next on the entry, and the agency's disclosure officers."""
    step = STEP_OF_STATUS.get(entry.status)
    if entry.status == Status.DRAFT:
        next_actor = Q(role_assignments__role=Role.CLERK, role_assignments__office=entry.office)
    elif step == Step.OFFICE:
        next_actor = Q(role_assignments__role=Role.OFFICE_HEAD, role_assignments__office=entry.office)
    elif step:
        next_actor = Q(role_assignments__role__in=ROLES_OF_STEP[step])
    else:
        next_actor = Q(pk__in=[])
    people = User.objects.filter(agency_id=entry.agency_id, is_active=True).filter(
        next_actor | Q(role_assignments__role=Role.DISCLOSURE_OFFICER)
    )
    return sorted({email for email in people.values_list("email", flat=True) if email})


def publication_due(today: date, soon: date) -> Iterator[Due]:
    """Entries still in the chain whose publish-by date is at most ``soon`` (partial index
    ``entry_unpublished_due_idx``)."""
    pending = Entry.objects.awaiting_publication().filter(publish_due_on__lte=soon)
    for entry in pending.select_related("agency", "office").order_by("publish_due_on", "pk"):
        threshold = "overdue" if entry.publish_due_on < today else "due_soon"
        yield Due(f"catalog:{entry.pk}", threshold, entry.publish_due_on, step_owners(entry), entry)


def publication_message(due: Due) -> tuple[str, str]:
    entry = due.obj
    subject = (
        _("Publication overdue: “%(title)s” was due on %(due)s")
        if due.threshold == "overdue"
        else _("Publication due soon: “%(title)s” by %(due)s")
    ) % {"title": entry.title[:40], "due": due.due_on.isoformat()}
    body = "\n".join(
        [
            subject,
            _("Current step: %(status)s") % {"status": entry.get_status_display()},
            *explain(publish_deadline(entry)),
        ]
    )
    return subject, body


PUBLICATION_DUE = ReminderKind(
    code="catalog.publication_due",
    label=gettext_lazy("Publication deadline of a catalog entry"),
    thresholds=("overdue", "due_soon"),
    find=publication_due,
    message=publication_message,
)
KINDS = (PUBLICATION_DUE,)


def sweep_publish_deadlines(today: date | None = None) -> int:
    """The catalog's part of the daily sweep (for tests and manual runs); reminders sent."""
    return sweep_reminders(today, codes={kind.code for kind in KINDS})
