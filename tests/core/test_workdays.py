"""The pure working-day functions, on the 2026 arrangement as the State Council published it
(regulations.md §4.1), built here independently of the project's seed file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gongkai.core.workdays import (
    DayKind,
    WorkdayCalendar,
    WorkdayError,
    add_workdays,
    holiday_periods,
    workdays_between,
)

PERIODS_2026 = [
    ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
]
MAKEUP_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]


def calendar_2026() -> WorkdayCalendar:
    holidays = {}
    for name, first, last in PERIODS_2026:
        for i in range((last - first).days + 1):
            holidays[first + timedelta(days=i)] = name
    return WorkdayCalendar.build(holidays=holidays, makeup_workdays=MAKEUP_2026, loaded_years=[2026])


CAL = calendar_2026()


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # The example: National Day week skipped, 10-10 (Saturday) worked.
        (date(2026, 9, 28), 20, date(2026, 10, 30)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 10, 9), 1, date(2026, 10, 10)),
        # Mid-Autumn: 9-20 (Sunday) is a make-up workday, 9-25..27 are off.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
        # Spring Festival: 2-14 (Saturday) worked, 2-15..23 off, 2-28 (Saturday) worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 10), 5, date(2026, 2, 24)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        (date(2026, 2, 12), 7, date(2026, 2, 28)),
        # A correction notice within 7 WD of an application received on New Year's Eve.
        (date(2025, 12, 31), 7, date(2026, 1, 12)),
        # Zero days is the start itself.
        (date(2026, 10, 3), 0, date(2026, 10, 3)),
    ],
)
def test_add_workdays_across_spring_festival_and_national_day(start, n, due):
    assert add_workdays(start, n, CAL).due == due


def test_start_day_counts_when_configured():
    assert add_workdays(date(2026, 9, 28), 20, CAL, count_start_day=True).due == date(2026, 10, 29)
    # A start on a holiday is not a working day, so it never counts.
    assert add_workdays(date(2026, 10, 3), 1, CAL, count_start_day=True).due == date(2026, 10, 8)


def test_result_explains_what_was_skipped_and_counted():
    result = add_workdays(date(2026, 9, 28), 20, CAL)
    skipped_holidays = [d for d, kind, name in result.skipped if kind is DayKind.HOLIDAY]
    assert skipped_holidays == [date(2026, 10, d) for d in range(1, 8)]
    assert {name for _d, kind, name in result.skipped if kind is DayKind.HOLIDAY} == {"国庆节"}
    assert result.makeup_counted == (date(2026, 10, 10),)
    assert not result.provisional


def test_days_in_a_year_not_loaded_are_provisional_weekends_only():
    result = add_workdays(date(2026, 12, 30), 3, CAL)
    # 12-31 (Thu), 2027-01-01 (Fri: a holiday in reality, unknown here), 2027-01-04 (Mon).
    assert result.due == date(2027, 1, 4)
    assert result.provisional
    assert result.provisional_years == (2027,)
    assert not add_workdays(date(2026, 12, 28), 3, CAL).provisional


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 10, 10), DayKind.MAKEUP_WORKDAY),
        (date(2026, 10, 3), DayKind.HOLIDAY),  # a Saturday inside the holiday period
        (date(2026, 10, 4), DayKind.HOLIDAY),  # a Sunday inside the holiday period
        (date(2026, 10, 11), DayKind.WEEKEND),
        (date(2026, 10, 12), DayKind.WORKDAY),
        (date(2026, 2, 14), DayKind.MAKEUP_WORKDAY),
        (date(2027, 1, 1), DayKind.WORKDAY),  # not loaded: weekdays are workdays
    ],
)
def test_classify(day, kind):
    assert CAL.classify(day) is kind


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 9, 30), date(2026, 10, 9), 2),
        (date(2026, 2, 13), date(2026, 2, 28), 6),
        (date(2026, 10, 1), date(2026, 10, 1), 0),
        (date(2026, 1, 1), date(2026, 12, 31), 248),  # 01-01 is a holiday: all 248 workdays of 2026
    ],
)
def test_workdays_between(start, end, count):
    assert workdays_between(start, end, CAL).working_days == count


def test_add_and_between_agree_for_every_start_in_2026():
    day = date(2026, 1, 1)
    while day.year == 2026:
        for n in (1, 7, 15, 20, 40):
            due = add_workdays(day, n, CAL).due
            assert CAL.is_workday(due)
            assert workdays_between(day, due, CAL).working_days == n
        day += timedelta(days=1)


def test_bad_input_is_refused():
    with pytest.raises(WorkdayError):
        add_workdays(date(2026, 1, 5), -1, CAL)
    with pytest.raises(WorkdayError):
        workdays_between(date(2026, 1, 5), date(2026, 1, 4), CAL)


def test_holiday_periods_include_the_weekends_inside_them():
    statutory = {
        date(2026, 10, 1): "国庆节",
        date(2026, 10, 2): "国庆节",
        date(2026, 10, 3): "国庆节",
        date(2026, 10, 5): "国庆节",
        date(2026, 10, 6): "",
        date(2026, 10, 7): "",
        date(2026, 9, 25): "中秋节",
    }
    periods = holiday_periods(2026, statutory, MAKEUP_2026)
    assert periods == [
        ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
        ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
    ]
