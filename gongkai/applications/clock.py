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

The clock itself is the shared one (``gongkai.core.clocks``): this module maps each ledger kind
onto its operations (begin, suspend, resume, extend, restart, stop) with the law's checks, one
handler per kind. ``replay(entries, calendar)`` checks every entry against the rules and returns the clock's
state with its due date and the sentences that explain it. ``check_next`` says whether a new
entry may be appended; the service calls it before writing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.applications.choices import Status
from gongkai.core.clocks import Clock, LedgerEntry, Period, Unit, Wording
from gongkai.core.workdays import WorkdayCalendar, add_workdays
from gongkai.core.workflow import TransitionError

REPLY_WORKING_DAYS = 20  # art. 33 ¶2
CORRECTION_NOTICE_WORKING_DAYS = 7  # art. 30
MAX_EXTENSION_WORKING_DAYS = 20  # art. 33 ¶2
CONSULTATION_WORKING_DAYS = 15  # art. 32 (third party), art. 34 (co-producing agency)
FEE_PAYMENT_WORKING_DAYS = 20  # 国办函〔2020〕109号
CONFIRMATION_WORKING_DAYS = 1  # art. 31(三) and seed E1: the office confirms an online submission


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


class ClockError(TransitionError):
    """An entry the law does not allow at this point; the message is for the user."""


# The clock's pure record is the shared ledger entry (gongkai.core.clocks); ``Entry`` is its old
# name here, kept for the callers that still use it.
Entry = LedgerEntry


def _reply_clock() -> Clock:
    return Clock(Period(REPLY_WORKING_DAYS, Unit.WORKING_DAYS))


@dataclass
class ClockState:
    """The application's clock after a replay: the shared reply clock (start, suspensions,
    extension) and the application's own state around it."""

    clock: Clock = field(default_factory=_reply_clock)
    status: str = Status.RECEIVED
    corrections: int = 0
    extensions: int = 0
    consultation_party: str = ""
    # The other side's deadline while the reply period is suspended (中止) or waits for a
    # correction: the correction period's end, the consulted party's or the payment deadline.
    suspended_until: date | None = None
    suspended_until_provisional: bool = False  # it reaches into a year not loaded (暂定)
    due: date | None = None
    provisional: bool = False
    explanation: list[str] = field(default_factory=list)
    closed_on: date | None = None
    replied_in_time: bool | None = None
    draft_pending: bool = False
    draft_signed: bool = False

    @property
    def start(self) -> date | None:
        """The day the 20 working days run from."""
        return self.clock.start

    @property
    def extension(self) -> int:
        return self.clock.extension

    @property
    def suspension(self) -> tuple[str, date] | None:
        """The open suspension: (the kind that began it, since)."""
        return self.clock.suspended

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.REPLIED, Status.ABANDONED)


def _suspension_label(kind: str, party: str = "") -> str:
    if kind == Kind.FEE_NOTICE_SERVED:
        return _("waiting for the fee")
    if party == "other_agency":
        return _("consulting another agency")
    return _("consulting a third party")


Handler = Callable[[ClockState, LedgerEntry, WorkdayCalendar, bool], None]


def _correction_requested(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    if state.corrections or state.status != Status.RECEIVED or state.suspension:
        raise ClockError(_("A correction can be requested only once, all at once (art. 30)."))
    if state.extensions:
        # Decision 0029: a correction would restart the period and silently drop the extension
        # the applicant was told about; an application clear enough to extend needs no correction.
        raise ClockError(_("The reply period has already been extended; a correction can no longer be requested."))
    limit = add_workdays(state.start or entry.on, CORRECTION_NOTICE_WORKING_DAYS, calendar).due  # started: _apply
    if entry.on > limit:
        raise ClockError(
            _("The correction notice is due within 7 working days of receipt, by %(day)s (art. 30).")
            % {"day": limit.isoformat()}
        )
    period_end = entry.data.get("period_end")
    if not isinstance(period_end, date) or period_end <= entry.on:
        raise ClockError(_("Give the correction period's last day, after the notice date."))
    state.corrections = 1
    state.status = Status.AWAITING_CORRECTION
    _wait_until(state, period_end, calendar.is_provisional(period_end))


def _correction_received(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    if state.status != Status.AWAITING_CORRECTION:
        raise ClockError(_("No correction has been requested."))
    # Art. 30: the reply period runs from the day the corrected application is received.
    # The new period has its own one extension (art. 33 ¶2; decision 0029).
    state.clock.restart(entry.on)
    state.extensions = 0
    state.status = Status.RECEIVED
    _wait_until(state, None)


def _correction_lapsed(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    if state.status != Status.AWAITING_CORRECTION:
        raise ClockError(_("No correction has been requested."))
    if state.suspended_until and entry.on <= state.suspended_until:
        raise ClockError(_("The correction period has not ended yet."))
    _abandon(state, entry)


def _abandon(state: ClockState, entry: LedgerEntry) -> None:
    state.status = Status.ABANDONED
    state.closed_on = entry.on
    state.clock.stop(entry.on)


def _suspended(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    """Art. 33 ¶3: consulting a third party or another agency does not count; nor (by default,
    decision 0010) does waiting for the fee. The other side has 15 / 20 working days."""
    if state.status != Status.RECEIVED or state.suspension:
        raise ClockError(_("Another step is still waiting; finish it first."))
    if state.due and entry.on > state.due:
        # Consulting or charging is part of handling the application within its period (art. 33):
        # once the period has ended there is nothing left to suspend.
        if entry.kind == Kind.CONSULTATION_STARTED:
            raise ClockError(
                _("The reply period ended on %(day)s; a consultation can no longer begin.")
                % {"day": state.due.isoformat()}
            )
        raise ClockError(
            _("The reply period ended on %(day)s; a fee notice can be served only while it runs.")
            % {"day": state.due.isoformat()}
        )
    state.clock.suspend(entry.kind, entry.on)
    if entry.kind == Kind.CONSULTATION_STARTED:
        state.consultation_party = entry.data.get("party", "third_party")
        state.status = Status.CONSULTING
        until = add_workdays(entry.on, CONSULTATION_WORKING_DAYS, calendar)
    else:
        state.status = Status.AWAITING_FEE
        # 20 WD "from the day after receiving the notice": the notice's service day is day 0.
        until = add_workdays(entry.on, FEE_PAYMENT_WORKING_DAYS, calendar)
    _wait_until(state, until.due, until.provisional)


def _wait_until(state: ClockState, until: date | None, provisional: bool = False) -> None:
    state.suspended_until = until
    state.suspended_until_provisional = provisional


def _resumed(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, fee_time_excluded: bool) -> None:
    opener = Kind.CONSULTATION_STARTED if entry.kind == Kind.CONSULTATION_ENDED else Kind.FEE_NOTICE_SERVED
    if not state.suspension or state.suspension[0] != opener:
        raise ClockError(_("There is no such step waiting."))
    if entry.on < state.suspension[1]:
        raise ClockError(_("The date is before the step began."))
    if entry.kind == Kind.FEE_PAID and state.suspended_until and entry.on > state.suspended_until:
        raise ClockError(
            _(
                "The payment period ended on %(day)s: a fee not paid in time means the application is "
                "deemed abandoned; record that instead."
            )
            % {"day": state.suspended_until.isoformat()}
        )
    if opener == Kind.CONSULTATION_STARTED:
        # Art. 32 / 34: the consulted side answers within 15 WD of receiving the letter; after that
        # the agency decides by itself, so only those 15 WD are excluded (art. 33 ¶3).
        state.clock.resume(entry.on, calendar, limit=CONSULTATION_WORKING_DAYS)
    else:
        state.clock.resume(entry.on, calendar, excluded=fee_time_excluded)
    _wait_until(state, None)
    state.status = Status.RECEIVED


def _fee_lapsed(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    if not state.suspension or state.suspension[0] != Kind.FEE_NOTICE_SERVED:
        raise ClockError(_("No fee notice is waiting."))
    if state.suspended_until and entry.on <= state.suspended_until:
        raise ClockError(_("The payment period has not ended yet."))
    _abandon(state, entry)


def _extension_approved(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    days = entry.data.get("working_days")
    if state.extensions:
        raise ClockError(_("The reply period can be extended only once (art. 33)."))
    if state.status == Status.AWAITING_CORRECTION:
        # Decision 0029: the period starts again with the corrected application; extend that one.
        raise ClockError(
            _("The application is waiting for its correction; the new reply period can be extended once it begins.")
        )
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise ClockError(_("An extension is 1 to 20 working days (art. 33)."))
    if state.due and entry.on > state.due:
        raise ClockError(_("The reply period has already ended; it can no longer be extended."))
    state.extensions = 1
    state.clock.extend(days)


def _internal(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    if entry.kind == Kind.DRAFT_SUBMITTED:
        state.draft_pending, state.draft_signed = True, False
    elif entry.kind == Kind.DRAFT_SIGNED:
        if not state.draft_pending:
            raise ClockError(_("There is no draft reply waiting for a signature."))
        state.draft_pending, state.draft_signed = False, True


def _replied(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, _fee: bool) -> None:
    if state.suspension:
        raise ClockError(_("Another step is still waiting; finish it first."))
    if not state.draft_signed:
        raise ClockError(_("The reply needs the leader's signature on the draft first (seed E5)."))
    state.replied_in_time = state.due is None or entry.on <= state.due
    state.status = Status.REPLIED
    state.closed_on = entry.on
    state.clock.stop(entry.on)


# How each ledger kind moves the clock (the rules cite the 条例).
HANDLERS: dict[str, Handler] = {
    Kind.CORRECTION_REQUESTED: _correction_requested,
    Kind.CORRECTION_RECEIVED: _correction_received,
    Kind.CORRECTION_LAPSED: _correction_lapsed,
    Kind.CONSULTATION_STARTED: _suspended,
    Kind.FEE_NOTICE_SERVED: _suspended,
    Kind.CONSULTATION_ENDED: _resumed,
    Kind.FEE_PAID: _resumed,
    Kind.FEE_LAPSED: _fee_lapsed,
    Kind.EXTENSION_APPROVED: _extension_approved,
    Kind.REPLIED: _replied,
    **{kind: _internal for kind in Kind.INTERNAL},
}


def _apply(state: ClockState, entry: LedgerEntry, calendar: WorkdayCalendar, *, fee_time_excluded: bool) -> None:
    """Advance ``state`` by one entry, or raise ClockError."""
    if entry.kind not in Kind.ALL:
        raise ClockError(_("Unknown clock event."))
    if not state.clock.started:
        if entry.kind != Kind.RECEIVED:
            raise ClockError(_("The application has not been received yet."))
        state.clock.begin(entry.on)
        return
    if entry.kind == Kind.RECEIVED:
        raise ClockError(_("The application has already been received."))
    if not state.is_open:
        raise ClockError(_("The application is closed."))
    HANDLERS[entry.kind](state, entry, calendar, fee_time_excluded)


def _wording(state: ClockState) -> Wording:
    return Wording(
        opening=gettext_lazy("%(n)d working days counted from %(start)s (art. 33)."),
        extension=gettext_lazy("Extended by %(days)d working days (art. 33)."),
        due=gettext_lazy("Reply due on %(due)s."),
        suspension=lambda s: _suspension_label(s.reason, state.consultation_party),
    )


def _compute_due(state: ClockState, calendar: WorkdayCalendar) -> None:
    """Set due, provisional and the explanation from the state (open or closed)."""
    if state.start is None:
        return
    deadline = state.clock.deadline(calendar, _wording(state))
    state.due = deadline.due
    state.provisional = deadline.provisional
    state.explanation = deadline.explanation


def _running(state: ClockState) -> bool:
    return state.is_open and not state.suspension and state.status == Status.RECEIVED


def replay(entries: Sequence[LedgerEntry], calendar: WorkdayCalendar, *, fee_time_excluded: bool = True) -> ClockState:
    """The clock after every entry, in order. Raises ClockError on the first illegal entry."""
    state = ClockState()
    previous: date | None = None
    for entry in entries:
        if previous and entry.on < previous:
            raise ClockError(_("Clock events must be recorded in date order."))
        _apply(state, entry, calendar, fee_time_excluded=fee_time_excluded)
        previous = entry.on
        if _running(state):
            _compute_due(state, calendar)
    if _running(state):
        _compute_due(state, calendar)
    elif state.status in (Status.AWAITING_CORRECTION, Status.CONSULTING, Status.AWAITING_FEE):
        state.due = None
        waiting = (
            _("waiting for the correction")
            if state.status == Status.AWAITING_CORRECTION
            else _suspension_label(state.suspension[0] if state.suspension else "", state.consultation_party)
        )
        state.explanation = [
            _("The reply period is suspended while %(what)s; the other side's deadline is %(until)s.")
            % {"what": waiting, "until": _day(state.suspended_until, state.suspended_until_provisional)}
        ]
    return state


def _day(day: date | None, provisional: bool) -> str:
    if day is None:
        return "—"
    return _("%(day)s (provisional)") % {"day": day.isoformat()} if provisional else day.isoformat()


def check_next(
    entries: Sequence[LedgerEntry], new: LedgerEntry, calendar: WorkdayCalendar, **kwargs: Any
) -> ClockState:
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
    provisional: bool = False  # the due date reaches into a year not loaded (暂定)

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due < today


# Art. 31(三) with seed E1 (confirming an online submission), E1, E2, E3 (and E3's 5 WD to tell how
# to obtain information already published), E5.
INTERNAL_DAYS = {
    "confirm": CONFIRMATION_WORKING_DAYS,
    "register": 1,
    "review": 2,
    "proposal": 7,
    "inform": 5,
    "signature": 3,
}


def internal_steps(entries: Sequence[LedgerEntry], calendar: WorkdayCalendar, *, registered_on: date) -> list[Step]:  # noqa: C901  one pass over the ledger for five milestones
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

    def step(code: str, since: date, done_on: date | None, owner: str) -> Step:
        result = add_workdays(since, INTERNAL_DAYS[code], calendar)
        return Step(code, result.due, done_on, owner, result.provisional)

    steps.append(step("register", received, registered_on, "disclosure_officer"))
    steps.append(step("review", start, reviewed, "disclosure_officer"))
    steps.append(step("proposal", start, proposed, "office"))
    if already_public:
        # E3(1): information already proactively disclosed: tell the applicant how to get it in 5 WD.
        steps.append(step("inform", start, replied_on, "disclosure_officer"))
    if draft_on:
        steps.append(step("signature", draft_on, signed_on, "leader_in_charge"))
    return steps


def next_open_step(steps: Sequence[Step]) -> Step | None:
    open_steps = [s for s in steps if s.done_on is None]
    return min(open_steps, key=lambda s: s.due) if open_steps else None
