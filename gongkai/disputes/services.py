"""Every state change of a dispute (style.md §3): register it, then record each step of its
ledger through the transition table (``transitions.DISPUTE``). Seed F1–F6."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Agency, Office
from gongkai.applications.selectors import application_by_number
from gongkai.core import uploads
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.calendar import get_calendar
from gongkai.core.sequences import next_in_sequence
from gongkai.core.uploads import CheckedFile
from gongkai.core.workflow import Change
from gongkai.disputes.choices import LAWSUITS, Kind, Outcome, Procedure
from gongkai.disputes.clock import LAWSUIT_ANSWER_DAYS, answer_deadline, evidence_deadline
from gongkai.disputes.models import Dispute, DisputeDocument, DisputeEvent
from gongkai.disputes.transitions import DISPUTE, DisputeError

E = DisputeEvent.EventKind
MAX_COURT_DAYS = 90


def _store_answer_due(dispute: Dispute) -> list[str]:
    deadline = answer_deadline(
        dispute.kind, dispute.procedure, dispute.received_on, dispute.answer_days, get_calendar()
    )
    assert isinstance(deadline.due, date)
    dispute.answer_due_on = deadline.due
    dispute.answer_due_provisional = deadline.provisional
    dispute.answer_explanation = deadline.explanation
    if dispute.procedure_changed_on is not None:
        dispute.answer_explanation = [
            _(
                "Moved from the simplified to the ordinary procedure on %(day)s (行政复议法 art. 55): the "
                "ordinary answer period applies, counted from the day the copy was received."
            )
            % {"day": dispute.procedure_changed_on.isoformat()},
            *deadline.explanation,
        ]
    fields = ["answer_due_on", "answer_due_provisional", "answer_explanation"]
    forwarded = dispute.events.filter(kind=E.FORWARDED).order_by("on", "pk").last() if dispute.pk else None
    if forwarded is not None:
        evidence = evidence_deadline(forwarded.on, deadline, get_calendar())
        dispute.evidence_due_on, dispute.evidence_due_provisional = evidence.due, evidence.provisional
        fields += ["evidence_due_on", "evidence_due_provisional"]
    return fields


def _period_terms(kind: str, procedure: str, answer_days: int | None, errors: dict) -> tuple[str, int | None]:
    """A reconsideration has its procedure and no court period; a lawsuit the court's period."""
    if kind == Kind.RECONSIDERATION:
        if procedure not in Procedure.values:
            errors["procedure"] = [_("Say which procedure the reconsideration organ applies.")]
        return procedure, None
    if kind in LAWSUITS:
        answer_days = LAWSUIT_ANSWER_DAYS if answer_days is None else answer_days
        if not 1 <= answer_days <= MAX_COURT_DAYS:
            errors["answer_days"] = [_("Give the period in the court's notice, 1 to 90 days.")]
        return "", answer_days
    return procedure, answer_days


def _check_registration(application, kind, organ, received_on, procedure, answer_days) -> tuple[str, int | None]:
    """Refuse a registration that cannot stand, every problem on its field; return the procedure
    and the court's period as they apply to the kind (a reconsideration has no court period)."""
    errors: dict[str, list[str]] = {}
    if application is None:
        errors["application_number"] = [_("This agency has no application with that number.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose the kind of dispute.")]
    if not (organ or "").strip():
        errors["organ"] = [_("Name the reconsideration organ or the court.")]
    if application is not None and application.received_on is None:
        errors["application_number"] = [_("This application has not been received yet: confirm its receipt first.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    elif application is not None and application.received_on and received_on < application.received_on:
        errors["received_on"] = [_("The copy cannot have arrived before the application itself.")]
    procedure, answer_days = _period_terms(kind, procedure, answer_days, errors)
    if errors:
        raise ValidationError(errors)
    return procedure, answer_days


def register_dispute(
    *,
    actor,
    agency: Agency,
    application_number: str,
    kind: str,
    organ: str,
    received_on: date,
    case_number: str = "",
    procedure: str = "",
    answer_days: int | None = None,
    note: str = "",
) -> Dispute:
    """A copy of a reconsideration application or of a complaint has arrived (F1): register it
    against the application it concerns and start the answer clock."""
    application = application_by_number(agency, application_number)
    procedure, answer_days = _check_registration(application, kind, organ, received_on, procedure, answer_days)
    with transaction.atomic():
        serial = next_in_sequence("disputes.number", agency.pk, received_on.year)
        number = f"{agency.slug.upper()}-ZY-{received_on.year}-{serial:03d}"
        dispute = Dispute(
            agency=agency,
            number=number,
            kind=kind,
            application=application,
            organ=organ.strip(),
            case_number=(case_number or "").strip(),
            received_on=received_on,
            procedure=procedure,
            answer_days=answer_days,
        )
        _store_answer_due(dispute)
        dispute.save()
        DisputeEvent.objects.create(
            dispute=dispute,
            kind=E.REGISTERED,
            on=received_on,
            note=note,
            data={"kind": kind, "procedure": procedure, "answer_days": answer_days},
            actor_id=actor.pk,
            actor_name=actor.full_name,
        )
        record_event(
            "disputes.dispute.registered",
            actor=actor,
            obj=dispute,
            agency=agency,
            data={
                "number": number,
                "kind": kind,
                "application": dispute.application.number,
                "answer_due_on": str(dispute.answer_due_on),
            },
        )
    return dispute


@audited_refusals("disputes.dispute.action_refused", errors=(DisputeError,))
def record_dispute_event(
    dispute: Dispute, *, actor, kind: str, on: date, note: str = "", data: dict[str, Any] | None = None
) -> Dispute:
    """One step of the dispute (F2–F6), through the transition table."""
    data = dict(data or {})

    def write(locked: Dispute) -> Change:
        fields = _check_and_apply(locked, kind, on, note, data)
        DisputeEvent.objects.create(
            dispute=locked, kind=kind, on=on, note=note, data=data, actor_id=actor.pk, actor_name=actor.full_name
        )
        if kind == E.FORWARDED:
            fields += _store_answer_due(locked)
        return Change(fields=fields, audit_data={"on": on.isoformat(), **_audit_safe(data)})

    return DISPUTE.run(kind, dispute, actor=actor, write=write)


def _audit_safe(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in ("office", "outcome", "hearing_on", "late", "days", "unit")}


def _forwarded(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    last = dispute.events.filter(kind=E.FORWARDED).order_by("on", "pk").last()
    if last is not None and on < last.on:
        raise DisputeError(
            _("The copy was last forwarded on %(day)s: a new forward cannot be dated earlier.")
            % {"day": last.on.isoformat()}
        )
    office_id = data.get("office")
    office = Office.objects.filter(pk=office_id, agency=dispute.agency).first() if isinstance(office_id, int) else None
    if office is None:
        raise DisputeError(_("Choose the office that holds the records."))
    dispute.evidence_office, data["office"] = office, office.pk
    dispute.evidence_received_on = None  # forwarded again: that office's evidence is awaited now
    return ["evidence_office", "evidence_received_on"]


def _evidence_received(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    forwarded = dispute.events.filter(kind=E.FORWARDED).order_by("on", "pk").last()
    if forwarded is not None and on < forwarded.on:
        raise DisputeError(
            _("The evidence cannot arrive before the copy was forwarded (%(day)s).") % {"day": forwarded.on.isoformat()}
        )
    dispute.evidence_received_on = on  # forwarded first, once: transitions._check
    return ["evidence_received_on"]


def _meeting_held(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    if len(note.strip()) < 4:
        raise DisputeError(_("Write who took part and what was said or agreed."))
    return []


def _hearing_scheduled(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    _meeting_held(dispute, on, note, data)
    hearing_on = data.get("hearing_on")
    if not hearing_on:
        raise DisputeError(_("Give the date of the hearing."))
    if isinstance(hearing_on, date) and hearing_on < on:
        raise DisputeError(_("The hearing cannot be before the day it was scheduled."))
    data["hearing_on"] = hearing_on.isoformat() if isinstance(hearing_on, date) else str(hearing_on)
    return []


def _answered(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    dispute.answered_on = on
    data["late"] = on > dispute.answer_due_on  # 行政复议法 art. 70: the page has warned of it
    return ["answered_on"]


def _decided(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    if data.get("outcome") not in Outcome.values:
        raise DisputeError(_("Choose the result of the decision or judgment."))
    if dispute.answered_on and on < dispute.answered_on:
        raise DisputeError(
            _("The decision cannot be before the answer was filed (%(day)s).")
            % {"day": dispute.answered_on.isoformat()}
        )
    dispute.outcome, dispute.decided_on = data["outcome"], on
    return ["outcome", "decided_on"]


def _procedure_changed(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    """行政复议法 art. 55: the organ moves the case to the ordinary procedure (its check in
    transitions._check). We apply the ordinary 10 working days from the day the copy was
    received (art. 48); the law names no new starting day (decision 0036)."""
    if on > dispute.answer_due_on:
        # The simplified date had passed unanswered: art. 70 applied then; a later switch cannot
        # give the answer a new date.
        raise DisputeError(
            _(
                "The simplified procedure's answer date (%(due)s) passed before this switch: the answer "
                "was due then (行政复议法 art. 70)."
            )
            % {"due": dispute.answer_due_on.isoformat()}
        )
    dispute.procedure, dispute.procedure_changed_on = Procedure.ORDINARY, on
    return ["procedure", "procedure_changed_on", *_store_answer_due(dispute)]


def _reply_ordered(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    from gongkai.disputes.clock import new_reply_deadline

    if dispute.decided_on and on < dispute.decided_on:
        raise DisputeError(_("It cannot take effect before it was made (%(day)s).") % {"day": dispute.decided_on})
    days, working = data.get("days"), data.get("unit") != "calendar"
    if not isinstance(days, int) or not 1 <= days <= 180:
        raise DisputeError(_("Give the period for the new reply, 1 to 180 days."))
    deadline = new_reply_deadline(on, days, working, get_calendar())
    assert isinstance(deadline.due, date)
    dispute.new_reply_due_on, dispute.new_reply_due_provisional = deadline.due, deadline.provisional
    dispute.new_reply_explanation = deadline.explanation
    data["unit"] = "working" if working else "calendar"
    return ["new_reply_due_on", "new_reply_due_provisional", "new_reply_explanation"]


def _carried_out(dispute: Dispute, on: date, note: str, data: dict[str, Any]) -> list[str]:
    if len(note.strip()) < 2:
        raise DisputeError(_("Say what was done to carry out the decision or judgment."))
    if dispute.decided_on and on < dispute.decided_on:
        raise DisputeError(_("It cannot be carried out before it was made (%(day)s).") % {"day": dispute.decided_on})
    dispute.carried_out_on = on
    data["late"] = bool(dispute.new_reply_due_on and on > dispute.new_reply_due_on)
    return ["carried_out_on"]


STEPS: dict[str, Callable[[Dispute, date, str, dict[str, Any]], list[str]]] = {
    E.FORWARDED: _forwarded,
    E.EVIDENCE_RECEIVED: _evidence_received,
    E.MEETING_HELD: _meeting_held,
    E.HEARING_SCHEDULED: _hearing_scheduled,
    E.ANSWERED: _answered,
    E.DECIDED: _decided,
    E.PROCEDURE_CHANGED: _procedure_changed,
    E.REPLY_ORDERED: _reply_ordered,
    E.CARRIED_OUT: _carried_out,
}


def _check_and_apply(dispute: Dispute, kind: str, on: date, note: str, data: dict[str, Any]) -> list[str]:
    if on > timezone.localdate() or on < dispute.received_on:
        raise DisputeError(_("The date must lie between the day the copy arrived and today."))
    return STEPS[kind](dispute, on, note, data)


def recompute_open_deadlines(years: set[int]) -> int:
    """Calendar changed: move the answer and evidence dates of unanswered disputes."""
    changed = 0
    for dispute in Dispute.objects.unanswered().select_for_update():
        before = (dispute.answer_due_on, dispute.evidence_due_on, dispute.answer_due_provisional)
        fields = _store_answer_due(dispute)
        if (dispute.answer_due_on, dispute.evidence_due_on, dispute.answer_due_provisional) != before:
            dispute.save(update_fields=fields)
            changed += 1
    from gongkai.disputes.clock import new_reply_deadline

    awaiting = Dispute.objects.filter(new_reply_due_on__isnull=False, carried_out_on__isnull=True)
    for dispute in awaiting.select_for_update():  # F6: a new reply ordered and not yet made
        ordered = dispute.events.filter(kind=E.REPLY_ORDERED).order_by("pk").last()
        if ordered is None:
            continue
        deadline = new_reply_deadline(
            ordered.on, ordered.data["days"], ordered.data["unit"] != "calendar", get_calendar()
        )
        if (deadline.due, deadline.provisional) != (dispute.new_reply_due_on, dispute.new_reply_due_provisional):
            dispute.new_reply_due_on, dispute.new_reply_due_provisional = deadline.due, deadline.provisional
            dispute.new_reply_explanation = deadline.explanation
            dispute.save(update_fields=["new_reply_due_on", "new_reply_due_provisional", "new_reply_explanation"])
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------------
# The case's documents and the evidence bundle


def _office_of_the_case(actor, dispute: Dispute) -> None:
    from django.core.exceptions import PermissionDenied

    from gongkai.accounts.choices import Role
    from gongkai.core.access import user_roles

    if actor.agency_id != dispute.agency_id:
        raise PermissionDenied(_("This dispute belongs to another agency."))
    if Role.DISCLOSURE_OFFICER not in user_roles(actor):
        raise PermissionDenied(_("Only the disclosure office records the steps of a dispute."))


@audited_refusals("disputes.dispute.action_refused", errors=(DisputeError,))
def add_document(
    dispute: Dispute,
    *,
    actor,
    kind: str,
    title: str,
    received_on: date,
    purpose: str = "",
    checked: CheckedFile | None = None,
    secret_explanation: str = "",
) -> DisputeDocument:
    """File a document of the case (F1: the copy received, the court's notice; the decision; more
    evidence). A state secret (国家秘密) is listed with its explanation and never stored: the
    platform holds no secret material, and 最高法 2011 规定 art. 5 ¶4 lets the agency ask the court
    that it not be shown in the open hearing."""
    _office_of_the_case(actor, dispute)
    errors: dict[str, list[str]] = {}
    if kind not in DisputeDocument.Kind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    if not title.strip():
        errors["title"] = [_("Give the document's title.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    secret = bool(secret_explanation.strip())
    if secret and checked is not None:
        errors["upload"] = [_("A secret document is listed, not uploaded: remove the file or the explanation.")]
    if not secret and checked is None:
        errors["upload"] = [_("Attach the file, or explain why it cannot be attached (secret material).")]
    if errors:
        raise ValidationError(errors)
    with uploads.atomic_with_files():
        document = DisputeDocument(
            dispute=dispute,
            kind=kind,
            title=title.strip()[:200],
            received_on=received_on,
            purpose=purpose.strip()[:200],
            secret=secret,
            secret_explanation=secret_explanation.strip(),
            actor_name=actor.full_name,
        )
        if checked is not None:
            document.stored_name = uploads.store(checked, "disputes")
            document.original_name = checked.original_name
            document.content_type = checked.content_type
            document.size = len(checked.data)
            document.sha256 = checked.sha256
        document.save()
        record_event(
            "disputes.document.added",
            actor=actor,
            obj=document,
            agency=dispute.agency,
            data={"dispute": dispute.number, "kind": kind, "secret": secret, "sha256": document.sha256},
        )
    return document


def evidence_bundle_for(dispute: Dispute, *, actor) -> tuple[bytes, int]:
    """The numbered evidence bundle (disputes/bundle.py), its making audited: it carries the
    applicant's records. Returns the PDF and the number of items."""
    from gongkai.disputes.bundle import MissingFile, evidence_bundle

    _office_of_the_case(actor, dispute)
    try:
        data, items = evidence_bundle(dispute)
    except MissingFile as exc:
        raise DisputeError(
            _("A stored file is missing or has changed, so the bundle cannot be made: %(title)s.") % {"title": str(exc)}
        ) from None
    record_event(
        "disputes.dispute.bundle_made",
        actor=actor,
        obj=dispute,
        agency=dispute.agency,
        data={"items": len(items), "listed_only": sum(1 for i in items if not i.pages)},
    )
    return data, len(items)
