"""The text of catalog attachments, for full-text search (PDF, DOCX, XLSX; images have none).

Extraction never fails an upload: a file whose text cannot be read is still attached, and its
text is empty. Output is capped so one huge spreadsheet cannot swell the index.
"""

from __future__ import annotations

import io
import logging
import re

logger = logging.getLogger(__name__)
MAX_TEXT = 200_000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def extract_text(kind: str, data: bytes) -> str:
    try:
        if kind == "pdf":
            text = _pdf(data)
        elif kind == "docx":
            text = _docx(data)
        elif kind == "xlsx":
            text = _xlsx(data)
        else:
            return ""
    except Exception:  # noqa: BLE001  a damaged or unusual file: keep it, without its text
        logger.warning("could not read the text of a %s attachment", kind)
        return ""
    # pypdf returns a NUL before each character of some CID fonts (fpdf2's, for one); other
    # control characters become spaces. PostgreSQL refuses NUL in text anyway.
    return CONTROL.sub(" ", text.replace("\x00", "")[:MAX_TEXT])


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages[:200]:
        part = page.extract_text() or ""
        parts.append(part)
        size += len(part)
        if size > MAX_TEXT:
            break
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, size = [], 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            line = " ".join(str(v) for v in row if v is not None)
            parts.append(line)
            size += len(line)
            if size > MAX_TEXT:
                return "\n".join(parts)
    return "\n".join(parts)
