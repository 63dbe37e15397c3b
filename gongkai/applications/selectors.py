"""Named reads of applications."""

from __future__ import annotations

from datetime import date

from gongkai.accounts.models import Agency
from gongkai.applications.models import Application, ApplicationArchive, Attachment, Notice
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
