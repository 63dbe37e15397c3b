"""Working-day arithmetic for scripts and integrators. The output format is an interface:

manage.py workdays add 2026-09-28 20         -> 2026-10-30
manage.py workdays add 2027-01-04 5          -> 2027-01-11 provisional
manage.py workdays between 2026-09-30 2026-10-09   -> 2
manage.py workdays info 2026-10-10           -> makeup-workday
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.core.calendar import due_date, get_calendar
from gongkai.core.workdays import MAX_WORKING_DAYS, WorkdayError, WorkdayRangeError, workdays_between


def parse_date(value: str) -> date:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value or ""):
        raise CommandError(_('"%(value)s" is not a date written as YYYY-MM-DD.') % {"value": value})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_('"%(value)s" is not a real date.') % {"value": value}) from None


def parse_count(value: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", value or ""):
        raise CommandError(_('"%(value)s" is not a whole number of working days.') % {"value": value})
    number = int(value)
    if number < 0:
        raise CommandError(_("The number of working days cannot be negative."))
    if number > MAX_WORKING_DAYS:
        raise CommandError(_("At most %(max)d working days.") % {"max": MAX_WORKING_DAYS})
    return number


class Command(BaseCommand):
    help = "Working-day arithmetic on the official holiday calendar (add, between, info)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the date N working days after START")
        add.add_argument("start")
        add.add_argument("days")
        between = sub.add_parser("between", help="working days after START up to and including END")
        between.add_argument("start")
        between.add_argument("end")
        info = sub.add_parser("info", help="workday, weekend, holiday or makeup-workday")
        info.add_argument("day")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        action = options["action"]
        if action == "add":
            try:
                result = due_date(parse_date(options["start"]), parse_count(options["days"]))
            except WorkdayRangeError:
                raise CommandError(_("The date is outside the range that can be calculated.")) from None
            line = result.due.isoformat() + (" provisional" if result.provisional else "")
        elif action == "between":
            try:
                count = workdays_between(parse_date(options["start"]), parse_date(options["end"]), get_calendar())
            except WorkdayRangeError:
                raise CommandError(_("The date is outside the range that can be calculated.")) from None
            except WorkdayError:
                raise CommandError(_("The end date is before the start date.")) from None
            line = str(count.working_days) + (" provisional" if count.provisional else "")
        else:
            day = parse_date(options["day"])
            calendar = get_calendar()
            line = calendar.classify(day).value + (" provisional" if calendar.is_provisional(day) else "")
        self.stdout.write(line)
