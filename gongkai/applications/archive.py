"""The yearly archive of applications (seed E6: the previous year's files go to the archives by
31 January). A ZIP holds every served notice (PDF and DOCX) of the year's closed applications and
an index spreadsheet; personal identifiers are masked in the index, as everywhere."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.applications.choices import OPEN_STATUSES
from gongkai.applications.models import Application, ApplicationArchive
from gongkai.applications.notices import notice_path
from gongkai.applications.permissions import HANDLER_ROLES
from gongkai.core import uploads
from gongkai.core.access import user_roles
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.masking import mask_id_number, mask_phone
from gongkai.core.spreadsheets import safe_cell as _cell

ARCHIVE_DEADLINE = (1, 31)  # seed E6


def build_index(applications) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("Applications"))
    headers = [
        _("Application number"),
        _("Received on"),
        _("Channel"),
        _("Applicant type"),
        _("Applicant"),
        _("Document number"),
        _("Phone"),
        _("Information requested"),
        _("Outcome"),
        _("Closed on"),
        _("Notices"),
    ]
    bold = book.add_format({"bold": True})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
    for row, a in enumerate(applications, start=1):
        values = [
            a.number,
            a.received_on.isoformat(),
            a.get_channel_display(),
            a.get_applicant_type_display(),
            a.applicant_name,
            mask_id_number(a.id_number),
            mask_phone(a.phone),
            a.info_title,
            a.get_outcome_display(),
            a.closed_on.isoformat() if a.closed_on else "",
            "、".join(n.document_number for n in a.notices.all()),
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, _cell(value))
    sheet.set_column(0, len(headers) - 1, 18)
    book.close()
    return buffer.getvalue()


@audited_refusals("applications.archive.action_refused", obj="agency")
def build_archive(*, agency, year: int, actor) -> ApplicationArchive:
    """Assemble, store and record the archive package of ``year`` for ``agency``."""
    if actor.agency_id != agency.pk or not HANDLER_ROLES & user_roles(actor):
        raise PermissionDenied(_("Only the agency's disclosure officers build its archive."))
    applications = list(
        Application.objects.filter(agency=agency, received_on__year=year)
        .exclude(status__in=OPEN_STATUSES)
        .prefetch_related("notices")
        .order_by("number")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, translation.override(settings.LANGUAGE_CODE):
        archive.writestr(f"{year}-index.xlsx", build_index(applications))
        for application in applications:
            for notice in application.notices.all():
                for name, suffix in ((notice.pdf_name, "pdf"), (notice.docx_name, "docx")):
                    path = notice_path(name)
                    if path.exists():
                        archive.write(path, f"{application.number}/{notice.document_number}.{suffix}")
    data = buffer.getvalue()
    with uploads.atomic_with_files():  # the file appears only if the record commits (REL-01)
        file_name = uploads.stage_file(data, "archives", ".zip")
        package = ApplicationArchive.objects.create(
            agency=agency,
            year=year,
            file_name=file_name,
            sha256=hashlib.sha256(data).hexdigest(),
            application_count=len(applications),
            created_by=actor.full_name,
        )
        record_event(
            "applications.archive.created",
            actor=actor,
            obj=package,
            agency=agency,
            data={"year": year, "applications": len(applications), "sha256": package.sha256},
        )
    return package


def archive_path(package: ApplicationArchive) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "archives" / package.file_name


def remind_archive(today: date | None = None) -> int:
    """From 10 January, remind each agency's disclosure officers (once on the 10th and once on
    the 24th) until last year's package exists. Returns reminders sent."""
    from gongkai.accounts.choices import Role
    from gongkai.accounts.models import Agency, User
    from gongkai.core.reminders import send_once

    today = today or timezone.localdate()
    if today.month != 1 or today.day < 10:
        return 0
    checkpoint = "24" if today.day >= 24 else "10"
    year = today.year - 1
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for agency in Agency.objects.filter(is_active=True):
            if ApplicationArchive.objects.filter(agency=agency, year=year).exists():
                continue
            if not Application.objects.filter(agency=agency, received_on__year=year).exists():
                continue
            recipients = User.objects.filter(
                agency=agency, is_active=True, role_assignments__role=Role.DISCLOSURE_OFFICER
            ).values_list("email", flat=True)
            subject = _("Hand the %(year)d applications to the archives by 31 January") % {"year": year}
            body = _(
                "Seed rule E6: the previous year's application files go to the archives by 31 January. "
                "Build the %(year)d archive package under Applications → Yearly archive."
            ) % {"year": year}
            if send_once(
                f"archive:{agency.pk}:{year}:{checkpoint}", subject=subject, body=body, recipients=list(recipients)
            ):
                sent += 1
    return sent
