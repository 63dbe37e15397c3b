"""Who may see and act on which application (object-level checks; URL rules are in access.py).

Views fetch a protected application only through ``get_application_for_user``: another agency's
application, or one assigned to another office for office staff, answers 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency
from gongkai.applications.clock import Kind
from gongkai.applications.models import Application
from gongkai.applications.selectors import applications_visible_to
from gongkai.core.access import user_roles

HANDLER_ROLES = frozenset({Role.DISCLOSURE_OFFICER})
# Seed E4: the leader in charge approves an extension (art. 33: the disclosure office's head).
EXTENSION_ROLES = frozenset({Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER})
READER_ROLES = HANDLER_ROLES | EXTENSION_ROLES
OFFICE_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD})

# Who records each ledger kind (seed E2–E5; G5). The disclosure office runs the clock; the
# business office that holds the information proposes the reply; the confidentiality reviewer
# reviews; a leader approves extensions and signs the draft.
ROLES_FOR_KIND = {
    Kind.EXTENSION_APPROVED: EXTENSION_ROLES,
    Kind.DRAFT_SIGNED: EXTENSION_ROLES,
    Kind.PROPOSAL_SUBMITTED: OFFICE_ROLES | HANDLER_ROLES,
    Kind.NOTE_ADDED: OFFICE_ROLES | HANDLER_ROLES | {Role.CONFIDENTIALITY_REVIEWER},
    Kind.CONFIDENTIALITY_REVIEWED: frozenset({Role.CONFIDENTIALITY_REVIEWER}),
}
DENIED_MESSAGES = {
    Kind.EXTENSION_APPROVED: gettext_lazy("An extension is approved by the leader in charge (seed E4)."),
    Kind.DRAFT_SIGNED: gettext_lazy("The draft reply is signed by the leader in charge (seed E5)."),
    Kind.CONFIDENTIALITY_REVIEWED: gettext_lazy(
        "The confidentiality review is recorded by the confidentiality reviewer (G5)."
    ),
    Kind.PROPOSAL_SUBMITTED: gettext_lazy(
        "The proposal comes from the office the application is assigned to (seed E3)."
    ),
}
DEFAULT_DENIED = gettext_lazy("Only the agency's disclosure officers record the clock.")


def roles_for(kind: str) -> frozenset[str]:
    return ROLES_FOR_KIND.get(kind, HANDLER_ROLES)


def denied_message(kind: str) -> Any:
    return DENIED_MESSAGES.get(kind, DEFAULT_DENIED)


def acts_only_as_office(actor: Any, kind: str) -> bool:
    """The person's roles allowed for ``kind`` are office roles only (no agency-wide role)."""
    allowed = roles_for(kind) & user_roles(actor)
    return bool(allowed) and allowed <= OFFICE_ROLES


def of_assigned_office(actor: Any, application: Application) -> bool:
    offices = set(actor.role_assignments.exclude(office=None).values_list("office_id", flat=True))
    return application.assigned_office_id in offices


def may_record(actor: Any, application: Application, kind: str) -> bool:
    """Whether ``actor`` may record ``kind`` on ``application`` (roles and office; not the state)."""
    if actor.agency_id != application.agency_id:
        return False
    if not roles_for(kind) & user_roles(actor):
        return False
    if acts_only_as_office(actor, kind):
        # Office staff act only on applications assigned to their own office.
        return of_assigned_office(actor, application)
    return True


def can_reveal_personal_data(actor: Any) -> bool:
    return bool(HANDLER_ROLES & user_roles(actor))


def get_agency_for_user(user: Any, agency_slug: str) -> Agency:
    """The person's own agency named in the URL, or 404 (data never crosses agencies)."""
    return get_object_or_404(Agency, slug=agency_slug, pk=user.agency_id)


def get_application_for_user(user: Any, agency_slug: str, number: str, *, write: bool = False) -> Application:
    """The application ``number`` of the person's own agency that they may see (office staff:
    only their office's), or 404. With ``write`` the person must also hold a handling role."""
    agency = get_agency_for_user(user, agency_slug)
    queryset = Application.objects.select_related("agency", "assigned_office").filter(agency=agency, number=number)
    application = applications_visible_to(user, queryset).first()
    if application is None or (write and not can_reveal_personal_data(user)):
        raise Http404
    return application
