"""Named reads of applications."""

from __future__ import annotations

from datetime import date

from gongkai.accounts.models import Agency
from gongkai.applications.models import Application
from gongkai.core.calendar import due_date


def application_deadline_counts(agency: Agency, today: date) -> dict[str, int]:
    """Open, due within 3 working days (seed: reminders at ≤ 3 WD) and overdue, for one agency."""
    applications = Application.objects.filter(agency=agency)
    soon = due_date(today, 3).due
    return {
        "open": applications.open().count(),
        "soon": applications.due_between(today, soon).count(),
        "overdue": applications.overdue(today).count(),
    }
