"""Deleting applicants' personal data when its retention period is over (security.md PI-04;
PIPL art. 19, 47; seed E6; docs/decisions/0022).

- An application's file is kept ``APPLICATION_RETENTION_YEARS`` after the year's archive
  package was handed over (E6); then the applicant's name, document number, phone, e-mail and
  address, the free texts that may describe them, and the files (identity proof, scanned letter,
  served notices) are deleted. What the annual report counts stays: agency, number, year,
  channel, applicant type, requested form, outcome, dates, fees, the clock's events.
- An identity proof only serves to check who asks, and as evidence if the reply is disputed: it
  is deleted ``IDENTITY_PROOF_RETENTION_DAYS`` after the application was closed.

Both run daily (tasks.py) and by ``manage.py purge_personal_data``; a second run changes nothing.
Each deletion is audited, without the personal data. Retention periods are calendar periods
(years, days), not working-day deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from gongkai.applications.choices import OPEN_STATUSES
from gongkai.applications.models import Application, ApplicationArchive, Attachment
from gongkai.applications.notices import notice_path
from gongkai.core import uploads
from gongkai.core.audit import record_event
from gongkai.core.encrypted_fields import PURGED

PERSONAL_FIELDS = ("applicant_name", "id_number", "phone", "email", "address", "info_description", "outcome_reason")


@dataclass
class PurgeResult:
    applications: int = 0
    identity_proofs: int = 0


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _delete_files_on_commit(paths) -> None:
    paths = list(paths)
    transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in paths])


def purge_application(application: Application, *, today: date, handed_over_on: date) -> bool:
    """Delete one application's personal data and files; False when already done."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.personal_data_purged_on or application.status in OPEN_STATUSES:
            return False
        for name in PERSONAL_FIELDS:
            if getattr(application, name):
                setattr(application, name, PURGED)
        application.personal_data_purged_on = today
        application.save(update_fields=[*PERSONAL_FIELDS, "id_number_hash", "personal_data_purged_on"])
        paths = []
        attachments = list(application.attachments.select_for_update().filter(purged_on=None))
        for attachment in attachments:
            paths.append(uploads.stored_path("attachments", attachment.stored_name))
            attachment.original_name, attachment.purged_on = PURGED, today
            attachment.save(update_fields=["original_name", "purged_on"])
        notices = list(application.notices.select_for_update().filter(purged_on=None))
        for notice in notices:
            paths += [notice_path(notice.pdf_name), notice_path(notice.docx_name)]
            notice.text, notice.purged_on = PURGED, today
            notice.save(update_fields=["text", "purged_on"])
        # The ledger's notes and reasons are free text that may name people; kinds and dates stay.
        for event in application.clock_events.select_for_update():
            fields = []
            if event.note:
                event.note = PURGED
                fields.append("note")
            if event.data.get("reason"):
                event.data = {**event.data, "reason": PURGED}
                fields.append("data")
            if fields:
                event.save(update_fields=fields)
        record_event(
            "applications.application.personal_data_purged",
            obj=application,
            agency=application.agency,
            data={
                "handed_over_on": handed_over_on,
                "retention_years": settings.APPLICATION_RETENTION_YEARS,
                "attachments": len(attachments),
                "notices": len(notices),
            },
        )
        _delete_files_on_commit(paths)
    return True


def purge_identity_proof(attachment: Attachment, *, today: date) -> bool:
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().select_related("application__agency").get(pk=attachment.pk)
        if attachment.purged_on:
            return False
        path = uploads.stored_path("attachments", attachment.stored_name)
        attachment.original_name, attachment.purged_on = PURGED, today
        attachment.save(update_fields=["original_name", "purged_on"])
        record_event(
            "applications.attachment.purged",
            obj=attachment.application,
            agency=attachment.application.agency,
            data={
                "attachment": attachment.pk,
                "kind": attachment.kind,
                "retention_days": settings.IDENTITY_PROOF_RETENTION_DAYS,
            },
        )
        _delete_files_on_commit([path])
    return True


def applications_due(today: date):
    """(application, hand-over date) whose retention period after the archive hand-over is over:
    closed, in a package handed over at least APPLICATION_RETENTION_YEARS ago."""
    years = settings.APPLICATION_RETENTION_YEARS
    first_handover: dict[tuple[int, int], date] = {}
    for package in ApplicationArchive.objects.order_by("created_at"):
        first_handover.setdefault((package.agency_id, package.year), timezone.localtime(package.created_at).date())
    for (agency_id, year), handed_over_on in sorted(first_handover.items()):
        if _years_later(handed_over_on, years) >= today:  # kept for the whole period, gone the day after
            continue
        candidates = (
            Application.objects.filter(agency_id=agency_id, received_on__year=year, personal_data_purged_on=None)
            .exclude(status__in=OPEN_STATUSES)
            .filter(closed_on__lte=handed_over_on)  # in the package when it was built
            .order_by("pk")
        )
        for application in candidates.iterator(chunk_size=500):
            yield application, handed_over_on


def _checkpoint_sqlite() -> None:
    """secure_delete (settings) zeroes freed space in the database file; the WAL still holds the
    old pages until a checkpoint copies the new ones over and truncates it."""
    if connection.in_atomic_block:
        return  # a checkpoint cannot run inside a transaction; the next one will do
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0].lower() == "wal":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_personal_data(today: date | None = None) -> PurgeResult:
    today = today or timezone.localdate()
    result = PurgeResult()
    cutoff = today - timedelta(days=settings.IDENTITY_PROOF_RETENTION_DAYS)
    proofs = Attachment.objects.filter(
        kind=Attachment.Kind.IDENTITY_PROOF, purged_on=None, application__closed_on__lt=cutoff
    ).exclude(application__status__in=OPEN_STATUSES)
    for attachment in proofs.order_by("pk").iterator(chunk_size=500):
        result.identity_proofs += purge_identity_proof(attachment, today=today)
    for application, handed_over_on in list(applications_due(today)):
        result.applications += purge_application(application, today=today, handed_over_on=handed_over_on)
    if (result.applications or result.identity_proofs) and connection.vendor == "sqlite":
        _checkpoint_sqlite()
    return result
