"""Encryption of personal data at rest (security.md PI-03; docs/decisions/0022): versioned AEAD
tokens naming their key and algorithm, SM4-GCM or AES-256-GCM, a keyed hash for lookups, and a
wrong key that raises instead of returning garbage."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.core import crypto, uploads
from gongkai.core.apps import check_personal_data_keys

KEY_A = "a1:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "b2:" + base64.b64encode(b"B" * 32).decode()
KEY_A_OTHER_MATERIAL = "a1:" + base64.b64encode(b"Z" * 32).decode()
CANARY = "110101199003074573"


@pytest.fixture
def keys(settings):
    settings.PERSONAL_DATA_KEYS = KEY_A
    return settings


@pytest.mark.parametrize(("cipher", "alg"), [("sm4", "sm4gcm"), ("aes", "aes256gcm")])
def test_text_round_trips_in_a_versioned_token_naming_key_and_algorithm(keys, cipher, alg):
    keys.PERSONAL_DATA_CIPHER = cipher
    token = crypto.encrypt(CANARY, context="applications.application.id_number")
    assert token.startswith(f"gk1:a1:{alg}:")
    assert CANARY not in token
    assert crypto.decrypt(token, context="applications.application.id_number") == CANARY
    # A fresh nonce each time: equal values do not give equal tokens.
    assert crypto.encrypt(CANARY, context="c") != crypto.encrypt(CANARY, context="c")


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_bytes_round_trip(keys, cipher):
    keys.PERSONAL_DATA_CIPHER = cipher
    data = b"%PDF-1.4 " + os.urandom(5000) + CANARY.encode()
    token = crypto.encrypt(data, context="private-file")
    assert isinstance(token, bytes)
    assert CANARY.encode() not in token
    assert crypto.decrypt(token, context="private-file") == data


def test_both_algorithms_stay_readable_after_switching(keys):
    keys.PERSONAL_DATA_CIPHER = "aes"
    old = crypto.encrypt(CANARY, context="c")
    keys.PERSONAL_DATA_CIPHER = "sm4"
    assert crypto.decrypt(old, context="c") == CANARY
    assert not crypto.is_current(old)
    assert crypto.is_current(crypto.encrypt(CANARY, context="c"))


def test_a_wrong_key_raises_instead_of_returning_garbage(keys):
    token = crypto.encrypt(CANARY, context="c")
    file_token = crypto.encrypt(b"file", context="f")
    keys.PERSONAL_DATA_KEYS = KEY_A_OTHER_MATERIAL  # same key id, other key
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="c")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(file_token, context="f")
    keys.PERSONAL_DATA_KEYS = KEY_B  # the token's key is not configured at all
    with pytest.raises(crypto.UnknownKeyError, match="a1"):
        crypto.decrypt(token, context="c")


def test_a_token_moved_to_another_column_or_altered_does_not_decrypt(keys):
    token = crypto.encrypt(CANARY, context="applications.application.id_number")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="applications.application.phone")
    version, key_id, alg, nonce, sealed = token.split(":")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(":".join([version, key_id, alg, nonce, flipped]), context="applications.application.id_number")
    # The header is authenticated too: naming the other algorithm fails.
    other = "aes256gcm" if alg == "sm4gcm" else "sm4gcm"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(":".join([version, key_id, other, nonce, sealed]), context="applications.application.id_number")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("gk1:not-a-token", context="c")


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_the_keyed_hash_is_stable_and_depends_on_the_key(keys, cipher):
    keys.PERSONAL_DATA_CIPHER = cipher
    digest = crypto.keyed_hash(CANARY, purpose="id_number")
    assert len(digest) == 64
    assert digest == crypto.keyed_hash(f" {CANARY.lower()} ", purpose="id_number")
    assert digest != crypto.keyed_hash(CANARY, purpose="phone")
    import hashlib

    assert digest != hashlib.sha256(CANARY.encode()).hexdigest()  # not guessable without the key
    keys.PERSONAL_DATA_KEYS = f"{KEY_B}\n{KEY_A}"
    assert crypto.keyed_hash(CANARY, purpose="id_number") != digest
    # Lookups match rows hashed under any configured key (rows not yet rotated).
    assert digest in crypto.lookup_hashes(CANARY, purpose="id_number")


def test_the_national_and_international_hashes_differ(keys):
    keys.PERSONAL_DATA_CIPHER = "sm4"
    sm3 = crypto.keyed_hash(CANARY, purpose="id_number")
    keys.PERSONAL_DATA_CIPHER = "aes"
    assert crypto.keyed_hash(CANARY, purpose="id_number") != sm3


def test_key_lists_parse_with_the_first_key_current():
    ring = crypto.parse_keys(f"{KEY_B}\n{KEY_A}\n")
    assert ring.current == "b2"
    assert list(ring.keys) == ["b2", "a1"]
    assert crypto.parse_keys(f"{KEY_B},{KEY_A}").current == "b2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("nokey", "key_id:base64key"),
        ("k1:***", "base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "32 random bytes"),
        (f"{KEY_A}\n{KEY_A}", "twice"),
    ],
)
def test_broken_key_lists_are_refused(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_keys(text)


def test_the_system_check_reports_broken_keys_and_an_unknown_cipher(settings):
    settings.PERSONAL_DATA_KEYS = "k1:***"
    assert [e.id for e in check_personal_data_keys()] == ["gongkai.E001"]
    settings.PERSONAL_DATA_KEYS = KEY_A
    settings.PERSONAL_DATA_CIPHER = "des"
    assert [e.id for e in check_personal_data_keys()] == ["gongkai.E001"]
    settings.PERSONAL_DATA_CIPHER = "sm4"
    assert check_personal_data_keys() == []


def test_production_refuses_to_start_without_personal_data_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERSONAL_DATA_KEYS", "DEBUG"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "GONGKAI_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "p" * 60,
            "ALLOWED_HOSTS": "gongkai.example.gov.cn",
        }
    )
    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS" in result.stderr


def test_development_generates_a_key_file_outside_the_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERSONAL_DATA_KEYS", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "GONGKAI_VAR_DIR": str(tmp_path), "DEBUG": "true"})
    from django.conf import settings

    code = "from django.conf import settings; print(settings.PERSONAL_DATA_KEYS.split(':')[0])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "dev1", result.stderr
    key_file = tmp_path / "personal_data_keys"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    crypto.parse_keys(key_file.read_text())


@pytest.mark.django_db
def test_applicant_files_are_encrypted_on_disk_and_verified_as_plaintext(
    keys, tmp_path, django_capture_on_commit_callbacks
):
    keys.PRIVATE_MEDIA_ROOT = tmp_path
    data = b"\x89PNG\r\n\x1a\n" + CANARY.encode() * 10
    checked = uploads.CheckedFile(
        data=data, kind="png", original_name="p.png", sha256=__import__("hashlib").sha256(data).hexdigest()
    )
    with django_capture_on_commit_callbacks(execute=True):  # staged, moved into place on commit
        name = uploads.store(checked, "attachments")
    raw = uploads.stored_path("attachments", name).read_bytes()
    assert CANARY.encode() not in raw
    assert uploads.read_verified("attachments", name, checked.sha256) == data
    # An altered ciphertext is an altered file: withheld, not returned.
    uploads.stored_path("attachments", name).write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    assert uploads.read_verified("attachments", name, checked.sha256) is None
    # Public catalog files are not personal data: stored as they are.
    with django_capture_on_commit_callbacks(execute=True):
        public = uploads.store(checked, "catalog")
    assert uploads.stored_path("catalog", public).read_bytes() == data


def test_production_reads_the_keys_from_a_file_outside_the_database(tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text(f"{KEY_B}\n{KEY_A}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERSONAL_DATA_KEYS", "DEBUG"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "GONGKAI_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "p" * 60,
            "ALLOWED_HOSTS": "gongkai.example.gov.cn",
            "PERSONAL_DATA_KEYS_FILE": str(key_file),
        }
    )
    from django.conf import settings

    code = "from gongkai.core import crypto; print(crypto.key_ring().current, len(crypto.key_ring().keys))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "b2 2", result.stderr
