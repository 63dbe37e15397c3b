"""Accepting uploaded files safely (security.md FILE-01, FILE-02, FILE-03, FILE-04, REL-01, REL-06).

Allowed types are checked by their first bytes, not by the name the browser sends, and then by
their whole structure: an image must decode as what it claims with nothing after its end, a PDF
must carry no scripts, launch actions, embedded files, rich media or XFA forms, an Office file
no macros, ActiveX or embedded programs, and no file may double as a web page or a PHP script
(a polyglot). ZIP-based formats are checked for their size when unpacked. Every accepted file
then goes through the malware scanner (gongkai.core.scanning), which fails closed.

Files are stored outside any served directory under random names with their SHA-256, and read
back only after the hash is checked again. A service writes them with ``stage_file`` inside
``atomic_with_files``: the bytes go to a ``.part`` file in the staging directory and are moved
into place only when the transaction commits; a failed block removes them at once, and
``clean_staging`` (``manage.py clean_staged_files``, at start-up and hourly) removes what a
crash left behind. See docs/decisions/0020-uploads.md.

Files of the folders in ``ENCRYPTED_FOLDERS`` (applicants' identity proofs and letters) are
encrypted on disk (PI-03, gongkai.core.crypto); their SHA-256 is the plaintext's, so the check
is the same for either kind.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import logging
import os
import re
import struct
import time
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gongkai.core import crypto

if TYPE_CHECKING:
    from django import forms
    from django.core.files.uploadedfile import UploadedFile
    from django.db import models
    from django.http import HttpResponse

logger = logging.getLogger(__name__)

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ENTRIES = 2000
# Folders holding applicants' personal data: their files are encrypted at rest (PI-03).
ENCRYPTED_FOLDERS = frozenset({"attachments", "disputes"})  # the applicants' files, the copies of their complaints
FILE_CONTEXT = "private-file"

# Error codes: a form whose upload was refused answers 400; 503 when the scanner gave no verdict.
REFUSED = "upload_refused"
SCANNER_DOWN = "scanner_unavailable"


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: str  # pdf, jpg, png, docx, xlsx (csv for the catalog import)
    original_name: str
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def safe_name(name: str) -> str:
    """A display name with no path and no characters that could break a header or markup."""
    name = Path(str(name).replace("\\\\", "/")).name
    name = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", name).strip("._") or "file"
    return name[:100]


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code=REFUSED)


def check_upload(upload: UploadedFile[bytes], *, allowed: tuple[str, ...], max_bytes: int) -> CheckedFile:
    """Read and check one uploaded file; raise a Chinese ValidationError, storing nothing."""
    if (upload.size or 0) > max_bytes:  # a request's uploads always know their size
        raise _refuse(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    extension = EXTENSIONS.get(Path(upload.name or "").suffix.lower().lstrip("."))
    # The name's extension must agree with the content (DOCX and XLSX share the ZIP signature).
    kind = extension if extension in allowed and any(data.startswith(s) for s in SIGNATURES[extension]) else None
    if kind is None:
        raise _refuse(
            _("Only these file types are accepted: %(types)s.") % {"types": "、".join(t.upper() for t in allowed)}
        )
    check_content(data, kind)
    scan_upload(data, kind)
    return CheckedFile(
        data=data, kind=kind, original_name=safe_name(upload.name or ""), sha256=hashlib.sha256(data).hexdigest()
    )


def check_content(data: bytes, kind: str) -> None:
    """Refuse active content and polyglots (FILE-01); ``kind`` is already known from the signature."""
    if kind in ("pdf", "jpg", "png"):
        _check_no_markup(data[:EDGE] + b"\n" + data[-EDGE:])
    if kind == "pdf":
        _check_pdf(data)
    elif kind in ("jpg", "png"):
        _check_image(data, kind)
    elif kind in ZIP_MEMBERS:
        _check_zip(data, kind)


def scan_upload(data: bytes, kind: str) -> None:
    """Malware scan, failing closed (FILE-03): infected → refused and audited; no verdict → refused."""
    from gongkai.core.audit import record_event
    from gongkai.core.scanning import ScannerUnavailable, scan

    try:
        result = scan(data)
    except ScannerUnavailable as exc:
        logger.warning("malware scanner unavailable, upload refused: %s", exc)
        raise ValidationError(
            _("The file cannot be checked right now; please try again later."), code=SCANNER_DOWN
        ) from None
    if not result.clean:
        # No file name or content in the record: either may hold personal data.
        record_event(
            "core.upload.malware_detected",
            result="failure",
            data={"signature": result.signature, "kind": kind, "size": len(data), "sha256": _sha256(data)},
        )
        raise _refuse(_("The virus check found malicious code in this file; it was not accepted."))


def refusal_status(form: forms.BaseForm) -> int:
    """The status for a form shown again: 503 when the scanner gave no verdict, 400 when an
    upload was refused, else 200 (an ordinary correction of the form)."""
    codes = {error.code for errors in form.errors.as_data().values() for error in errors}
    if SCANNER_DOWN in codes:
        return 503
    return 400 if REFUSED in codes else 200


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Polyglots: markup where a browser or a PHP interpreter would find it

EDGE = 4096
MARKUP = re.compile(rb"<(?:html|script|\?php|svg|!doctype\s+html|iframe)", re.IGNORECASE)


def _check_no_markup(data: bytes) -> None:
    if MARKUP.search(data):
        raise _refuse(_("The file also contains web page or script code and cannot be accepted."))


# ---------------------------------------------------------------------------------------------
# PDF: no scripts, actions that run programs, embedded files, rich media or XFA forms

PDF_ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
PDF_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\r|\n)")
MAX_INFLATED = 20 * 1024 * 1024


def _pdf_names(text: bytes) -> set[bytes]:
    # /J#61vaScript is /JavaScript: decode the hex escapes a name may use.
    return {PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), m.group(1)) for m in PDF_NAME.finditer(text)}


def _pdf_dictionaries(data: bytes) -> Iterator[bytes]:
    """The parts of the file that hold objects: everything outside streams, plus the inflated
    object streams (where a PDF 1.5 file may hide its dictionaries). Other streams (page
    contents, images, fonts) are skipped: their bytes are data, not objects."""
    pos, inflated = 0, 0
    while True:
        match = PDF_STREAM.search(data, pos)
        if match is None:
            yield data[pos:]
            return
        header = data[pos : match.start()]
        yield header
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        start = header.rfind(b"obj")
        dictionary = header[start:] if start >= 0 else header
        names = _pdf_names(dictionary)
        if b"ObjStm" in names and b"FlateDecode" in names and inflated < MAX_INFLATED:
            try:
                body = zlib.decompressobj().decompress(data[match.end() : end], MAX_INFLATED - inflated)
            except zlib.error:
                body = b""
            inflated += len(body)
            yield body
        pos = end + len(b"endstream")


def _check_pdf(data: bytes) -> None:
    names: set[bytes] = set()
    for part in _pdf_dictionaries(data):
        names |= _pdf_names(part)
    if b"Encrypt" in names:
        raise _refuse(_("The PDF is encrypted and cannot be checked; upload an unencrypted copy."))
    if names & PDF_ACTIVE_NAMES:
        # /OpenAction and /AA are refused when they run JavaScript or launch a program: both
        # need one of these names. A plain /OpenAction (open at page 1) is harmless.
        raise _refuse(
            _(
                "The PDF contains scripts, embedded files or forms that run when it is opened; "
                "save it again as a plain PDF (for example by printing it to PDF)."
            )
        )


# ---------------------------------------------------------------------------------------------
# Images: a complete PNG or JPEG, decoded in full, and nothing after its end

TRAILING_SLACK = 16  # a few padding bytes some tools add after the end marker


def _image_damaged(kind: str) -> ValidationError:
    return _refuse(_("The image is damaged or is not a real %(kind)s image.") % {"kind": kind.upper()})


def _image_trailing() -> ValidationError:
    return _refuse(
        _(
            "The image carries extra data after its end (for example a phone's motion photo); "
            "upload a plain photo or a screenshot."
        )
    )


def _check_trailing(rest: bytes) -> None:
    if len(rest) > TRAILING_SLACK or rest.strip(b"\0\r\n \t"):
        raise _image_trailing()


def _check_png(data: bytes) -> None:
    """Walk the chunks to IEND; text chunks must hold no markup."""
    pos = 8
    while True:
        if pos + 12 > len(data):
            raise _image_damaged("png")
        length, chunk_type = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise _image_damaged("png")
        body = data[pos + 8 : pos + 8 + length]
        if chunk_type in (b"tEXt", b"iTXt", b"zTXt"):
            if chunk_type == b"zTXt":
                with contextlib.suppress(zlib.error):
                    body += zlib.decompressobj().decompress(body[body.find(b"\0") + 2 :], MAX_INFLATED)
            _check_no_markup(body)
        pos = end
        if chunk_type == b"IEND":
            _check_trailing(data[pos:])
            return


def _jpeg_end(data: bytes, pos: int = 0) -> int:  # noqa: C901  a JPEG marker walk
    """Walk one JPEG's segments from SOI at ``pos``; return the offset after its EOI.
    Metadata segments (APPn, COM) must hold no markup."""
    size = len(data)
    if data[pos : pos + 2] != b"\xff\xd8":
        raise _image_damaged("jpg")
    pos += 2
    while True:
        if pos >= size or data[pos] != 0xFF:
            raise _image_damaged("jpg")
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            raise _image_damaged("jpg")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if pos + 2 > size:
            raise _image_damaged("jpg")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > size:
            raise _image_damaged("jpg")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            _check_no_markup(data[pos + 2 : pos + length])
        pos += length
        if marker == 0xDA:  # entropy-coded data up to the next real marker
            while True:
                at = data.find(b"\xff", pos)
                if at < 0 or at + 1 >= size:
                    raise _image_damaged("jpg")
                following = data[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos = at + 2
                elif following == 0xFF:
                    pos = at + 1
                else:
                    pos = at
                    break


def _check_jpeg(data: bytes) -> None:
    end = _jpeg_end(data)
    # Cameras and phones may append further complete JPEGs (CIPA multi-picture format: previews,
    # depth or gain maps); each is walked the same way. Anything else after the end is refused.
    while data[end : end + 2] == b"\xff\xd8":
        end = _jpeg_end(data, end)
    _check_trailing(data[end:])


def _check_image(data: bytes, kind: str) -> None:
    from PIL import Image

    (_check_png if kind == "png" else _check_jpeg)(data)
    expected = "PNG" if kind == "png" else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise _image_damaged(kind)
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # decode every pixel: a truncated or forged image fails here
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _image_damaged(kind) from None


# ---------------------------------------------------------------------------------------------
# Office files (ZIP): size when unpacked, no macros, ActiveX, embedded programs or remote objects

ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
EXECUTABLE_SUFFIXES = {
    # programs and scripts
    "exe", "dll", "scr", "com", "pif", "cpl", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse",
    "wsf", "wsh", "hta", "jar", "lnk", "sh", "php",
    # macro-enabled Office files
    "docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm",
}  # fmt: skip
NESTED_OFFICE = ("docx", "xlsx", "pptx")
REMOTE_RELATIONSHIPS = ("/oleobject", "/attachedtemplate", "/subdocument", "/frame", "/package")
RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
DDE_FIELD = re.compile(rb"(?:instrText[^>]*>|instr=\")\s*DDE(?:AUTO)?\b", re.IGNORECASE)


def _macros() -> ValidationError:
    return _refuse(
        _("The document contains macros or ActiveX controls; save it as a plain .docx or .xlsx without macros.")
    )


def _embedded() -> ValidationError:
    return _refuse(
        _("The document contains embedded programs or objects loaded from elsewhere; remove them and upload it again.")
    )


def _check_office_members(archive: zipfile.ZipFile, depth: int = 0) -> None:  # noqa: C901  one check per part of the member, each with its message
    for info in archive.infolist():
        name = info.filename.lower()
        path = "/" + name
        base = name.rsplit("/", 1)[-1]
        suffix = base.rsplit(".", 1)[-1] if "." in base else ""
        if base in ("vbaproject.bin", "vbadata.xml", "attachedtoolbars.bin") or "/activex/" in path:
            raise _macros()
        if suffix in EXECUTABLE_SUFFIXES:
            raise _embedded()
        # OLE objects (oleObject*.bin) can wrap any program; printer settings are the only
        # binary parts a plain document has.
        if suffix == "bin" and "/printersettings/" not in path:
            raise _embedded()
        if name == "[content_types].xml":
            types = archive.read(info).lower()
            if b"macroenabled" in types or b"vbaproject" in types or b"activex" in types:
                raise _macros()
        elif suffix == "rels":
            for relationship in RELATIONSHIP.findall(archive.read(info)):
                text = relationship.lower()
                if b'targetmode="external"' in text and any(
                    re.search(rb'type="[^"]*' + re.escape(kind.encode()) + rb'"', text) for kind in REMOTE_RELATIONSHIPS
                ):
                    raise _embedded()
        elif name == "word/document.xml" and DDE_FIELD.search(archive.read(info)):
            raise _embedded()
        elif suffix in NESTED_OFFICE and "/embeddings/" in path and depth == 0:
            # An embedded workbook or document (a chart's data) gets the same checks, once.
            try:
                with zipfile.ZipFile(io.BytesIO(archive.read(info))) as nested:
                    _check_office_members(nested, depth + 1)
            except zipfile.BadZipFile:
                raise _embedded() from None


def _check_zip(data: bytes, kind: str = "docx") -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
                raise _refuse(_("The document is too large when unpacked."))
            if ZIP_MEMBERS[kind] not in archive.namelist():
                raise _refuse(
                    _("This is not a Word document.") if kind == "docx" else _("This is not an Excel workbook.")
                )
            _check_office_members(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _refuse(_("The document is damaged.")) from None


# ---------------------------------------------------------------------------------------------
# Storage: staged writes, moved into place on commit (REL-01, REL-06)

STAGING_DIR = ".staging"
PART_SUFFIX = ".part"
STALE_AFTER_SECONDS = 60 * 60  # no transaction holds a staged file this long

_staged: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("gongkai_staged_files", default=None)


def staging_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / STAGING_DIR


def stage_file(data: bytes, folder: str, suffix: str, *, using: str | None = None) -> str:
    """Write ``data`` to a ``.part`` file in the staging directory and move it to
    ``folder/<random name><suffix>`` when the current transaction commits (at once outside a
    transaction). Returns the final name, for the row that points to it.

    Call it inside ``atomic_with_files`` so that a failure removes the part at once; without
    it, a rollback leaves the part to ``clean_staging``. Until the commit, the final file does
    not exist: never read it back in the same transaction."""
    root = Path(settings.PRIVATE_MEDIA_ROOT) / folder
    root.mkdir(parents=True, exist_ok=True)
    staging = staging_dir()
    staging.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}{suffix}"
    part = staging / f"{name}{PART_SUFFIX}"
    pending = _staged.get()
    if pending is not None:
        pending.append(part)
    try:
        with open(part, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    transaction.on_commit(lambda: os.replace(part, root / name), using=using)
    return name


def store(checked: CheckedFile, folder: str) -> str:
    """Stage an uploaded file (see ``stage_file``); return its final name."""
    return stage_file(for_disk(folder, checked.data), folder, f".{checked.kind}")


@contextlib.contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """``transaction.atomic()`` for a block that stages files: if the block fails, the files it
    staged are removed at once (their on-commit moves are dropped with the transaction)."""
    pending: list[Path] = []
    outer = _staged.get()
    token = _staged.set(pending)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        for part in pending:
            part.unlink(missing_ok=True)
        raise
    finally:
        _staged.reset(token)
    if outer is not None:
        outer.extend(pending)  # an enclosing block that fails later removes them too


def clean_staging(*, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove staged parts and request temp files older than ``older_than`` seconds: what a
    crash (kill -9, power loss) left between writing and committing. Returns what was removed."""
    removed = []
    limit = time.time() - older_than
    folders = [staging_dir()]
    if getattr(settings, "FILE_UPLOAD_TEMP_DIR", None):
        folders.append(Path(settings.FILE_UPLOAD_TEMP_DIR))
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime <= limit:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
    return removed


def for_disk(folder: str, data: bytes) -> bytes:
    """The bytes to write: encrypted under the current key in the folders of personal data."""
    return crypto.encrypt(data, context=FILE_CONTEXT) if folder in ENCRYPTED_FOLDERS else data


def from_disk(data: bytes) -> bytes:
    """The plaintext of what was read (files stored before encryption are read as they are)."""
    return crypto.decrypt(data, context=FILE_CONTEXT) if crypto.is_token(data) else data


def stored_path(folder: str, name: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / folder / name


def read_verified(folder: str, name: str, sha256: str) -> bytes | None:
    """The stored bytes (decrypted), or None when they are missing or no longer match the
    recorded hash. An encrypted file that fails its authentication tag was altered too; a key
    that is not configured at all raises ``crypto.UnknownKeyError``."""
    try:
        data = from_disk(stored_path(folder, name).read_bytes())
    except FileNotFoundError:
        return None
    except crypto.UnknownKeyError:
        raise
    except crypto.DecryptionError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def reencrypt_stored(folder: str, name: str) -> bool:
    """Rewrite one stored file under the current key (key rotation, or a file stored before
    encryption); True when it was rewritten. The new file replaces the old one atomically."""
    path = stored_path(folder, name)
    raw = path.read_bytes()
    if folder not in ENCRYPTED_FOLDERS or (crypto.is_token(raw) and crypto.is_current(raw)):
        return False
    temporary = path.with_name(f".{path.name}.rotating")
    temporary.write_bytes(for_disk(folder, from_disk(raw)))
    temporary.replace(path)
    return True


def download_response(
    data: bytes,
    *,
    content_type: str,
    filename: str,
    event: str | None,
    actor: Any = None,
    obj: models.Model | None = None,
    agency: Any = None,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    """A private file as a download: never rendered inline, never sniffed, never cached, and
    sandboxed if a browser opens it anyway (security.md FILE-02).

    Every download is audited here (AUD-01): ``event`` is the ``*.downloaded`` code, recorded
    with the actor (None for an applicant: then ``obj`` is the application, never the query
    code) and the object. ``event=None`` only for public information (a published catalog
    file) or a file whose reading the service has already audited; say which at the call.
    If the audit row cannot be written, no file is served (AUD-03).
    """
    from django.http import HttpResponse

    if event is not None:
        from gongkai.core.audit import record_event

        record_event(event, actor=actor, obj=obj, agency=agency, data={"file": safe_name(filename), **(details or {})})
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266: an ASCII name as is, a Chinese one (a letter's 茅政信复〔2026〕4号) as filename*.
    response["Content-Disposition"] = content_disposition_header(True, safe_name(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response


def integrity_refusal(message: str) -> HttpResponse:
    from django.http import HttpResponse

    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
