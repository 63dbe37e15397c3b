"""An annual report version's way to publication, as a transition table (core/workflow.py;
docs/workflows.md): the disclosure office writes it and another look of the office reviews it,
a leader approves it, the web administrator publishes it in the catalog (条例 art. 49–50)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.core.workflow import Transition, TransitionError, Workflow
from gongkai.reports.choices import Status
from gongkai.reports.models import Report

OFFICE = frozenset({Role.DISCLOSURE_OFFICER})
LEADERS = frozenset({Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER})
NOT_AT_THIS_STEP = _("The report is not at this step (it is now: %(state)s).")


class ReportError(TransitionError):
    """A step the report's state or its rules do not allow; the message is shown as is."""


def _move(name, label, sources, target, roles, audit, denied):
    return Transition(
        name=name,
        label=label,
        sources=frozenset(sources),
        target=target,
        roles=frozenset(roles),
        audit=f"reports.report.{audit}",
        refusal=NOT_AT_THIS_STEP,
        denied=denied,
    )


def _check(actor, report: Report, transition: Transition) -> None:
    """A report is submitted once its year has ended and its figures can be frozen."""
    from django.utils import timezone

    if transition.name == "submit" and timezone.localdate().year <= report.year:
        raise ReportError(
            _(
                "The year %(year)d has not ended: the report is submitted after 24:00 on 31 December, "
                "when its figures are frozen."
            )
            % {"year": report.year}
        )


REPORT: Workflow[Report] = Workflow(
    code="reports.annual",
    label=_("Annual report: drafted, reviewed, approved and published"),
    model=Report,
    states=Status,
    transitions=[
        _move(
            "submit",
            _("Submit for review"),
            {Status.DRAFT},
            Status.OFFICE_REVIEW,
            OFFICE,
            "submitted",
            _("Only the disclosure office submits the annual report."),
        ),
        _move(
            "review",
            _("Reviewed: send to the leader"),
            {Status.OFFICE_REVIEW},
            Status.LEADER_APPROVAL,
            OFFICE,
            "reviewed",
            _("Only the disclosure office reviews the annual report."),
        ),
        _move(
            "approve",
            _("Approve for publication"),
            {Status.LEADER_APPROVAL},
            Status.APPROVED,
            LEADERS,
            "approved",
            _("Only a leader approves the annual report."),
        ),
        _move(
            "return",
            _("Return for revision"),
            {Status.OFFICE_REVIEW, Status.LEADER_APPROVAL, Status.APPROVED},
            Status.DRAFT,
            OFFICE | LEADERS,
            "returned",
            _("Only the disclosure office or a leader returns the report."),
        ),
        _move(
            "publish",
            _("Publish"),
            {Status.APPROVED},
            Status.PUBLISHED,
            {Role.WEB_ADMINISTRATOR},
            "published",
            _("Only the web administrator publishes."),
        ),
    ],
    check=_check,
    select_related=("agency", "figures"),
    initial=Status.DRAFT,
    other_agency=_("This report belongs to another agency."),
    error=ReportError,
    closed=(Status.PUBLISHED, Status.SUPERSEDED),
    closed_refusal=_("This version has been published; a correction is a new version."),
)
