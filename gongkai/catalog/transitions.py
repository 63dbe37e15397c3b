"""The catalog's review chain as a transition table (core/workflow.py; docs/workflows.md).

Each row says from which statuses a move may start, where it ends, which roles take it, which
audit code it writes, the message when the status does not allow it and the form it reads.
``services.py`` runs every move through ``REVIEW.run``; the agency, status and role checks are
there, and the chain's own rules (the host office's head, the drafter who may not approve, the
clerk of the host office) are in ``check_rules`` below. Seed rules: G3–G8, B1, B3–B5, B8, D1–D3.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.catalog import forms as f
from gongkai.catalog.choices import Decision, Status, Step
from gongkai.catalog.models import Entry
from gongkai.catalog.permissions import drafters, is_clerk_of, is_head_of
from gongkai.catalog.steps import (
    REVIEW_STATUSES,
    ROLES_OF_STEP,
    STATUS_OF_STEP,
    STEP_OF_STATUS,
    VALIDITY_ROLES,
    WITHDRAW_ROLES,
)
from gongkai.core.workflow import Transition, Workflow

NOT_AT_STEP = _("This item is not at the step “%(step)s”; it is at “%(status)s”.")
NOT_YOUR_STEP = _("Your roles do not include this review step.")
CLERK_ONLY = _("Only a drafting clerk of the host office can write this item.")

# The steps approved one by one on the entry page (the authority's answer and the publication
# have moves of their own), and the steps that may send the entry back to its drafter.
APPROVED_STEPS = (Step.OFFICE, Step.CONFIDENTIALITY, Step.LEADER_CONFIDENTIALITY, Step.DISCLOSURE, Step.RELEASE)
RETURNING_STEPS = (*APPROVED_STEPS[:2], Step.ESCALATION, *APPROVED_STEPS[2:], Step.PUBLICATION)
APPROVAL_FORMS: dict[str, type[f.OpinionForm]] = {
    Step.OFFICE: f.OfficeOpinionForm,
    Step.CONFIDENTIALITY: f.ConfidentialityOpinionForm,
}


# Where an approval may lead. The steps approved on one revision are always the first steps of
# its chain (each step waits for the one before), so an approval leads to the next step of the
# chain: after the disclosure check, the release approval (important), ready to publish, or
# registered (not proactive). The authority's answer has its own move.
NEXT_AFTER: dict[str, set[Status]] = {
    Step.OFFICE: {Status.CONFIDENTIALITY_REVIEW},
    Step.CONFIDENTIALITY: {Status.LEADER_CONFIDENTIALITY},  # an unclear classification is escalated
    Step.LEADER_CONFIDENTIALITY: {Status.DISCLOSURE_CHECK},
    Step.DISCLOSURE: {Status.RELEASE_APPROVAL, Status.READY, Status.REGISTERED},
    Step.RELEASE: {Status.READY},
}


def _at_step(step: str) -> tuple[tuple[str, str | Promise], ...]:
    return (("step", Step(step).label),)


def _approve(step: str) -> Transition:
    return Transition(
        name=f"approve_{step}",
        label=Step(step).label,
        sources=frozenset({STATUS_OF_STEP[step]}),
        target=None,
        targets=frozenset(NEXT_AFTER[step]),
        roles=frozenset(ROLES_OF_STEP[step]),
        audit="catalog.entry.approved",
        refusal=NOT_AT_STEP,
        form=APPROVAL_FORMS.get(step, f.OpinionForm),
        denied=NOT_YOUR_STEP,
        params=_at_step(step),
    )


def _return(step: str) -> Transition:
    return Transition(
        name=f"return_{step}",
        label=Decision.RETURN.label,
        sources=frozenset({STATUS_OF_STEP[step]}),
        target=Status.DRAFT,
        roles=frozenset(ROLES_OF_STEP[step]),
        audit="catalog.entry.returned",
        refusal=NOT_AT_STEP,
        form=f.ReturnForm,
        denied=NOT_YOUR_STEP,
        params=_at_step(step),
    )


SUBMIT = Transition(
    name="submit",
    label=_("Submit for review"),
    sources=frozenset({Status.DRAFT}),
    target=None,  # where the chain resumes: the office, or the step it was returned from unchanged
    targets=frozenset(set(REVIEW_STATUSES) - {Status.ESCALATED}),
    roles=frozenset({Role.CLERK}),
    audit="catalog.entry.submitted",
    refusal=_("Only a draft can be submitted."),
    denied=CLERK_ONLY,
)
ESCALATE = Transition(
    name="escalate",
    label=Decision.ESCALATE.label,
    sources=frozenset({Status.CONFIDENTIALITY_REVIEW}),
    target=Status.ESCALATED,
    roles=frozenset(ROLES_OF_STEP[Step.CONFIDENTIALITY]),
    audit="catalog.entry.escalated",
    refusal=NOT_AT_STEP,
    form=f.EscalateForm,
    denied=NOT_YOUR_STEP,
    params=_at_step(Step.CONFIDENTIALITY),
)
ANSWER = Transition(
    name="answer",
    label=Step.ESCALATION.label,
    sources=frozenset({Status.ESCALATED}),
    target=None,  # not secret: on to the leader; secret: back to the drafter
    targets=frozenset({Status.LEADER_CONFIDENTIALITY, Status.DRAFT}),
    roles=frozenset(ROLES_OF_STEP[Step.ESCALATION]),
    audit="catalog.entry.authority_answered",
    refusal=NOT_AT_STEP,
    form=f.AuthorityAnswerForm,
    denied=NOT_YOUR_STEP,
    params=_at_step(Step.ESCALATION),
)
CONSENT = Transition(
    name="consent",
    label=Step.CO_CONSENT.label,
    sources=frozenset({Status.OFFICE_REVIEW}),
    target=Status.OFFICE_REVIEW,
    roles=frozenset(ROLES_OF_STEP[Step.CO_CONSENT]),
    audit="catalog.entry.consented",
    refusal=_("Co-producing offices consent while the item is at the office check."),
    form=f.ConsentForm,
    denied=NOT_YOUR_STEP,
)
PUBLISH = Transition(
    name="publish",
    label=_("Publish"),
    sources=frozenset({Status.READY}),
    target=Status.PUBLISHED,
    roles=frozenset(ROLES_OF_STEP[Step.PUBLICATION]),
    audit="catalog.entry.published",
    refusal=NOT_AT_STEP,
    form=f.PublishForm,
    denied=NOT_YOUR_STEP,
    params=_at_step(Step.PUBLICATION),
)
SCHEDULE = Transition(
    name="schedule",
    label=Status.SCHEDULED.label,
    sources=frozenset({Status.READY}),
    target=Status.SCHEDULED,
    roles=frozenset(ROLES_OF_STEP[Step.PUBLICATION]),
    audit="catalog.entry.scheduled",
    refusal=NOT_AT_STEP,
    form=f.PublishForm,
    denied=NOT_YOUR_STEP,
    params=_at_step(Step.PUBLICATION),
)
CANCEL_ONLY = _("Only a scheduled publication can be cancelled, by the web administrator.")
CANCEL = Transition(
    name="cancel",
    label=_("Cancel the schedule"),
    sources=frozenset({Status.SCHEDULED}),
    target=Status.READY,
    roles=frozenset({Role.WEB_ADMINISTRATOR}),
    audit="catalog.entry.schedule_cancelled",
    refusal=CANCEL_ONLY,
    denied=CANCEL_ONLY,
)
WITHDRAW = Transition(
    name="withdraw",
    label=_("Withdraw"),
    sources=frozenset({Status.PUBLISHED}),
    target=Status.WITHDRAWN,
    roles=frozenset(WITHDRAW_ROLES),
    audit="catalog.entry.withdrawn",
    refusal=_("Only a published item can be withdrawn."),
    form=f.WithdrawForm,
    denied=_("Only the disclosure office or the web administrator can withdraw an item."),
)
VALIDITY = Transition(
    name="validity",
    label=_("Change validity"),
    sources=frozenset({Status.PUBLISHED}),
    target=Status.PUBLISHED,
    roles=frozenset(VALIDITY_ROLES),
    audit="catalog.entry.validity_changed",
    refusal=_("Choose the validity of a published item."),
    form=f.ValidityForm,
    denied=_("Only the disclosure office changes the validity of an item."),
)
# A rectification (更正, B8) leaves the published entry as it is and starts a new draft that
# corrects it; the audit event is that draft's ``created``. The checks are the table's.
CORRECT = Transition(
    name="correct",
    label=_("Draft a correction"),
    sources=frozenset({Status.PUBLISHED}),
    target=Status.PUBLISHED,
    roles=frozenset({Role.CLERK}),
    audit="catalog.entry.created",
    refusal=_("Only a published item can be corrected."),
    denied=CLERK_ONLY,
)

TRANSITIONS = [
    SUBMIT,
    CONSENT,
    *(_approve(step) for step in APPROVED_STEPS),
    ESCALATE,
    ANSWER,
    *(_return(step) for step in RETURNING_STEPS),
    PUBLISH,
    SCHEDULE,
    CANCEL,
    WITHDRAW,
    VALIDITY,
    CORRECT,
]

# The chain's own rules, on top of the table's agency, status and role checks.
CLERK_MOVES = frozenset({SUBMIT.name, CORRECT.name})
HOST_OFFICE_MOVES = frozenset({f"approve_{Step.OFFICE}", f"return_{Step.OFFICE}"})
REVIEWER_MOVES = frozenset(
    t.name for t in TRANSITIONS if t.name.startswith(("approve_", "return_")) or t in (ESCALATE, ANSWER, PUBLISH)
) | {SCHEDULE.name}


def check_rules(actor, entry: Entry, transition: Transition) -> None:
    """The host office's clerk drafts and submits; the host office's head gives the office
    opinion; nobody who wrote a revision approves it (B4). The co-producing office's head is
    checked by ``consent`` itself, which knows the office."""
    if transition.name in CLERK_MOVES and not is_clerk_of(actor, entry.office):
        raise PermissionDenied(str(CLERK_ONLY))
    if transition.name in HOST_OFFICE_MOVES and not is_head_of(actor, entry.office):
        raise PermissionDenied(gettext("Only the head of the host office gives this opinion."))
    if transition.name in REVIEWER_MOVES and actor.pk in drafters(entry):
        raise PermissionDenied(gettext("The person who drafted an item cannot also approve it."))


REVIEW: Workflow[Entry] = Workflow(
    code="catalog.review",
    label=_("Disclosure catalog: drafting, review and publication"),
    model=Entry,
    states=Status,
    transitions=TRANSITIONS,
    check=check_rules,
    select_related=("agency", "office"),
    initial=Status.DRAFT,
    other_agency=_("This item belongs to another agency."),
)


def transition_for(action: str, entry: Entry) -> Transition | None:
    """The row behind a form's ``action`` on this entry: "approve" and "return" mean the step
    the entry waits for; None when the entry's status has no such move."""
    if action in ("approve", "return"):
        action = f"{action}_{STEP_OF_STATUS.get(entry.status, '')}"
    return next((t for t in REVIEW.transitions if t.name == action), None)
