"""Encryption of personal data at rest (security.md PI-03; PIPL art. 51; docs/decisions/0022).

Keys live outside the database: ``PERSONAL_DATA_KEYS`` (or ``PERSONAL_DATA_KEYS_FILE``) holds
``key_id:base64key`` entries, one per line, the first being the current key; the others only
decrypt what was written before a rotation (``manage.py rotate_personal_data_key``).

``PERSONAL_DATA_CIPHER`` picks the national algorithms (``sm4``: SM4-GCM, HMAC-SM3; GB/T
39786-2021) or ``aes`` (AES-256-GCM, HMAC-SHA256). Every token names its algorithm and key, so
both kinds and any number of keys can be read side by side::

    text:  gk1:<key_id>:<alg>:<nonce, base64url>:<ciphertext and tag, base64url>
    bytes: b"gk1:<key_id>:<alg>:" + nonce (12 bytes) + ciphertext and tag

The ``context`` (which column, or "file") is bound to the ciphertext as associated data, so a
token moved to another column, or a changed header, fails to decrypt. A wrong or missing key
raises ``DecryptionError`` or ``UnknownKeyError``; garbage is never returned.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
from dataclasses import dataclass
from typing import overload

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "gk1"
PREFIX = VERSION + ":"
BYTES_PREFIX = PREFIX.encode()
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# The setting's word -> the algorithm name written into each token.
CIPHERS = {"sm4": "sm4gcm", "aes": "aes256gcm"}


class CryptoError(Exception):
    """Personal data could not be encrypted or decrypted; never shown to users."""


class UnknownKeyError(CryptoError):
    pass


class DecryptionError(CryptoError):
    pass


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]  # key id -> 32 bytes, in the order given


def parse_keys(text: str) -> KeyRing:
    """``key_id:base64key`` entries separated by new lines, commas or spaces; the first is current."""
    keys: dict[str, bytes] = {}
    for entry in re.split(r"[\s,]+", text or ""):
        if not entry or entry.startswith("#"):
            continue
        key_id, sep, encoded = entry.partition(":")
        if not sep or not KEY_ID_RE.match(key_id):
            raise ImproperlyConfigured("PERSONAL_DATA_KEYS: each entry is key_id:base64key (key id: letters, digits).")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"PERSONAL_DATA_KEYS: key {key_id} is not valid base64.") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(f"PERSONAL_DATA_KEYS: key {key_id} must be {KEY_BYTES} random bytes.")
        if key_id in keys:
            raise ImproperlyConfigured(f"PERSONAL_DATA_KEYS: key id {key_id} appears twice.")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS is empty: personal data cannot be encrypted.")
    return KeyRing(current=next(iter(keys)), keys=keys)


def new_key_line(key_id: str) -> str:
    """A fresh ``key_id:base64key`` entry (for the development key file and for operators)."""
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode()}"


@functools.lru_cache(maxsize=8)
def _ring_of(text: str) -> KeyRing:
    return parse_keys(text)


def key_ring() -> KeyRing:
    return _ring_of(settings.PERSONAL_DATA_KEYS)


def current_alg() -> str:
    name = settings.PERSONAL_DATA_CIPHER
    if name not in CIPHERS:
        raise ImproperlyConfigured(f"PERSONAL_DATA_CIPHER must be one of {sorted(CIPHERS)}, got {name!r}.")
    return CIPHERS[name]


@functools.lru_cache(maxsize=64)
def _subkey(master: bytes, purpose: str, length: int) -> bytes:
    """One key per use, derived from the master key (HKDF), so the same master key never serves
    two algorithms or both encryption and hashing."""
    hash_alg = hashes.SM3() if purpose.startswith(("sm4", "hmac-sm3")) else hashes.SHA256()
    return HKDF(algorithm=hash_alg, length=length, salt=None, info=f"gongkai:{purpose}".encode()).derive(master)


def _aad(key_id: str, alg: str, context: str) -> bytes:
    return f"{VERSION}|{key_id}|{alg}|{context}".encode()


def _seal(alg: str, master: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if alg == "aes256gcm":
        return AESGCM(_subkey(master, "aes256gcm", 32)).encrypt(nonce, data, aad)
    if alg == "sm4gcm":
        encryptor = Cipher(algorithms.SM4(_subkey(master, "sm4gcm", 16)), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag
    raise CryptoError(f"unknown algorithm {alg!r}")


def _open(alg: str, master: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        if alg == "aes256gcm":
            return AESGCM(_subkey(master, "aes256gcm", 32)).decrypt(nonce, sealed, aad)
        if alg == "sm4gcm":
            if len(sealed) < TAG_BYTES:
                raise InvalidTag
            body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
            decryptor = Cipher(algorithms.SM4(_subkey(master, "sm4gcm", 16)), modes.GCM(nonce, tag)).decryptor()
            decryptor.authenticate_additional_data(aad)
            return decryptor.update(body) + decryptor.finalize()
    except (InvalidTag, ValueError):
        raise DecryptionError(
            "personal data does not decrypt: wrong key, wrong context or altered ciphertext"
        ) from None
    raise DecryptionError(f"unknown algorithm {alg!r}")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@overload
def encrypt(plaintext: str, *, context: str) -> str: ...
@overload
def encrypt(plaintext: bytes, *, context: str) -> bytes: ...
def encrypt(plaintext: bytes | str, *, context: str) -> bytes | str:
    """A token of ``plaintext`` under the current key and algorithm: text for text, bytes for bytes."""
    ring = key_ring()
    alg = current_alg()
    nonce = os.urandom(NONCE_BYTES)
    data = plaintext.encode() if isinstance(plaintext, str) else bytes(plaintext)
    sealed = _seal(alg, ring.keys[ring.current], nonce, data, _aad(ring.current, alg, context))
    if isinstance(plaintext, str):
        return f"{PREFIX}{ring.current}:{alg}:{_b64(nonce)}:{_b64(sealed)}"
    return f"{PREFIX}{ring.current}:{alg}:".encode() + nonce + sealed


@dataclass(frozen=True)
class Header:
    key_id: str
    alg: str


def is_token(value: bytes | str | None) -> bool:
    if isinstance(value, str):
        return value.startswith(PREFIX)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value[: len(BYTES_PREFIX)]) == BYTES_PREFIX
    return False


def _split(token: bytes | str) -> tuple[Header, bytes, bytes]:
    try:
        if isinstance(token, str):
            version, key_id, alg, nonce, sealed = token.split(":")
            nonce_bytes, sealed_bytes = _unb64(nonce), _unb64(sealed)
        else:
            raw_version, raw_key_id, raw_alg, rest = bytes(token).split(b":", 3)
            version, key_id, alg = raw_version.decode(), raw_key_id.decode(), raw_alg.decode()
            nonce_bytes, sealed_bytes = rest[:NONCE_BYTES], rest[NONCE_BYTES:]
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise DecryptionError("not a personal-data token") from None
    if version != VERSION or len(nonce_bytes) != NONCE_BYTES:
        raise DecryptionError("not a personal-data token of this version")
    return Header(key_id, alg), nonce_bytes, sealed_bytes


def header(token: bytes | str) -> Header:
    return _split(token)[0]


@overload
def decrypt(token: str, *, context: str) -> str: ...
@overload
def decrypt(token: bytes, *, context: str) -> bytes: ...
def decrypt(token: bytes | str, *, context: str) -> bytes | str:
    """The plaintext of a token made by ``encrypt`` with the same context; text for text tokens."""
    head, nonce, sealed = _split(token)
    key = key_ring().keys.get(head.key_id)
    if key is None:
        raise UnknownKeyError(f"personal-data key {head.key_id!r} is not configured in PERSONAL_DATA_KEYS")
    data = _open(head.alg, key, nonce, sealed, _aad(head.key_id, head.alg, context))
    if isinstance(token, str):
        return data.decode()
    return data


def is_current(token: bytes | str) -> bool:
    """Whether a token is under the current key and algorithm (rotation skips it)."""
    head = header(token)
    return head.key_id == key_ring().current and head.alg == current_alg()


def _hmac(key_id: str, value: str, purpose: str) -> str:
    master = key_ring().keys[key_id]
    if current_alg() == "sm4gcm":
        mac = crypto_hmac.HMAC(_subkey(master, "hmac-sm3", 32), hashes.SM3())
    else:
        mac = crypto_hmac.HMAC(_subkey(master, "hmac-sha256", 32), hashes.SHA256())
    mac.update(f"{purpose}\x00{value}".encode())
    return mac.finalize().hex()


def keyed_hash(value: str, *, purpose: str) -> str:
    """A keyed hash (HMAC-SM3 or HMAC-SHA256 under the current key) for lookups and dedupe.

    The same value gives the same hash under one key; without the key, a hash reveals nothing
    (an unkeyed hash of an 18-digit ID number is found by trying every birth date)."""
    return _hmac(key_ring().current, normalise(value), purpose)


def lookup_hashes(value: str, *, purpose: str) -> list[str]:
    """The value's hash under every configured key: rows not yet rotated still match."""
    value = normalise(value)
    return [_hmac(key_id, value, purpose) for key_id in key_ring().keys]


def normalise(value: str) -> str:
    return (value or "").strip().upper()
