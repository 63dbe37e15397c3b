"""The yearly archive (seed E6): a ZIP of the year's closed applications' notices with a masked
index spreadsheet, recorded with its hash; reminders in January until it exists."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications.archive import build_archive, remind_archive
from gongkai.applications.models import Application, ApplicationArchive
from gongkai.core.models import AuditEvent
from tests.applications.factories import CANARY_ID, CANARY_PHONE, make_application, make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_the_archive_holds_closed_applications_notices_and_a_masked_index(
    client, world, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-03-02 10:00 +0800"):
        closed = make_application(world.township, received_on=date(2026, 3, 2), applicant_name="=HYPERLINK(1)")
        still_open = make_application(world.township, received_on=date(2026, 3, 2))
    Application.objects.filter(pk=closed.pk).update(status="replied", outcome="disclosed", closed_on=date(2026, 3, 20))
    make_notice(closed)
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):  # the file is moved into place on commit
        response = client.post(reverse("applications:archive", args=["maoshe"]), {"year": "2026"})
    assert response.status_code == 302
    package = ApplicationArchive.objects.get()
    assert package.application_count == 1
    data = client.get(reverse("applications:archive-file", args=["maoshe", package.pk])).content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert f"{closed.number}/{closed.number}-01.pdf" in names
        assert not any(still_open.number in n for n in names)
        index = archive.read("2026-index.xlsx")
    with zipfile.ZipFile(io.BytesIO(index)) as xlsx:
        strings = xlsx.read("xl/sharedStrings.xml").decode()
    assert closed.number in strings
    assert CANARY_ID not in strings
    assert CANARY_PHONE not in strings
    assert "1101**********4573" in strings
    assert "'=HYPERLINK(1)" in strings  # a formula is stored as text


def test_other_roles_and_agencies_cannot_build_it(client, world):
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))
    assert client.post(reverse("applications:archive", args=["maoshe"]), {"year": "2026"}).status_code == 403
    client.force_login(world.person(world.department, Role.DISCLOSURE_OFFICER))
    assert client.post(reverse("applications:archive", args=["maoshe"]), {"year": "2026"}).status_code == 404
    assert ApplicationArchive.objects.count() == 0


def test_january_reminders_stop_once_the_package_exists(world, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-06-01 10:00 +0800"):
        make_application(world.township, received_on=date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_archive(date(2027, 1, 9)) == 0
        assert remind_archive(date(2027, 1, 10)) == 1
        assert remind_archive(date(2027, 1, 11)) == 0
    assert mail.outbox[0].to == ["maoshe.disclosure@example.gov.cn"]
    assert "2026" in mail.outbox[0].subject
    ApplicationArchive.objects.create(agency=world.township, year=2026, file_name="x.zip", sha256="0" * 64)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_archive(date(2027, 1, 24)) == 0


def test_building_the_archive_is_audited(client, world, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-03-02 10:00 +0800"):
        closed = make_application(world.township, received_on=date(2026, 3, 2))
    Application.objects.filter(pk=closed.pk).update(status="replied", outcome="disclosed", closed_on=date(2026, 3, 20))
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:archive", args=["maoshe"]), {"year": "2026"})
    package = ApplicationArchive.objects.get()
    event = AuditEvent.objects.get(event="applications.archive.created")
    assert (event.result, event.actor_username, event.agency_id) == ("success", officer.username, world.township.pk)
    assert (event.object_type, event.object_id) == ("applications.applicationarchive", str(package.pk))
    assert event.data == {"year": 2026, "applications": 1, "sha256": package.sha256}
    assert len(package.sha256) == 64


@pytest.mark.parametrize("who", ["leader", "another agency's officer"])
def test_a_refused_archive_is_audited_and_builds_nothing(world, who):
    actor = {
        "leader": world.person(world.township, Role.LEADER_IN_CHARGE),
        "another agency's officer": world.person(world.department, Role.DISCLOSURE_OFFICER),
    }[who]
    with pytest.raises(PermissionDenied):
        build_archive(agency=world.township, year=2026, actor=actor)
    assert ApplicationArchive.objects.count() == 0
    assert not AuditEvent.objects.filter(event="applications.archive.created").exists()
    refusal = AuditEvent.objects.get(event="applications.archive.action_refused")
    assert (refusal.result, refusal.actor_username) == ("refused", actor.username)
    assert (refusal.object_type, refusal.object_id) == ("accounts.agency", str(world.township.pk))
    assert refusal.data["action"] == "build_archive"
    assert refusal.data["reason"] == "只有本机关的政务公开专员才能生成归档包。"
