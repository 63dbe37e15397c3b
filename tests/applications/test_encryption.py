"""Applicants' personal data encrypted at rest (security.md PI-03; docs/decisions/0022): the canary
ID number and phone are found 0 times in the raw database (SQLite's pages, `pg_dump` on
PostgreSQL) and in the stored files; the ORM, the masked pages and the audited reveal still show
them; lookups go through the keyed hash; a wrong key raises; rotation rewrites everything."""

from __future__ import annotations

import base64
import importlib
import io
import shutil
import subprocess

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from gongkai.applications import spam
from gongkai.applications.models import Application, Attachment
from gongkai.core import crypto, ratelimit
from gongkai.core.models import AuditEvent
from gongkai.core.uploads import read_verified, stored_path
from tests.applications.factories import CANARY_ID, CANARY_PHONE, applicant_fields, make_application, make_attachment
from tests.applications.test_intake import apply_url, form_data

pytestmark = pytest.mark.django_db

KEY_OLD = "old1:" + base64.b64encode(b"o" * 32).decode()
KEY_NEW = "new2:" + base64.b64encode(b"n" * 32).decode()
CANARIES = [CANARY_ID.encode(), CANARY_PHONE.encode(), "茅畲乡某村".encode(), b"canary@example.com"]
PDF = b"%PDF-1.4\n" + CANARY_ID.encode() + b"\n%%EOF\n"


def sqlite_bytes() -> bytes:
    """The raw pages of the (in-memory) test database, uncommitted changes included."""
    connection.ensure_connection()
    return connection.connection.serialize()


def raw_columns(pk: int) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_name, id_number, phone, email, address, id_number_hash "
            "FROM applications_application WHERE id = %s",
            [pk],
        )
        names = ["applicant_name", "id_number", "phone", "email", "address", "id_number_hash"]
        return dict(zip(names, cursor.fetchone(), strict=True))


def submit_canary(client, world):
    proof = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    response = client.post(apply_url(), {**form_data(), "identity_proof": proof})
    assert response.status_code == 302
    return Application.objects.get()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite page scan; pg_dump below for PostgreSQL")
def test_the_canary_is_not_in_the_sqlite_pages_nor_in_the_stored_file(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the file is moved into place on commit
        application = submit_canary(client, world)
    data = sqlite_bytes()
    assert application.number.encode() in data  # the scan sees the row
    assert application.info_title.encode() in data
    for canary in CANARIES:
        assert data.count(canary) == 0, canary
    attachment = Attachment.objects.get()
    assert CANARY_ID.encode() not in stored_path("attachments", attachment.stored_name).read_bytes()
    assert read_verified("attachments", attachment.stored_name, attachment.sha256) == PDF


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
def test_the_canary_is_not_in_pg_dump(client, world):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    application = submit_canary(client, world)
    db = connection.settings_dict
    command = ["pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"] or "postgres"]
    if db["PORT"]:
        command += ["-p", str(db["PORT"])]
    dump = subprocess.run([*command, db["NAME"]], capture_output=True, check=True, timeout=120).stdout
    assert application.number.encode() in dump
    for canary in CANARIES:
        assert dump.count(canary) == 0, canary


def test_the_orm_reads_back_the_plaintext_and_the_columns_hold_tokens(world):
    application = make_application(world.township)
    raw = raw_columns(application.pk)
    for name in ("applicant_name", "id_number", "phone", "email", "address"):
        assert raw[name].startswith("gk1:test1:sm4gcm:"), name
    assert raw["id_number_hash"] == crypto.keyed_hash(CANARY_ID, purpose="id_number")
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.id_number, fresh.phone, fresh.applicant_name) == (CANARY_ID, CANARY_PHONE, "测试金丝雀")
    assert fresh.address == applicant_fields()["address"]
    assert Application.objects.values_list("id_number", flat=True).get(pk=application.pk) == CANARY_ID


def test_an_empty_address_stays_empty(world):
    application = make_application(world.township, address="")
    assert raw_columns(application.pk)["address"] == ""
    assert Application.objects.get(pk=application.pk).address == ""


def test_lookups_go_through_the_keyed_hash_never_the_ciphertext(world):
    application = make_application(world.township)
    make_application(world.township, id_number="11010119900307451X")
    with pytest.raises(FieldError):
        list(Application.objects.filter(id_number=CANARY_ID))
    assert list(Application.objects.with_id_number(CANARY_ID)) == [application]


def test_the_per_id_daily_limit_keeps_no_guessable_hash_in_the_cache(world, settings):
    import hashlib

    from django.core.cache import cache

    settings.APPLICATION_LIMIT_PER_ID_DAY = 1
    assert not spam.over_limit("10.0.0.1", CANARY_ID)
    assert spam.over_limit("10.0.0.2", CANARY_ID)  # the same number from another address
    plain = hashlib.sha256(CANARY_ID.encode()).hexdigest()[:32]
    assert cache.get(f"apply-id:{plain}") is None
    assert cache.get(ratelimit._key("apply-id", CANARY_ID)) == 2  # keyed with an HMAC (decision 0016)
    assert CANARY_ID not in ratelimit._key("apply-id", CANARY_ID)


def test_a_wrong_key_raises_instead_of_showing_garbage(world, settings):
    application = make_application(world.township)
    settings.PERSONAL_DATA_KEYS = "test1:" + base64.b64encode(b"w" * 32).decode()
    with pytest.raises(crypto.DecryptionError):
        Application.objects.get(pk=application.pk)
    settings.PERSONAL_DATA_KEYS = KEY_NEW
    with pytest.raises(crypto.UnknownKeyError):
        Application.objects.get(pk=application.pk)


def test_masked_pages_and_the_audited_reveal_show_the_decrypted_value(client, world):
    from gongkai.accounts.choices import Role

    application = make_application(world.township)
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    detail = client.get(reverse("applications:staff-detail", args=["maoshe", application.number])).content.decode()
    assert "1101**********4573" in detail
    assert "138****8000" in detail
    assert CANARY_ID not in detail
    reveal = reverse("applications:staff-reveal", args=["maoshe", application.number])
    assert CANARY_PHONE in client.post(reveal, {"field": "phone"}).content.decode()
    assert AuditEvent.objects.filter(event="applications.application.personal_data_revealed").count() == 1


def test_rotation_rewrites_every_row_and_file_under_the_new_key(world, settings):
    settings.PERSONAL_DATA_KEYS = KEY_OLD
    first = make_application(world.township)
    second = make_application(world.township, id_number="11010119900307451X", address="")
    attachment = make_attachment(first)
    proof = read_verified("attachments", attachment.stored_name, attachment.sha256)
    assert raw_columns(first.pk)["id_number"].startswith("gk1:old1:")

    settings.PERSONAL_DATA_KEYS = f"{KEY_NEW}\n{KEY_OLD}"
    # Before rotation, rows under the old key are still found by their hash.
    assert list(Application.objects.with_id_number(CANARY_ID)) == [first]
    out = io.StringIO()
    call_command("rotate_personal_data_key", "--batch-size", "1", stdout=out)
    assert "2 rows and 1 files" in out.getvalue()
    for application in (first, second):
        raw = raw_columns(application.pk)
        for name in ("applicant_name", "id_number", "phone", "email"):
            assert raw[name].startswith("gk1:new2:sm4gcm:"), name
    assert raw_columns(second.pk)["address"] == ""
    assert stored_path("attachments", attachment.stored_name).read_bytes().startswith(b"gk1:new2:sm4gcm:")
    event = AuditEvent.objects.get(event="core.personal_data.rekeyed")
    assert event.data == {"key_id": "new2", "algorithm": "sm4gcm", "rows": 2, "files": 1}

    out = io.StringIO()
    call_command("rotate_personal_data_key", stdout=out)  # idempotent: nothing left to do
    assert "0 rows and 0 files" in out.getvalue()

    settings.PERSONAL_DATA_KEYS = KEY_NEW  # the old key removed: everything still reads
    assert Application.objects.get(pk=first.pk).id_number == CANARY_ID
    assert Application.objects.get(pk=second.pk).id_number == "11010119900307451X"
    assert list(Application.objects.with_id_number(CANARY_ID)) == [first]
    assert read_verified("attachments", attachment.stored_name, attachment.sha256) == proof


def test_rotation_also_encrypts_what_was_stored_in_plaintext(world):
    application = make_application(world.township)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE applications_application SET phone = %s WHERE id = %s", [CANARY_PHONE, application.pk])
    assert Application.objects.get(pk=application.pk).phone == CANARY_PHONE  # read as it is
    call_command("rotate_personal_data_key", stdout=io.StringIO())
    assert raw_columns(application.pk)["phone"].startswith("gk1:test1:")
    assert Application.objects.get(pk=application.pk).phone == CANARY_PHONE


def test_the_data_migration_encrypts_existing_rows_and_files(world):
    application = make_application(world.township)
    attachment = make_attachment(application)
    path = stored_path("attachments", attachment.stored_name)
    plain_file = read_verified("attachments", attachment.stored_name, attachment.sha256)
    path.write_bytes(plain_file)  # as stored before this change
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_application SET id_number = %s, phone = %s, id_number_hash = '' WHERE id = %s",
            [CANARY_ID, CANARY_PHONE, application.pk],
        )
    migration = importlib.import_module("gongkai.applications.migrations.0008_encrypt_existing_rows")

    class SchemaEditor:
        pass

    editor = SchemaEditor()
    editor.connection = connection
    migration.encrypt_rows(apps, editor)
    raw = raw_columns(application.pk)
    assert raw["id_number"].startswith("gk1:")
    assert raw["phone"].startswith("gk1:")
    assert raw["id_number_hash"] == crypto.keyed_hash(CANARY_ID, purpose="id_number")
    assert path.read_bytes().startswith(b"gk1:")
    assert read_verified("attachments", attachment.stored_name, attachment.sha256) == plain_file
    migration.encrypt_rows(apps, editor)  # a second run changes nothing readable
    assert Application.objects.get(pk=application.pk).id_number == CANARY_ID


PROBE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.utils import timezone
from gongkai.accounts.models import Agency
from gongkai.applications.services import submit_application
from gongkai.core.uploads import CheckedFile
from tests.applications.factories import applicant_fields
pdf = %r
submission = submit_application(
    agency=Agency.objects.create(name="黄岩区人民政府", kind="district", slug="maoshe"),
    fields=applicant_fields(), channel="online",
    received_on=timezone.localdate(),
    files=(("identity_proof", CheckedFile(pdf, "pdf", "p.pdf", hashlib.sha256(pdf).hexdigest())),),
)
db = Path(settings.DATABASES["default"]["NAME"])
files = [db, Path(str(db) + "-wal")] + sorted((Path(settings.PRIVATE_MEDIA_ROOT) / "attachments").iterdir())
print(json.dumps({
    "number": submission.application.number,
    "wal_size": files[1].stat().st_size,
    "found": {str(f.name): [f.read_bytes().count(c) for c in %r] for f in files},
    "number_in_wal": files[1].read_bytes().count(submission.application.number.encode()),
}))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a real SQLite file with its write-ahead log")
def test_the_canary_is_not_in_a_real_sqlite_file_nor_its_wal(tmp_path):
    """The in-memory test database has no WAL: a real site's file and -wal, written by a real
    process (kept open while scanned, before the WAL is checkpointed away)."""
    import json
    import os
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "GONGKAI_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        }
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, timeout=600
    )
    probe = PROBE % (PDF, [c for c in CANARIES])
    result = subprocess.run(
        [*manage, "shell", "-c", probe], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["wal_size"] > 0
    assert report["number_in_wal"] > 0  # the scan sees the new row
    assert len(report["found"]) == 3  # the database, its WAL and the identity proof
    for name, counts in report["found"].items():
        assert counts == [0] * len(CANARIES), name
