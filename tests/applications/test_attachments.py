"""Files received with applications (security.md FILE-01, FILE-02, FILE-04): type checked by
content, size capped, stored under random names outside the web root, opened only by the
disclosure office with an audit record, refused when altered."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications import spam
from gongkai.applications.models import Application, Attachment
from gongkai.core.models import AuditEvent
from gongkai.core.uploads import read_verified, safe_name, stored_path
from tests.applications.factories import applicant_fields

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()


def post(client, upload, key="attach-key-01"):
    data = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    data.update({"started": signing.dumps(time.time() - 60, salt=spam.SALT), "idempotency_key": key, "confirm": "on"})
    if upload is not None:
        data["identity_proof"] = upload
    return client.post(reverse("applications:apply", args=["maoshe"]), data)


def test_an_identity_proof_is_stored_privately_and_marks_the_application(client, world, settings):
    response = post(client, SimpleUploadedFile("../../etc/身份证.pdf", PDF, content_type="application/pdf"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.has_identity_proof
    attachment = Attachment.objects.get()
    assert attachment.original_name == "身份证.pdf"
    path = stored_path("attachments", attachment.stored_name)
    # Encrypted on disk (PI-03); the recorded SHA-256 is the plaintext's.
    assert PDF not in path.read_bytes()
    assert read_verified("attachments", attachment.stored_name, attachment.sha256) == PDF
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert "身份证" not in attachment.stored_name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("proof.pdf", b"MZ\x90\x00 an exe renamed", "PDF、JPG、PNG"),
        ("proof.jpg", b"<html><script>alert(1)</script></html>", "PDF、JPG、PNG"),
        ("proof.svg", b"<svg onload=alert(1)></svg>", "PDF、JPG、PNG"),
        ("proof.png", PDF, "PDF、JPG、PNG"),  # content and name disagree
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "5 MB"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_kept(client, world, settings, name, content, message):
    response = post(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Application.objects.count() == 0
    folder = settings.PRIVATE_MEDIA_ROOT / "attachments"
    assert not folder.exists() or not any(folder.iterdir())


def test_only_the_disclosure_office_opens_it_each_time_audited_and_tampering_is_refused(client, world):
    post(client, SimpleUploadedFile("proof.png", PNG))
    application = Application.objects.get()
    attachment = Attachment.objects.get()
    url = reverse("applications:staff-attachment", args=["maoshe", application.number, attachment.pk])
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))
    assert client.get(url).status_code == 403
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert AuditEvent.objects.filter(event="applications.attachment.opened", result="success").count() == 1
    stored_path("attachments", attachment.stored_name).write_bytes(PNG + b"x")
    assert client.get(url).status_code == 409
    assert AuditEvent.objects.filter(event="applications.attachment.opened", result="failure").exists()


def test_safe_name_strips_paths_and_markup():
    assert safe_name('..\\\\..\\\\"><script>.pdf') == "script_.pdf"
    assert safe_name("../../etc/passwd.pdf") == "passwd.pdf"
