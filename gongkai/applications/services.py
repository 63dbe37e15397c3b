"""Every change to an application: intake, clock events, personal-data reveal (seed E1–E5).

Each function locks, checks state and permission, writes, audits, and defers side effects.
The due date is always recomputed from the whole ledger by ``clock.replay``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from gongkai.accounts.models import Agency
from gongkai.applications import clock
from gongkai.applications.choices import CLOCK_OUTCOMES, REFUSALS, Channel, NoticeKind, Outcome, Status
from gongkai.applications.clock import ClockError, Entry, Kind
from gongkai.applications.models import Application, Attachment, ClockEvent, Notice
from gongkai.applications.notice_templates import DETAIL_FIELDS, DETAIL_LABELS, DISCLOSURE_ROUTES, REPLY_DETAILS
from gongkai.applications.notices import NoticeError, issue_receipt_with_code, pending_reply_letter, signed_draft
from gongkai.applications.permissions import EXTENSION_ROLES, HANDLER_ROLES, READER_ROLES  # noqa: F401  (old home)
from gongkai.applications.transitions import HANDLING
from gongkai.core import uploads
from gongkai.core.access import user_roles
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.calendar import get_calendar
from gongkai.core.clocks import LedgerEntry
from gongkai.core.sequences import next_in_sequence
from gongkai.core.workdays import add_workdays
from gongkai.core.workflow import Change, TransitionError

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@sensitive_variables("digest")
def _derived_code(*, agency: Agency, idempotency_key: str, request_hash: str) -> str:
    """The query code of an idempotent submission: derivable again from the agency, the client's
    key and the request, so a retried request gets the same answer (IETF idempotency-key draft)
    while the database stores only a hash. The key alone derives nothing (AC-02)."""
    message = f"query-code:{agency.pk}:{idempotency_key}:{request_hash}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return "".join(QUERY_CODE_ALPHABET[b % len(QUERY_CODE_ALPHABET)] for b in digest[:10])


@sensitive_variables("code")
def _hash_code(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.strip().upper().encode(), hashlib.sha256).hexdigest()


def fee_time_excluded() -> bool:
    return settings.APPLICATION_FEE_TIME_EXCLUDED


# ---------------------------------------------------------------------------------------------
# The ledger


def _date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return date.fromisoformat(value)
    return value


def entries_of(application: Application) -> list[Entry]:
    return [
        Entry(kind=e.kind, on=e.on, data={k: _date(v) for k, v in e.data.items()})
        for e in application.clock_events.order_by("on", "id")
    ]


def _store_state(application: Application, state: clock.ClockState) -> list[str]:
    """Copy the derived clock onto the row; return the changed field names."""
    step = None
    if state.is_open:
        steps = clock.internal_steps(
            entries_of(application), get_calendar(), registered_on=timezone.localtime(application.created_at).date()
        )
        step = clock.next_open_step(steps)
    values = {
        "next_step": step.code if step else "",
        "next_step_due": step.due if step else None,
        "next_step_due_provisional": bool(step and step.provisional),
        "status": state.status,
        "due_on": state.due,
        "due_on_provisional": state.provisional,
        "due_explanation": state.explanation,
        "suspended_until": state.suspended_until,
        "suspended_until_provisional": state.suspended_until_provisional,
        "closed_on": state.closed_on,
    }
    changed = [name for name, value in values.items() if getattr(application, name) != value]
    for name in changed:
        setattr(application, name, values[name])
    return changed


def recompute_open_deadlines(years: set[int]) -> int:
    """Registered with the calendar: a holiday change moves every open application's due date."""
    calendar = get_calendar()
    changed = 0
    for application in Application.objects.open().select_for_update().prefetch_related("clock_events"):
        if application.status == Status.SUBMITTED:
            fields = _awaiting_confirmation(application)
        else:
            state = clock.replay(entries_of(application), calendar, fee_time_excluded=fee_time_excluded())
            fields = _store_state(application, state)
        if fields:
            application.save(update_fields=[*fields, "updated_at"])
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------------
# Intake


@dataclass(frozen=True)
class Submission:
    application: Application
    query_code: str = field(repr=False)  # never stored in clear, never in a traceback (PI-05)
    created: bool = False


def _next_number(agency: Agency, year: int) -> str:
    """The next number of the agency's year, from a row locked until the transaction ends."""
    return f"{agency.slug.upper()}-{year}-{next_in_sequence('applications.number', agency.pk, year):05d}"


APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "info_title",
    "info_document_number",
    "info_description",
    "requested_form",
    "delivery",
    "has_identity_proof",
)


class IdempotencyConflict(Exception):
    """The idempotency key was already used with another request (AC-02): nothing is revealed."""

    def __init__(self) -> None:
        super().__init__(
            _("This idempotency key was already used for a different application. Use a new key for a new application.")
        )


def _canonical(value: Any) -> Any:
    if isinstance(value, bool | int) or value is None:
        return value
    return str(value)


@sensitive_variables("body")
def request_hash(*, agency: Agency, fields: dict[str, Any], channel: str, files: tuple = ()) -> str:
    """A keyed hash of what the request asks for (decision 0016): the parsed, normalised fields
    (APPLICANT_FIELDS after the form's cleaning, so ``１１０…`` and ``110…`` are one request),
    the agency and the channel, and each file as its kind and SHA-256 (never its bytes or name).
    Keyed with SECRET_KEY because the fields hold personal data."""
    body = json.dumps(
        {
            "agency": agency.pk,
            "channel": channel,
            "fields": {name: _canonical(fields.get(name)) for name in APPLICANT_FIELDS},
            "files": sorted([str(kind), checked.sha256] for kind, checked in files),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(settings.SECRET_KEY.encode(), f"request:{body}".encode(), hashlib.sha256).hexdigest()


def _repeat(agency: Agency, idempotency_key: str, fingerprint: str) -> Submission | None:
    existing = Application.objects.filter(agency=agency, idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    code = _derived_code(agency=agency, idempotency_key=idempotency_key, request_hash=fingerprint)
    # An older row (no stored hash) or another request under the same key: refuse, reveal nothing.
    same = bool(existing.request_hash) and hmac.compare_digest(existing.request_hash, fingerprint)
    if not same or not hmac.compare_digest(existing.query_code_hash, _hash_code(code)):
        raise IdempotencyConflict
    return Submission(existing, code, False)


def find_repeat(
    *, agency: Agency, idempotency_key: str, fields: dict[str, Any], channel: str, files: tuple = ()
) -> Application | None:
    """The application this very request already made under ``idempotency_key`` (a retry), or
    None for a new key; IdempotencyConflict when the key came with another request."""
    fingerprint = request_hash(agency=agency, fields=fields, channel=channel, files=files)
    repeat = _repeat(agency, idempotency_key, fingerprint)
    return repeat.application if repeat else None


@audited_refusals("applications.application.action_refused", obj="agency")
@sensitive_variables("code", "fingerprint")
def submit_application(  # noqa: C901  intake: validation, idempotency and the race are one transaction
    *,
    agency: Agency,
    fields: dict[str, Any],
    channel: str,
    received_on: date,
    idempotency_key: str | None = None,
    actor=None,
    files: tuple = (),
) -> Submission:
    """Register an application with its receipt date (art. 31) and start the clock; an online
    submission (no actor) is registered as submitted on ``received_on`` and its clock starts
    when the disclosure office confirms it (art. 31(三), ``confirm_submission``).

    ``files`` are (Attachment.Kind, CheckedFile) pairs already checked by the form; they are
    staged and moved into place when the transaction commits, removed if it fails (REL-01).

    The same ``idempotency_key`` with the same request again returns the first application
    (REL-02): a double click, a retry or the back button never creates a second one. The key is
    scoped to the agency; with a different request it raises IdempotencyConflict (AC-02).
    """
    fingerprint = request_hash(agency=agency, fields=fields, channel=channel, files=files) if idempotency_key else ""
    if idempotency_key:
        repeat = _repeat(agency, idempotency_key, fingerprint)
        if repeat:
            return repeat
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The receipt date cannot be in the future.")})
    online = channel == Channel.ONLINE
    if channel == Channel.ONLINE and actor is not None:
        raise ValidationError(_("Staff register letters, faxes and visits; online applications come from the portal."))
    if actor is not None and (actor.agency_id != agency.pk or not HANDLER_ROLES & user_roles(actor)):
        raise PermissionDenied(_("Only the agency's disclosure officers register applications."))
    if idempotency_key:
        code = _derived_code(agency=agency, idempotency_key=idempotency_key, request_hash=fingerprint)
    else:
        code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(10))
    try:
        # The files are staged and moved into place only when this commits (REL-01).
        with uploads.atomic_with_files():
            stored = [(kind, checked, uploads.store(checked, "attachments")) for kind, checked in files]
            application = Application(
                agency=agency,
                number=_next_number(agency, received_on.year),
                query_code_hash=_hash_code(code),
                idempotency_key=idempotency_key or None,
                request_hash=fingerprint,
                channel=channel,
                received_on=None if online else received_on,
                submitted_on=received_on if online else None,
                **{name: fields[name] for name in APPLICANT_FIELDS if name in fields},
            )
            if any(kind == Attachment.Kind.IDENTITY_PROOF for kind, _checked, _name in stored):
                application.has_identity_proof = True
            # Uniqueness is left to the database, so a lost race is an IntegrityError handled below.
            application.full_clean(exclude=["query_code_hash"], validate_unique=False, validate_constraints=False)
            application.save()
            Attachment.objects.bulk_create(
                Attachment(
                    application=application,
                    kind=kind,
                    original_name=checked.original_name,
                    content_type=checked.content_type,
                    size=len(checked.data),
                    stored_name=name,
                    sha256=checked.sha256,
                )
                for kind, checked, name in stored
            )
            if online:
                application.save(update_fields=_awaiting_confirmation(application))
            else:
                application.save(
                    update_fields=_receive(application, on=received_on, actor=actor, data={"channel": channel})
                )
            record_event(
                "applications.application.submitted" if online else "applications.application.received",
                actor=actor,
                obj=application,
                agency=agency,
                data={
                    "channel": channel,
                    "submitted_on" if online else "received_on": received_on,
                    "due_on": application.due_on,
                },
            )
    except IntegrityError:
        # A concurrent submission with the same key won the race: answer with its application.
        if idempotency_key:
            repeat = _repeat(agency, idempotency_key, fingerprint)
            if repeat:
                return repeat
        raise
    return Submission(application, code, True)


def _receive(application: Application, *, on: date, actor: Any, data: dict[str, Any]) -> list[str]:
    """Start the clock on ``on``: the ledger's first entry, and the derived state stored."""
    ClockEvent.objects.create(
        application=application,
        kind=Kind.RECEIVED,
        on=on,
        data={k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()},
        actor_id=actor.pk if actor else None,
        actor_name=actor.full_name if actor else "",
    )
    state = clock.replay(entries_of(application), get_calendar(), fee_time_excluded=fee_time_excluded())
    return _store_state(application, state)


def confirmation_window(submitted_on: date) -> tuple[date, date]:
    """The first day an online submission can be confirmed (the day itself when it is a working
    day, else the next working day: art. 31(三) "双方确认之日") and the last day the office has
    (1 working day after it was sent, seed E1)."""
    calendar = get_calendar()
    earliest = submitted_on if calendar.is_workday(submitted_on) else add_workdays(submitted_on, 1, calendar).due
    return earliest, add_workdays(submitted_on, clock.CONFIRMATION_WORKING_DAYS, calendar).due


def _awaiting_confirmation(application: Application) -> list[str]:
    """An online submission's state before it is confirmed: its one step, the confirmation, and
    the office's last day for it. Returns the changed field names."""
    assert application.submitted_on is not None  # an online submission
    _earliest, last = confirmation_window(application.submitted_on)
    values = {
        "status": Status.SUBMITTED,
        "next_step": "confirm",
        "next_step_due": last,
        "next_step_due_provisional": get_calendar().is_provisional(last),
    }
    changed = [name for name, value in values.items() if getattr(application, name) != value]
    for name in changed:
        setattr(application, name, values[name])
    return changed


@audited_refusals("applications.application.action_refused", errors=(ClockError,))
@transaction.atomic
def confirm_submission(application: Application, *, actor: Any, on: date) -> Application:
    """The disclosure office confirms an online submission (签收, art. 31(三)); the reply period
    runs from that day. Never before the submission's first working day; a confirmation after
    the office's last day (seed E1) counts from that last day, so the applicant loses no time
    to the office's delay (decision 0030)."""

    def write(locked: Application) -> Change:
        if on > timezone.localdate():
            raise ClockError(_("The date cannot be in the future."))
        assert locked.submitted_on is not None
        earliest, last = confirmation_window(locked.submitted_on)
        if on < earliest:
            raise ClockError(
                _("Sent on %(sent)s, it can be confirmed from %(earliest)s, the first working day.")
                % {"sent": locked.submitted_on.isoformat(), "earliest": earliest.isoformat()}
            )
        received = min(on, last)
        locked.received_on = received
        data = {"channel": locked.channel, "submitted_on": locked.submitted_on, "confirmed_on": on}
        fields = ["received_on", *_receive(locked, on=received, actor=actor, data=data)]
        return Change(
            fields=fields,
            audit_data={
                "submitted_on": locked.submitted_on,
                "confirmed_on": on,
                "received_on": received,
                "before": {"status": Status.SUBMITTED},
                "after": {"status": locked.status, "due_on": locked.due_on},
            },
        )

    return HANDLING.run(Kind.RECEIVED, application, actor=actor, write=write)


def receive_unconfirmed_submissions(today: date | None = None) -> int:
    """An online submission the office did not confirm by its last day is received as of that
    day (decision 0030): the applicant's time never waits on the office. Audited, no actor."""
    today = today or timezone.localdate()
    late = Application.objects.filter(status=Status.SUBMITTED, next_step_due__lt=today).values_list("pk", flat=True)
    done = 0
    for pk in list(late):
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=pk)
            if locked.status != Status.SUBMITTED or locked.next_step_due is None:
                continue
            received = locked.next_step_due
            locked.received_on = received
            changed = _receive(locked, on=received, actor=None, data={"channel": locked.channel, "deemed": True})
            locked.save(update_fields=["received_on", *changed, "updated_at"])
            record_event(
                "applications.application.receipt_deemed",
                obj=locked,
                agency=locked.agency,
                data={"submitted_on": locked.submitted_on, "received_on": received, "due_on": locked.due_on},
            )
            done += 1
    return done


@sensitive_variables("query_code")
def find_for_applicant(number: str, query_code: str) -> Application | None:
    """The applicant's own application, or None: a wrong code and an unknown number look alike."""
    application = Application.objects.filter(number=(number or "").strip().upper()).first()
    expected = application.query_code_hash if application else _hash_code("not-a-code")
    # People copy the code from a letter: case, full-width letters, spaces and hyphens don't matter.
    code = "".join(unicodedata.normalize("NFKC", query_code or "").split()).replace("-", "").upper()
    ok = hmac.compare_digest(expected, _hash_code(code))
    return application if application and ok else None


@sensitive_variables("query_code")
def print_receipt_with_code(
    application: Application, *, actor, query_code: str, served_on: date, served_by: str
) -> tuple[Notice, bytes]:
    """The receipt for an applicant who wrote or came in person, with the query code on the
    applicant's copy only, once: at registration, before any other receipt (issue 10). An
    online applicant saw the code on the screen; the receipt never prints it for them."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        return _print_receipt_with_code(
            application, actor=actor, query_code=query_code, served_on=served_on, served_by=served_by
        )


@sensitive_variables("query_code")
def _print_receipt_with_code(
    application: Application, *, actor, query_code: str, served_on: date, served_by: str
) -> tuple[Notice, bytes]:
    if application.channel == Channel.ONLINE:
        raise NoticeError(_("An online applicant got the query code on the screen; the receipt does not print it."))
    if application.notices.filter(kind=NoticeKind.RECEIPT).exists():
        raise NoticeError(_("A receipt was already issued: the query code is printed only once, on the first one."))
    if not hmac.compare_digest(application.query_code_hash, _hash_code(query_code)):
        raise NoticeError(_("The query code does not belong to this application."))
    return issue_receipt_with_code(
        application, actor=actor, served_on=served_on, served_by=served_by, query_code=query_code
    )


# ---------------------------------------------------------------------------------------------
# The clock


def _latest(application: Application, kind: str) -> ClockEvent | None:
    return application.clock_events.filter(kind=kind).order_by("-on", "-id").first()


@audited_refusals("applications.application.action_refused", errors=(TransitionError,))
def record_clock_event(
    application: Application,
    *,
    actor,
    kind: str,
    on: date,
    data: dict[str, Any] | None = None,
    note: str = "",
    outcome: str = "",
    reason: str = "",
) -> Application:
    """Append one event to the ledger after the clock accepts it; recompute and audit. The move
    is ``kind`` of the handling table (``transitions.HANDLING``), which locks the application and
    checks its agency, status and the actor's roles and office first."""
    data = dict(data or {})

    def write(locked: Application) -> Change:
        if on > timezone.localdate():
            raise ClockError(_("The date cannot be in the future."))
        fields = _prepare(locked, actor=actor, kind=kind, on=on, data=data, note=note, outcome=outcome, reason=reason)
        before = {"status": locked.status, "due_on": locked.due_on}
        state = clock.check_next(
            entries_of(locked), LedgerEntry(kind, on, data), get_calendar(), fee_time_excluded=fee_time_excluded()
        )
        ClockEvent.objects.create(
            application=locked,
            kind=kind,
            on=on,
            data={k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()},
            note=note,
            actor_id=actor.pk,
            actor_name=actor.full_name,
        )
        fields += _store_state(locked, state)
        fields += _closing_fields(locked, kind, data)
        return Change(
            fields=[*fields, "updated_at"],
            audit_data={
                "on": on,
                "details": data,
                "note": note,
                "before": before,
                "after": {"status": locked.status, "due_on": locked.due_on},
            },
        )

    return HANDLING.run(kind, application, actor=actor, write=write)


def _prepare(
    application: Application,
    *,
    actor,
    kind: str,
    on: date,
    data: dict[str, Any],
    note: str,
    outcome: str,
    reason: str,
) -> list[str]:
    """The kind's own checks and details before the clock sees the entry; the fields it set."""
    prepare = _PREPARE.get(kind)
    if prepare is None:
        return []
    return prepare(application, actor=actor, data=data, note=note, outcome=outcome, reason=reason, on=on) or []


def _prepare_draft(
    application: Application, *, data: dict[str, Any], outcome: str, reason: str, **_unused: Any
) -> None:
    """The draft states its outcome, its reasons and what its article asks it to say (arts.
    35–37: where to get the information, the search, the responsible agency, …); nothing else
    of the form is kept."""
    if outcome not in Outcome.values or outcome in CLOCK_OUTCOMES:
        raise ClockError(_("Choose the outcome of the reply."))
    if outcome in REFUSALS and len(reason.strip()) < 10:
        raise ClockError(_("A refusal must give its ground and reasoning (art. 36)."))
    given = {name: str(data.pop(name, "") or "").strip() for name in DETAIL_FIELDS}
    needed = REPLY_DETAILS.get(outcome, ())
    missing = [name for name in needed if not given[name]]
    if missing:
        raise ClockError(
            _("This reply must state: %(names)s.") % {"names": "、".join(str(DETAIL_LABELS[n]) for n in missing)}
        )
    if given["disclosure_route"] and given["disclosure_route"] not in DISCLOSURE_ROUTES:
        raise ClockError(_("Choose whether the information was already public or is provided now."))
    data.update(outcome=outcome, reason=reason.strip(), details={n: given[n] for n in needed})


def _prepare_signature(application: Application, *, actor, **_unused: Any) -> None:
    draft = _latest(application, Kind.DRAFT_SUBMITTED)
    if draft and draft.actor_id == actor.pk:
        raise PermissionDenied(_("The person who drafted the reply cannot also sign it."))


def _prepare_reply(application: Application, *, data: dict[str, Any], on: date, **_unused: Any) -> None:
    """Serving the reply is the last step (issue 10): the letter made from the signed draft is
    served now, on ``on``, and bears the draft's outcome."""
    draft = signed_draft(application)
    if draft is None:
        raise ClockError(_("The reply needs the leader's signature on the draft first (seed E5)."))
    letter = pending_reply_letter(application)
    if letter is None:
        raise ClockError(_("Generate the reply letter from the signed draft first; serving it is the last step."))
    if on < letter.issued_on:
        raise ClockError(_("The reply cannot be served before the date its letter bears."))
    served_by = data.get("served_by") or application.delivery
    Notice.objects.filter(pk=letter.pk).update(served_on=on, served_by=served_by)
    data.update(
        outcome=draft.data["outcome"],
        reason=draft.data.get("reason", ""),
        served_by=served_by,
        notice=letter.document_number,
    )


def _prepare_assignment(application: Application, *, data: dict[str, Any], **_unused: Any) -> list[str]:
    office = application.agency.offices.filter(pk=data.pop("office", None) or 0).first()
    if office is None:
        raise ClockError(_("Choose an office of this agency."))
    data["office"] = office.name
    application.assigned_office = office
    return ["assigned_office"]


def _prepare_note(application: Application, *, note: str, **_unused: Any) -> None:
    if not note.strip():
        raise ClockError(_("Write the note or the proposal."))


def _prepare_fee(application: Application, *, data: dict[str, Any], **_unused: Any) -> None:
    if not application.agency.fee_payment_method.strip():
        # The fee notice says how to pay (issue 10): without it the applicant cannot pay in time.
        raise ClockError(_("Set how the fee is paid (payee account or payment code) in the agency's details first."))
    data.update(_fee(application, mode=data.pop("mode", ""), pages=data.pop("pages", None)))


_PREPARE: dict[str, Any] = {
    Kind.DRAFT_SUBMITTED: _prepare_draft,
    Kind.DRAFT_SIGNED: _prepare_signature,
    Kind.REPLIED: _prepare_reply,
    Kind.ASSIGNED: _prepare_assignment,
    Kind.NOTE_ADDED: _prepare_note,
    Kind.PROPOSAL_SUBMITTED: _prepare_note,
    Kind.FEE_NOTICE_SERVED: _prepare_fee,
}


def _closing_fields(application: Application, kind: str, data: dict[str, Any]) -> list[str]:
    """A reply records its outcome; a lapse records why the application was closed."""
    if kind == Kind.REPLIED:
        application.outcome, application.outcome_reason = data.get("outcome", ""), data.get("reason", "")
        return ["outcome", "outcome_reason"]
    if kind in (Kind.CORRECTION_LAPSED, Kind.FEE_LAPSED):
        application.outcome = (
            Outcome.OTHER_NO_CORRECTION if kind == Kind.CORRECTION_LAPSED else Outcome.OTHER_FEE_UNPAID
        )
        return ["outcome"]
    return []


def _fee(application: Application, *, mode: str, pages) -> dict[str, Any]:
    """The fee of this application by request or by volume (109号 arts. 3–5), with its basis."""
    from gongkai.applications import fees

    assert application.received_on is not None
    if mode == fees.PER_REQUEST:
        month = application.received_on.replace(day=1)
        same_applicant = (
            Application.objects.with_id_number(application.id_number)
            .filter(agency=application.agency, received_on__gte=month)
            .filter(
                models.Q(received_on__lt=application.received_on)
                | models.Q(received_on=application.received_on, pk__lte=application.pk)
            )
        )
        fee = fees.fee_per_request(same_applicant.count())
    elif mode == fees.PER_PAGE and isinstance(pages, int) and pages >= 0:
        fee = fees.fee_per_page(pages)
    else:
        raise ClockError(_("Choose how the fee is charged: by request, or by volume with the number of pages."))
    if fee.amount == 0:
        raise ClockError(_("Nothing is due under the fee schedule: %(basis)s") % {"basis": fee.basis})
    return {"mode": fee.mode, "amount": fee.amount, "basis": fee.basis}


@audited_refusals("applications.application.action_refused", errors=(ClockError,))
@transaction.atomic
def reveal_personal_data(application: Application, *, actor, field: str) -> str:
    """The full value of one masked field, for the handling roles only; every reveal is audited."""
    if actor.agency_id != application.agency_id or not HANDLER_ROLES & user_roles(actor):
        raise PermissionDenied(_("Only the agency's disclosure officers can see the full details."))
    if field not in ("id_number", "phone", "address"):
        raise PermissionDenied
    record_event("applications.application.personal_data_revealed", actor=actor, obj=application, data={"field": field})
    return getattr(application, field)


def read_attachment(attachment: Attachment, *, actor) -> bytes:
    """An applicant's file for the disclosure officers only; every opening is audited (PI-02)."""
    application = attachment.application
    if actor.agency_id != application.agency_id or not HANDLER_ROLES & user_roles(actor):
        raise PermissionDenied(_("Only the agency's disclosure officers can see the full details."))
    if attachment.purged_on:
        raise ClockError(_("This file was deleted at the end of its retention period."))
    data = uploads.read_verified("attachments", attachment.stored_name, attachment.sha256)
    record_event(
        "applications.attachment.opened",
        actor=actor,
        obj=application,
        agency=application.agency,
        result="success" if data is not None else "failure",
        data={"attachment": attachment.pk, "kind": attachment.kind, "intact": data is not None},
    )
    if data is None:
        raise ClockError(_("This file has been altered since it was received; it is withheld."))
    return data
