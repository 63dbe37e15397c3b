"""What a catalog entry says: the drafter's content, its checks, the frozen revisions that
reviewers approve, and the attachments (D1; B4). The review chain itself is in services.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Agency, Office
from gongkai.catalog.choices import Attribute, Channel, Ground, Relation, Status
from gongkai.catalog.deadlines import store_deadline
from gongkai.catalog.models import Entry, EntryAttachment, Revision
from gongkai.catalog.permissions import ensure_same_agency, is_clerk_of
from gongkai.catalog.steps import MIN_REASON, ReviewError
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.uploads import CheckedFile, atomic_with_files, store

CONTENT_FIELDS = (
    "title",
    "document_number",
    "written_on",
    "issued_on",
    "formed_on",
    "is_official_document",
    "attribute",
    "ground",
    "ground_note",
    "scope",
    "category",
    "subcategory",
    "validity",
    "channels",
    "summary",
    "body",
    "is_important",
    "related_to",
    "relation",
)


# ---------------------------------------------------------------------------------------------
# Revisions (B4): the content as reviewers see it, frozen with its fingerprint


def snapshot(entry: Entry) -> dict[str, Any]:
    """The content of the entry as reviewers see it; its hash identifies the revision."""
    data = {}
    for name in CONTENT_FIELDS:
        value = getattr(entry, name + "_id" if name in ("subcategory", "related_to") else name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    data["co_offices"] = sorted(entry.co_offices.values_list("pk", flat=True)) if entry.pk else []
    data["attachments"] = (
        [{"name": a.name, "sha256": a.sha256} for a in entry.attachments.order_by("pk")] if entry.pk else []
    )
    return data


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_hash = content_hash  # the old name (catalog/bulk.py, demo data, tests)


def current_revision(entry: Entry) -> Revision | None:
    return entry.revisions.order_by("-number").first()


def new_revision_if_changed(entry: Entry, actor) -> Revision:
    """The entry's current revision, or a new one when its content changed since."""
    data = snapshot(entry)
    digest = content_hash(data)
    latest = current_revision(entry)
    if latest and latest.sha256 == digest:
        return latest
    entry.revision = (latest.number if latest else 0) + 1
    entry.save(update_fields=["revision"])
    return Revision.objects.create(entry=entry, number=entry.revision, snapshot=data, sha256=digest, created_by=actor)


# ---------------------------------------------------------------------------------------------
# Drafting (D1)


Errors = dict[str, list[str]]


def _check_attribute(values: dict[str, Any], errors: Errors) -> None:
    """Anything not proactively disclosed says why (D1); a proactive entry has no ground."""
    attribute = values.get("attribute")
    if attribute not in Attribute.values:
        errors.setdefault("attribute", []).append(_("Choose the disclosure attribute."))
    elif attribute != Attribute.PROACTIVE:
        if values.get("ground") not in Ground.values:
            errors.setdefault("ground", []).append(_("An item not proactively disclosed needs its ground (D1)."))
        elif values["ground"] == Ground.SPECIFIC_PERSONS and attribute != Attribute.ON_REQUEST:
            errors.setdefault("ground", []).append(_("This ground only fits disclosure on request."))
        if len((values.get("ground_note") or "").strip()) < MIN_REASON:
            errors.setdefault("ground_note", []).append(_("Explain the ground in a sentence (D1)."))
    else:
        values["ground"], values["ground_note"] = "", ""


def _check_document(values: dict[str, Any], errors: Errors) -> None:
    """Channels from the list; an official document's number and dates (D4)."""
    channels = values.get("channels") or []
    if any(c not in Channel.values for c in channels):
        errors.setdefault("channels", []).append(_("Choose publication channels from the list."))
    if values.get("is_official_document") and not values.get("written_on"):
        errors.setdefault("written_on", []).append(_("An official document needs its date written."))
    if values.get("is_official_document") and not values.get("issued_on"):
        errors.setdefault("issued_on", []).append(_("An official document needs the date it was issued."))
    if values.get("is_official_document") and not (values.get("document_number") or "").strip():
        errors.setdefault("document_number", []).append(_("An official document needs its document number."))
    written, issued, formed = values.get("written_on"), values.get("issued_on"), values.get("formed_on")
    today = timezone.localdate()
    for name, day in (("issued_on", issued), ("formed_on", formed)):
        if day and day > today:
            errors.setdefault(name, []).append(_("The date cannot be in the future."))
    if written and formed and written > formed:
        errors.setdefault("formed_on", []).append(_("The information cannot be formed before it was written."))
    if written and issued and written > issued:
        errors.setdefault("issued_on", []).append(_("A document cannot be issued before it was written."))


def _check_links(agency: Agency, values: dict[str, Any], errors: Errors) -> None:
    """The sub-category is the agency's; a related entry is a published one of the district."""
    sub = values.get("subcategory")
    if sub is not None and (sub.agency_id != agency.pk or sub.category != values.get("category")):
        errors.setdefault("subcategory", []).append(_("Choose a sub-category of this agency and category."))
    related, relation = values.get("related_to"), values.get("relation") or ""
    if related is not None:
        if related.agency.district_id != agency.district_id or related.status != Status.PUBLISHED:
            errors.setdefault("related_to", []).append(_("Link only to a published item of the district."))
        if relation not in Relation.values:
            errors.setdefault("relation", []).append(_("Say how the items are related."))
    else:
        values["relation"] = ""


def clean_content(agency: Agency, values: dict[str, Any]) -> dict[str, Any]:
    """Check the drafter's fields together; raise a ValidationError keyed by field, in Chinese."""
    errors: Errors = {}
    _check_attribute(values, errors)
    _check_document(values, errors)
    _check_links(agency, values, errors)
    if errors:
        raise ValidationError(errors)
    return values


@dataclass(frozen=True)
class NewFile:
    name: str
    kind: str
    data: bytes
    sha256: str
    text: str


def _refuse_writer(actor, agency: Agency, office: Office, co_offices) -> None:
    if actor.agency_id != agency.pk:
        raise PermissionDenied(_("This item belongs to another agency."))
    if office.agency_id != agency.pk or not is_clerk_of(actor, office):
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    if any(o.agency_id != agency.pk or o.pk == office.pk for o in co_offices):
        raise ValidationError({"co_offices": [_("Co-producing offices are other offices of this agency.")]})


def _locked_draft(entry: Entry, actor, office: Office) -> Entry:
    entry = Entry.objects.select_for_update().select_related("agency", "office").get(pk=entry.pk)
    ensure_same_agency(actor, entry)
    if entry.status != Status.DRAFT:
        raise ReviewError(_("Only a draft can be changed; ask a reviewer to return it first."))
    if entry.office_id != office.pk:
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,), obj="entry")
@atomic_with_files()  # the attachments are staged and moved into place on commit (REL-01)
def save_draft(
    *,
    actor,
    agency: Agency,
    office: Office,
    values: dict[str, Any],
    co_offices: list[Office] | tuple = (),
    entry: Entry | None = None,
    add_files: list[NewFile] | tuple = (),
    remove_attachments: list[int] | tuple = (),
) -> Entry:
    """Create or change a draft; only a drafting clerk of the host office (D1)."""
    _refuse_writer(actor, agency, office, co_offices)
    values = clean_content(agency, dict(values))
    created = entry is None
    if entry is None:
        entry = Entry(agency=agency, office=office, created_by=actor)
    else:
        entry = _locked_draft(entry, actor, office)
    changed = [name for name in values if name in CONTENT_FIELDS]
    for name in changed:
        setattr(entry, name, values[name])
    deadline_fields = store_deadline(entry)
    if created:
        entry.save()
    else:
        entry.save(update_fields=[*changed, *deadline_fields, "updated_at"])
    entry.co_offices.set(co_offices)
    if remove_attachments:
        entry.attachments.filter(pk__in=list(remove_attachments)).delete()
    for new in add_files:
        store_attachment(entry, new)
    revision = new_revision_if_changed(entry, actor)
    record_event(
        "catalog.entry.created" if created else "catalog.entry.updated",
        actor=actor,
        obj=entry,
        agency=entry.agency,
        data={"version": revision.number, "title": entry.title},
    )
    return entry


def store_attachment(entry: Entry, new: NewFile) -> EntryAttachment:
    """Stage the file (moved into place when the transaction commits) and record it."""
    stored = store(CheckedFile(data=new.data, kind=new.kind, original_name=new.name, sha256=new.sha256), "catalog")
    return EntryAttachment.objects.create(
        entry=entry,
        name=new.name,
        kind=new.kind,
        size=len(new.data),
        sha256=new.sha256,
        stored_name=stored,
        text=new.text,
    )
