"""The catalog's review chain: submission, the steps' opinions, escalation, publication,
withdrawal and validity (seed rules B1 nothing bypasses review; D1–D4; G3–G8; B3–B5, B8; A6).

Every move is a row of the transition table in ``catalog/transitions.py`` and runs through
``REVIEW.run`` (core/workflow.py): lock the entry, check its agency, status and the actor's
roles and the chain's own rules, write, save with ``update_fields``, record one audit event
with the before and after values, and leave side effects to ``on_commit`` (style.md §3).

The content of an entry (drafts, revisions, attachments) is in ``catalog/content.py``, its
publish-by date in ``catalog/deadlines.py``; their names stay importable from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, Office
from gongkai.accounts.validators import render_index_template
from gongkai.catalog import search
from gongkai.catalog.choices import (
    Attribute,
    Category,
    Channel,
    Classification,
    Decision,
    Relation,
    Status,
    Step,
    Validity,
)
from gongkai.catalog.content import (  # noqa: F401 (the old import paths of content and revisions)
    CONTENT_FIELDS,
    NewFile,
    _hash,
    clean_content,
    content_hash,
    current_revision,
    new_revision_if_changed,
    save_draft,
    snapshot,
    store_attachment,
)
from gongkai.catalog.deadlines import (  # noqa: F401 (the old import paths of the deadlines)
    OFFICIAL_DOCUMENT_WITHIN_WORKING_DAYS,
    PUBLISH_WITHIN_WORKING_DAYS,
    publish_deadline,
    recompute_publish_deadlines,
    store_deadline,
)
from gongkai.catalog.models import Entry, Opinion, Revision, SubCategory
from gongkai.catalog.permissions import drafters, is_clerk_of, is_head_of  # noqa: F401
from gongkai.catalog.steps import (  # noqa: F401
    MIN_REASON,
    ROLES_OF_STEP,
    STATUS_OF_STEP,
    STEP_OF_STATUS,
    WITHDRAW_ROLES,
    ReviewError,
    approved_steps,
    chain,
    next_status,
)
from gongkai.catalog.transitions import CORRECT, NOT_AT_STEP, REVIEW
from gongkai.core.access import user_roles
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.publication import Document
from gongkai.core.sequences import next_in_sequence
from gongkai.core.workflow import Change, TransitionError

# The old private names, for callers not yet moved (demo data, tests, benchmarks).
_approved_steps = approved_steps
_next_status = next_status
_new_revision_if_changed = new_revision_if_changed
_store_deadline = store_deadline
_store_attachment = store_attachment

REFUSED = "catalog.entry.action_refused"


def _move(kind: str, step: str, entry: Entry) -> str:
    """The table's name of "approve"/"return" at ``step``; a step without that move refuses as
    a step the entry is not at."""
    name = f"{kind}_{step}"
    if not any(t.name == name for t in REVIEW.transitions):
        label = Step(step).label if step in Step.values else step
        raise ReviewError(NOT_AT_STEP % {"step": label, "status": Status(entry.status).label})
    return name


def may_act(actor, entry: Entry, step: str) -> bool:
    """Whether ``actor`` may give the opinion of ``step`` on ``entry`` now (no exception)."""
    return REVIEW.allows(f"return_{step}", entry, actor)


def _opinion(entry: Entry, actor, step: str, decision: str, comment: str = "", office=None, **data) -> Opinion:
    return Opinion.objects.create(
        entry=entry,
        revision=current_revision(entry),
        step=step,
        decision=decision,
        comment=comment.strip(),
        data=data,
        office=office,
        actor=actor,
        actor_name=actor.full_name,
    )


# ---------------------------------------------------------------------------------------------
# The review chain


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def submit(entry: Entry, *, actor) -> Entry:
    """The drafter sends the draft into review. A revision already approved at some steps (returned
    unchanged) resumes where it was returned; a changed revision starts again at the office."""

    def write(entry: Entry) -> Change:
        revision = new_revision_if_changed(entry, actor)
        _opinion(entry, actor, Step.SUBMITTED, Decision.APPROVE)
        if Step.OFFICE not in approved_steps(entry, revision):
            entry.classification = ""
        entry.status = next_status(entry, revision)
        return Change(
            fields=["classification", "revision"], audit_data={"version": revision.number, "status": entry.status}
        )

    return REVIEW.run("submit", entry, actor=actor, write=write)


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def return_for_revision(entry: Entry, *, actor, step: str, reason: str) -> Entry:
    """Any step may send the entry back to its drafter with a reason."""

    def write(entry: Entry) -> Change:
        if len(reason.strip()) < MIN_REASON:
            raise ReviewError(_("Give the reason for returning the item."))
        _opinion(entry, actor, step, Decision.RETURN, reason)
        return Change(audit_data={"step": step, "reason": reason.strip()})

    return REVIEW.run(_move("return", step, entry), entry, actor=actor, write=write)


def _office_opinion(entry: Entry, comment: str, data: dict[str, Any], revision: Revision) -> dict[str, Any]:
    classification = data.get("classification")
    if classification not in Classification.values:
        raise ReviewError(_("Record the classification check (D2)."))
    if classification == Classification.SECRET and entry.attribute != Attribute.WITHHELD:
        raise ReviewError(_("A state secret cannot be disclosed: return the item so its attribute is changed."))
    if not comment.strip():
        raise ReviewError(_("Write the office's confidentiality opinion (G5 step 1)."))
    missing = [o.name for o in entry.co_offices.all() if not _consented(entry, o, revision)]
    if missing:
        raise ReviewError(_("Waiting for the written consent of: %(offices)s (G6).") % {"offices": "、".join(missing)})
    entry.classification = classification
    return {"classification": classification}


def _confidentiality_opinion(entry: Entry, comment: str, data: dict[str, Any], revision: Revision) -> dict[str, Any]:
    if not comment.strip():
        raise ReviewError(_("Write the confidentiality office's opinion (G5 step 2)."))
    if entry.classification == Classification.UNCLEAR:
        raise ReviewError(_("The classification is unclear: escalate to the competent authority (G7)."))
    if entry.classification == Classification.EXPIRED_SECRET and not data.get("declassification_checked"):
        raise ReviewError(_("Confirm that the expired secret was re-reviewed and may be released (G8)."))
    return {"declassification_checked": bool(data.get("declassification_checked"))}


def _disclosure_check(entry: Entry, comment: str, data: dict[str, Any], revision: Revision) -> dict[str, Any]:
    if entry.attribute == Attribute.PROACTIVE and not entry.channels:
        raise ReviewError(_("Name at least one publication channel (A5)."))
    return {}


# What each step checks before its approval, and what its opinion records.
OPINION_RULES = {
    Step.OFFICE: _office_opinion,
    Step.CONFIDENTIALITY: _confidentiality_opinion,
    Step.DISCLOSURE: _disclosure_check,
}


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def approve(entry: Entry, *, actor, step: str, comment: str = "", **data) -> Entry:
    """Give the approving opinion of the step the entry waits for, then move it on."""

    def write(entry: Entry) -> Change:
        revision = current_revision(entry)
        rule = OPINION_RULES.get(step)
        extra = rule(entry, comment, data, revision) if rule else {}
        _opinion(entry, actor, step, Decision.APPROVE, comment, **extra)
        entry.status = next_status(entry, revision)
        return Change(fields=["classification"], audit_data={"step": step, "version": revision.number})

    entry = REVIEW.run(_move("approve", step, entry), entry, actor=actor, write=write)
    if entry.status == Status.REGISTERED:
        record_event(
            "catalog.entry.registered",
            actor=actor,
            obj=entry,
            agency=entry.agency,
            data={"attribute": entry.attribute, "ground": entry.ground},
        )
    return entry


def _consented(entry: Entry, office: Office, revision: Revision | None) -> bool:
    return entry.opinions.filter(
        step=Step.CO_CONSENT, office=office, revision=revision, decision=Decision.APPROVE
    ).exists()


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def consent(entry: Entry, *, actor, office: Office, comment: str) -> Entry:
    """A co-producing office's written consent (G6), by its head, for the current revision."""

    def write(entry: Entry) -> Change:
        if not entry.co_offices.filter(pk=office.pk).exists():
            raise ReviewError(_("That office is not a co-producer of this item."))
        if not is_head_of(actor, office):
            raise PermissionDenied(_("Only the head of a co-producing office gives its consent."))
        if actor.pk in drafters(entry):
            raise PermissionDenied(_("The person who drafted an item cannot also approve it."))
        if len(comment.strip()) < 2:
            raise ReviewError(_("Write the office's consent."))
        if _consented(entry, office, current_revision(entry)):
            raise ReviewError(_("This office has already consented to this version."))
        _opinion(entry, actor, Step.CO_CONSENT, Decision.APPROVE, comment, office=office)
        return Change(audit_data={"office": office.name})

    return REVIEW.run("consent", entry, actor=actor, write=write)


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def escalate(entry: Entry, *, actor, authority: str, comment: str) -> Entry:
    """Send the 保密审查表 to the competent authority and wait for its answer (G7)."""

    def write(entry: Entry) -> Change:
        if len(authority.strip()) < 2 or len(comment.strip()) < MIN_REASON:
            raise ReviewError(_("Name the competent authority and say what is unclear."))
        _opinion(entry, actor, Step.CONFIDENTIALITY, Decision.ESCALATE, comment, authority=authority.strip())
        entry.escalated_to = authority.strip()
        return Change(fields=["escalated_to"], audit_data={"authority": entry.escalated_to})

    return REVIEW.run("escalate", entry, actor=actor, write=write)


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def record_authority_answer(entry: Entry, *, actor, secret: bool, reference: str, comment: str = "") -> Entry:
    """The competent authority's recorded answer (G7). Not secret: the chain goes on to the
    leader. Secret: the entry returns to its drafter, who must change its attribute."""

    def write(entry: Entry) -> Change:
        if len(reference.strip()) < 2:
            raise ReviewError(_("Record the reference of the authority's written answer."))
        decision = Decision.RETURN if secret else Decision.APPROVE
        text = comment.strip() or (_("The competent authority found it secret.") if secret else "")
        _opinion(entry, actor, Step.ESCALATION, decision, text, secret=secret, reference=reference.strip())
        if secret:
            entry.classification, entry.status = Classification.SECRET, Status.DRAFT
        else:
            entry.classification, entry.status = Classification.NOT_SECRET, Status.LEADER_CONFIDENTIALITY
        return Change(fields=["classification"], audit_data={"secret": secret, "reference": reference.strip()})

    return REVIEW.run("answer", entry, actor=actor, write=write)


def is_routine(entry: Entry) -> bool:
    """Routine for the leader's queue: not important, classified not secret, never escalated."""
    return (
        not entry.is_important
        and entry.classification == Classification.NOT_SECRET
        and not entry.escalated_to
        and entry.attribute == Attribute.PROACTIVE
    )


@audited_refusals(REFUSED, errors=(TransitionError,), obj="entries")
@transaction.atomic
def approve_many(entries: list[Entry], *, actor, comment: str) -> int:
    """The leader approves several routine entries at once (G5 step 3); all or none. Each is
    locked before it is judged routine, so what is judged is what is approved."""
    count = 0
    for entry in entries:
        locked = REVIEW.lock(entry)
        if not is_routine(locked):
            raise ReviewError(
                _("“%(title)s” is not routine: open it and approve it on its own.") % {"title": locked.title}
            )
        approve(locked, actor=actor, step=Step.LEADER_CONFIDENTIALITY, comment=comment or _("Approved."))
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


PUBLICATION_FIELDS = ["status", "published_at", "published_on", "index_number", "channels", "publish_at"]


def _publish_now(entry: Entry, *, now: datetime | None = None) -> list[str]:
    """Set what publication sets (the caller saves the returned fields) and note the change for
    the search index, which follows when the transaction commits."""
    now = now or timezone.now()
    entry.published_at = now
    entry.published_on = timezone.localdate(now)
    # An imported draft keeps the index number it was published under before (seed B1 import).
    entry.index_number = entry.index_number or _allocate_index_number(entry.agency, entry.published_on.year)
    if Channel.WEBSITE not in entry.channels:
        entry.channels = [*entry.channels, Channel.WEBSITE]
    entry.status, entry.publish_at = Status.PUBLISHED, None
    search.index_entry(entry)
    return list(PUBLICATION_FIELDS)


def _ensure_proactive(entry: Entry) -> None:
    if entry.attribute != Attribute.PROACTIVE:
        raise ReviewError(_("Only proactively disclosed items are published."))


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def publish(entry: Entry, *, actor, at: datetime | None = None) -> Entry:
    """The web administrator publishes now, or schedules publication for ``at`` (B3, B5)."""
    if at is not None and at > timezone.now():

        def schedule(entry: Entry) -> Change:
            _ensure_proactive(entry)
            _opinion(entry, actor, Step.PUBLICATION, Decision.APPROVE, "", scheduled_for=at.isoformat())
            entry.publish_at = at
            return Change(fields=["publish_at"], audit_data={"at": at})

        return REVIEW.run("schedule", entry, actor=actor, write=schedule)

    def publish_now(entry: Entry) -> Change:
        _ensure_proactive(entry)
        _opinion(entry, actor, Step.PUBLICATION, Decision.APPROVE, "")
        fields = _publish_now(entry)
        return Change(fields=fields, audit_data={"index_number": entry.index_number})

    return REVIEW.run("publish", entry, actor=actor, write=publish_now)


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def cancel_schedule(entry: Entry, *, actor) -> Entry:
    """The web administrator takes a scheduled entry back to ready-to-publish."""

    def write(entry: Entry) -> Change:
        entry.publish_at = None
        return Change(fields=["publish_at"])

    return REVIEW.run("cancel", entry, actor=actor, write=write)


def publish_scheduled(now: datetime | None = None) -> int:
    """Publish every scheduled entry whose time has come (a periodic job; idempotent). The job
    has no actor: it re-reads the locked row and publishes only what is still scheduled."""
    now = now or timezone.now()
    count = 0
    for pk in Entry.objects.filter(status=Status.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            entry = Entry.objects.select_for_update().select_related("agency").get(pk=pk)
            if entry.status != Status.SCHEDULED:
                continue
            scheduler = entry.opinions.filter(step=Step.PUBLICATION).order_by("-at").first()
            entry.save(update_fields=[*_publish_now(entry, now=now), "updated_at"])
            record_event(
                "catalog.entry.published",
                obj=entry,
                agency=entry.agency,
                data={"index_number": entry.index_number, "scheduled_by": scheduler.actor_name if scheduler else ""},
            )
            count += 1
    return count


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def withdraw(entry: Entry, *, actor, reason: str) -> Entry:
    """Take a published entry off every public surface at once, with the reason (B8). The index
    number is never reused and the history stays."""

    def write(entry: Entry) -> Change:
        if len(reason.strip()) < MIN_REASON:
            raise ReviewError(_("Give the reason for the withdrawal (B8)."))
        entry.withdrawn_at, entry.withdrawal_reason = timezone.now(), reason.strip()
        search.unindex_entry(entry)
        return Change(
            fields=["withdrawn_at", "withdrawal_reason"],
            audit_data={"reason": entry.withdrawal_reason, "index_number": entry.index_number},
        )

    return REVIEW.run("withdraw", entry, actor=actor, write=write)


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def set_validity(entry: Entry, *, actor, validity: str, reason: str) -> Entry:
    """Mark a published entry amended or repealed (有效性), with the reason; re-indexed."""

    def write(entry: Entry) -> Change:
        if validity not in Validity.values:
            raise ReviewError(_("Choose the validity of a published item."))
        if len(reason.strip()) < MIN_REASON:
            raise ReviewError(_("Give the reason for the change."))
        entry.validity = validity
        search.index_entry(entry)
        return Change(fields=["validity"], audit_data={"reason": reason.strip()})

    return REVIEW.run("validity", entry, actor=actor, write=write)


@audited_refusals(REFUSED, errors=(TransitionError,))
@transaction.atomic
def start_rectification(entry: Entry, *, actor) -> Entry:
    """A new draft that rectifies (更正) a published entry (B8); it passes the whole chain again.
    The published entry stays as it is until the rectification is published."""
    original = REVIEW.lock(entry)
    REVIEW.ensure_allowed(CORRECT, original, actor)
    values = {name: getattr(original, name) for name in CONTENT_FIELDS}
    values.update(related_to=original, relation=Relation.CORRECTS, formed_on=timezone.localdate())
    return save_draft(
        actor=actor,
        agency=original.agency,
        office=original.office,
        values=values,
        co_offices=list(original.co_offices.all()),
    )


start_correction = start_rectification  # the old name, until every caller has moved


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


# ---------------------------------------------------------------------------------------------
# Documents finished in another process (core/publication.py): the annual report


def publish_finished_document(document: Document) -> str:
    """File a document reviewed and approved in its own process (the annual report: 条例 art. 49)
    under its column of 其他法律法规规定的信息, hosted by the disclosure office, and publish it now.
    Its opinion records that the review happened elsewhere. Runs in the caller's transaction."""
    agency = document.agency
    office = Office.objects.filter(agency=agency).order_by("-is_disclosure_office", "name").first()
    if office is None:
        raise ReviewError(_("The agency has no office to host the item."))
    subcategory, _created = SubCategory.objects.get_or_create(
        agency=agency, category=Category.OTHER_REQUIRED, name=document.column[:60]
    )
    entry = Entry.objects.create(
        agency=agency,
        office=office,
        title=document.title[:200],
        formed_on=document.formed_on,
        attribute=Attribute.PROACTIVE,
        category=Category.OTHER_REQUIRED,
        subcategory=subcategory,
        summary=document.summary,
        body=document.body,
        status=Status.READY,
        created_by=document.actor,
    )
    earlier = None
    if document.corrects:
        earlier = Entry.objects.select_for_update().filter(agency=agency, index_number=document.corrects).first()
    if earlier is not None:
        entry.related_to, entry.relation = earlier, Relation.CORRECTS
        entry.save(update_fields=["related_to", "relation"])
    revision = new_revision_if_changed(entry, document.actor)
    Opinion.objects.create(
        entry=entry,
        revision=revision,
        step=Step.PUBLICATION,
        decision=Decision.APPROVE,
        actor=document.actor,
        actor_name=getattr(document.actor, "full_name", "")[:50],
        comment=_("Reviewed and approved in its own process: %(column)s.") % {"column": document.column},
    )
    fields = _publish_now(entry)
    entry.save(update_fields=fields)
    record_event(
        "catalog.entry.published",
        actor=document.actor,
        obj=entry,
        agency=agency,
        data={"index_number": entry.index_number, "column": document.column},
    )
    if earlier is not None and earlier.validity != Validity.AMENDED:
        before = earlier.validity
        earlier.validity = Validity.AMENDED  # still public, marked, and linked from its correction
        earlier.save(update_fields=["validity", "updated_at"])
        search.index_entry(earlier)
        record_event(
            "catalog.entry.validity_changed",
            actor=document.actor,
            obj=earlier,
            agency=agency,
            data={"before": {"validity": before}, "after": {"validity": earlier.validity},
                  "reason": document.reason, "corrected_by": entry.index_number},
        )  # fmt: skip
    assert entry.index_number is not None
    return entry.index_number
