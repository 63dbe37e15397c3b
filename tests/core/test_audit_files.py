"""The audit trail's evidence outside the database and its retention (security.md AUD-02): the
daily head export catches deleted newest rows, the retention job archives only rows past 180
days (with the archive's hash recorded) and the chain still verifies; the chain's own key."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gongkai.core import audit_files
from gongkai.core.audit import record_event, verify_chain
from gongkai.core.checks import audit_key_check
from gongkai.core.models import AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db


def _delete_behind_the_apps_back(from_id: int) -> None:
    """Delete the newest rows as an attacker with the database would, trigger out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
        else:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cursor.execute("DELETE FROM core_auditevent WHERE id >= %s", [from_id])


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Head export


def test_verify_audit_prints_the_head(db):
    rows = [record_event("test.thing.done", data={"n": i}) for i in range(3)]
    assert f"audit head: row {rows[-1].pk} at " in _verify()
    assert rows[-1].hash in _verify()


def test_deleting_the_newest_rows_is_detected_through_the_exported_head(db):
    rows = [record_event("test.thing.done", data={"n": i}) for i in range(5)]
    out = io.StringIO()
    call_command("export_audit_head", stdout=out)
    lines = audit_files.head_file().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    exported = json.loads(lines[0])
    assert (exported["id"], exported["hash"]) == (rows[-1].pk, rows[-1].hash)
    assert "still in the chain" in _verify()

    _delete_behind_the_apps_back(rows[3].pk)
    assert list(verify_chain()) == []  # the chain alone cannot tell that its tail is gone
    with pytest.raises(CommandError, match="missing"):
        _verify()


def test_the_export_file_cannot_be_edited_unnoticed(db):
    record_event("test.thing.done")
    audit_files.export_head()
    record_event("test.thing.done")
    audit_files.export_head()
    path = audit_files.head_file()
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["hash"] = "f" * 64
    path.write_text(json.dumps(first) + "\n" + lines[1] + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="HMAC"):
        _verify()


def test_the_daily_task_exports_the_head(db):
    from gongkai.core.tasks import daily_audit_head_export

    record_event("test.thing.done")
    daily_audit_head_export.call_local()
    assert len(audit_files.head_file().read_text(encoding="utf-8").splitlines()) == 1


# ---------------------------------------------------------------------------------------------
# Retention


START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def _history():
    with time_machine.travel(START, tick=False):
        old = [record_event("test.thing.done", data={"n": i}) for i in range(3)]
    with time_machine.travel(START + timedelta(days=100), tick=False):
        young = [record_event("test.thing.done", data={"n": 10 + i}) for i in range(2)]
    return old, young


def test_retention_keeps_everything_at_179_days(db):
    _history()
    with time_machine.travel(START + timedelta(days=179), tick=False):
        assert audit_files.archive_old_events() is None
    assert AuditEvent.objects.count() == 5
    assert not AuditCheckpoint.objects.exists()


def test_retention_archives_only_rows_past_180_days_and_the_chain_still_verifies(db):
    old, young = _history()
    with time_machine.travel(START + timedelta(days=181), tick=False):
        call_command("archive_audit", stdout=io.StringIO())
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.first_id, checkpoint.up_to_id, checkpoint.rows) == (old[0].pk, old[-1].pk, 3)
    remaining = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert remaining[:2] == [young[0].pk, young[1].pk]
    assert AuditEvent.objects.get(pk=remaining[2]).event == "core.audit.archived"
    # The archive holds the rows with their chain hashes, and its SHA-256 is recorded.
    path = audit_files.archive_path(checkpoint.archive_name)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == checkpoint.archive_sha256
    archived = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["hash"]) for r in archived] == [(r.pk, r.hash) for r in old]
    assert list(verify_chain()) == []
    assert "1 archive(s)" in _verify()
    # Recent rows still cannot be deleted by the application, nor the checkpoint.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=young[0].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditCheckpoint.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditcheckpoint SET up_to_id = up_to_id + 10")


def test_rows_after_a_purge_continue_the_chain(db):
    _history()
    with time_machine.travel(START + timedelta(days=400), tick=False):
        checkpoint = audit_files.archive_old_events()
    assert checkpoint.rows == 5
    later = record_event("test.thing.done")
    assert later.pk > checkpoint.up_to_id
    assert list(verify_chain()) == []


def test_an_altered_archive_is_reported(db):
    _history()
    with time_machine.travel(START + timedelta(days=181), tick=False):
        checkpoint = audit_files.archive_old_events()
    path = audit_files.archive_path(checkpoint.archive_name)
    path.write_bytes(path.read_bytes().replace(b'"n":1', b'"n":9'))
    with pytest.raises(CommandError, match="SHA-256"):
        _verify()


def test_less_than_180_days_retention_is_refused(settings, monkeypatch):
    settings.AUDIT_RETENTION_DAYS = 179
    with pytest.raises(ImproperlyConfigured):
        audit_files.archive_old_events()
    from config import settings as settings_module

    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "90")
    with pytest.raises(ImproperlyConfigured):
        settings_module._audit_retention_days()


# ---------------------------------------------------------------------------------------------
# The chain's own key


def test_the_chain_is_keyed_with_its_own_key_not_the_secret_key(settings):
    import hmac

    from gongkai.core.audit import canonical_json, row_values

    assert settings.AUDIT_HMAC_KEY != settings.SECRET_KEY
    row = record_event("test.thing.done")
    values = AuditEvent.objects.filter(pk=row.pk).values().get()
    expected = hmac.new(
        settings.AUDIT_HMAC_KEY.encode(), canonical_json(row_values(values)).encode(), hashlib.sha256
    ).hexdigest()
    assert row.hash == expected
    settings.SECRET_KEY = "a-rotated-secret-key-" + "z" * 40
    assert list(verify_chain()) == []


def test_no_audit_key_means_no_audited_action(settings):
    settings.AUDIT_HMAC_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        record_event("test.thing.done")
    assert not AuditEvent.objects.exists()


def test_the_deploy_check_warns_about_a_missing_or_shared_key(settings):
    settings.AUDIT_HMAC_KEY = ""
    assert [w.id for w in audit_key_check(None)] == ["gongkai.W001"]
    settings.AUDIT_HMAC_KEY = settings.SECRET_KEY
    assert [w.id for w in audit_key_check(None)] == ["gongkai.W002"]
    settings.AUDIT_HMAC_KEY = "another-long-random-audit-key-" + "x" * 30
    assert audit_key_check(None) == []


def test_production_never_falls_back_to_the_secret_key_and_development_generates_one(tmp_path):
    code = "from django.conf import settings; print(repr(settings.AUDIT_HMAC_KEY))"
    base = {k: v for k, v in os.environ.items() if not k.startswith("AUDIT_HMAC_KEY")}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "s" * 60})
    production = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=django_settings.BASE_DIR,
        env={**base, "DEBUG": "false", "GONGKAI_VAR_DIR": str(tmp_path / "prod")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert production.stdout.strip() == "''", production.stderr
    development = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=django_settings.BASE_DIR,
        env={**base, "DEBUG": "true", "GONGKAI_VAR_DIR": str(tmp_path / "dev")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    generated = (tmp_path / "dev" / "audit_hmac_key").read_text(encoding="utf-8").strip()
    assert development.stdout.strip() == repr(generated), development.stderr
    assert generated != "s" * 60
