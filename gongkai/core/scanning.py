"""Malware scanning of uploads, failing closed (security.md FILE-03; docs/decisions/0020).

One interface, ``scan(data) -> ScanResult``, chosen by ``settings.MALWARE_SCANNER``:

- ``"clamd"`` (the default when DEBUG is off): ClamAV's daemon, over its local socket
  (``CLAMD_ADDRESS`` = a path, Debian's is ``/run/clamav/clamd.ctl``) or TCP (``host:port``),
  with the INSTREAM command. Nothing is written to disk for the scan.
- ``"none"``: no scanning (the development default). Not for production: ``check --deploy``
  warns about it when DEBUG is off.
- a dotted path to a class with a ``scan(data)`` method (other engines; the tests' fake).

A scanner that cannot be reached, times out or answers anything but a verdict raises
``ScannerUnavailable``; callers then refuse the file, never store it as clean.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """The scanner gave no verdict (down, timed out, refused the stream)."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # the engine's name for what it found

    @classmethod
    def infected(cls, signature: str) -> ScanResult:
        return cls(clean=False, signature=signature)


CLEAN = ScanResult(clean=True)


class Scanner(Protocol):
    def scan(self, data: bytes) -> ScanResult: ...


class NoScanner:
    """Development only: every file is reported clean."""

    def scan(self, data: bytes) -> ScanResult:
        return CLEAN


class ClamdScanner:
    """A minimal clamd INSTREAM client: ``zINSTREAM\\0``, then chunks each preceded by its length
    as 4 big-endian bytes, a zero length to finish; the reply is ``stream: OK`` or
    ``stream: <signature> FOUND`` (anything else, e.g. a size-limit ERROR, is no verdict)."""

    def __init__(self, address: str | None = None, timeout: float | None = None):
        self.address = address or settings.CLAMD_ADDRESS
        self.timeout = timeout if timeout is not None else settings.CLAMD_TIMEOUT

    def _connect(self) -> socket.socket:
        if self.address.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target: str | tuple[str, int] = self.address
        else:
            host, _sep, port = self.address.rpartition(":")
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
            target = (host.strip("[]"), int(port))
        sock.settimeout(self.timeout)
        try:
            sock.connect(target)
        except BaseException:
            sock.close()
            raise
        return sock

    def scan(self, data: bytes) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                for start in range(0, len(data), CHUNK):
                    chunk = data[start : start + CHUNK]
                    sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                sock.sendall(struct.pack(">I", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
        except (OSError, ValueError) as exc:  # refused, missing socket, timeout, bad address
            raise ScannerUnavailable(type(exc).__name__) from exc
        return parse_reply(reply)


def parse_reply(reply: bytes) -> ScanResult:
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text == "stream: OK":
        return CLEAN
    if text.startswith("stream: ") and text.endswith(" FOUND"):
        return ScanResult.infected(text[len("stream: ") : -len(" FOUND")].strip()[:200])
    raise ScannerUnavailable(text[:200] or "no reply")


def get_scanner() -> Scanner:
    name = settings.MALWARE_SCANNER
    if name == "none":
        return NoScanner()
    if name == "clamd":
        return ClamdScanner()
    scanner: Scanner = import_string(name)()
    return scanner


def scan(data: bytes) -> ScanResult:
    """The verdict on ``data``; raises ScannerUnavailable when there is none."""
    try:
        return get_scanner().scan(data)
    except ScannerUnavailable:
        raise
    except Exception as exc:  # any engine failure means no verdict: fail closed
        raise ScannerUnavailable(type(exc).__name__) from exc
