"""Upload checks, scanning and staged storage (security.md FILE-01, FILE-03, REL-01, REL-06).

Every file is built here; nothing binary is committed. Each refused file used to be accepted
(only its first bytes were checked); each staged-write case used to leave a file behind."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from gongkai.core import checks, scanning, uploads
from gongkai.core.models import AuditEvent
from tests.core import upload_corpus as corpus

pytestmark = pytest.mark.django_db
JS_ACTION = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"

REFUSED = {
    # PDF: active content (FILE-01)
    "pdf-openaction-javascript": ("pdf", lambda: corpus.pdf(JS_ACTION), "脚本"),
    "pdf-javascript-hex-escaped": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>"),
        "脚本",
    ),
    "pdf-javascript-in-object-stream": (
        "pdf",
        lambda: corpus.pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
        "脚本",
    ),
    "pdf-aa-javascript": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /AA << /O << /S /JavaScript /JS (x) >> >> >>"),
        "脚本",
    ),
    "pdf-launch": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>"),
        "脚本",
    ),
    "pdf-embedded-file": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>", b"<< >>"),
        "嵌入",
    ),
    "pdf-richmedia": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Subtype /RichMedia >>"),
        "脚本",
    ),
    "pdf-xfa": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /XFA 4 0 R >> >>", b"[]"),
        "表单",
    ),
    "pdf-encrypted": ("pdf", lambda: corpus.pdf(trailer=b"/Encrypt 4 0 R "), "加密"),
    # Polyglots
    "pdf-html-polyglot": ("pdf", lambda: corpus.pdf() + corpus.SCRIPT, "网页"),
    "png-html-polyglot": ("png", lambda: corpus.png() + corpus.SCRIPT, "网页"),
    "png-php-in-text-chunk": ("png", lambda: corpus.png(text=corpus.PHP), "网页"),
    "png-trailing-payload": ("png", lambda: corpus.png() + b"\0" * 64 + b"MZ payload", "其他数据"),
    "png-truncated": ("png", lambda: corpus.png(64)[:-40], "损坏"),
    "jpeg-php-polyglot-trailing": ("jpg", lambda: corpus.jpeg(64) + corpus.PHP, "网页"),
    "jpeg-php-in-comment-beyond-first-kb": (
        "jpg",
        lambda: corpus.jpeg_with_segment(0xFE, corpus.PHP, padding=9000),
        "网页",
    ),
    "jpeg-trailing-zip": ("jpg", lambda: corpus.jpeg(64) + b"\0" * 8000 + corpus.office(), "其他数据"),
    "jpeg-truncated": ("jpg", lambda: corpus.jpeg(200)[:-300], "损坏"),
    # Office files: macros, ActiveX, embedded programs, remote objects
    "docx-vba-project": ("docx", lambda: corpus.rezip(corpus.office(), add={"word/vbaProject.bin": b"\xd0\xcf"}), "宏"),
    "docx-macro-content-type": ("docx", lambda: corpus.macro_content_types(corpus.office()), "宏"),
    "xlsx-macro-content-type": ("xlsx", lambda: corpus.macro_content_types(corpus.office("xlsx"), "xlsx"), "宏"),
    "xlsx-vba-project": ("xlsx", lambda: corpus.rezip(corpus.office("xlsx"), add={"xl/vbaProject.bin": b"x"}), "宏"),
    "docx-activex": ("docx", lambda: corpus.rezip(corpus.office(), add={"word/activeX/activeX1.bin": b"x"}), "宏"),
    "docx-ole-object": (
        "docx",
        lambda: corpus.rezip(corpus.office(), add={"word/embeddings/oleObject1.bin": b"\xd0\xcf"}),
        "嵌入",
    ),
    "docx-embedded-exe": ("docx", lambda: corpus.rezip(corpus.office(), add={"word/media/setup.exe": b"MZ"}), "嵌入"),
    "docx-external-ole-object": ("docx", lambda: corpus.external_relationship(corpus.office(), "oleObject"), "嵌入"),
    "docx-remote-template": ("docx", lambda: corpus.external_relationship(corpus.office(), "attachedTemplate"), "嵌入"),
    "docx-embedded-workbook-with-macros": (
        "docx",
        lambda: corpus.rezip(
            corpus.office(),
            add={
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx": corpus.rezip(
                    corpus.office("xlsx"), add={"xl/vbaProject.bin": b"x"}
                )
            },
        ),
        "宏",
    ),
}

ACCEPTED = {
    "pdf": ("pdf", lambda: corpus.pdf()),
    "pdf-opening-at-page-one": (
        "pdf",
        lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"),
    ),
    # A scanned page's image bytes may happen to spell /JS: they are data, not objects.
    "pdf-image-stream-with-name-like-bytes": (
        "pdf",
        lambda: corpus.pdf_with_image_stream(b"/JS /JavaScript /Launch " + os.urandom(20000)),
    ),
    "png": ("png", lambda: corpus.png(200)),
    "jpeg": ("jpg", lambda: corpus.jpeg(300)),
    "jpeg-with-multi-picture-preview": ("jpg", lambda: corpus.jpeg(300) + corpus.jpeg(32)),
    "docx": ("docx", lambda: corpus.office()),
    "docx-external-hyperlink": ("docx", lambda: corpus.external_relationship(corpus.office(), "hyperlink")),
    "docx-embedded-workbook": (
        "docx",
        lambda: corpus.rezip(
            corpus.office(), add={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": corpus.office("xlsx")}
        ),
    ),
    "xlsx": ("xlsx", lambda: corpus.office("xlsx")),
    "xlsx-printer-settings": (
        "xlsx",
        lambda: corpus.rezip(corpus.office("xlsx"), add={"xl/printerSettings/printerSettings1.bin": b"\0" * 64}),
    ),
}
SUFFIX = {"jpg": "jpg", "png": "png", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
ALL_KINDS = ("pdf", "jpg", "png", "docx", "xlsx")


def upload(kind: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"file.{SUFFIX[kind]}", data)


@pytest.fixture
def fake_scanner(settings):
    settings.MALWARE_SCANNER = "tests.core.upload_corpus.FakeScanner"
    corpus.FakeScanner.verdict = "clean"
    corpus.FakeScanner.scanned = []
    yield corpus.FakeScanner
    corpus.FakeScanner.verdict = "clean"


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_active_content_and_polyglots_are_refused_with_a_chinese_message(case, fake_scanner):
    kind, build, words = REFUSED[case]
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(kind, build()), allowed=ALL_KINDS, max_bytes=20 * 1024 * 1024)
    assert error.value.code == uploads.REFUSED
    assert words in error.value.messages[0]
    assert fake_scanner.scanned == []  # refused before it reached the scanner


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_plain_files_of_each_kind_are_accepted_and_scanned(case, fake_scanner):
    kind, build = ACCEPTED[case]
    data = build()
    checked = uploads.check_upload(upload(kind, data), allowed=ALL_KINDS, max_bytes=20 * 1024 * 1024)
    assert checked.kind == kind
    assert fake_scanner.scanned == [data]


def test_the_project_s_own_notices_and_exports_pass_the_checks():
    from datetime import date

    from gongkai.core.letters import Letter, render_docx, render_pdf

    letter = Letter(
        issuer="茅畲乡人民政府",
        document_number="1",
        title="告知书",
        addressee="测试",
        paragraphs=("正文",),
        signed_on=date(2026, 1, 5),
    )
    uploads.check_content(render_pdf(letter), "pdf")
    uploads.check_content(render_docx(letter), "docx")


def test_an_infected_file_is_refused_and_audited_without_personal_data(fake_scanner):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(
            SimpleUploadedFile("张三身份证.pdf", corpus.pdf() + corpus.EICAR), allowed=ALL_KINDS, max_bytes=10**7
        )
    assert error.value.code == uploads.REFUSED
    assert "病毒" in error.value.messages[0]
    event = AuditEvent.objects.get(event="core.upload.malware_detected")
    assert event.result == "failure"
    assert event.data["signature"] == "Eicar-Test-Signature"
    assert "张三" not in str(event.data)


def test_no_verdict_from_the_scanner_refuses_the_file(fake_scanner):
    fake_scanner.verdict = "down"
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("pdf", corpus.pdf()), allowed=ALL_KINDS, max_bytes=10**7)
    assert error.value.code == uploads.SCANNER_DOWN
    assert error.value.messages == ["暂时无法检查文件，请稍后再试。"]


def test_a_scanner_that_breaks_counts_as_no_verdict(settings):
    settings.MALWARE_SCANNER = "clamd"
    settings.CLAMD_ADDRESS = "/nonexistent/clamd.sock"
    with pytest.raises(scanning.ScannerUnavailable):
        scanning.scan(b"data")
    settings.CLAMD_ADDRESS = "127.0.0.1:1"  # nothing listens on port 1
    with pytest.raises(scanning.ScannerUnavailable):
        scanning.scan(b"data")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (b"stream: OK\0", scanning.ScanResult(clean=True)),
        (b"stream: Eicar-Test-Signature FOUND\0", scanning.ScanResult.infected("Eicar-Test-Signature")),
    ],
)
def test_clamd_replies_are_read(reply, expected):
    assert scanning.parse_reply(reply) == expected


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR\0", b"", b"stream: something odd\0"])
def test_any_other_clamd_reply_is_no_verdict(reply):
    with pytest.raises(scanning.ScannerUnavailable):
        scanning.parse_reply(reply)


def test_the_deploy_check_warns_when_production_does_not_scan(settings):
    settings.DEBUG = False
    settings.MALWARE_SCANNER = "none"
    assert [m.id for m in checks.malware_scanner_check(None)] == ["gongkai.W010"]
    settings.MALWARE_SCANNER = "clamd"
    assert checks.malware_scanner_check(None) == []
    settings.DEBUG = True
    settings.MALWARE_SCANNER = "none"
    assert checks.malware_scanner_check(None) == []


# ---------------------------------------------------------------------------------------------
# Staged writes (REL-01, REL-06)


def files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_staged_file_appears_only_when_the_transaction_commits(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    with TestCase.captureOnCommitCallbacks(execute=True), uploads.atomic_with_files():
        name = uploads.stage_file(b"proof", "attachments", ".png")
        assert not uploads.stored_path("attachments", name).exists()
        assert files_under(root) == [f".staging/{name}.part"]
    assert uploads.stored_path("attachments", name).read_bytes() == b"proof"
    assert files_under(root) == [f"attachments/{name}"]


def test_a_failing_transaction_after_the_upload_leaves_no_file(settings):
    root = settings.PRIVATE_MEDIA_ROOT

    @uploads.atomic_with_files()
    def upload_then_fail():
        uploads.stage_file(b"proof", "attachments", ".png")
        raise RuntimeError("fails after the upload")

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        upload_then_fail()
    assert files_under(root) == []


def test_an_enclosing_block_that_fails_later_removes_the_inner_block_s_files(settings):

    @uploads.atomic_with_files()
    def inner():
        uploads.stage_file(b"proof", "attachments", ".png")

    @uploads.atomic_with_files()
    def outer():
        inner()
        raise RuntimeError("the outer block fails")

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        outer()
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_a_failing_application_submission_leaves_no_row_and_no_file(world, settings, monkeypatch):
    """Fault injection inside the service (REL-01): the audit insert fails after the rows and
    the staged file were written."""
    from datetime import date

    from gongkai.applications import services
    from gongkai.applications.models import Application, Attachment
    from tests.applications.factories import applicant_fields

    def broken(*args, **kwargs):
        raise RuntimeError("audit insert fails")

    monkeypatch.setattr(services, "record_event", broken)
    checked = uploads.CheckedFile(data=corpus.png(), kind="png", original_name="p.png", sha256="0" * 64)
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        services.submit_application(
            agency=world.township,
            fields=applicant_fields(),
            channel="online",
            received_on=date.today(),
            files=(("identity_proof", checked),),
        )
    assert Application.objects.count() == Attachment.objects.count() == 0
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_a_crash_between_write_and_commit_leaves_only_a_part_that_the_clean_up_removes(settings):
    with transaction.atomic():
        name = uploads.stage_file(b"proof", "attachments", ".png")
        transaction.set_rollback(True)  # the process dies: no commit, no exception handler ran
    root = settings.PRIVATE_MEDIA_ROOT
    assert files_under(root) == [f".staging/{name}.part"]
    out = io.StringIO()
    call_command("clean_staged_files", stdout=out)  # the hourly run spares a recent part
    assert files_under(root) == [f".staging/{name}.part"]
    call_command("clean_staged_files", "--all", stdout=out)  # start-up: nothing is in flight
    assert files_under(root) == []


def test_the_hourly_clean_up_removes_old_parts_and_request_temp_files(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    spooled = settings.FILE_UPLOAD_TEMP_DIR / "tmpabc.upload.pdf"
    spooled.write_bytes(b"half a request")
    with transaction.atomic():
        uploads.stage_file(b"proof", "attachments", ".png")
        transaction.set_rollback(True)
    with transaction.atomic():  # one recent part, which a live transaction may still commit
        recent = uploads.stage_file(b"recent", "attachments", ".png")
        transaction.set_rollback(True)
    hour_ago = time.time() - uploads.STALE_AFTER_SECONDS - 60
    for path in [*uploads.staging_dir().iterdir(), spooled]:
        if not path.name.startswith(recent):
            os.utime(path, (hour_ago, hour_ago))
    from gongkai.core.tasks import hourly_staging_clean_up

    hourly_staging_clean_up.call_local()
    assert [p.name for p in uploads.staging_dir().iterdir()] == [f"{recent}.part"]
    assert not spooled.exists()
