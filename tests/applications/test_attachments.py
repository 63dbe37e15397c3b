"""Files received with applications (security.md FILE-01, FILE-02, FILE-03, FILE-04, REL-01): type
checked by content and structure, active content and polyglots refused with 400, scanned for
malware (503 when the scanner is down), stored under random names outside the web root only
once the application commits, opened only by the disclosure office with an audit record,
refused when altered."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications import spam
from gongkai.applications.models import Application, Attachment
from gongkai.core.models import AuditEvent
from gongkai.core.uploads import read_verified, safe_name, stored_path
from tests.applications.factories import applicant_fields
from tests.core import upload_corpus as corpus

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = corpus.png()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"  # where Django spools large uploads
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.MALWARE_SCANNER = "tests.core.upload_corpus.FakeScanner"
    corpus.FakeScanner.verdict = "clean"
    cache.clear()
    yield
    corpus.FakeScanner.verdict = "clean"


def nothing_kept(settings) -> bool:
    """No row, and no file in storage, in the staging directory or in Django's temp dir."""
    leftovers = [p for root in (settings.PRIVATE_MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR) for p in root.rglob("*")]
    return Application.objects.count() == 0 and not [p for p in leftovers if p.is_file()]


def post(client, upload, key="attach-key-01"):
    data = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    data.update({"started": signing.dumps(time.time() - 60, salt=spam.SALT), "idempotency_key": key, "confirm": "on"})
    if upload is not None:
        data["identity_proof"] = upload
    with TestCase.captureOnCommitCallbacks(execute=True):  # files are moved into place on commit
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
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_kept(settings)


JS_ACTION = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("proof.pdf", lambda: corpus.pdf() + corpus.SCRIPT, "网页或脚本代码"),
        ("proof.png", lambda: corpus.png() + corpus.SCRIPT, "网页或脚本代码"),
        ("proof.jpg", lambda: corpus.jpeg_with_segment(0xFE, corpus.PHP, padding=9000), "网页或脚本代码"),
        ("proof.jpg", lambda: corpus.jpeg(64) + corpus.PHP, "网页或脚本代码"),
        ("proof.pdf", lambda: corpus.pdf(JS_ACTION), "打开时会运行的脚本"),
        ("proof.jpg", lambda: corpus.jpeg(200)[:-300], "图片已损坏"),
        ("proof.png", lambda: corpus.png() + b"\0" * 64 + b"MZ", "附带了其他数据"),
    ],
)
def test_polyglots_and_active_content_are_refused_with_400_and_nothing_is_kept(
    client, world, settings, name, build, message
):
    response = post(client, SimpleUploadedFile(name, build()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_kept(settings)


def test_an_infected_file_is_refused_with_400_and_audited(client, world, settings):
    response = post(client, SimpleUploadedFile("proof.pdf", corpus.pdf() + corpus.EICAR))
    assert response.status_code == 400
    assert "病毒检查发现该文件含有恶意代码" in response.content.decode()
    assert nothing_kept(settings)
    event = AuditEvent.objects.get(event="core.upload.malware_detected")
    assert event.data["signature"] == "Eicar-Test-Signature"


def test_while_the_scanner_is_down_an_upload_is_refused_with_503_never_stored(client, world, settings):
    corpus.FakeScanner.verdict = "down"
    response = post(client, SimpleUploadedFile("proof.pdf", corpus.pdf()))
    assert response.status_code == 503
    assert "暂时无法检查文件，请稍后再试。" in response.content.decode()
    assert nothing_kept(settings)


def test_a_large_proof_spooled_to_disk_leaves_no_temp_file(client, world, settings):
    big = corpus.pdf() + b"%" + b"0" * (3 * 1024 * 1024) + b"\n" + corpus.SCRIPT  # > 2.5 MB: spooled to disk
    response = post(client, SimpleUploadedFile("proof.pdf", big))
    assert response.status_code == 400
    assert nothing_kept(settings)


def test_a_staff_registered_letter_with_a_macro_scan_is_refused(client, world, settings):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    data = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    data.update({"channel": "ordinary_letter", "received_on": "2026-03-02"})
    data["scanned_letter"] = SimpleUploadedFile(
        "letter.pdf", corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>")
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("applications:staff-create", args=["maoshe"]), data)
    assert response.status_code == 400
    assert "打开时会运行的脚本" in response.content.decode()
    assert nothing_kept(settings)


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
