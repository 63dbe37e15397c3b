"""The steps of the catalog's review chain: which step an entry in each status waits for, who
takes it, and which steps an entry must pass (G3, G5, B3, B4, D2, D3; issue 3).

The ground floor of the catalog's processes: it reads the models and vocabularies only, so the
selectors, the permissions and the services can all build on it.
"""

from __future__ import annotations

from gongkai.accounts.choices import Role
from gongkai.catalog.choices import Attribute, Classification, Decision, Status, Step
from gongkai.catalog.models import Entry, Revision
from gongkai.core.workflow import TransitionError


class ReviewError(TransitionError):
    """A catalog action that the entry's state or the rules do not allow; the message is Chinese."""


# Keyed by the stored value (a model field gives a plain str; a member of Status or Step is one too).
STEP_OF_STATUS: dict[str, Step] = {
    Status.OFFICE_REVIEW: Step.OFFICE,
    Status.CONFIDENTIALITY_REVIEW: Step.CONFIDENTIALITY,
    Status.ESCALATED: Step.ESCALATION,
    Status.LEADER_CONFIDENTIALITY: Step.LEADER_CONFIDENTIALITY,
    Status.DISCLOSURE_CHECK: Step.DISCLOSURE,
    Status.RELEASE_APPROVAL: Step.RELEASE,
    Status.READY: Step.PUBLICATION,
}
STATUS_OF_STEP: dict[str, str] = {step: status for status, step in STEP_OF_STATUS.items()}
ROLES_OF_STEP: dict[str, set[Role]] = {
    Step.OFFICE: {Role.OFFICE_HEAD},
    Step.CO_CONSENT: {Role.OFFICE_HEAD},
    Step.CONFIDENTIALITY: {Role.CONFIDENTIALITY_REVIEWER},
    Step.ESCALATION: {Role.CONFIDENTIALITY_REVIEWER},
    Step.LEADER_CONFIDENTIALITY: {Role.LEADER_IN_CHARGE},
    Step.DISCLOSURE: {Role.DISCLOSURE_OFFICER},
    Step.RELEASE: {Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER},
    Step.PUBLICATION: {Role.WEB_ADMINISTRATOR},
}
WITHDRAW_ROLES = {Role.DISCLOSURE_OFFICER, Role.WEB_ADMINISTRATOR}
VALIDITY_ROLES = {Role.DISCLOSURE_OFFICER}
MIN_REASON = 5  # characters of a reason (return, withdrawal, validity, ground)

# The statuses of the chain in order (the order of ``Step``), for the moves that resume the chain.
REVIEW_STATUSES = [STATUS_OF_STEP[step] for step in Step.values if step in STATUS_OF_STEP]


def approved_steps(entry: Entry, revision: Revision) -> set[str]:
    """Steps approved on this very revision. Approvals given before a return of the same,
    unchanged revision still stand (the content they saw is the same); approvals of an older
    revision do not, so a changed draft starts the chain again ("restarts where it must")."""
    return set(
        entry.opinions.filter(revision=revision, decision=Decision.APPROVE)
        .exclude(step__in=[Step.SUBMITTED, Step.CO_CONSENT])
        .values_list("step", flat=True)
    )


def chain(entry: Entry) -> list[str]:
    """The steps this entry must pass, in order, given its attribute and importance."""
    steps: list[str] = [Step.OFFICE, Step.CONFIDENTIALITY]
    if entry.classification == Classification.UNCLEAR or entry.status == Status.ESCALATED:
        steps.append(Step.ESCALATION)
    steps += [Step.LEADER_CONFIDENTIALITY, Step.DISCLOSURE]
    if entry.attribute == Attribute.PROACTIVE:
        if entry.is_important:
            steps.append(Step.RELEASE)
        steps.append(Step.PUBLICATION)
    return steps


def next_status(entry: Entry, revision: Revision) -> str:
    """Where the entry goes once the steps approved on ``revision`` are behind it."""
    done = approved_steps(entry, revision)
    for step in chain(entry):
        if step == Step.PUBLICATION:
            return Status.READY
        if step not in done:
            return STATUS_OF_STEP[step]
    return Status.REGISTERED  # not proactive: registered with its ground, never on the portal (H1)
