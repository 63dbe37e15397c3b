"""The holidays of a year whose official arrangement is not loaded, estimated (issue 10).

Until the State Council's notice of a year is imported, a deadline that runs into it would count
its New Year's Day, Spring Festival and National Day as working days, and come out too early.
Instead we estimate the year from the statutory holidays themselves (《全国年节及纪念日放假办法》,
2024 revision: 元旦, 春节 four days from New Year's Eve, 清明, 劳动节 two days, 端午, 中秋, 国庆 three
days), the lunar dates and the days given back when one falls on a weekend, as the ``holidays``
package computes them (MIT; docs/decisions/0028-estimated-holidays.md). The make-up workdays
(调休) cannot be foreseen, so an estimated year has none, except where the package knows the
official arrangement of a past year. Every day of such a year stays *provisional*
(``WorkdayCalendar.is_provisional``) and its estimated holidays are named "（预估）".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import holidays

ESTIMATED = "（预估）"


@functools.lru_cache(maxsize=128)
def estimate(year: int) -> tuple[tuple[tuple[date, str], ...], frozenset[date]]:
    """The estimated holidays (date, name) of ``year`` and its known make-up workdays."""
    table = holidays.country_holidays("CN", years=year, language="zh_CN")
    days = tuple(sorted((d, f"{name}{ESTIMATED}") for d, name in table.items() if d.year == year))
    makeup = frozenset(d for d in getattr(table, "weekend_workdays", ()) if d.year == year)
    return days, makeup


def estimated_years(years: Iterable[int]) -> tuple[dict[date, str], set[date]]:
    """The estimates of several years, merged."""
    holidays_of: dict[date, str] = {}
    makeup: set[date] = set()
    for year in years:
        days, workdays = estimate(year)
        holidays_of.update(days)
        makeup |= workdays
    return holidays_of, makeup
