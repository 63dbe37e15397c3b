"""The shared clock helper (issue 9): periods in working days, calendar days and hours;
suspensions that do not count, extensions, restarts; provisional years; the explanation.

The calendar is the project's own 2026 arrangement (国办发明电〔2025〕7号), built in memory."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.clocks import (
    Clock,
    ClockRuleError,
    LedgerEntry,
    Period,
    Unit,
    Wording,
    add,
    check_order,
    elapsed,
)
from gongkai.core.workdays import WorkdayCalendar


@pytest.fixture(autouse=True)
def english():
    """The sentences are asserted in their msgid form."""
    with translation.override("en"):
        yield


# National Day 2026: 10-01..10-07 off, 09-20 (Sunday) and 10-10 (Saturday) make-up workdays.
NATIONAL_DAY = {date(2026, 10, d): "国庆节" for d in range(1, 8)}
CALENDAR = WorkdayCalendar.build(
    holidays=NATIONAL_DAY, makeup_workdays={date(2026, 9, 20), date(2026, 10, 10)}, loaded_years={2026}
)
WORDING = Wording(
    opening="%(period)s from %(start)s.",
    extension="Extended by %(amount)s.",
    due="Due %(due)s.",
    suspension=lambda s: f"waiting ({s.reason})",
)


def test_working_days_skip_the_holiday_and_count_the_makeup_day():
    # 2026-09-30 + 3 WD: 10-01..07 off, 10-08 (1), 10-09 (2), 10-10 Saturday make-up (3).
    assert add(date(2026, 9, 30), 3, Unit.WORKING_DAYS, CALENDAR).due == date(2026, 10, 10)


def test_calendar_days_do_not_count_the_start_day():
    assert add(date(2026, 9, 30), 30, Unit.CALENDAR_DAYS, CALENDAR).due == date(2026, 10, 30)


def test_hours_cross_midnight():
    start = datetime(2026, 10, 8, 21, 30)
    assert add(start, 5, Unit.HOURS, CALENDAR).due == datetime(2026, 10, 9, 2, 30)


def test_a_clock_in_hours_needs_a_moment():
    with pytest.raises(ClockRuleError):
        add(date(2026, 10, 8), 5, Unit.HOURS, CALENDAR)


def test_a_period_into_an_unloaded_year_is_provisional_and_names_the_year():
    reached = add(date(2026, 12, 30), 3, Unit.WORKING_DAYS, CALENDAR)
    assert reached.due == date(2027, 1, 4)
    assert reached.provisional_years == (2027,)
    clock = Clock(Period(3, Unit.WORKING_DAYS), start=date(2026, 12, 30))
    deadline = clock.deadline(CALENDAR, WORDING)
    assert deadline.provisional is True
    assert "2027" in deadline.explanation[-2]


def test_elapsed_hours_round_a_started_hour_up():
    assert elapsed(datetime(2026, 10, 8, 9, 0), datetime(2026, 10, 8, 10, 1), Unit.HOURS, CALENDAR).amount == 2


def test_a_suspension_is_added_back_and_explained():
    clock = Clock(Period(20, Unit.WORKING_DAYS), start=date(2026, 9, 28))
    base = clock.deadline(CALENDAR, WORDING).due
    clock.suspend("third party", date(2026, 9, 29))
    clock.resume(date(2026, 10, 9), CALENDAR)  # 09-30, 10-08, 10-09: 3 working days
    deadline = clock.deadline(CALENDAR, WORDING)
    assert clock.suspensions[0].amount == 3
    assert deadline.due == add(base, 3, Unit.WORKING_DAYS, CALENDAR).due
    assert deadline.explanation == [
        "20 working days from 2026-09-28.",
        "waiting (third party) from 2026-09-29 to 2026-10-09: 3 working days not counted.",
        f"Due {deadline.due.isoformat()}.",
    ]


def test_a_suspension_that_still_counts_is_not_added():
    clock = Clock(Period(20, Unit.WORKING_DAYS), start=date(2026, 9, 28))
    base = clock.deadline(CALENDAR, WORDING).due
    clock.suspend("fee", date(2026, 9, 29))
    assert clock.resume(date(2026, 10, 9), CALENDAR, excluded=False) is None
    assert clock.deadline(CALENDAR, WORDING).due == base


def test_an_hour_clock_suspended_overnight():
    clock = Clock(Period(24, Unit.HOURS), start=datetime(2026, 10, 8, 9, 0))
    clock.suspend("verification", datetime(2026, 10, 8, 20, 0))
    clock.resume(datetime(2026, 10, 9, 8, 0), CALENDAR)
    deadline = clock.deadline(CALENDAR, WORDING)
    assert deadline.due == datetime(2026, 10, 9, 21, 0)  # 24 hours from 09:00, plus the 12 suspended
    assert (
        deadline.explanation[1]
        == "waiting (verification) from 2026-10-08 20:00 to 2026-10-09 08:00: 12 hours not counted."
    )


def test_an_extension_adds_and_says_so():
    clock = Clock(Period(20, Unit.WORKING_DAYS), start=date(2026, 9, 28))
    clock.extend(20)
    deadline = clock.deadline(CALENDAR, WORDING)
    assert deadline.due == add(date(2026, 9, 28), 40, Unit.WORKING_DAYS, CALENDAR).due
    assert "Extended by 20 working days." in deadline.explanation


def test_a_restart_forgets_suspensions_and_extensions():
    clock = Clock(Period(20, Unit.WORKING_DAYS), start=date(2026, 9, 1))
    clock.suspend("x", date(2026, 9, 2))
    clock.resume(date(2026, 9, 10), CALENDAR)
    clock.extend(10)
    clock.restart(date(2026, 9, 28))
    assert clock.deadline(CALENDAR, WORDING).due == add(date(2026, 9, 28), 20, Unit.WORKING_DAYS, CALENDAR).due
    assert clock.suspensions == []
    assert clock.extension == 0


def test_the_clock_refuses_an_impossible_ledger():
    clock = Clock(Period(20, Unit.WORKING_DAYS), start=date(2026, 9, 1))
    with pytest.raises(ClockRuleError):
        clock.resume(date(2026, 9, 2), CALENDAR)  # not suspended
    clock.suspend("x", date(2026, 9, 2))
    with pytest.raises(ClockRuleError):
        clock.suspend("y", date(2026, 9, 3))  # already suspended
    with pytest.raises(ClockRuleError):
        clock.begin(date(2026, 9, 4))  # already started
    with pytest.raises(ClockRuleError):
        check_order([LedgerEntry("a", date(2026, 9, 2)), LedgerEntry("b", date(2026, 9, 1))])


days = st.dates(min_value=date(2026, 1, 5), max_value=date(2026, 11, 30))


@given(start=days, wait=st.integers(min_value=0, max_value=40), base=st.integers(min_value=1, max_value=30))
def test_a_suspension_never_makes_the_due_date_earlier(start, wait, base):
    plain = Clock(Period(base, Unit.WORKING_DAYS), start=start).deadline(CALENDAR, WORDING).due
    clock = Clock(Period(base, Unit.WORKING_DAYS), start=start)
    clock.suspend("x", start)
    clock.resume(start + timedelta(days=wait), CALENDAR)
    assert clock.deadline(CALENDAR, WORDING).due >= plain


@given(start=days, n=st.integers(min_value=0, max_value=60))
def test_working_days_land_on_a_working_day_and_count_exactly(start, n):
    due = add(start, n, Unit.WORKING_DAYS, CALENDAR).due
    assert elapsed(start, due, Unit.WORKING_DAYS, CALENDAR).amount == n
    if n:
        assert CALENDAR.is_workday(due)
