"""Retention and deletion (security.md PI-04; PIPL art. 19, 47; seed E6): the applicant's personal
data and files are kept for APPLICATION_RETENTION_YEARS after the year's archive hand-over, then
anonymised and deleted, audited, leaving what the annual report counts; identity proofs go a year
after the reply. A second run changes nothing."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications.clock import Kind
from gongkai.applications.models import Application, Attachment, ClockEvent, Notice
from gongkai.applications.notices import notice_path
from gongkai.core.encrypted_fields import PURGED
from gongkai.core.models import AuditEvent
from gongkai.core.uploads import stored_path
from tests.applications.factories import (
    CANARY_ID,
    CANARY_PHONE,
    make_application,
    make_archive,
    make_attachment,
    make_notice,
)

pytestmark = pytest.mark.django_db

DESCRIPTION = f"请公开我（身份证 {CANARY_ID}）名下宅基地的审批材料。"


def annual_report_counts():
    """What the annual report (条例 arts. 49–50) counts from the applications."""
    rows = (
        Application.objects.values("agency_id", "received_on__year", "applicant_type", "channel", "outcome")
        .annotate(n=Count("id"))
        .order_by("agency_id", "received_on__year", "applicant_type", "channel", "outcome")
    )
    fees = ClockEvent.objects.filter(kind=Kind.FEE_NOTICE_SERVED).aggregate(n=Count("id"))
    notices = Notice.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    return list(rows), fees, list(notices), Attachment.objects.aggregate(n=Count("id"), size=Sum("size"))


def run_purge() -> str:
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def closed(world):
    """A 2025 application with the canary, its files and a served notice, closed on 20 March
    2025 and handed to the archives in the 2025 package on 20 January 2026 (E6)."""
    with time_machine.travel("2025-03-03 10:00 +0800"):
        application = make_application(world.township, received_on=date(2025, 3, 3), info_description=DESCRIPTION)
        proof = make_attachment(application)
        letter = make_attachment(application, kind=Attachment.Kind.SCANNED_LETTER)
        notice = make_notice(application)
        ClockEvent.objects.create(application=application, kind=Kind.NOTE_ADDED, on=date(2025, 3, 4), note=CANARY_PHONE)
    Application.objects.filter(pk=application.pk).update(
        status="replied", outcome="disclosed", closed_on=date(2025, 3, 20)
    )
    with time_machine.travel("2026-01-20 10:00 +0800"):
        make_archive(world.township, 2025)
    return application, proof, letter, notice


def test_sqlite_zeroes_freed_pages():
    if connection.vendor != "sqlite":
        pytest.skip("an SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_identity_proofs_go_a_year_after_the_reply_the_rest_stays(closed, django_capture_on_commit_callbacks):
    application, proof, letter, _notice = closed
    with time_machine.travel("2026-03-20 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications, 0 identity proofs" in run_purge()
    assert stored_path("attachments", proof.stored_name).exists()
    with time_machine.travel("2026-03-21 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications, 1 identity proofs" in run_purge()
    proof.refresh_from_db()
    assert proof.purged_on == date(2026, 3, 21)
    assert not os.path.exists(stored_path("attachments", proof.stored_name))
    assert os.path.exists(stored_path("attachments", letter.stored_name))
    assert Application.objects.get(pk=application.pk).id_number == CANARY_ID
    event = AuditEvent.objects.get(event="applications.attachment.purged")
    assert event.data == {"attachment": proof.pk, "kind": "identity_proof", "retention_days": 365}
    with time_machine.travel("2026-03-22 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications, 0 identity proofs" in run_purge()


def test_after_the_retention_period_personal_data_and_files_are_deleted_and_the_counts_stay(
    client, world, closed, django_capture_on_commit_callbacks
):
    application, proof, letter, notice = closed
    paths = [
        stored_path("attachments", proof.stored_name),
        stored_path("attachments", letter.stored_name),
        notice_path(notice.pdf_name),
    ]
    counts = annual_report_counts()
    if connection.vendor == "sqlite":
        assert CANARY_ID.encode() in connection.connection.serialize()  # the free text held it

    # Ten years after the hand-over of 20 January 2026: nothing before, everything after.
    with time_machine.travel("2036-01-20 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications, 1 identity proofs" in run_purge()  # the proof's own period is long over
    assert Application.objects.get(pk=application.pk).personal_data_purged_on is None
    assert all(os.path.exists(p) for p in paths[1:])
    with time_machine.travel("2036-01-21 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "1 applications, 0 identity proofs" in run_purge()

    purged = Application.objects.get(pk=application.pk)
    for name in ("applicant_name", "id_number", "phone", "email", "address", "info_description"):
        assert getattr(purged, name) == PURGED, name
    assert purged.id_number_hash == ""
    assert purged.personal_data_purged_on == date(2036, 1, 21)
    assert (purged.number, purged.outcome, purged.closed_on, purged.applicant_type) == (
        application.number,
        "disclosed",
        date(2025, 3, 20),
        "natural_person",
    )
    assert not any(os.path.exists(p) for p in paths)
    assert Notice.objects.get(pk=notice.pk).text == PURGED
    assert ClockEvent.objects.get(application=application, kind=Kind.NOTE_ADDED).note == PURGED
    assert annual_report_counts() == counts

    event = AuditEvent.objects.get(event="applications.application.personal_data_purged")
    assert event.object_id == str(application.pk)
    assert event.data["attachments"] == 1  # the scanned letter; the proof had gone already
    assert event.data["notices"] == 1
    assert CANARY_ID not in str(event.data)

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, info_description FROM applications_application")
        assert cursor.fetchall() == [(PURGED, PURGED, PURGED)]  # stored as plain markers, no key needed
    if connection.vendor == "sqlite":
        data = connection.connection.serialize()
        assert application.number.encode() in data
        for canary in (CANARY_ID.encode(), CANARY_PHONE.encode()):
            assert data.count(canary) == 0

    # The staff still see the case, with the marker; the deleted file is refused in Chinese.
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    detail = client.get(reverse("applications:staff-detail", args=["maoshe", application.number]))
    assert detail.status_code == 200
    assert PURGED in detail.content.decode()
    download = client.get(reverse("applications:staff-attachment", args=["maoshe", application.number, letter.pk]))
    assert "保存期限" in download.content.decode()

    with time_machine.travel("2036-01-22 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications, 0 identity proofs" in run_purge()
    assert AuditEvent.objects.filter(event="applications.application.personal_data_purged").count() == 1


def test_without_a_hand_over_nothing_is_purged(world, django_capture_on_commit_callbacks):
    with time_machine.travel("2025-03-03 10:00 +0800"):
        application = make_application(world.township, received_on=date(2025, 3, 3))
    Application.objects.filter(pk=application.pk).update(
        status="replied", outcome="disclosed", closed_on=date(2025, 3, 20)
    )
    with time_machine.travel("2040-01-01 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications" in run_purge()
    assert Application.objects.get(pk=application.pk).id_number == CANARY_ID


def test_open_applications_are_never_purged(world, django_capture_on_commit_callbacks):
    with time_machine.travel("2025-03-03 10:00 +0800"):
        application = make_application(world.township, received_on=date(2025, 3, 3))
        make_attachment(application)
    with time_machine.travel("2026-01-20 10:00 +0800"):
        make_archive(world.township, 2025)
    with time_machine.travel("2040-01-01 03:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert "0 applications, 0 identity proofs" in run_purge()
    assert Application.objects.get(pk=application.pk).id_number == CANARY_ID
