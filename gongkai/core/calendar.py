"""The project's working-day calendar: loading it from the database, and changing it.

Every deadline in Gongkai is computed with ``get_calendar()`` and the pure functions of
``gongkai.core.workdays``. When administrators import or edit a year, ``save_calendar_year``
recomputes every stored deadline that other apps registered with
``register_deadline_recomputer`` (alaveteli #7292: a new holiday must move open cases), and the
audit record says how many moved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core.audit import record_event
from gongkai.core.holiday_estimates import estimated_years
from gongkai.core.mail import send_once
from gongkai.core.models import CalendarDay, CalendarDayKind, CalendarYear
from gongkai.core.workdays import ONE_DAY, WorkdayCalendar, WorkdayResult, add_workdays

# ---------------------------------------------------------------------------------------------
# Reading

_cache: dict[str, object] = {"key": None, "calendar": None}


# The years estimated when not loaded (holiday_estimates): from the first year the platform may
# hold records of to a few years ahead of today (every legal period ends within that).
ESTIMATE_FROM_YEAR, ESTIMATE_YEARS_AHEAD = 2008, 5


def get_calendar() -> WorkdayCalendar:
    """The calendar as stored now, with the years around today that are not loaded estimated
    (still provisional). One small query checks whether the cached copy is current."""
    stamp = CalendarYear.objects.aggregate(n=Count("id"), at=Max("updated_at"), days=Count("days"))
    this_year = timezone.localdate().year
    key = (stamp["n"], stamp["at"], stamp["days"], this_year)
    if _cache["key"] != key:
        rows = CalendarDay.objects.values_list("date", "kind", "name")
        loaded = set(CalendarYear.objects.values_list("year", flat=True))
        around = range(ESTIMATE_FROM_YEAR, this_year + ESTIMATE_YEARS_AHEAD + 1)
        holidays, makeup = estimated_years(y for y in around if y not in loaded)
        holidays.update({d: name for d, kind, name in rows if kind == CalendarDayKind.HOLIDAY})
        makeup |= {d for d, kind, _name in rows if kind == CalendarDayKind.MAKEUP_WORKDAY}
        _cache["calendar"] = WorkdayCalendar.build(holidays=holidays, makeup_workdays=makeup, loaded_years=loaded)
        _cache["key"] = key
    return _cache["calendar"]  # type: ignore[return-value]


def due_date(start: date, working_days: int) -> WorkdayResult:
    """``working_days`` working days after ``start`` under the project's counting rule."""
    return add_workdays(start, working_days, get_calendar(), count_start_day=settings.WORKDAYS_COUNT_START_DAY)


def missing_next_year(today: date | None = None) -> int | None:
    """Next year, when it is late enough in the year to expect its notice and it is not loaded."""
    today = today or timezone.localdate()
    month, day = settings.CALENDAR_WARN_FROM
    if (today.month, today.day) < (month, day):
        return None
    year = today.year + 1
    return None if CalendarYear.objects.filter(year=year).exists() else year


# ---------------------------------------------------------------------------------------------
# Deadline recomputation registry

Recomputer = Callable[[set[int]], int]
_recomputers: dict[str, Recomputer] = {}


def register_deadline_recomputer(name: str, func: Recomputer) -> None:
    """Register ``func(years) -> number of stored deadlines changed``; called on every calendar
    change, inside its transaction, with the years whose arrangement changed."""
    _recomputers[name] = func


def unregister_deadline_recomputer(name: str) -> None:
    _recomputers.pop(name, None)


# ---------------------------------------------------------------------------------------------
# Parsing an arrangement (the staff form and the import command share it)


class ArrangementError(ValueError):
    """The arrangement text has errors; ``errors`` lists each with its line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Arrangement:
    year: int
    source: str
    published_on: date | None
    holidays: tuple[tuple[str, date, date], ...]
    makeup_workdays: tuple[date, ...]

    def days(self) -> list[tuple[date, str, str]]:
        out: list[tuple[date, str, str]] = []
        for name, first, last in self.holidays:
            day = first
            while day <= last:
                out.append((day, CalendarDayKind.HOLIDAY, name))
                day += ONE_DAY
        out.extend((d, CalendarDayKind.MAKEUP_WORKDAY, "") for d in self.makeup_workdays)
        return sorted(out)


# ASCII digits only, after NFKC (full-width dates typed with a Chinese IME work; WEB-05).
_DATE = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_HOLIDAY_LINE = re.compile(rf"^\s*(\S+)\s+{_DATE}(?:(?:\s*(?:至|到|~|—|-{{1,2}}|\.\.)\s*|\s+){_DATE})?\s*$")


def _parse_date(y: str, m: str, d: str) -> date:
    return date(int(y), int(m), int(d))


def parse_arrangement(  # noqa: C901  a line parser: one branch per kind of line
    *, year: int, source: str, published_on: date | None, holidays_text: str, makeup_text: str
) -> Arrangement:
    """Check a year's arrangement as typed by an administrator.

    ``holidays_text``: one period a line, ``元旦 2027-01-01 2027-01-03`` (a one-day period may
    give one date). ``makeup_text``: the make-up weekend workdays, separated by spaces, commas
    or new lines. Every error is collected, in Chinese, with its line number.
    """
    errors: list[str] = []
    if not 2000 <= year <= 2100:
        errors.append(_("The year must be between 2000 and 2100."))
    if not source.strip():
        errors.append(_("Name the official notice the arrangement comes from."))
    periods: list[tuple[str, date, date]] = []
    for number, line in enumerate(holidays_text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", line)
        if not line.strip():
            continue
        match = _HOLIDAY_LINE.match(line)
        if not match:
            errors.append(
                _('Holiday line %(line)d: write "name first-date last-date", e.g. "国庆节 2027-10-01 2027-10-07".')
                % {"line": number}
            )
            continue
        name, *parts = match.groups()
        try:
            first = _parse_date(*parts[0:3])
            last = _parse_date(*parts[3:6]) if parts[3] else first
        except ValueError:
            errors.append(_("Holiday line %(line)d: this date does not exist.") % {"line": number})
            continue
        if last < first:
            errors.append(_("Holiday line %(line)d: the last day is before the first day.") % {"line": number})
        elif (last - first).days > 15:
            errors.append(_("Holiday line %(line)d: a holiday period is at most 16 days long.") % {"line": number})
        elif first.year != year and last.year != year:
            errors.append(_("Holiday line %(line)d: the period is not in %(year)d.") % {"line": number, "year": year})
        else:
            periods.append((name, first, last))
    makeup: list[date] = []
    for token in re.split(r"[\s,，、;；]+", unicodedata.normalize("NFKC", makeup_text).strip()):
        if not token:
            continue
        match = re.fullmatch(_DATE, token)
        try:
            day = _parse_date(*match.groups()) if match else None
        except ValueError:
            day = None
        if day is None:
            errors.append(_('Make-up workday "%(value)s" is not a date like 2027-02-07.') % {"value": token[:20]})
            continue
        if day.weekday() < 5:
            errors.append(_("Make-up workday %(day)s is not a Saturday or Sunday.") % {"day": day})
        elif day.year != year and not (day.year == year - 1 and day.month == 12):
            errors.append(_("Make-up workday %(day)s is not in %(year)d.") % {"day": day, "year": year})
        else:
            makeup.append(day)
    holiday_days: dict[date, str] = {}
    for name, first, last in periods:
        day = first
        while day <= last:
            if day in holiday_days:
                errors.append(_("%(day)s is in two holiday periods.") % {"day": day})
            holiday_days[day] = name
            day += ONE_DAY
    for day in makeup:
        if day in holiday_days:
            errors.append(_("%(day)s cannot be both a holiday and a make-up workday.") % {"day": day})
    if len(set(makeup)) != len(makeup):
        errors.append(_("A make-up workday is listed twice."))
    if errors:
        raise ArrangementError(errors)
    return Arrangement(
        year=year,
        source=source.strip(),
        published_on=published_on,
        holidays=tuple(sorted(periods, key=lambda p: p[1])),
        makeup_workdays=tuple(sorted(set(makeup))),
    )


def arrangement_of(calendar_year: CalendarYear) -> Arrangement:
    """Read a stored year back as an arrangement (to prefill the edit form)."""
    holidays: list[tuple[str, date, date]] = []
    makeup: list[date] = []
    for day in calendar_year.days.order_by("date"):
        if day.kind == CalendarDayKind.MAKEUP_WORKDAY:
            makeup.append(day.date)
        elif holidays and holidays[-1][0] == day.name and holidays[-1][2] + ONE_DAY == day.date:
            holidays[-1] = (day.name, holidays[-1][1], day.date)
        else:
            holidays.append((day.name, day.date, day.date))
    return Arrangement(
        year=calendar_year.year,
        source=calendar_year.source,
        published_on=calendar_year.published_on,
        holidays=tuple(holidays),
        makeup_workdays=tuple(makeup),
    )


def format_holidays(arrangement: Arrangement) -> str:
    return "\n".join(f"{name} {first.isoformat()} {last.isoformat()}" for name, first, last in arrangement.holidays)


def format_makeup(arrangement: Arrangement) -> str:
    return " ".join(d.isoformat() for d in arrangement.makeup_workdays)


# ---------------------------------------------------------------------------------------------
# Writing


@transaction.atomic
def save_calendar_year(
    arrangement: Arrangement, *, actor: AbstractBaseUser | AnonymousUser | None = None, actor_label: str = ""
) -> CalendarYear:
    """Create or replace one year's arrangement, recompute dependent deadlines, audit it.

    ``actor`` is the administrator (UI); ``actor_label`` names a command-line import.
    The access rule (district system administrator) is checked by the caller's view; this
    function is also used by migrations and commands that run as the operator.
    """
    existing = CalendarYear.objects.select_for_update().filter(year=arrangement.year).first()
    other = CalendarDay.objects.filter(date__in=[d for d, _k, _n in arrangement.days()])
    if existing:
        other = other.exclude(calendar_year=existing)
    clash = other.values_list("date", flat=True).first()
    if clash:
        raise ArrangementError([_("%(day)s already belongs to another year's arrangement.") % {"day": clash}])
    before = None
    if existing:
        old = arrangement_of(existing)
        before = {"source": old.source, "holidays": format_holidays(old), "makeup_workdays": format_makeup(old)}
        existing.days.all().delete()
        existing.source = arrangement.source
        existing.published_on = arrangement.published_on
        existing.updated_by = actor.get_username() if actor else actor_label
        existing.save(update_fields=["source", "published_on", "updated_by", "updated_at"])
        calendar_year = existing
    else:
        calendar_year = CalendarYear.objects.create(
            year=arrangement.year,
            source=arrangement.source,
            published_on=arrangement.published_on,
            updated_by=actor.get_username() if actor else actor_label,
        )
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=calendar_year, date=d, kind=kind, name=name) for d, kind, name in arrangement.days()
    )
    years = {arrangement.year, arrangement.year - 1}
    recomputed = {name: func(years) for name, func in _recomputers.items()}
    after = {
        "source": arrangement.source,
        "holidays": format_holidays(arrangement),
        "makeup_workdays": format_makeup(arrangement),
    }
    record_event(
        "core.calendar_year.updated" if before else "core.calendar_year.imported",
        actor=actor,
        obj=calendar_year,
        data={"before": before, "after": after, "recomputed_deadlines": recomputed, "by": actor_label},
    )
    return calendar_year


# ---------------------------------------------------------------------------------------------
# Explaining a result to people


def explain(result: WorkdayResult) -> list[str]:
    """How a due date was reached, one sentence a line (shown under every deadline)."""
    lines = []
    if result.count_start_day:
        lines.append(
            _("%(n)d working days counted from %(start)s; the start day counts when it is a working day.")
            % {"n": result.working_days, "start": result.start.isoformat()}
        )
    else:
        lines.append(
            _("%(n)d working days counted from %(start)s; the start day is not counted, counting begins the next day.")
            % {"n": result.working_days, "start": result.start.isoformat()}
        )
    holidays: dict[str, int] = {}
    weekends = 0
    for _day, kind, name in result.skipped:
        if kind == "holiday":
            holidays[name] = holidays.get(name, 0) + 1
        else:
            weekends += 1
    for name, days in holidays.items():
        lines.append(_("Skipped the %(name)s holiday: %(days)d days.") % {"name": name or _("statutory"), "days": days})
    if weekends:
        lines.append(_("Skipped %(days)d weekend days.") % {"days": weekends})
    for day in result.makeup_counted:
        lines.append(_("Counted the make-up workday %(day)s.") % {"day": day.isoformat()})
    lines.append(_("Due on %(due)s.") % {"due": result.due.isoformat()})
    if result.provisional:
        lines.append(
            _("Provisional: the holiday arrangement for %(years)s is not loaded, so weekends only were skipped.")
            % {"years": "、".join(str(y) for y in result.provisional_years)}
        )
    return lines


# ---------------------------------------------------------------------------------------------
# Reminding administrators


_calendar_keepers: list[Callable[[], Iterable[str]]] = []


def register_calendar_keepers(addresses: Callable[[], Iterable[str]]) -> None:
    """Who keeps the holiday arrangement (accounts: the district's system administrators):
    a function returning their e-mail addresses."""
    _calendar_keepers[:] = [addresses]


def remind_missing_next_year(today: date | None = None) -> bool:
    """E-mail the calendar's keepers once a day while next year's arrangement is missing after
    the warning date. Returns True when a reminder went out."""
    today = today or timezone.localdate()
    year = missing_next_year(today)
    if year is None:
        return False
    recipients = [address for keepers in _calendar_keepers for address in keepers()]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The %(year)d holiday arrangement is not imported") % {"year": year}
        body = _(
            "The holiday arrangement for %(year)d is not in the platform yet. Deadlines that reach into "
            "%(year)d are provisional until it is imported. Import it under Holiday calendar as soon as the "
            "State Council notice is published."
        ) % {"year": year}
    return send_once(
        f"calendar-missing:{year}:{today.isoformat()}", subject=subject, body=body, recipients=list(recipients)
    )
