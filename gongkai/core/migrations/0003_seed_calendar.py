"""Seed the holiday arrangements the project ships (gongkai/core/data/cn_calendar.json).

Only years not yet loaded are added, so an administrator's edits are never overwritten. The
audit record of a seeded year is written when the app first changes it; seeding itself is part
of the schema history.
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "cn_calendar.json"


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        if CalendarYear.objects.filter(year=entry["year"]).exists():
            continue
        year = CalendarYear.objects.create(
            year=entry["year"],
            source=entry["source"],
            published_on=date.fromisoformat(entry["published_on"]),
            updated_by="seed",
        )
        days = []
        for name, first, last in entry["holidays"]:
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                days.append(CalendarDay(calendar_year=year, date=day, kind="holiday", name=name))
                day += timedelta(days=1)
        days += [
            CalendarDay(calendar_year=year, date=date.fromisoformat(d), kind="makeup_workday")
            for d in entry["makeup_workdays"]
        ]
        CalendarDay.objects.bulk_create(days)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
