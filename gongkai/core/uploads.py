"""Accepting uploaded files safely (security.md FILE-01, FILE-02, FILE-04).

Allowed types are checked by their first bytes, not by the name the browser sends; ZIP-based
formats are checked for their size when unpacked; files are stored outside any served directory
under random names with their SHA-256, and read back only after the hash is checked again.
Files of the folders in ``ENCRYPTED_FOLDERS`` (applicants' identity proofs and letters) are
encrypted on disk (PI-03, gongkai.core.crypto); their SHA-256 is the plaintext's, so the check
is the same for either kind.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.core import crypto

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
ENCRYPTED_FOLDERS = frozenset({"attachments"})
FILE_CONTEXT = "private-file"


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: str  # pdf, jpg, png, docx
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


def check_upload(upload, *, allowed: tuple[str, ...], max_bytes: int) -> CheckedFile:
    """Read and check one uploaded file; raise a Chinese ValidationError, storing nothing."""
    if upload.size > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    extension = EXTENSIONS.get(Path(upload.name or "").suffix.lower().lstrip("."))
    # The name's extension must agree with the content (DOCX and XLSX share the ZIP signature).
    kind = extension if extension in allowed and any(data.startswith(s) for s in SIGNATURES[extension]) else None
    if kind is None:
        raise ValidationError(
            _("Only these file types are accepted: %(types)s.") % {"types": "、".join(t.upper() for t in allowed)}
        )
    if kind in ZIP_MEMBERS:
        _check_zip(data, kind)
    return CheckedFile(
        data=data, kind=kind, original_name=safe_name(upload.name), sha256=hashlib.sha256(data).hexdigest()
    )


ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def _check_zip(data: bytes, kind: str = "docx") -> None:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
                raise ValidationError(_("The document is too large when unpacked."))
            if ZIP_MEMBERS[kind] not in archive.namelist():
                raise ValidationError(
                    _("This is not a Word document.") if kind == "docx" else _("This is not an Excel workbook.")
                )
    except zipfile.BadZipFile:
        raise ValidationError(_("The document is damaged.")) from None


def store(checked: CheckedFile, folder: str) -> str:
    """Write the file under a random name; return that name."""
    root = Path(settings.PRIVATE_MEDIA_ROOT) / folder
    root.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{checked.kind}"
    (root / name).write_bytes(for_disk(folder, checked.data))
    return name


def for_disk(folder: str, data: bytes) -> bytes:
    """The bytes to write: encrypted under the current key in the folders of personal data."""
    return crypto.encrypt(data, context=FILE_CONTEXT) if folder in ENCRYPTED_FOLDERS else data


def from_disk(data: bytes) -> bytes:
    """The plaintext of what was read (files stored before encryption are read as they are)."""
    return crypto.decrypt(data, context=FILE_CONTEXT) if crypto.is_token(data) else data


def stored_path(folder: str, name: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / folder / name


def read_verified(folder: str, name: str, sha256: str) -> bytes | None:
    """The stored bytes (decrypted), or None when they no longer match the recorded hash.
    An encrypted file that fails its authentication tag was altered too; a key that is not
    configured at all raises ``crypto.UnknownKeyError``."""
    try:
        data = from_disk(stored_path(folder, name).read_bytes())
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
    actor=None,
    obj=None,
    agency=None,
    details: dict | None = None,
):
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
    response["Content-Disposition"] = f'attachment; filename="{safe_name(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response


def integrity_refusal(message: str):
    from django.http import HttpResponse

    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
