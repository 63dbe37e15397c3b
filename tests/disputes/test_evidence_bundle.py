"""A dispute's documents and its evidence bundle (issue 11; seed F1; 最高法 2011 规定 art. 5: the
agency proves its grounds and that it told the applicant the reasons)."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF
from pypdf import PdfReader

from gongkai.accounts.choices import Role
from gongkai.applications.models import Attachment
from gongkai.applications.services import record_clock_event
from gongkai.core import uploads
from gongkai.core.letters import SERIF
from gongkai.core.models import AuditEvent
from gongkai.disputes.models import DisputeDocument
from gongkai.disputes.services import add_document, evidence_bundle_for, register_dispute
from gongkai.disputes.transitions import DisputeError
from tests.applications.factories import make_application, reply_through_services


def png() -> bytes:
    """A real 2×2 grey PNG (the bundle draws it on a page)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\x80\x80" for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pdf(text: str) -> bytes:
    document = FPDF()
    document.add_font("serif", fname=str(SERIF))
    document.add_page()
    document.set_font("serif", size=14)
    document.cell(0, 10, text)
    return bytes(document.output())


def page_text(page) -> str:
    """A page's text (pypdf reads the embedded CJK font's codes with a NUL between characters)."""
    return page.extract_text().replace("\x00", "").replace("\n", "")


def checked(data: bytes, kind: str, name: str) -> uploads.CheckedFile:
    return uploads.CheckedFile(data=data, kind=kind, original_name=name, sha256=hashlib.sha256(data).hexdigest())


@pytest.fixture
def case(world, django_capture_on_commit_callbacks):
    township = world.township
    officer = world.person(township, Role.DISCLOSURE_OFFICER)
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        application = make_application(township, received_on=date(2026, 9, 14), channel="letter")
        for kind, data in (("scanned_letter", png()), ("identity_proof", png())):
            name = f"bundle-{kind}.png"
            uploads.stored_path("attachments", name).parent.mkdir(parents=True, exist_ok=True)
            uploads.stored_path("attachments", name).write_bytes(uploads.for_disk("attachments", data))
            Attachment.objects.create(application=application, kind=kind, original_name="letter.png",
                                      content_type="image/png", size=len(data), stored_name=name,
                                      sha256=hashlib.sha256(data).hexdigest())  # fmt: skip
        record_clock_event(application, actor=officer, kind="note_added", on=date(2026, 9, 16),
                           note="检索了2024年以来的收发文登记，找到该文件")  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            reply_through_services(application, officer=officer, leader=world.person(township, Role.LEADER_IN_CHARGE),
                                   on=date(2026, 9, 28))  # fmt: skip
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        dispute = register_dispute(actor=officer, agency=township, application_number=application.number,
                                   kind="reconsideration", organ="台州市黄岩区人民政府", received_on=date(2026, 11, 2),
                                   procedure="ordinary", case_number="黄政复〔2026〕40号")  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            add_document(dispute, actor=officer, kind="application_copy", title="行政复议申请书副本",
                         received_on=date(2026, 11, 2),
                         checked=checked(pdf("行政复议申请书"), "pdf", "copy.pdf"))  # fmt: skip
        add_document(dispute, actor=officer, kind="evidence", title="涉密会议纪要", received_on=date(2026, 9, 20),
                     purpose="证明信息的形成过程",
                     secret_explanation="属于国家秘密，不提交电子版，可专人送交查阅")  # fmt: skip
    return dispute, officer


@time_machine.travel("2026-11-03 10:00 +0800", tick=False)
def test_the_bundle_numbers_every_record_with_its_purpose_and_lists_what_is_not_attached(case):
    dispute, officer = case
    data, count = evidence_bundle_for(dispute, actor=officer)
    reader = PdfReader(io.BytesIO(data))
    listing = page_text(reader.pages[0])
    assert "证据清单" in listing
    assert "黄政复〔2026〕40号" in listing
    for title in (
        "政府信息公开申请（登记信息）",
        "申请书原件扫描件",
        "申请人身份证明",
        "办理记录",
        "行政复议申请书副本",
        "涉密会议纪要",
    ):
        assert title in listing, title
    assert "不随附：含申请人个人信息" in listing
    assert "不随附：属于国家秘密" in listing
    text = "".join(page_text(page) for page in reader.pages)
    assert "检索了2024年以来的收发文登记，找到该文件" in text  # the search note, in the handling record
    assert "证明本机关在法定期限内作出答复" in text  # the reply, with what it proves
    assert "行政复议申请书" in page_text(reader.pages[-1])  # the uploaded copy, merged last
    assert count == 7  # application, scan, identity proof, handling record, reply, copy, secret minutes
    # list 1 + application 1 + scan 2 (its page, the image) + record 1 + reply 1+1 + copy 1+1; the
    # identity proof and the secret minutes have no pages
    assert len(reader.pages) == 9
    assert "8–9" in listing  # the copy's pages, as the list numbers them
    assert not DisputeDocument.objects.get(secret=True).stored_name  # never stored
    made = AuditEvent.objects.get(event="disputes.dispute.bundle_made")
    assert (made.data["items"], made.data["listed_only"]) == (7, 2)
    assert AuditEvent.objects.filter(event="disputes.document.added").count() == 2


@time_machine.travel("2026-11-03 10:00 +0800", tick=False)
def test_a_changed_file_stops_the_bundle_with_a_chinese_message(case):
    dispute, officer = case
    document = DisputeDocument.objects.get(secret=False)
    uploads.stored_path("disputes", document.stored_name).write_bytes(b"tampered")
    with pytest.raises(DisputeError, match="已缺失或已被改动"):
        evidence_bundle_for(dispute, actor=officer)


@time_machine.travel("2026-11-03 10:00 +0800", tick=False)
def test_a_document_is_a_file_or_a_listed_secret_never_both_never_neither(case, world):
    dispute, officer = case
    base = {"kind": "evidence", "title": "补充证据", "received_on": date(2026, 11, 3)}
    with pytest.raises(ValidationError, match="请附上文件"):
        add_document(dispute, actor=officer, **base)
    with pytest.raises(ValidationError, match="涉密材料只列明"):
        add_document(dispute, actor=officer, **base, checked=checked(pdf("x"), "pdf", "x.pdf"),
                     secret_explanation="涉密")  # fmt: skip
    with pytest.raises(PermissionDenied):
        evidence_bundle_for(dispute, actor=world.person(world.township, Role.LEADER_IN_CHARGE))
    assert DisputeDocument.objects.count() == 2  # nothing saved half-way


@time_machine.travel("2026-11-03 10:00 +0800", tick=False)
def test_the_page_files_a_document_refuses_a_disguised_file_in_chinese_and_serves_the_bundle(
    case, client, django_capture_on_commit_callbacks
):
    dispute, officer = case
    client.force_login(officer)
    url = reverse("disputes:staff-document", args=[dispute.agency.slug, dispute.number])
    fake = SimpleUploadedFile("答复.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"document-kind": "evidence", "document-title": "补充",
                                 "document-received_on": "2026-11-03",
                                 "document-upload": fake})  # fmt: skip
    assert response.status_code == 400
    assert "只接受以下文件类型：PDF、JPG、PNG" in response.content.decode()
    good = SimpleUploadedFile("决定书.pdf", pdf("行政复议决定书"), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # the file moves into place on commit
        response = client.post(url, {"document-kind": "decision", "document-title": "行政复议决定书",
                                     "document-received_on": "2026-11-03", "document-upload": good})  # fmt: skip
    assert response.status_code == 302
    bundle = client.get(reverse("disputes:staff-bundle", args=[dispute.agency.slug, dispute.number]))
    assert bundle.status_code == 200
    assert bundle["Content-Type"] == "application/pdf"
    assert bundle["Cache-Control"] == "no-store"
    assert "行政复议决定书" in page_text(PdfReader(io.BytesIO(bundle.content)).pages[0])
