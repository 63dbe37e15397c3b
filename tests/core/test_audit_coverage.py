"""What the audit trail records beyond successful changes (security.md AUD-01): actions a
service refused, for permission or state, written on their own after the business transaction
rolled back; and every download of a private file (notices, archives, staff catalog files, the
保密审查表, exports), with the actor or, for an applicant, the application only."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications.models import Application
from gongkai.core.models import AuditEvent
from tests.applications.factories import make_application, make_archive, make_notice, reply_through_services
from tests.catalog.factories import make_entry, make_entry_attachment

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Refused actions


@time_machine.travel("2026-10-20 10:00 +0800")
def test_recording_an_event_on_a_closed_application_is_refused_and_audited(client, world):
    application = make_application(world.township, received_on=date(2026, 9, 28))
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    # Replied through the services: a draft, the leader's signature, the letter, the reply served.
    reply_through_services(application, officer=officer, leader=leader, on=date(2026, 10, 9))
    assert Application.objects.get(pk=application.pk).status == "replied"
    client.force_login(officer)
    url = reverse("applications:staff-event", args=["maoshe", application.number, "note_added"])
    response = client.post(url, {"on": "2026-10-20", "note": "补充检索记录"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(event="applications.application.note_added").exists()
    refusal = AuditEvent.objects.get(event="applications.application.action_refused")
    assert refusal.result == "refused"
    assert refusal.actor_id == officer.pk
    assert refusal.actor_roles == "disclosure_officer"
    assert (refusal.object_type, refusal.object_id) == ("applications.application", str(application.pk))
    assert refusal.data["action"] == "record_clock_event"
    assert refusal.data["kind"] == "note_added"
    assert refusal.data["reason"] == "该申请已办结。"


def test_a_url_level_refusal_is_recorded_as_refused(client, world):
    client.force_login(world.person(world.township, Role.CLERK))
    assert client.get(reverse("core:audit-list")).status_code == 403
    assert AuditEvent.objects.get(event="core.access.denied").result == "refused"


# ---------------------------------------------------------------------------------------------
# Downloads


def _one(event: str) -> AuditEvent:
    rows = list(AuditEvent.objects.filter(event=event))
    assert len(rows) == 1, [r.event for r in AuditEvent.objects.all()]
    return rows[0]


def test_staff_notice_download_is_audited_with_the_actor(client, world):
    application = make_application(world.township)
    notice = make_notice(application)
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    url = reverse("applications:staff-notice-file", args=["maoshe", application.number, notice.pk, "pdf"])
    assert client.get(url).status_code == 200
    row = _one("applications.notice.downloaded")
    assert row.actor_id == officer.pk
    assert (row.object_type, row.object_id) == ("applications.application", str(application.pk))
    assert row.data["notice"] == notice.pk
    assert row.data["by"] == "staff"


def test_applicant_notice_download_records_the_application_never_the_query_code(client, world):
    from gongkai.applications.services import submit_application
    from tests.applications.factories import applicant_fields

    submission = submit_application(
        agency=world.township,
        fields=applicant_fields(),
        channel="online",
        received_on=date.today(),
        idempotency_key="download-audit-0001",
    )
    application, code = submission.application, submission.query_code
    notice = make_notice(application)
    response = client.post(
        reverse("applications:track-notice"),
        {"number": application.number, "query_code": code, "notice": notice.pk, "format": "pdf"},
    )
    assert response.status_code == 200
    row = _one("applications.notice.downloaded")
    assert row.actor_id is None
    assert (row.object_type, row.object_id) == ("applications.application", str(application.pk))
    assert row.data["by"] == "applicant"
    stored = " ".join(str(v) for v in AuditEvent.objects.filter(pk=row.pk).values().get().values())
    assert code not in stored


def test_archive_download_is_audited(client, world):
    package = make_archive(world.township)
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    assert client.get(reverse("applications:archive-file", args=["maoshe", package.pk])).status_code == 200
    row = _one("applications.archive.downloaded")
    assert row.actor_id == officer.pk
    assert (row.object_type, row.object_id) == ("applications.applicationarchive", str(package.pk))


def test_staff_catalog_file_download_is_audited_but_the_public_one_is_not(client, world):
    draft_entry = make_entry(world.township)
    attachment = make_entry_attachment(draft_entry)
    clerk = world.person(world.township, Role.CLERK)
    client.force_login(clerk)
    assert client.get(reverse("catalog:staff-attachment", args=["maoshe", attachment.pk])).status_code == 200
    row = _one("catalog.attachment.downloaded")
    assert row.actor_id == clerk.pk
    assert (row.object_type, row.object_id) == ("catalog.entry", str(draft_entry.pk))
    assert row.data["attachment"] == attachment.pk
    client.logout()
    public = make_entry_attachment(make_entry(world.township, status="published", title="已公开事项"))
    assert client.get(reverse("catalog:attachment", args=[public.pk])).status_code == 200
    assert AuditEvent.objects.filter(event="catalog.attachment.downloaded").count() == 1  # public information


def test_review_form_download_is_audited(client, world):
    entry = make_entry(world.township, escalated_to="区国家保密局")
    reviewer = world.person(world.township, Role.CONFIDENTIALITY_REVIEWER)
    client.force_login(reviewer)
    assert client.get(reverse("catalog:staff-review-form", args=["maoshe", entry.pk])).status_code == 200
    row = _one("catalog.review_form.downloaded")
    assert row.actor_id == reviewer.pk
    assert (row.object_type, row.object_id) == ("catalog.entry", str(entry.pk))


def test_export_is_audited_once_and_served_as_a_private_download(client, world):
    make_entry(world.township, status="published")
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    response = client.get(reverse("catalog:staff-export", args=["maoshe"]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    row = _one("catalog.catalog.exported")
    assert row.actor_id == officer.pk
    assert row.data["rows"] == 1
