"""Who may see and touch which catalog entry (style.md §2 permissions.py).

Views fetch a protected entry only through ``get_entry_for_user`` (or the attachment and
revision helpers below): another agency's entry, or one outside an office member's offices,
answers 404 as if it did not exist. The ``can_*`` checks decide what a page offers; the
services check again when the person acts (the review moves through the transition table in
``catalog/transitions.py``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, Office
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Entry, EntryAttachment, Revision
from gongkai.catalog.selectors import entries_visible_to
from gongkai.core.access import user_roles

# ---------------------------------------------------------------------------------------------
# Facts about a person and an entry


def ensure_same_agency(actor, entry: Entry) -> None:
    if actor is None or actor.agency_id != entry.agency_id:
        raise PermissionDenied(_("This item belongs to another agency."))


def is_clerk_of(actor, office: Office) -> bool:
    return actor.role_assignments.filter(role=Role.CLERK, office=office).exists()


def is_head_of(actor, office: Office) -> bool:
    return actor.role_assignments.filter(role=Role.OFFICE_HEAD, office=office).exists()


def drafters(entry: Entry) -> set[int]:
    """Everyone who wrote a revision of the entry: none of them may approve it."""
    ids = set(entry.revisions.values_list("created_by_id", flat=True))
    if entry.created_by_id:
        ids.add(entry.created_by_id)
    return ids


def clerk_office(user) -> Office:
    """The office a clerk drafts new entries for (their first clerk assignment)."""
    assignment = user.role_assignments.filter(role=Role.CLERK, office__isnull=False).select_related("office").first()
    if assignment is None:
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    return assignment.office


# ---------------------------------------------------------------------------------------------
# What the pages offer


def can_draft(user) -> bool:
    return Role.CLERK in user_roles(user)


def can_approve_in_bulk(user) -> bool:
    return Role.LEADER_IN_CHARGE in user_roles(user)


def can_import(user) -> bool:
    return Role.DISCLOSURE_OFFICER in user_roles(user)


def can_edit(user, entry: Entry) -> bool:
    """A drafting clerk of the host office (the service also wants a draft)."""
    return entry.agency_id == user.agency_id and is_clerk_of(user, entry.office)


def consent_offices(user, entry: Entry) -> QuerySet[Office]:
    """The co-producing offices of ``entry`` whose written consent ``user`` may give now."""
    if entry.status != Status.OFFICE_REVIEW or user.pk in drafters(entry):
        return Office.objects.none()
    return entry.co_offices.filter(pk__in=user.role_assignments.filter(role=Role.OFFICE_HEAD).values("office_id"))


# ---------------------------------------------------------------------------------------------
# Fetching protected objects


def get_agency_for_user(user, agency_slug: str) -> Agency:
    """The agency named in the URL, only if it is the person's own (404 otherwise)."""
    return get_object_or_404(Agency, slug=agency_slug, pk=user.agency_id)


def get_entry_for_user(user, agency_slug: str, pk: int, write: bool = False) -> Entry:
    """The entry, if ``user`` may see it: their agency's, and for office staff one of their
    offices' (404 otherwise). ``write=True``: the person is about to change its content, so
    they must be a drafting clerk of its host office (403 otherwise)."""
    agency = get_agency_for_user(user, agency_slug)
    entry = entries_visible_to(user).filter(agency=agency, pk=pk).first()
    if entry is None:
        raise Http404
    if write and not can_edit(user, entry):
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    return entry


def get_attachment_for_user(user, agency_slug: str, pk: int) -> tuple[EntryAttachment, Entry]:
    """An attachment of an entry the person may see, with that entry (404 otherwise)."""
    attachment = get_object_or_404(EntryAttachment.objects.select_related("entry"), pk=pk)
    return attachment, get_entry_for_user(user, agency_slug, attachment.entry_id)


def get_revision_for_user(user, agency_slug: str, pk: int, number: int) -> tuple[Revision, Entry]:
    """A frozen revision of an entry the person may see, with that entry (404 otherwise)."""
    entry = get_entry_for_user(user, agency_slug, pk)
    return get_object_or_404(Revision, entry=entry, number=number), entry
