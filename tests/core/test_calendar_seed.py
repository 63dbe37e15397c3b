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


def test_2027_is_not_loaded_so_it_is_provisional_and_its_holidays_are_estimated():
    calendar = get_calendar()
    assert calendar.is_provisional(date(2027, 2, 1))
    assert not calendar.is_provisional(date(2026, 12, 31))
    assert calendar.classify(date(2027, 1, 4)) is DayKind.WORKDAY
    # 《全国年节及纪念日放假办法》: the statutory days, lunar ones included, with the days given back
    # when one falls on a weekend; the make-up workdays cannot be foreseen.
    estimated = {
        date(2027, 1, 1): "元旦（预估）",
        date(2027, 2, 5): "农历除夕（预估）",
        date(2027, 2, 6): "春节（预估）",
        date(2027, 2, 8): "春节（预估）",
        date(2027, 4, 5): "清明节（预估）",
        date(2027, 5, 1): "劳动节（预估）",
        date(2027, 6, 9): "端午节（预估）",
        date(2027, 9, 15): "中秋节（预估）",
        date(2027, 10, 1): "国庆节（预估）",
        date(2027, 10, 3): "国庆节（预估）",
    }
    assert {d: calendar.holidays.get(d) for d in estimated} == estimated
    assert all(calendar.classify(d) is DayKind.HOLIDAY for d in estimated)
    assert not [d for d in calendar.makeup_workdays if d.year == 2027]


def test_an_imported_year_replaces_its_estimate(world):
    from gongkai.core.models import CalendarYear

    calendar = get_calendar()
    assert calendar.holidays[date(2026, 10, 1)] == "国庆节"  # the official, loaded arrangement
    assert CalendarYear.objects.filter(year=2026).exists()
    assert not [name for d, name in calendar.holidays.items() if d.year == 2026 and "预估" in name]
