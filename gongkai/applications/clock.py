"""The legal clock of an application, derived from its append-only ledger. Pure: no I/O.

The statutory numbers live here, each with its article (条例 2019; regulations.md §1.1):

- reply within 20 working days of receipt (art. 33 ¶2; seed E5);
- a correction notice within 7 working days of receipt, once (art. 30); the 20 days start again
  from the day the corrected application is received; no correction in time → abandoned;
- one extension of at most 20 working days, approved and notified (art. 33 ¶2; seed E4);
- time consulting a third party or another agency is not counted (art. 33 ¶3); a third party
  answers within 15 working days (art. 32), another producer too (art. 34);
- a fee notice: the applicant pays within 20 working days from the day after receiving it
  (国办函〔2020〕109号 via the Sichuan notice); unpaid → abandoned. Whether the time awaiting
  payment is excluded from the reply period is unverified; ``fee_time_excluded`` decides and
  defaults to excluded (docs/decisions/0010-application-clock.md).

``replay(entries, calendar)`` checks every entry against the rules and returns the clock's
state with its due date and the sentences that explain it. ``check_next`` says whether a new
entry may be appended; the service calls it before writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from gongkai.applications.choices import Status
from gongkai.core.workdays import WorkdayCalendar, add_workdays, workdays_between

REPLY_WORKING_DAYS = 20  # art. 33 ¶2
CORRECTION_NOTICE_WORKING_DAYS = 7  # art. 30
MAX_EXTENSION_WORKING_DAYS = 20  # art. 33 ¶2
CONSULTATION_WORKING_DAYS = 15  # art. 32 (third party), art. 34 (co-producing agency)
FEE_PAYMENT_WORKING_DAYS = 20  # 国办函〔2020〕109号


class Kind:
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CORRECTION_LAPSED = "correction_lapsed"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    EXTENSION_APPROVED = "extension_approved"
    FEE_NOTICE_SERVED = "fee_notice_served"
    FEE_PAID = "fee_paid"
    FEE_LAPSED = "fee_lapsed"
    REPLIED = "replied"
    # Internal steps of the seed (E2–E5): they do not move the legal due date.
    ASSIGNED = "assigned"  # to the business office that holds the information (E3)
    NOTE_ADDED = "note_added"  # search and verification notes
    CONFIDENTIALITY_REVIEWED = "confidentiality_reviewed"  # G5; escalation recorded in data
    PROPOSAL_SUBMITTED = "proposal_submitted"  # the office's proposed reply (E3)
    DRAFT_SUBMITTED = "draft_submitted"  # the draft reply with its outcome (E5)
    DRAFT_SIGNED = "draft_signed"  # the leader's signature (E5)

    INTERNAL = (ASSIGNED, NOTE_ADDED, CONFIDENTIALITY_REVIEWED, PROPOSAL_SUBMITTED, DRAFT_SUBMITTED, DRAFT_SIGNED)

    ALL = (
        RECEIVED,
        CORRECTION_REQUESTED,
        CORRECTION_RECEIVED,
        CORRECTION_LAPSED,
        CONSULTATION_STARTED,
        CONSULTATION_ENDED,
        EXTENSION_APPROVED,
        FEE_NOTICE_SERVED,
        FEE_PAID,
        FEE_LAPSED,
        REPLIED,
        *INTERNAL,
    )


class ClockError(ValueError):
    """An entry the law does not allow at this point; the message is for the user."""


@dataclass(frozen=True)
class Entry:
    kind: str
    on: date
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ClockState:
    status: str = Status.RECEIVED
    start: date | None = None  # the day the 20 working days run from
    extension: int = 0
    excluded: list[tuple[str, date, date, int]] = field(default_factory=list)  # (kind, from, to, days)
    pause: tuple[str, date] | None = None  # an open pause: (kind, since)
    pause_until: date | None = None  # the other side's deadline during a pause
    corrections: int = 0
    extensions: int = 0
    consultation_party: str = ""
    due: date | None = None
    provisional: bool = False
    explanation: list[str] = field(default_factory=list)
    closed_on: date | None = None
    replied_in_time: bool | None = None
    draft_pending: bool = False
    draft_signed: bool = False

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.REPLIED, Status.ABANDONED)


def _pause_label(kind: str, party: str = "") -> str:
    if kind == Kind.FEE_NOTICE_SERVED:
        return _("waiting for the fee")
    if party == "other_agency":
        return _("consulting another agency")
    return _("consulting a third party")


def _apply(state: ClockState, entry: Entry, calendar: WorkdayCalendar, *, fee_time_excluded: bool) -> None:
    """Advance ``state`` by one entry, or raise ClockError. Rules cite the 条例."""
    kind, on = entry.kind, entry.on
    if kind not in Kind.ALL:
        raise ClockError(_("Unknown clock event."))
    if state.start is None:
        if kind != Kind.RECEIVED:
            raise ClockError(_("The application has not been received yet."))
        state.start = on
        return
    if kind == Kind.RECEIVED:
        raise ClockError(_("The application has already been received."))
    if not state.is_open:
        raise ClockError(_("The application is closed."))
    if kind == Kind.CORRECTION_REQUESTED:
        if state.corrections or state.status != Status.RECEIVED or state.pause:
            raise ClockError(_("A correction can be requested only once, all at once (art. 30)."))
        limit = add_workdays(state.start, CORRECTION_NOTICE_WORKING_DAYS, calendar).due
        if on > limit:
            raise ClockError(
                _("The correction notice is due within 7 working days of receipt, by %(day)s (art. 30).")
                % {"day": limit.isoformat()}
            )
        period_end = entry.data.get("period_end")
        if not isinstance(period_end, date) or period_end <= on:
            raise ClockError(_("Give the correction period's last day, after the notice date."))
        state.corrections = 1
        state.status = Status.AWAITING_CORRECTION
        state.pause_until = period_end
        return
    if kind == Kind.CORRECTION_RECEIVED:
        if state.status != Status.AWAITING_CORRECTION:
            raise ClockError(_("No correction has been requested."))
        # Art. 30: the reply period runs from the day the corrected application is received.
        state.start = on
        state.excluded.clear()
        state.extension = 0
        state.status = Status.RECEIVED
        state.pause_until = None
        return
    if kind == Kind.CORRECTION_LAPSED:
        if state.status != Status.AWAITING_CORRECTION:
            raise ClockError(_("No correction has been requested."))
        if state.pause_until and on <= state.pause_until:
            raise ClockError(_("The correction period has not ended yet."))
        state.status = Status.ABANDONED
        state.closed_on = on
        return
    if kind in (Kind.CONSULTATION_STARTED, Kind.FEE_NOTICE_SERVED):
        if state.status != Status.RECEIVED or state.pause:
            raise ClockError(_("Another step is still waiting; finish it first."))
        state.pause = (kind, on)
        if kind == Kind.CONSULTATION_STARTED:
            state.consultation_party = entry.data.get("party", "third_party")
            state.status = Status.CONSULTING
            state.pause_until = add_workdays(on, CONSULTATION_WORKING_DAYS, calendar).due
        else:
            state.status = Status.AWAITING_FEE
            # 20 WD "from the day after receiving the notice": the notice's service day is day 0.
            state.pause_until = add_workdays(on, FEE_PAYMENT_WORKING_DAYS, calendar).due
        return
    if kind in (Kind.CONSULTATION_ENDED, Kind.FEE_PAID):
        opener = Kind.CONSULTATION_STARTED if kind == Kind.CONSULTATION_ENDED else Kind.FEE_NOTICE_SERVED
        if not state.pause or state.pause[0] != opener:
            raise ClockError(_("There is no such step waiting."))
        since = state.pause[1]
        if on < since:
            raise ClockError(_("The date is before the step began."))
        if opener == Kind.CONSULTATION_STARTED or fee_time_excluded:
            days = workdays_between(since, on, calendar).working_days
            state.excluded.append((opener, since, on, days))
        state.pause = None
        state.pause_until = None
        state.status = Status.RECEIVED
        return
    if kind == Kind.FEE_LAPSED:
        if not state.pause or state.pause[0] != Kind.FEE_NOTICE_SERVED:
            raise ClockError(_("No fee notice is waiting."))
        if state.pause_until and on <= state.pause_until:
            raise ClockError(_("The payment period has not ended yet."))
        state.status = Status.ABANDONED
        state.closed_on = on
        return
    if kind == Kind.EXTENSION_APPROVED:
        days = entry.data.get("working_days")
        if state.extensions:
            raise ClockError(_("The reply period can be extended only once (art. 33)."))
        if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
            raise ClockError(_("An extension is 1 to 20 working days (art. 33)."))
        if state.due and on > state.due:
            raise ClockError(_("The reply period has already ended; it can no longer be extended."))
        state.extensions = 1
        state.extension = days
        return
    if kind in Kind.INTERNAL:
        if kind == Kind.DRAFT_SUBMITTED:
            state.draft_pending, state.draft_signed = True, False
        elif kind == Kind.DRAFT_SIGNED:
            if not state.draft_pending:
                raise ClockError(_("There is no draft reply waiting for a signature."))
            state.draft_pending, state.draft_signed = False, True
        return
    if kind == Kind.REPLIED:
        if state.pause:
            raise ClockError(_("Another step is still waiting; finish it first."))
        if not state.draft_signed:
            raise ClockError(_("The reply needs the leader's signature on the draft first (seed E5)."))
        state.replied_in_time = state.due is None or on <= state.due
        state.status = Status.REPLIED
        state.closed_on = on
        return


def _compute_due(state: ClockState, calendar: WorkdayCalendar) -> None:
    """Set due, provisional and the explanation from the state (open or closed)."""
    if state.start is None:
        return
    total = REPLY_WORKING_DAYS + state.extension + sum(days for *_x, days in state.excluded)
    result = add_workdays(state.start, total, calendar)
    lines = [
        _("%(n)d working days counted from %(start)s (art. 33).")
        % {"n": REPLY_WORKING_DAYS, "start": state.start.isoformat()}
    ]
    for kind, since, until, days in state.excluded:
        lines.append(
            _("%(what)s from %(since)s to %(until)s: %(days)d working days not counted.")
            % {"what": _pause_label(kind, state.consultation_party), "since": since, "until": until, "days": days}
        )
    if state.extension:
        lines.append(_("Extended by %(days)d working days (art. 33).") % {"days": state.extension})
    state.due = result.due
    state.provisional = result.provisional
    if result.provisional:
        lines.append(
            _("Provisional: the holiday arrangement for %(years)s is not loaded.")
            % {"years": "、".join(str(y) for y in result.provisional_years)}
        )
    lines.append(_("Reply due on %(due)s.") % {"due": result.due.isoformat()})
    state.explanation = lines


def replay(entries: Sequence[Entry], calendar: WorkdayCalendar, *, fee_time_excluded: bool = True) -> ClockState:
    """The clock after every entry, in order. Raises ClockError on the first illegal entry."""
    state = ClockState()
    previous: date | None = None
    for entry in entries:
        if previous and entry.on < previous:
            raise ClockError(_("Clock events must be recorded in date order."))
        _apply(state, entry, calendar, fee_time_excluded=fee_time_excluded)
        previous = entry.on
        if state.is_open and not state.pause and state.status == Status.RECEIVED:
            _compute_due(state, calendar)
    if state.is_open and state.pause is None and state.status == Status.RECEIVED:
        _compute_due(state, calendar)
    elif state.status in (Status.AWAITING_CORRECTION, Status.CONSULTING, Status.AWAITING_FEE):
        state.due = None
        state.explanation = [
            _("The reply period is suspended while %(what)s; the other side's deadline is %(until)s.")
            % {
                "what": _("waiting for the correction")
                if state.status == Status.AWAITING_CORRECTION
                else _pause_label(state.pause[0] if state.pause else "", state.consultation_party),
                "until": state.pause_until.isoformat() if state.pause_until else "—",
            }
        ]
    return state


def check_next(entries: Sequence[Entry], new: Entry, calendar: WorkdayCalendar, **kwargs) -> ClockState:
    """The state after appending ``new``; raises ClockError if the law does not allow it."""
    return replay([*entries, new], calendar, **kwargs)


# ---------------------------------------------------------------------------------------------
# The seed's internal steps (E1–E5), each with its own due date and owner


@dataclass(frozen=True)
class Step:
    code: str  # register, review, proposal, signature
    due: date
    done_on: date | None
    owner: str  # a role code

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due < today


# Seed E1, E2, E3 (and E3's 5 WD to tell how to obtain information already published), E5.
INTERNAL_DAYS = {"register": 1, "review": 2, "proposal": 7, "inform": 5, "signature": 3}


def internal_steps(entries: Sequence[Entry], calendar: WorkdayCalendar, *, registered_on: date) -> list[Step]:
    """The internal milestones from the ledger: registration 1 WD after receipt (E1), review
    2 WD (E2), the business office's proposal 7 WD (E3), the leader's signature 3 WD after the
    draft (E5). Counting restarts with a corrected application, like the reply period."""
    if not entries:
        return []
    received = entries[0].on
    start = received
    reviewed = proposed = None
    steps: list[Step] = []
    draft_on = signed_on = None
    already_public = False
    replied_on = None
    for entry in entries:
        if entry.kind == Kind.CORRECTION_RECEIVED:
            start, reviewed, proposed = entry.on, None, None
        if entry.kind in (Kind.CORRECTION_REQUESTED, Kind.ASSIGNED, Kind.DRAFT_SUBMITTED) and reviewed is None:
            reviewed = entry.on
        if entry.kind in (Kind.PROPOSAL_SUBMITTED, Kind.EXTENSION_APPROVED, Kind.DRAFT_SUBMITTED) and proposed is None:
            proposed = entry.on
        if entry.kind == Kind.DRAFT_SUBMITTED:
            draft_on, signed_on = entry.on, None
        if entry.kind == Kind.DRAFT_SIGNED:
            signed_on = entry.on
        if entry.kind == Kind.PROPOSAL_SUBMITTED and entry.data.get("already_public"):
            already_public = True
        if entry.kind == Kind.REPLIED:
            replied_on = entry.on
        if entry.kind in (Kind.REPLIED, Kind.CORRECTION_LAPSED, Kind.FEE_LAPSED):
            reviewed = reviewed or entry.on
            proposed = proposed or entry.on

    def due(since: date, code: str) -> date:
        return add_workdays(since, INTERNAL_DAYS[code], calendar).due

    steps.append(Step("register", due(received, "register"), registered_on, "disclosure_officer"))
    steps.append(Step("review", due(start, "review"), reviewed, "disclosure_officer"))
    steps.append(Step("proposal", due(start, "proposal"), proposed, "office"))
    if already_public:
        # E3(1): information already proactively disclosed: tell the applicant how to get it in 5 WD.
        steps.append(Step("inform", due(start, "inform"), replied_on, "disclosure_officer"))
    if draft_on:
        steps.append(Step("signature", due(draft_on, "signature"), signed_on, "leader_in_charge"))
    return steps


def next_open_step(steps: Sequence[Step]) -> Step | None:
    open_steps = [s for s in steps if s.done_on is None]
    return min(open_steps, key=lambda s: s.due) if open_steps else None
