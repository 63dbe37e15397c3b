"""A dispute's handling as a transition table (core/workflow.py; docs/workflows.md). Seed F1–F6:
the disclosure office (党政办) handles the case; the office holding the records sends evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.core.workflow import Transition, TransitionError, Workflow
from gongkai.disputes.choices import Status
from gongkai.disputes.models import Dispute, DisputeEvent

E = DisputeEvent.EventKind
OFFICE = frozenset({Role.DISCLOSURE_OFFICER})
RECEIVED = frozenset({Status.RECEIVED})
OPEN = frozenset({Status.RECEIVED, Status.ANSWERED})
DECIDED = frozenset({Status.DECIDED})


class DisputeError(TransitionError):
    """A step the dispute's state or the law does not allow; the message is shown as is."""


NOT_AT_THIS_STEP = _("The dispute is not at this step.")


def _move(kind, sources, *, target=None, keeps=False, refusal=NOT_AT_THIS_STEP):
    return Transition(
        name=kind,
        label=E(kind).label,
        sources=sources,
        target=target,
        keeps_state=keeps,
        roles=OFFICE,
        audit=f"disputes.dispute.{kind}",
        refusal=refusal,
        denied=_("Only the disclosure office records the steps of a dispute."),
    )


def _after_decision(dispute: Dispute, name: str) -> None:
    """F6: a new reply is ordered by a decision that did not uphold the act, once; it is carried
    out once."""
    if dispute.outcome not in ("corrected", "other"):
        raise DisputeError(
            _("A decision that upheld the act orders no new reply.")
            if name == E.REPLY_ORDERED
            else _("A decision that upheld the act leaves nothing to carry out.")
        )
    if name == E.REPLY_ORDERED and dispute.new_reply_due_on is not None:
        raise DisputeError(_("The new reply has been ordered already."))
    if name == E.REPLY_ORDERED and dispute.carried_out_on is not None:
        raise DisputeError(_("The decision or judgment has been carried out already."))
    if name == E.CARRIED_OUT and dispute.carried_out_on is not None:
        raise DisputeError(_("The decision or judgment has been carried out already."))


def _check(actor, dispute: Dispute, transition: Transition) -> None:
    """The office's evidence comes after the copy was forwarded to it, and only once (F3); only a
    reconsideration under the simplified procedure moves to the ordinary one (行政复议法 art. 55);
    what follows a decision (F6): ``_after_decision``."""
    if transition.name == E.PROCEDURE_CHANGED and dispute.procedure != "simplified":
        raise DisputeError(_("Only a reconsideration under the simplified procedure moves to the ordinary one."))
    if transition.name in (E.REPLY_ORDERED, E.CARRIED_OUT):
        _after_decision(dispute, transition.name)
    if transition.name == E.EVIDENCE_RECEIVED:
        if dispute.evidence_office_id is None:
            raise DisputeError(_("Forward the copy to the office first."))
        if dispute.evidence_received_on is not None:
            raise DisputeError(_("The office's evidence has been received already."))


DISPUTE: Workflow[Dispute] = Workflow(
    code="disputes.handling",
    label=_("Administrative dispute: the answer, the evidence and the decision"),
    model=Dispute,
    states=Status,
    transitions=[
        _move(E.FORWARDED, RECEIVED, keeps=True, refusal=_("The answer has been filed already.")),
        _move(E.EVIDENCE_RECEIVED, OPEN, keeps=True),
        _move(E.MEETING_HELD, OPEN, keeps=True),
        _move(E.HEARING_SCHEDULED, OPEN, keeps=True),
        _move(E.ANSWERED, RECEIVED, target=Status.ANSWERED, refusal=_("The answer has been filed already.")),
        _move(E.DECIDED, OPEN, target=Status.DECIDED),
        _move(E.PROCEDURE_CHANGED, RECEIVED, keeps=True, refusal=_("The answer has been filed already.")),
        _move(E.REPLY_ORDERED, DECIDED, keeps=True, refusal=_("Record the decision or judgment first.")),
        _move(E.CARRIED_OUT, DECIDED, keeps=True, refusal=_("Record the decision or judgment first.")),
    ],
    check=_check,
    select_related=("agency",),
    initial=Status.RECEIVED,
    other_agency=_("This dispute belongs to another agency."),
    error=DisputeError,
    closed=(Status.DECIDED,),
    closed_refusal=_("The dispute has been decided."),
)
