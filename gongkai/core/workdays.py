"""The working-day arithmetic every legal deadline goes through. Pure functions, no I/O.

A working day is Monday–Friday, minus statutory holidays, plus the weekend days the State
Council turns into make-up workdays (调休). The arrangement of each year comes from the
official notice and lives in the database (gongkai.core.models.CalendarYear); this module
receives it as an immutable :class:`WorkdayCalendar` so that it can be tested without one.

A day in a year whose arrangement is not loaded is counted on weekends only and the result is
marked *provisional* (暂定): the caller must show that to the user.

Counting rule (the 条例 does not define it; practice follows 民法典 art. 201): the start day
is not counted, counting begins the next day. ``count_start_day=True`` switches that.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# One calendar day. Stepping through dates is not a deadline computation in itself.
ONE_DAY = timedelta(days=1)
# A deadline of more than this many working days is a bug in the caller, not a legal period.
MAX_WORKING_DAYS = 1000
# The dates a computation may start or end on. Far wider than any case, narrow enough that
# stepping MAX_WORKING_DAYS on never passes date.max (an OverflowError, a 500: WEB-05) and that
# counting between two dates stays a short loop.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


class DayKind(enum.StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup-workday"


class WorkdayError(ValueError):
    """Input a deadline cannot be computed from (negative count, reversed range, …)."""


class WorkdayRangeError(WorkdayError):
    """A date outside FIRST_DAY..LAST_DAY."""


def check_computable(*days: date) -> None:
    for day in days:
        if not FIRST_DAY <= day <= LAST_DAY:
            raise WorkdayRangeError(f"{day} is outside {FIRST_DAY}..{LAST_DAY}")


@dataclass(frozen=True)
class WorkdayCalendar:
    holidays: Mapping[date, str] = field(default_factory=dict)
    makeup_workdays: frozenset[date] = frozenset()
    loaded_years: frozenset[int] = frozenset()

    @classmethod
    def build(
        cls,
        *,
        holidays: Mapping[date, str] | Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
        loaded_years: Iterable[int] = (),
    ) -> WorkdayCalendar:
        named = dict(holidays) if isinstance(holidays, Mapping) else dict.fromkeys(holidays, "")
        return cls(holidays=named, makeup_workdays=frozenset(makeup_workdays), loaded_years=frozenset(loaded_years))

    def classify(self, day: date) -> DayKind:
        if day in self.holidays:
            return DayKind.HOLIDAY
        if day in self.makeup_workdays:
            return DayKind.MAKEUP_WORKDAY
        if day.weekday() >= 5:
            return DayKind.WEEKEND
        return DayKind.WORKDAY

    def is_workday(self, day: date) -> bool:
        return self.classify(day) in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    def is_provisional(self, day: date) -> bool:
        return day.year not in self.loaded_years


@dataclass(frozen=True)
class WorkdayResult:
    """The answer of :func:`add_workdays`, with what a user needs to see how it was reached."""

    start: date
    working_days: int
    due: date
    provisional: bool
    count_start_day: bool
    # Non-working days passed over between start and due, with their kind and name.
    skipped: tuple[tuple[date, DayKind, str], ...] = ()
    # Make-up weekend workdays that were counted.
    makeup_counted: tuple[date, ...] = ()
    provisional_years: tuple[int, ...] = ()


def add_workdays(
    start: date, working_days: int, calendar: WorkdayCalendar, *, count_start_day: bool = False
) -> WorkdayResult:
    """The date on which the ``working_days``-th working day after ``start`` falls.

    With ``count_start_day`` the start itself is day one when it is a working day.
    ``add_workdays(d, 0)`` is ``d``.
    """
    if working_days < 0:
        raise WorkdayError("the number of working days cannot be negative")
    if working_days > MAX_WORKING_DAYS:
        raise WorkdayError(f"at most {MAX_WORKING_DAYS} working days")
    check_computable(start)
    remaining = working_days
    day = start
    skipped: list[tuple[date, DayKind, str]] = []
    makeup: list[date] = []
    years: set[int] = set()
    if count_start_day and remaining and calendar.is_workday(day):
        remaining -= 1
        years.add(day.year)
        if calendar.classify(day) is DayKind.MAKEUP_WORKDAY:
            makeup.append(day)
    while remaining:
        day += ONE_DAY
        years.add(day.year)
        kind = calendar.classify(day)
        if kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY):
            remaining -= 1
            if kind is DayKind.MAKEUP_WORKDAY:
                makeup.append(day)
        else:
            skipped.append((day, kind, calendar.holidays.get(day, "")))
    missing = tuple(sorted(y for y in years if y not in calendar.loaded_years))
    return WorkdayResult(
        start=start,
        working_days=working_days,
        due=day,
        provisional=bool(missing),
        count_start_day=count_start_day,
        skipped=tuple(skipped),
        makeup_counted=tuple(makeup),
        provisional_years=missing,
    )


@dataclass(frozen=True)
class CountResult:
    working_days: int
    provisional: bool
    provisional_years: tuple[int, ...] = ()


def workdays_between(start: date, end: date, calendar: WorkdayCalendar) -> CountResult:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end < start:
        raise WorkdayError("the end date is before the start date")
    check_computable(start, end)
    count = 0
    years: set[int] = set()
    day = start
    while day < end:
        day += ONE_DAY
        years.add(day.year)
        if calendar.is_workday(day):
            count += 1
    missing = tuple(sorted(y for y in years if y not in calendar.loaded_years))
    return CountResult(working_days=count, provisional=bool(missing), provisional_years=missing)


def holiday_periods(
    year: int, statutory: Mapping[date, str], makeup_workdays: Iterable[date]
) -> list[tuple[str, date, date]]:
    """Group a year's listed days off into the notice's holiday periods.

    A period is a maximal run of consecutive days off (weekends that are not make-up days, plus
    listed days) that holds at least one listed day. This is how the official notice reads:
    "2月15日至23日放假调休，共9天" includes the weekends inside. Used to seed the project's
    table from a package's list of days. The period is named after the listed days inside it
    ("中秋节、国庆节" when two merge); a caller passes "" for days named only "休息日（调休）".
    """
    makeup = set(makeup_workdays)

    def is_off(d: date) -> bool:
        return d in statutory or (d.weekday() >= 5 and d not in makeup)

    periods: list[tuple[str, date, date]] = []
    for listed in sorted(statutory):
        if listed.year != year or (periods and periods[-1][1] <= listed <= periods[-1][2]):
            continue
        first = listed
        while is_off(first - ONE_DAY):
            first -= ONE_DAY
        last = listed
        while is_off(last + ONE_DAY):
            last += ONE_DAY
        run = [first + ONE_DAY * i for i in range((last - first).days + 1)]
        names = [statutory[d] for d in run if statutory.get(d)]
        name = "、".join(dict.fromkeys(names))
        periods.append((name, first, last))
    return periods
