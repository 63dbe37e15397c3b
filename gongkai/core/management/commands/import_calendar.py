"""Import holiday arrangements from a JSON file (the format of gongkai/core/data/cn_calendar.json).

    manage.py import_calendar arrangement-2027.json [--replace]

Years already loaded are skipped unless --replace. Each year goes through the same checks and
service as the staff form: bad input is reported line by line and nothing is saved.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from gongkai.core.calendar import Arrangement, ArrangementError, parse_arrangement, save_calendar_year
from gongkai.core.models import CalendarYear


def load_arrangements(entries: list[dict[str, Any]]) -> tuple[list[Arrangement], list[str]]:
    arrangements: list[Arrangement] = []
    errors: list[str] = []
    for entry in entries:
        try:
            arrangements.append(
                parse_arrangement(
                    year=int(entry["year"]),
                    source=str(entry.get("source", "")),
                    published_on=date.fromisoformat(entry["published_on"]) if entry.get("published_on") else None,
                    holidays_text="\n".join(" ".join(p) for p in entry.get("holidays", [])),
                    makeup_text=" ".join(entry.get("makeup_workdays", [])),
                )
            )
        except ArrangementError as exc:
            errors.extend(f"{entry.get('year')}: {e}" for e in exc.errors)
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(f"{entry.get('year', '?')}: {exc}")
    return arrangements, errors


class Command(BaseCommand):
    help = "Import holiday arrangements (statutory holidays and make-up workdays) from JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="replace years already loaded")

    def handle(self, *args: Any, file: str, replace: bool, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            entries = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        arrangements, errors = load_arrangements(entries if isinstance(entries, list) else [entries])
        if errors:
            raise CommandError("\n".join(errors))
        with transaction.atomic():
            for arrangement in arrangements:
                if CalendarYear.objects.filter(year=arrangement.year).exists() and not replace:
                    self.stdout.write(f"{arrangement.year}: already loaded, skipped")
                    continue
                save_calendar_year(arrangement, actor_label=f"import_calendar {Path(file).name}")
                self.stdout.write(f"{arrangement.year}: imported")
