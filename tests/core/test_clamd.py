"""FILE-03 with a real ClamAV daemon (Debian's clamav-daemon): a local signature database made
here with sigtool (no signature download), clamd on a unix socket in a temp directory.

(1) an EICAR upload is refused with 400 and an audit row; (2) with clamd stopped, a clean PDF
is refused with 503 and never stored. Skipped when clamd is not installed, unless
GONGKAI_REQUIRE_CLAMD=1 (CI sets it), which turns the skip into a failure."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.core.models import AuditEvent
from tests.core import upload_corpus as corpus

pytestmark = pytest.mark.django_db
EICAR_PDF = corpus.pdf() + corpus.EICAR  # passes the type checks, so the scanner decides


def _require_clamd():
    if shutil.which("clamd") and shutil.which("sigtool"):
        return
    message = "clamd/sigtool not installed (apt-get install clamav-daemon)"
    if os.environ.get("GONGKAI_REQUIRE_CLAMD") == "1":
        pytest.fail(message + " but GONGKAI_REQUIRE_CLAMD=1")
    pytest.skip(message)


def _signature(folder: Path, name: str, data: bytes) -> str:
    """One .hdb line (MD5:size:name) made by sigtool from the file itself."""
    sample = folder / name
    sample.write_bytes(data)
    line = subprocess.run(["sigtool", "--md5", str(sample)], capture_output=True, text=True, check=True).stdout.strip()
    sample.unlink()
    digest, size, _ = line.split(":", 2)
    assert digest == hashlib.md5(data).hexdigest()  # noqa: S324 - ClamAV's hash signatures are MD5
    return f"{digest}:{size}:{name}"


@pytest.fixture
def clamd(settings):
    _require_clamd()
    # A short path: unix socket paths are limited to about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="gk-clamd-"))
    database = folder / "db"
    database.mkdir()
    lines = [
        _signature(folder, "Gongkai-Test-EICAR", corpus.EICAR),
        _signature(folder, "Gongkai-Test-EICAR-PDF", EICAR_PDF),
    ]
    (database / "test.hdb").write_text("\n".join(lines) + "\n", encoding="ascii")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {sock}\nDatabaseDirectory {database}\nForeground yes\n"
        f"TemporaryDirectory {folder}\nLogFile {folder / 'clamd.log'}\n",
        encoding="ascii",
    )
    process = subprocess.Popen(
        ["clamd", f"--config-file={config}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            pytest.fail(f"clamd did not start: {process.stderr.read()}")
        if sock.exists():
            with socket.socket(socket.AF_UNIX) as probe:
                try:
                    probe.connect(str(sock))
                    probe.sendall(b"zPING\0")
                    if probe.recv(16).startswith(b"PONG"):
                        break
                except OSError:
                    pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("clamd did not answer on its socket")
        time.sleep(0.2)
    settings.MALWARE_SCANNER = "clamd"
    settings.CLAMD_ADDRESS = str(sock)
    settings.CLAMD_TIMEOUT = 30

    def stop():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    yield stop
    stop()
    shutil.rmtree(folder, ignore_errors=True)


def apply(client, data: bytes, key: str):
    import time as clock

    from django.core import signing

    from gongkai.applications import spam
    from tests.applications.factories import applicant_fields

    fields = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    fields.update(
        {
            "started": signing.dumps(clock.time() - 60, salt=spam.SALT),
            "idempotency_key": key,
            "confirm": "on",
            "identity_proof": SimpleUploadedFile("身份证.pdf", data),
        }
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("applications:apply", args=["maoshe"]), fields)


def stored_files(settings) -> list[Path]:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_clamd_refuses_eicar_with_an_audit_row_and_a_stopped_clamd_refuses_everything(client, world, settings, clamd):
    from django.core.cache import cache

    cache.clear()
    refused = apply(client, EICAR_PDF, "clamd-eicar-1")
    assert refused.status_code == 400
    assert "病毒检查发现该文件含有恶意代码" in refused.content.decode()
    assert Application.objects.count() == 0
    assert stored_files(settings) == []
    event = AuditEvent.objects.get(event="core.upload.malware_detected")
    assert event.data["signature"].startswith("Gongkai-Test-EICAR-PDF")
    assert "身份证" not in str(event.data)

    accepted = apply(client, corpus.pdf(), "clamd-clean-1")  # clamd answers OK for a clean file
    assert accepted.status_code == 302
    assert Application.objects.count() == 1

    # The catalog import reads CSV without a type check: the scanner still sees it.
    from gongkai.accounts.choices import Role

    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    with TestCase.captureOnCommitCallbacks(execute=True):
        imported = client.post(
            reverse("catalog:staff-import", args=["maoshe"]), {"file": SimpleUploadedFile("目录.csv", corpus.EICAR)}
        )
    assert imported.status_code == 400
    assert AuditEvent.objects.filter(event="core.upload.malware_detected").count() == 2
    client.logout()

    clamd()  # stop the daemon: no verdict, so nothing is accepted
    down = apply(client, corpus.pdf(), "clamd-clean-2")
    assert down.status_code == 503
    assert "暂时无法检查文件，请稍后再试。" in down.content.decode()
    assert Application.objects.count() == 1
    assert len(stored_files(settings)) == 1  # only the file accepted while clamd ran
