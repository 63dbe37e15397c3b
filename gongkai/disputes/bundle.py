"""The evidence bundle of a dispute (最高法《关于审理政府信息公开行政案件若干问题的规定》2011 art. 5:
the agency proves the grounds of its act and that it told the applicant the reasons): one PDF
with the evidence list (证据清单) first — each item numbered, with its date, what it proves and
its pages — then every item, each opened by a page naming its number. The items are the
application's own records (``applications.selectors.evidence_of``) and the case's documents; a
secret document, an identity proof or a deleted letter is listed with the reason, never attached."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from gongkai.applications.selectors import Evidence, evidence_of
from gongkai.core import uploads
from gongkai.core.letters import SERIF, break_lines, chinese_date
from gongkai.disputes.models import Dispute, DisputeDocument

WIDTH = 210 - 25 - 25
LINE = 5.5  # mm, a line of the evidence list


@dataclass(frozen=True)
class Item:
    number: int
    evidence: Evidence
    pages: int = 0  # the item's pages in the bundle, its cover page included
    first_page: int = 0


def _pdf() -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(left=25, top=25, right=25)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_creator("Gongkai")
    pdf.add_font("serif", fname=str(SERIF))
    return pdf


def _write(pdf: FPDF, text: str, size: float = 12, height: float = 7) -> None:
    pdf.set_font("serif", size=size)
    for line in break_lines(text, pdf.get_string_width, WIDTH, WIDTH) or [""]:
        pdf.cell(WIDTH, height, line, new_x="LMARGIN", new_y="NEXT")


def _documents(dispute: Dispute) -> list[Evidence]:
    items = []
    for document in dispute.documents.order_by("received_on", "pk"):
        purpose = document.purpose or str(DisputeDocument.Kind(document.kind).label)
        if document.secret:
            items.append(Evidence(document.title, document.received_on, purpose, withheld=document.secret_explanation))
        else:
            kind = "pdf" if document.content_type == "application/pdf" else document.content_type.rsplit("/", 1)[-1]
            items.append(
                Evidence(document.title, document.received_on, purpose, folder="disputes",
                         stored_name=document.stored_name, file_kind=kind.replace("jpeg", "jpg"),
                         sha256=document.sha256)
            )  # fmt: skip
    return items


class MissingFile(Exception):
    """A stored file is missing or no longer matches its hash: the bundle is not made."""


def _read(evidence: Evidence) -> bytes:
    data = uploads.read_verified(evidence.folder, evidence.stored_name, evidence.sha256)
    if data is None:
        raise MissingFile(evidence.title)
    return data


def _item_pdf(item: Item) -> bytes:
    """The item's own pages: its opening page (number, title, date, purpose, and the text of a
    record), then the stored file's pages."""
    evidence = item.evidence
    pdf = _pdf()
    pdf.add_page()
    _write(pdf, f"证据{item.number}", size=16, height=10)
    _write(pdf, evidence.title, size=14, height=9)
    if evidence.on:
        _write(pdf, f"日期：{chinese_date(evidence.on)}")
    _write(pdf, f"证明目的：{evidence.purpose}")
    pdf.ln(4)
    for line in evidence.lines:
        _write(pdf, line, size=11, height=6.5)
    if evidence.file_kind in ("jpg", "png"):
        pdf.add_page()
        pdf.image(io.BytesIO(_read(evidence)), x=25, y=25, w=WIDTH)
    head = bytes(pdf.output())
    if evidence.file_kind != "pdf":
        return head
    writer = PdfWriter()
    for source in (io.BytesIO(head), io.BytesIO(_read(evidence))):
        for page in PdfReader(source).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _list_pdf(dispute: Dispute, items: list[Item], issuer: str) -> bytes:
    pdf = _pdf()
    pdf.set_title(f"{dispute.number} 证据清单")
    pdf.add_page()
    pdf.set_font("serif", size=18)
    pdf.cell(WIDTH, 12, "证据清单", align="C", new_x="LMARGIN", new_y="NEXT")
    _write(pdf, f"案件：{dispute.organ} {dispute.case_number or ''}（{dispute.get_kind_display()}）".replace("  ", " "))
    role = "被告" if dispute.is_lawsuit else "被申请人"
    _write(pdf, f"{role}：{issuer}；所涉申请：{dispute.application.number}")
    pdf.ln(3)
    widths = (10, 56, 22, 58, 14)
    pdf.set_font("serif", size=10)
    for text, w in zip(("序号", "证据名称", "日期", "证明目的", "页码"), widths, strict=True):
        pdf.cell(w, 8, text, border=1, align="C")
    pdf.ln()
    for item in items:
        e = item.evidence
        pages = f"{item.first_page}–{item.first_page + item.pages - 1}" if item.pages > 1 else str(item.first_page)
        pages = pages if item.pages else "—"
        purpose = e.purpose + (f"（不随附：{e.withheld}）" if e.withheld else "")
        cells = (str(item.number), e.title, e.on.isoformat() if e.on else "—", purpose, pages)
        lines = [break_lines(c, pdf.get_string_width, w - 2, w - 2) or [""] for c, w in zip(cells, widths, strict=True)]
        height = LINE * max(len(block) for block in lines) + 1
        if pdf.get_y() + height > pdf.h - 22:
            pdf.add_page()
        y, x = pdf.get_y(), pdf.l_margin
        for block, w in zip(lines, widths, strict=True):  # each cell: the row's height, its lines from the top
            pdf.rect(x, y, w, height)
            for n, line in enumerate(block):
                pdf.set_xy(x + 1, y + 0.5 + n * LINE)
                pdf.cell(w - 2, LINE, line)
            x += w
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(6)
    _write(pdf, f"{issuer}（盖章）")
    return bytes(pdf.output())


def evidence_bundle(dispute: Dispute) -> tuple[bytes, list[Item]]:
    """The bundle and its numbered items (the list's own pages come first)."""
    evidence = evidence_of(dispute.application) + _documents(dispute)
    items = [Item(number, e) for number, e in enumerate(evidence, start=1)]
    parts = []
    for item in items:
        if item.evidence.withheld:
            parts.append(b"")
            continue
        parts.append(_item_pdf(item))
    issuer = dispute.agency.name
    counted = [
        replace(item, pages=len(PdfReader(io.BytesIO(p)).pages) if p else 0)
        for item, p in zip(items, parts, strict=True)
    ]
    # The list may run to more than a page: lay it out once to count, then with the page numbers.
    list_pages = len(PdfReader(io.BytesIO(_list_pdf(dispute, counted, issuer))).pages)
    page = list_pages + 1
    numbered = []
    for item in counted:
        numbered.append(replace(item, first_page=page if item.pages else 0))
        page += item.pages
    writer = PdfWriter()
    for part in (_list_pdf(dispute, numbered, issuer), *parts):
        if part:
            for p in PdfReader(io.BytesIO(part)).pages:
                writer.add_page(p)
    writer.add_metadata({"/Title": f"{dispute.number} 证据材料", "/Creator": "Gongkai"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), numbered
