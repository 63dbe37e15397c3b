"""Legal clocks: an append-only ledger replayed by pure functions into a due moment (issue 9).

Every process with a deadline keeps its clock as a ledger of dated entries (received, suspended,
resumed, extended, restarted, stopped…) and never a stored countdown. A process declares its
clock as a base ``Period`` and a replay that maps each of its ledger kinds onto the operations of
``Clock``, adding its own legal checks; ``Clock.deadline`` then gives the due moment, whether it
is provisional (it reaches into a year whose holiday arrangement is not loaded) and the sentences
that say how it was reached.

Units:
- working days, through the project's calendar (``gongkai.core.workdays``; never a timedelta);
- calendar days (a 30-day comment period; the day after the start is day one);
- hours (a public-opinion response counts hours, across midnight if need be).

Time that does not count (中止, "suspension": waiting for a third party, for a fee) is measured
in the clock's unit when it ends and added to the period; an extension adds to it; a restart
(a corrected application) starts the period again and forgets earlier suspensions and
extensions. This module is the ground floor: it imports nothing from the business apps.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gongkai.core.workdays import WorkdayCalendar, add_workdays, workdays_between

Moment: TypeAlias = date | datetime  # a day, or (for clocks in hours) a moment of a day
StrOrPromise: TypeAlias = str | Promise


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"


class ClockRuleError(ValueError):
    """A ledger the clock cannot replay (a programming error, not a user's: processes check their
    own rules and raise their TransitionError first)."""


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ClockRuleError("a period cannot be negative")

    def describe(self) -> str:
        return describe_amount(self.amount, self.unit)


def describe_amount(amount: int, unit: Unit) -> str:
    if unit is Unit.WORKING_DAYS:
        return _("%(n)d working days") % {"n": amount}
    if unit is Unit.CALENDAR_DAYS:
        return _("%(n)d days") % {"n": amount}
    return _("%(n)d hours") % {"n": amount}


def _as_date(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _missing_years(years: set[int], calendar: WorkdayCalendar) -> tuple[int, ...]:
    return tuple(sorted(y for y in years if y not in calendar.loaded_years))


@dataclass(frozen=True)
class Reached:
    """Where a period ends, and the years it crossed whose arrangement is missing."""

    due: Moment
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


def add(start: Moment, amount: int, unit: Unit, calendar: WorkdayCalendar) -> Reached:
    """The moment ``amount`` units after ``start``. Working and calendar days do not count the
    start day; hours need a moment (a datetime) to start from."""
    if unit is Unit.WORKING_DAYS:
        result = add_workdays(_as_date(start), amount, calendar)
        return Reached(result.due, result.provisional_years)
    if unit is Unit.CALENDAR_DAYS:
        day = _as_date(start)
        due = day + timedelta(days=amount)  # calendar days: the unit itself is the calendar day
        return Reached(due, _missing_years({d.year for d in (day, due)}, calendar) if amount else ())
    if not isinstance(start, datetime):
        raise ClockRuleError("a clock in hours starts at a moment, not a day")
    return Reached(start + timedelta(hours=amount))


@dataclass(frozen=True)
class Elapsed:
    amount: int
    provisional_years: tuple[int, ...] = ()


def elapsed(since: Moment, until: Moment, unit: Unit, calendar: WorkdayCalendar) -> Elapsed:
    """How many units passed from ``since`` to ``until``: working days after ``since`` up to and
    including ``until``; whole calendar days; hours, any part of an hour counting as a whole."""
    if until < since:
        raise ClockRuleError("the end is before the start")
    if unit is Unit.WORKING_DAYS:
        result = workdays_between(_as_date(since), _as_date(until), calendar)
        return Elapsed(result.working_days, result.provisional_years)
    if unit is Unit.CALENDAR_DAYS:
        return Elapsed((_as_date(until) - _as_date(since)).days)
    if not (isinstance(since, datetime) and isinstance(until, datetime)):
        raise ClockRuleError("a clock in hours is suspended and resumed at moments, not days")
    return Elapsed(math.ceil((until - since).total_seconds() / 3600))


@dataclass(frozen=True)
class LedgerEntry:
    """One entry of a clock's ledger: what happened (a process's own kind), when, and details."""

    kind: str
    on: Moment
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suspension:
    """Time that did not count: why, from when, until when, and how many units."""

    reason: str
    since: Moment
    until: Moment
    amount: int
    # The units that passed but counted anyway because the other side's own time limit ran out
    # (a third party has 15 working days, 条例 art. 32): the time beyond it is not excluded.
    counted: int = 0


@dataclass(frozen=True)
class Deadline:
    due: Moment
    provisional: bool
    provisional_years: tuple[int, ...]
    explanation: list[str]


@dataclass(frozen=True)
class Wording:
    """The sentences a process uses to explain its deadline; each is a format string.

    ``opening`` gets ``period`` (e.g. "20 working days"), ``n`` and ``start``; ``extension`` gets
    ``amount`` (e.g. "20 working days") and ``n``; ``due`` gets ``due``; ``suspension(s)`` names
    the reason of a suspension ("consulting a third party")."""

    opening: StrOrPromise
    due: StrOrPromise
    extension: StrOrPromise = ""
    suspension: Callable[[Suspension], str] = lambda s: s.reason


@dataclass
class Clock:
    """A running period: the generic state a process's replay drives."""

    period: Period
    start: Moment | None = None
    extension: int = 0
    suspensions: list[Suspension] = field(default_factory=list)
    suspended: tuple[str, Moment] | None = None  # an open suspension: (reason, since)
    stopped_on: Moment | None = None

    @property
    def started(self) -> bool:
        return self.start is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended is not None

    @property
    def is_stopped(self) -> bool:
        return self.stopped_on is not None

    def begin(self, on: Moment) -> None:
        if self.start is not None:
            raise ClockRuleError("the clock has already started")
        self.start = on

    def restart(self, on: Moment) -> None:
        """The period starts again from ``on``: earlier suspensions and extensions are forgotten."""
        self.start = on
        self.extension = 0
        self.suspensions.clear()
        self.suspended = None

    def suspend(self, reason: str, on: Moment) -> None:
        if self.suspended is not None:
            raise ClockRuleError("the clock is already suspended")
        self.suspended = (reason, on)

    def resume(
        self, on: Moment, calendar: WorkdayCalendar, *, excluded: bool = True, limit: int | None = None
    ) -> Suspension | None:
        """End the open suspension. With ``excluded`` its time does not count (it is added to the
        period); without, the clock ran on regardless (the suspension is recorded nowhere). With a
        ``limit``, at most that many units are excluded: the time beyond it counts again."""
        if self.suspended is None:
            raise ClockRuleError("the clock is not suspended")
        reason, since = self.suspended
        self.suspended = None
        if not excluded:
            return None
        amount = elapsed(since, on, self.period.unit, calendar).amount
        counted = 0
        if limit is not None and amount > limit:
            amount, counted = limit, amount - limit
        suspension = Suspension(reason, since, on, amount, counted)
        self.suspensions.append(suspension)
        return suspension

    def extend(self, amount: int) -> None:
        if amount < 0:
            raise ClockRuleError("an extension cannot be negative")
        self.extension += amount

    def stop(self, on: Moment) -> None:
        self.stopped_on = on

    def total(self) -> int:
        return self.period.amount + self.extension + sum(s.amount for s in self.suspensions)

    def deadline(self, calendar: WorkdayCalendar, wording: Wording) -> Deadline:
        """The due moment with its explanation, from the start, suspensions and extension."""
        if self.start is None:
            raise ClockRuleError("the clock has not started")
        unit = self.period.unit
        reached = add(self.start, self.total(), unit, calendar)
        lines = [
            str(wording.opening)
            % {"period": self.period.describe(), "n": self.period.amount, "start": _text(self.start)}
        ]
        for suspension in self.suspensions:
            lines.append(suspension_sentence(wording.suspension(suspension), suspension, unit))
        if self.extension:
            lines.append(
                str(wording.extension or _("Extended by %(amount)s."))
                % {"amount": describe_amount(self.extension, unit), "n": self.extension, "days": self.extension}
            )
        if reached.provisional:
            lines.append(
                _("Provisional: the holiday arrangement for %(years)s is not loaded.")
                % {"years": "、".join(str(y) for y in reached.provisional_years)}
            )
        lines.append(str(wording.due) % {"due": _text(reached.due)})
        return Deadline(reached.due, reached.provisional, reached.provisional_years, lines)


def suspension_sentence(what: str, suspension: Suspension, unit: Unit) -> str:
    values = {
        "what": what,
        "since": _text(suspension.since),
        "until": _text(suspension.until),
        "days": suspension.amount,
        "n": suspension.amount,
    }
    if unit is Unit.WORKING_DAYS:
        sentence = _("%(what)s from %(since)s to %(until)s: %(days)d working days not counted.") % values
    elif unit is Unit.CALENDAR_DAYS:
        sentence = _("%(what)s from %(since)s to %(until)s: %(n)d days not counted.") % values
    else:
        sentence = _("%(what)s from %(since)s to %(until)s: %(n)d hours not counted.") % values
    if suspension.counted:
        sentence += _(" The other side's time limit had run out: the %(amount)s after it count.") % {
            "amount": describe_amount(suspension.counted, unit)
        }
    return sentence


def _text(moment: Moment) -> str:
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def check_order(entries: Sequence[LedgerEntry]) -> None:
    """Ledger entries are recorded in time order."""
    for previous, entry in itertools.pairwise(entries):
        if entry.on < previous.on:
            raise ClockRuleError("ledger entries out of order")
