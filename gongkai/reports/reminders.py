"""The annual report's reminder (条例 art. 49: published by 31 January): the disclosure officers
of each agency hear, from ``remind_days_before`` days ahead (20 by default, per agency in
``ReportSetting``), that last year's report is not yet published, and again once it is late. Once
per agency, threshold and date (REL-04); sent by the one daily sweep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, User
from gongkai.core.reminders import Due, ReminderKind
from gongkai.reports.choices import Status
from gongkai.reports.models import Report, ReportSetting, due_date

DEFAULT_DAYS_BEFORE = 20


def report_due(today: date, soon: date) -> Iterator[Due]:
    year = today.year - 1
    settings = {s.agency_id: s for s in ReportSetting.objects.all()}
    published = set(Report.objects.filter(year=year, status=Status.PUBLISHED).values_list("agency_id", flat=True))
    for agency in Agency.objects.exclude(pk__in=published).order_by("pk"):
        due = due_date(agency, year)
        setting = settings.get(agency.pk)
        ahead = setting.remind_days_before if setting else DEFAULT_DAYS_BEFORE
        # A calendar date fixed by art. 49, not a period counted in working days: the reminder
        # starts a number of calendar days before it.
        if today < due - timedelta(days=ahead):
            continue
        emails = sorted(
            e
            for e in User.objects.filter(
                agency=agency, is_active=True, role_assignments__role=Role.DISCLOSURE_OFFICER
            ).values_list("email", flat=True)
            if e
        )
        yield Due(f"report:{agency.pk}:{year}", "overdue" if today > due else "due_soon", due, emails, (agency, year))


def report_message(due: Due) -> tuple[str, str]:
    agency, year = due.obj
    values = {"year": year, "due": due.due_on.isoformat(), "agency": agency.name}
    if due.threshold == "overdue":
        subject = _("Late: the %(year)d annual report of %(agency)s was due on %(due)s") % values
    else:
        subject = _("The %(year)d annual report of %(agency)s is due by %(due)s") % values
    body = _("The annual report on government information disclosure must be published by 31 January (条例 art. 49).")
    return subject, "\n".join([subject, body])


REPORT_DUE = ReminderKind(
    code="reports.report_due",
    label=gettext_lazy("Publication date of the annual report"),
    thresholds=("overdue", "due_soon"),
    find=report_due,
    message=report_message,
)
KINDS = (REPORT_DUE,)
