"""The holiday table the project ships: 2026 exactly as the official notice, and every day of
2023–2026 agreeing with the independent chinesecalendar package."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkai.core.calendar import get_calendar
from gongkai.core.models import CalendarDay, CalendarDayKind, CalendarYear
from gongkai.core.workdays import DayKind
from tests.core.test_workdays import MAKEUP_2026, PERIODS_2026

pytestmark = pytest.mark.django_db


def test_2026_make_up_workdays_are_the_official_six():
    days = CalendarDay.objects.filter(kind=CalendarDayKind.MAKEUP_WORKDAY, date__year=2026).values_list(
        "date", flat=True
    )
    assert sorted(days) == MAKEUP_2026


@pytest.mark.parametrize(("name", "first", "last"), PERIODS_2026)
def test_2026_holiday_periods_are_the_official_ones(name, first, last):
    stored = list(
        CalendarDay.objects.filter(kind=CalendarDayKind.HOLIDAY, name=name, date__year=2026).values_list(
            "date", flat=True
        )
    )
    assert stored == [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_2026_has_248_workdays():
    calendar = get_calendar()
    day, count = date(2026, 1, 1), 0
    while day.year == 2026:
        count += calendar.is_workday(day)
        day += timedelta(days=1)
    assert count == 248


def test_every_day_of_2023_to_2026_agrees_with_chinesecalendar():
    calendar = get_calendar()
    day = date(2023, 1, 1)
    disagreements = []
    while day <= date(2026, 12, 31):
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


def test_each_seeded_year_names_its_source_notice():
    years = dict(CalendarYear.objects.values_list("year", "source"))
    assert set(years) == {2023, 2024, 2025, 2026}
    assert all("节假日安排的通知" in source for source in years.values())


def test_2027_is_not_loaded_so_it_is_provisional():
    calendar = get_calendar()
    assert calendar.is_provisional(date(2027, 2, 1))
    assert calendar.classify(date(2027, 1, 1)) is DayKind.WORKDAY
