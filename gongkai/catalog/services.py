"""Every change to the catalog: drafting, the seven-step review chain, publication, withdrawal.

Each public function locks the entry, checks its state and the actor's role and agency, writes,
records one audit event in the same transaction, and leaves side effects to ``on_commit``
(style.md §4). Seed rules: B1 nothing bypasses review; D1–D4; G3–G8; B3–B5, B8; A6.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, Office
from gongkai.accounts.validators import render_index_template
from gongkai.catalog import search
from gongkai.catalog.choices import (
    Attribute,
    Channel,
    Classification,
    Decision,
    Ground,
    Relation,
    Status,
    Step,
    Validity,
)
from gongkai.catalog.models import Entry, EntryAttachment, Opinion, Revision, SubCategory
from gongkai.core.access import user_roles
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.calendar import due_date
from gongkai.core.sequences import next_in_sequence
from gongkai.core.uploads import CheckedFile, atomic_with_files, store


class ReviewError(ValidationError):
    """A review action that the entry's state or the rules do not allow; the message is Chinese."""


# Which step an entry in each status waits for, and who may act on it (G3, G5, B3, B4, D2, D3).
STEP_OF_STATUS = {
    Status.OFFICE_REVIEW: Step.OFFICE,
    Status.CONFIDENTIALITY_REVIEW: Step.CONFIDENTIALITY,
    Status.ESCALATED: Step.ESCALATION,
    Status.LEADER_CONFIDENTIALITY: Step.LEADER_CONFIDENTIALITY,
    Status.DISCLOSURE_CHECK: Step.DISCLOSURE,
    Status.RELEASE_APPROVAL: Step.RELEASE,
    Status.READY: Step.PUBLICATION,
}
STATUS_OF_STEP = {step: status for status, step in STEP_OF_STATUS.items()}
ROLES_OF_STEP = {
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
PUBLISH_WITHIN_WORKING_DAYS = 20  # A6
OFFICIAL_DOCUMENT_WITHIN_WORKING_DAYS = 1  # D4
MIN_REASON = 5

CONTENT_FIELDS = (
    "title",
    "document_number",
    "written_on",
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
# Checks shared by every action


def _same_agency(actor, entry: Entry) -> None:
    if actor is None or actor.agency_id != entry.agency_id:
        raise PermissionDenied(_("This item belongs to another agency."))


def is_clerk_of(actor, office: Office) -> bool:
    return actor.role_assignments.filter(role=Role.CLERK, office=office).exists()


def is_head_of(actor, office: Office) -> bool:
    return actor.role_assignments.filter(role=Role.OFFICE_HEAD, office=office).exists()


def drafters(entry: Entry) -> set[int]:
    """Everyone who wrote a version of the entry: none of them may approve it."""
    ids = set(entry.revisions.values_list("created_by_id", flat=True))
    if entry.created_by_id:
        ids.add(entry.created_by_id)
    return ids


def may_act(actor, entry: Entry, step: str) -> bool:
    """Whether ``actor`` may give the opinion of ``step`` on ``entry`` now (no exception)."""
    try:
        _ensure_may_act(actor, entry, step)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _ensure_may_act(actor, entry: Entry, step: str, office: Office | None = None) -> None:
    _same_agency(actor, entry)
    if step == Step.CO_CONSENT:
        if entry.status != Status.OFFICE_REVIEW:
            raise ReviewError(_("Co-producing offices consent while the item is at the office check."))
    elif STEP_OF_STATUS.get(entry.status) != step:
        raise ReviewError(
            _("This item is not at the step “%(step)s”; it is at “%(status)s”.")
            % {"step": Step(step).label if step in Step.values else step, "status": Status(entry.status).label}
        )
    if not ROLES_OF_STEP[step] & user_roles(actor):
        raise PermissionDenied(_("Your roles do not include this review step."))
    if step == Step.OFFICE and not is_head_of(actor, entry.office):
        raise PermissionDenied(_("Only the head of the host office gives this opinion."))
    if step == Step.CO_CONSENT and (office is None or not is_head_of(actor, office)):
        raise PermissionDenied(_("Only the head of a co-producing office gives its consent."))
    if actor.pk in drafters(entry):
        raise PermissionDenied(_("The person who drafted an item cannot also approve it."))


def _lock(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("agency", "office").get(pk=entry.pk)


def _audit(event: str, actor, entry: Entry, **data) -> None:
    record_event(f"catalog.entry.{event}", actor=actor, obj=entry, agency=entry.agency, data=data)


# ---------------------------------------------------------------------------------------------
# Drafting (D1)


def snapshot(entry: Entry) -> dict[str, Any]:
    """The content of the entry as reviewers see it; its hash identifies the version."""
    data = {}
    for name in CONTENT_FIELDS:
        value = getattr(entry, name + "_id" if name in ("subcategory", "related_to") else name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    data["co_offices"] = sorted(entry.co_offices.values_list("pk", flat=True)) if entry.pk else []
    data["attachments"] = (
        [{"name": a.name, "sha256": a.sha256} for a in entry.attachments.order_by("pk")] if entry.pk else []
    )
    return data


def _hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_revision(entry: Entry) -> Revision | None:
    return entry.revisions.order_by("-number").first()


def _new_revision_if_changed(entry: Entry, actor) -> Revision:
    data = snapshot(entry)
    digest = _hash(data)
    latest = current_revision(entry)
    if latest and latest.sha256 == digest:
        return latest
    entry.revision = (latest.number if latest else 0) + 1
    entry.save(update_fields=["revision"])
    return Revision.objects.create(entry=entry, number=entry.revision, snapshot=data, sha256=digest, created_by=actor)


def clean_content(agency: Agency, values: dict[str, Any]) -> dict[str, Any]:
    """Check the drafter's fields together; raise a ValidationError keyed by field, in Chinese."""
    errors: dict[str, list[str]] = {}
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
    channels = values.get("channels") or []
    if any(c not in Channel.values for c in channels):
        errors.setdefault("channels", []).append(_("Choose publication channels from the list."))
    if values.get("is_official_document") and not values.get("written_on"):
        errors.setdefault("written_on", []).append(_("An official document needs its date written."))
    if values.get("is_official_document") and not (values.get("document_number") or "").strip():
        errors.setdefault("document_number", []).append(_("An official document needs its document number."))
    written, formed = values.get("written_on"), values.get("formed_on")
    if formed and formed > timezone.localdate():
        errors.setdefault("formed_on", []).append(_("The date cannot be in the future."))
    if written and formed and written > formed:
        errors.setdefault("formed_on", []).append(_("The information cannot be formed before it was written."))
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
    if errors:
        raise ValidationError(errors)
    return values


def publish_deadline(entry: Entry):
    """The date by which the item must be published (A6: 20 WD; D4: official documents 1 WD)."""
    results = [due_date(entry.formed_on, PUBLISH_WITHIN_WORKING_DAYS)]
    if entry.is_official_document and entry.written_on:
        results.append(due_date(entry.written_on, OFFICIAL_DOCUMENT_WITHIN_WORKING_DAYS))
    return min(results, key=lambda r: r.due)


def _store_deadline(entry: Entry) -> list[str]:
    if entry.attribute != Attribute.PROACTIVE or entry.imported:
        entry.publish_due_on, entry.publish_due_provisional = None, False
    else:
        result = publish_deadline(entry)
        entry.publish_due_on, entry.publish_due_provisional = result.due, result.provisional
    return ["publish_due_on", "publish_due_provisional"]


def recompute_publish_deadlines(years: set[int]) -> int:
    """Calendar changed: move the publish-by dates of unpublished items (registered recomputer)."""
    changed = 0
    for entry in Entry.objects.awaiting_publication().select_for_update():
        before = (entry.publish_due_on, entry.publish_due_provisional)
        _store_deadline(entry)
        if (entry.publish_due_on, entry.publish_due_provisional) != before:
            entry.save(update_fields=["publish_due_on", "publish_due_provisional"])
            changed += 1
    return changed


@dataclass(frozen=True)
class NewFile:
    name: str
    kind: str
    data: bytes
    sha256: str
    text: str


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
    if actor.agency_id != agency.pk:
        raise PermissionDenied(_("This item belongs to another agency."))
    if office.agency_id != agency.pk or not is_clerk_of(actor, office):
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    if any(o.agency_id != agency.pk or o.pk == office.pk for o in co_offices):
        raise ValidationError({"co_offices": [_("Co-producing offices are other offices of this agency.")]})
    values = clean_content(agency, dict(values))
    created = entry is None
    if created:
        entry = Entry(agency=agency, office=office, created_by=actor)
    else:
        entry = _lock(entry)
        _same_agency(actor, entry)
        if entry.status != Status.DRAFT:
            raise ReviewError(_("Only a draft can be changed; ask a reviewer to return it first."))
        if entry.office_id != office.pk:
            raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    for name, value in values.items():
        if name in CONTENT_FIELDS:
            setattr(entry, name, value)
    _store_deadline(entry)
    entry.save()
    entry.co_offices.set(co_offices)
    if remove_attachments:
        entry.attachments.filter(pk__in=list(remove_attachments)).delete()
    for new in add_files:
        _store_attachment(entry, new)
    revision = _new_revision_if_changed(entry, actor)
    _audit("created" if created else "updated", actor, entry, version=revision.number, title=entry.title)
    return entry


def _store_attachment(entry: Entry, new: NewFile) -> EntryAttachment:
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


# ---------------------------------------------------------------------------------------------
# The review chain


def _approved_steps(entry: Entry, revision: Revision) -> set[str]:
    """Steps approved on this very version. Approvals given before a return of the same,
    unchanged version still stand (the content they saw is the same); approvals of an older
    version do not, so a changed draft starts the chain again ("restarts where it must")."""
    return set(
        entry.opinions.filter(revision=revision, decision=Decision.APPROVE)
        .exclude(step__in=[Step.SUBMITTED, Step.CO_CONSENT])
        .values_list("step", flat=True)
    )


def chain(entry: Entry) -> list[str]:
    """The steps this entry must pass, in order, given its attribute and importance."""
    steps = [Step.OFFICE, Step.CONFIDENTIALITY]
    if entry.classification == Classification.UNCLEAR or entry.status == Status.ESCALATED:
        steps.append(Step.ESCALATION)
    steps += [Step.LEADER_CONFIDENTIALITY, Step.DISCLOSURE]
    if entry.attribute == Attribute.PROACTIVE:
        if entry.is_important:
            steps.append(Step.RELEASE)
        steps.append(Step.PUBLICATION)
    return steps


def _next_status(entry: Entry, revision: Revision) -> str:
    done = _approved_steps(entry, revision)
    for step in chain(entry):
        if step == Step.PUBLICATION:
            return Status.READY
        if step not in done:
            return STATUS_OF_STEP[step]
    return Status.REGISTERED  # not proactive: registered with its ground, never on the portal (H1)


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def submit(entry: Entry, *, actor) -> Entry:
    """The drafter sends the draft into review. A version already approved at some steps (returned
    unchanged) resumes where it was returned; a changed version starts again at the office."""
    entry = _lock(entry)
    _same_agency(actor, entry)
    if entry.status != Status.DRAFT:
        raise ReviewError(_("Only a draft can be submitted."))
    if not is_clerk_of(actor, entry.office):
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    revision = _new_revision_if_changed(entry, actor)
    Opinion.objects.create(
        entry=entry,
        revision=revision,
        step=Step.SUBMITTED,
        decision=Decision.APPROVE,
        actor=actor,
        actor_name=actor.full_name,
    )
    if not _approved_steps(entry, revision) & {Step.OFFICE}:
        entry.classification = ""
    entry.status = _next_status(entry, revision)
    entry.save(update_fields=["status", "classification", "updated_at"])
    _audit("submitted", actor, entry, version=revision.number, status=entry.status)
    return entry


def _opinion(entry: Entry, actor, step: str, decision: str, comment: str = "", office=None, **data) -> Opinion:
    revision = current_revision(entry)
    return Opinion.objects.create(
        entry=entry,
        revision=revision,
        step=step,
        decision=decision,
        comment=comment.strip(),
        data=data,
        office=office,
        actor=actor,
        actor_name=actor.full_name,
    )


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def return_for_revision(entry: Entry, *, actor, step: str, reason: str) -> Entry:
    """Any step may send the item back to its drafter with a reason."""
    entry = _lock(entry)
    _ensure_may_act(actor, entry, step)
    if len(reason.strip()) < MIN_REASON:
        raise ReviewError(_("Give the reason for returning the item."))
    before = entry.status
    _opinion(entry, actor, step, Decision.RETURN, reason)
    entry.status = Status.DRAFT
    entry.save(update_fields=["status", "updated_at"])
    _audit("returned", actor, entry, step=step, reason=reason.strip(), before=before)
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def approve(entry: Entry, *, actor, step: str, comment: str = "", **data) -> Entry:
    """Give the approving opinion of the step the entry waits for, then move it on."""
    entry = _lock(entry)
    _ensure_may_act(actor, entry, step)
    revision = current_revision(entry)
    extra: dict[str, Any] = {}
    if step == Step.OFFICE:
        classification = data.get("classification")
        if classification not in Classification.values:
            raise ReviewError(_("Record the classification check (D2)."))
        if classification == Classification.SECRET and entry.attribute != Attribute.WITHHELD:
            raise ReviewError(_("A state secret cannot be disclosed: return the item so its attribute is changed."))
        if not comment.strip():
            raise ReviewError(_("Write the office's confidentiality opinion (G5 step 1)."))
        missing = [o.name for o in entry.co_offices.all() if not _consented(entry, o, revision)]
        if missing:
            raise ReviewError(
                _("Waiting for the written consent of: %(offices)s (G6).") % {"offices": "、".join(missing)}
            )
        entry.classification = classification
        extra["classification"] = classification
    elif step == Step.CONFIDENTIALITY:
        if not comment.strip():
            raise ReviewError(_("Write the confidentiality office's opinion (G5 step 2)."))
        if entry.classification == Classification.UNCLEAR:
            raise ReviewError(_("The classification is unclear: escalate to the competent authority (G7)."))
        if entry.classification == Classification.EXPIRED_SECRET and not data.get("declassification_checked"):
            raise ReviewError(_("Confirm that the expired secret was re-reviewed and may be released (G8)."))
        extra["declassification_checked"] = bool(data.get("declassification_checked"))
    elif step == Step.DISCLOSURE and entry.attribute == Attribute.PROACTIVE and not entry.channels:
        raise ReviewError(_("Name at least one publication channel (A5)."))
    _opinion(entry, actor, step, Decision.APPROVE, comment, **extra)
    before = entry.status
    entry.status = _next_status(entry, revision)
    entry.save(update_fields=["status", "classification", "updated_at"])
    _audit("approved", actor, entry, step=step, version=revision.number, before=before, after=entry.status)
    if entry.status == Status.REGISTERED:
        _audit("registered", actor, entry, attribute=entry.attribute, ground=entry.ground)
    return entry


def _consented(entry: Entry, office: Office, revision: Revision) -> bool:
    return entry.opinions.filter(
        step=Step.CO_CONSENT, office=office, revision=revision, decision=Decision.APPROVE
    ).exists()


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def consent(entry: Entry, *, actor, office: Office, comment: str) -> Entry:
    """A co-producing office's written consent (G6), by its head, for the current version."""
    entry = _lock(entry)
    if not entry.co_offices.filter(pk=office.pk).exists():
        raise ReviewError(_("That office is not a co-producer of this item."))
    _ensure_may_act(actor, entry, Step.CO_CONSENT, office=office)
    if len(comment.strip()) < 2:
        raise ReviewError(_("Write the office's consent."))
    if _consented(entry, office, current_revision(entry)):
        raise ReviewError(_("This office has already consented to this version."))
    _opinion(entry, actor, Step.CO_CONSENT, Decision.APPROVE, comment, office=office)
    _audit("consented", actor, entry, office=office.name)
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def escalate(entry: Entry, *, actor, authority: str, comment: str) -> Entry:
    """Send the 保密审查表 to the competent authority and wait for its answer (G7)."""
    entry = _lock(entry)
    _ensure_may_act(actor, entry, Step.CONFIDENTIALITY)
    if len(authority.strip()) < 2 or len(comment.strip()) < MIN_REASON:
        raise ReviewError(_("Name the competent authority and say what is unclear."))
    _opinion(entry, actor, Step.CONFIDENTIALITY, Decision.ESCALATE, comment, authority=authority.strip())
    entry.status, entry.escalated_to = Status.ESCALATED, authority.strip()
    entry.save(update_fields=["status", "escalated_to", "updated_at"])
    _audit("escalated", actor, entry, authority=entry.escalated_to)
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def record_authority_answer(entry: Entry, *, actor, secret: bool, reference: str, comment: str = "") -> Entry:
    """The competent authority's recorded answer (G7). Not secret: the chain goes on to the
    leader. Secret: the item returns to its drafter, who must change its attribute."""
    entry = _lock(entry)
    _ensure_may_act(actor, entry, Step.ESCALATION)
    if len(reference.strip()) < 2:
        raise ReviewError(_("Record the reference of the authority's written answer."))
    decision = Decision.RETURN if secret else Decision.APPROVE
    text = comment.strip() or (_("The competent authority found it secret.") if secret else "")
    _opinion(entry, actor, Step.ESCALATION, decision, text, secret=secret, reference=reference.strip())
    if secret:
        entry.classification, entry.status = Classification.SECRET, Status.DRAFT
    else:
        entry.classification = Classification.NOT_SECRET
        entry.status = Status.LEADER_CONFIDENTIALITY
    entry.save(update_fields=["status", "classification", "updated_at"])
    _audit("authority_answered", actor, entry, secret=secret, reference=reference.strip())
    return entry


def is_routine(entry: Entry) -> bool:
    """Routine for the leader's queue: not important, classified not secret, never escalated."""
    return (
        not entry.is_important
        and entry.classification == Classification.NOT_SECRET
        and not entry.escalated_to
        and entry.attribute == Attribute.PROACTIVE
    )


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,), obj="entries")
@transaction.atomic
def approve_many(entries: list[Entry], *, actor, comment: str) -> int:
    """The leader approves several routine items at once (G5 step 3); all or none."""
    count = 0
    for entry in entries:
        if not is_routine(entry):
            raise ReviewError(
                _("“%(title)s” is not routine: open it and approve it on its own.") % {"title": entry.title}
            )
        approve(entry, actor=actor, step=Step.LEADER_CONFIDENTIALITY, comment=comment or _("Approved."))
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Publication (B3, B5), withdrawal and validity (B8)


def _allocate_index_number(agency: Agency, year: int) -> str:
    """The next index number of the agency's year, from a row locked until commit. A number
    already taken (an imported catalog) is skipped; none is ever reused."""
    while True:
        serial = next_in_sequence("catalog.index_number", agency.pk, year)
        number = render_index_template(agency.index_template, prefix=agency.index_prefix, year=year, serial=serial)
        if not Entry.objects.filter(index_number=number).exists():
            return number


def _publish_now(entry: Entry, actor, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    entry.published_at = now
    entry.published_on = timezone.localdate(now)
    # An imported draft keeps the index number it was published under before (seed B1 import).
    entry.index_number = entry.index_number or _allocate_index_number(entry.agency, entry.published_on.year)
    if Channel.WEBSITE not in entry.channels:
        entry.channels = [*entry.channels, Channel.WEBSITE]
    entry.status, entry.publish_at = Status.PUBLISHED, None
    entry.save()
    search.index_entry(entry)


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def publish(entry: Entry, *, actor, at: datetime | None = None) -> Entry:
    """The web administrator publishes now, or schedules publication for ``at`` (B3, B5)."""
    entry = _lock(entry)
    _ensure_may_act(actor, entry, Step.PUBLICATION)
    if entry.attribute != Attribute.PROACTIVE:
        raise ReviewError(_("Only proactively disclosed items are published."))
    if at is not None and at > timezone.now():
        _opinion(entry, actor, Step.PUBLICATION, Decision.APPROVE, "", scheduled_for=at.isoformat())
        entry.status, entry.publish_at = Status.SCHEDULED, at
        entry.save(update_fields=["status", "publish_at", "updated_at"])
        _audit("scheduled", actor, entry, at=at)
        return entry
    _opinion(entry, actor, Step.PUBLICATION, Decision.APPROVE, "")
    _publish_now(entry, actor)
    _audit("published", actor, entry, index_number=entry.index_number)
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def cancel_schedule(entry: Entry, *, actor) -> Entry:
    entry = _lock(entry)
    _same_agency(actor, entry)
    if entry.status != Status.SCHEDULED or Role.WEB_ADMINISTRATOR not in user_roles(actor):
        raise ReviewError(_("Only a scheduled publication can be cancelled, by the web administrator."))
    entry.status, entry.publish_at = Status.READY, None
    entry.save(update_fields=["status", "publish_at", "updated_at"])
    _audit("schedule_cancelled", actor, entry)
    return entry


def publish_scheduled(now: datetime | None = None) -> int:
    """Publish every scheduled item whose time has come (a periodic job; idempotent)."""
    now = now or timezone.now()
    count = 0
    for pk in Entry.objects.filter(status=Status.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            entry = Entry.objects.select_for_update().select_related("agency").get(pk=pk)
            if entry.status != Status.SCHEDULED:
                continue
            scheduler = entry.opinions.filter(step=Step.PUBLICATION).order_by("-at").first()
            _publish_now(entry, None, now=now)
            record_event(
                "catalog.entry.published",
                obj=entry,
                agency=entry.agency,
                data={"index_number": entry.index_number, "scheduled_by": scheduler.actor_name if scheduler else ""},
            )
            count += 1
    return count


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def withdraw(entry: Entry, *, actor, reason: str) -> Entry:
    """Take a published item off every public surface at once, with the reason (B8). The index
    number is never reused and the history stays."""
    entry = _lock(entry)
    _same_agency(actor, entry)
    if not WITHDRAW_ROLES & user_roles(actor):
        raise PermissionDenied(_("Only the disclosure office or the web administrator can withdraw an item."))
    if entry.status != Status.PUBLISHED:
        raise ReviewError(_("Only a published item can be withdrawn."))
    if len(reason.strip()) < MIN_REASON:
        raise ReviewError(_("Give the reason for the withdrawal (B8)."))
    entry.status, entry.withdrawn_at, entry.withdrawal_reason = Status.WITHDRAWN, timezone.now(), reason.strip()
    entry.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    search.unindex_entry(entry)
    _audit("withdrawn", actor, entry, reason=entry.withdrawal_reason, index_number=entry.index_number)
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def set_validity(entry: Entry, *, actor, validity: str, reason: str) -> Entry:
    """Mark a published item amended or repealed (有效性), with the reason; re-indexed."""
    entry = _lock(entry)
    _same_agency(actor, entry)
    if Role.DISCLOSURE_OFFICER not in user_roles(actor):
        raise PermissionDenied(_("Only the disclosure office changes the validity of an item."))
    if entry.status != Status.PUBLISHED or validity not in Validity.values:
        raise ReviewError(_("Choose the validity of a published item."))
    if len(reason.strip()) < MIN_REASON:
        raise ReviewError(_("Give the reason for the change."))
    before = entry.validity
    entry.validity = validity
    entry.save(update_fields=["validity", "updated_at"])
    search.index_entry(entry)
    _audit("validity_changed", actor, entry, before=before, after=validity, reason=reason.strip())
    return entry


@audited_refusals("catalog.entry.action_refused", errors=(ReviewError,))
@transaction.atomic
def start_correction(entry: Entry, *, actor) -> Entry:
    """A new draft that corrects a published item (B8); it passes the whole chain again."""
    original = Entry.objects.select_related("agency", "office").get(pk=entry.pk)
    _same_agency(actor, original)
    if original.status != Status.PUBLISHED:
        raise ReviewError(_("Only a published item can be corrected."))
    values = {name: getattr(original, name) for name in CONTENT_FIELDS}
    values.update(related_to=original, relation=Relation.CORRECTS, formed_on=timezone.localdate())
    values["title"] = original.title
    return save_draft(
        actor=actor,
        agency=original.agency,
        office=original.office,
        values=values,
        co_offices=list(original.co_offices.all()),
    )


@audited_refusals("catalog.subcategory.action_refused", obj="agency")
@transaction.atomic
def add_subcategory(*, actor, agency: Agency, category: str, name: str) -> SubCategory:
    """An agency-defined sub-category (A4), added by its disclosure office."""
    if actor.agency_id != agency.pk or Role.DISCLOSURE_OFFICER not in user_roles(actor):
        raise PermissionDenied(_("Only the disclosure office keeps the sub-categories."))
    subcategory = SubCategory.objects.create(agency=agency, category=category, name=name.strip())
    record_event(
        "catalog.subcategory.created", actor=actor, obj=subcategory, agency=agency, data={"category": category}
    )
    return subcategory
