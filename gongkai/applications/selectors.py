"""Named reads of applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from gongkai.accounts.models import Agency
from gongkai.applications.choices import REPORT_ROW
from gongkai.applications.models import Application, ApplicationArchive, Attachment, ClockEvent, Notice
from gongkai.core.reminders import due_soon_until


def application_deadline_counts(agency: Agency, today: date) -> dict[str, int]:
    """Open, due soon (settings.DUE_SOON_WORKING_DAYS) and overdue, for one agency."""
    applications = Application.objects.filter(agency=agency)
    soon = due_soon_until(today)
    return {
        "open": applications.open().count(),
        "soon": applications.due_between(today, soon).count(),
        "overdue": applications.overdue(today).count(),
    }


def applications_visible_to(user, queryset=None):
    """Office staff (drafting clerks, office heads) see the applications assigned to their office;
    the disclosure office, leaders and the confidentiality reviewer see the agency's."""
    from gongkai.accounts.choices import Role
    from gongkai.core.access import user_roles

    queryset = Application.objects.all() if queryset is None else queryset
    queryset = queryset.filter(agency_id=user.agency_id)
    wide = {Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER, Role.CONFIDENTIALITY_REVIEWER}
    if wide & user_roles(user):
        return queryset
    offices = user.role_assignments.exclude(office=None).values_list("office_id", flat=True)
    return queryset.filter(assigned_office_id__in=list(offices))


def stored_files():
    """(folder, stored name, SHA-256) of every private file the applications' rows refer to: identity
    proofs and scanned letters, frozen notices, archive packages (checked after a restore, FILE-04)."""

    for name, sha256 in Attachment.objects.values_list("stored_name", "sha256").iterator():
        yield "attachments", name, sha256
    for pdf, pdf_sha, docx, docx_sha in Notice.objects.values_list(
        "pdf_name", "pdf_sha256", "docx_name", "docx_sha256"
    ).iterator():
        yield "notices", pdf, pdf_sha
        yield "notices", docx, docx_sha
    for name, sha256 in ApplicationArchive.objects.values_list("file_name", "sha256").iterator():
        yield "archives", name, sha256


@dataclass(frozen=True)
class YearCounts:
    """What the annual report's table 三 counts for one agency and year, by applicant type
    (regulations.md §2.2): received in the year, carried over from the year before, closed in
    the year (in all, and by report row), and still open at 24:00 on 31 December.

    Counted from the dates on the records: an application belongs to the year it was received
    (for an online one, the day its receipt was confirmed, art. 31(三)) and is closed in the year
    of its closing date, so an application received in one year and answered in the next is
    carried forward in the first and carried over in the second. ``closed`` counts every closed
    application whatever its outcome, so that the report's rules can catch one without a row."""

    new: dict[str, int]
    carried_over: dict[str, int]
    closed: dict[str, int]
    results: dict[str, dict[str, int]]
    carried_forward: dict[str, int]


def _by_type(queryset) -> dict[str, int]:
    return {row["applicant_type"]: row["n"] for row in queryset.values("applicant_type").annotate(n=Count("id"))}


def annual_report_counts(agency: Agency, year: int) -> YearCounts:
    """Four grouped queries over the agency's received applications."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    received = Application.objects.filter(agency=agency, received_on__isnull=False)
    still_open = Q(closed_on__isnull=True)
    closed: dict[str, int] = {}
    results: dict[str, dict[str, int]] = {}
    in_year = received.filter(received_on__lte=end, closed_on__gte=start, closed_on__lte=end)
    for row in in_year.values("outcome", "applicant_type").annotate(n=Count("id")):
        kind, n = row["applicant_type"], row["n"]
        closed[kind] = closed.get(kind, 0) + n
        key = REPORT_ROW.get(row["outcome"])
        if key is not None:
            cells = results.setdefault(key, {})
            cells[kind] = cells.get(kind, 0) + n
    return YearCounts(
        new=_by_type(received.filter(received_on__gte=start, received_on__lte=end)),
        carried_over=_by_type(received.filter(received_on__lt=start).filter(still_open | Q(closed_on__gte=start))),
        closed=closed,
        results=results,
        carried_forward=_by_type(received.filter(received_on__lte=end).filter(still_open | Q(closed_on__gt=end))),
    )


def fees_collected(agency: Agency, year: int) -> Decimal:
    """The information-processing fees (信息处理费, 国办函〔2020〕109号) paid in ``year``: for each
    payment recorded in the year, the amount of the fee notice it answered, in yuan."""
    from gongkai.applications.clock import Kind

    total = Decimal(0)
    paid = ClockEvent.objects.filter(application__agency=agency, kind=Kind.FEE_PAID, on__year=year)
    for event in paid.order_by("pk"):
        notice = (
            ClockEvent.objects.filter(
                application_id=event.application_id, kind=Kind.FEE_NOTICE_SERVED, on__lte=event.on
            )
            .order_by("-on", "-pk")
            .first()
        )
        if notice is not None:
            total += Decimal(str(notice.data.get("amount") or 0))
    return total


def application_by_number(agency: Agency, number: str) -> Application | None:
    """One application of the agency by its number (a dispute names the one it concerns)."""
    return Application.objects.filter(agency=agency, number=(number or "").strip()).first()


def closed_applications_of(agency: Agency, limit: int = 200) -> list[Application]:
    """The agency's answered applications, newest first: what a dispute can concern."""
    closed = Application.objects.filter(agency=agency, closed_on__isnull=False)
    return list(closed.order_by("-closed_on", "-pk")[:limit])
