"""An application's handling as a transition table (core/workflow.py; docs/workflows.md).

Every ledger kind staff record is a move: from which statuses it may be recorded, which statuses
it may lead to (the clock decides: ``applications/clock.py``), who records it, the audit code it
writes and the message when the status does not allow it. ``services.record_clock_event`` runs
each one through ``HANDLING.run``. Seed rules: E1–E6, G5; 条例 arts. 30–36.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import OPEN_STATUSES, Status
from gongkai.applications.clock import ClockError, Kind
from gongkai.applications.models import Application, ClockEvent
from gongkai.applications.permissions import acts_only_as_office, denied_message, of_assigned_office, roles_for
from gongkai.core.workflow import Transition, Workflow

# An online submission waits for its confirmation (art. 31(三)) before anything else is recorded.
OPEN = frozenset(OPEN_STATUSES) - {Status.SUBMITTED}
RECEIVED = frozenset({Status.RECEIVED})
ANOTHER_STEP = _("Another step is still waiting; finish it first.")
NO_CORRECTION = _("No correction has been requested.")
NO_SUCH_STEP = _("There is no such step waiting.")

# An extension and the internal steps (E2–E5) leave the status as it is (drawn as loops).
KEEPING = frozenset({Kind.EXTENSION_APPROVED, *Kind.INTERNAL})
KEEPS: frozenset[str] = frozenset()

# kind: (from, to, refusal when the status does not allow it)
MOVES: dict[str, tuple[frozenset[str], frozenset[str], Any]] = {
    # The disclosure office confirms an online submission (签收): the day the clock starts.
    Kind.RECEIVED: (
        frozenset({Status.SUBMITTED}),
        RECEIVED,
        _("The application has already been received."),
    ),
    Kind.CORRECTION_REQUESTED: (
        RECEIVED,
        frozenset({Status.AWAITING_CORRECTION}),
        _("A correction can be requested only once, all at once (art. 30)."),
    ),
    Kind.CORRECTION_RECEIVED: (frozenset({Status.AWAITING_CORRECTION}), RECEIVED, NO_CORRECTION),
    Kind.CORRECTION_LAPSED: (
        frozenset({Status.AWAITING_CORRECTION}),
        frozenset({Status.ABANDONED}),
        NO_CORRECTION,
    ),
    Kind.CONSULTATION_STARTED: (RECEIVED, frozenset({Status.CONSULTING}), ANOTHER_STEP),
    Kind.CONSULTATION_ENDED: (frozenset({Status.CONSULTING}), RECEIVED, NO_SUCH_STEP),
    Kind.FEE_NOTICE_SERVED: (RECEIVED, frozenset({Status.AWAITING_FEE}), ANOTHER_STEP),
    Kind.FEE_PAID: (frozenset({Status.AWAITING_FEE}), RECEIVED, NO_SUCH_STEP),
    Kind.FEE_LAPSED: (
        frozenset({Status.AWAITING_FEE}),
        frozenset({Status.ABANDONED}),
        _("No fee notice is waiting."),
    ),
    # An extension and the internal steps (E2–E5) leave the status as it is.
    Kind.EXTENSION_APPROVED: (OPEN, KEEPS, ANOTHER_STEP),
    # A reply is served once nothing waits for the other side (a correction may still be open).
    Kind.REPLIED: (
        frozenset({Status.RECEIVED, Status.AWAITING_CORRECTION}),
        frozenset({Status.REPLIED}),
        ANOTHER_STEP,
    ),
    **{kind: (OPEN, KEEPS, ANOTHER_STEP) for kind in Kind.INTERNAL},
}
LABELS = dict(ClockEvent.KIND_CHOICES)


def _office_check(actor: Any, application: Application, transition: Transition) -> None:
    """Office staff act only on applications assigned to their own office (seed E3)."""
    if acts_only_as_office(actor, transition.name) and not of_assigned_office(actor, application):
        raise PermissionDenied(str(denied_message(transition.name)))


HANDLING: Workflow[Application] = Workflow(
    code="applications.handling",
    label=_("Application for disclosure: handling and the legal clock"),
    model=Application,
    states=Status,
    transitions=[
        Transition(
            name=kind,
            label=LABELS[kind],
            sources=sources,
            target=None,
            targets=targets,
            keeps_state=kind in KEEPING,
            roles=roles_for(kind),
            audit=f"applications.application.{kind}",
            refusal=refusal,
            denied=denied_message(kind),
        )
        for kind, (sources, targets, refusal) in MOVES.items()
    ],
    check=_office_check,
    select_related=("agency", "assigned_office"),
    initial=Status.SUBMITTED,
    other_agency=_("This application belongs to another agency."),
    error=ClockError,
    closed=(Status.REPLIED, Status.ABANDONED),
    closed_refusal=_("The application is closed."),
)
