"""Backup and restore (security.md REL-05) and kill -9 during writes (REL-06), end to end: real
`manage.py` processes on their own database (SQLite files, or PostgreSQL databases when the suite
runs on PostgreSQL) and their own private-file directory, as an operator would run them."""

from __future__ import annotations

import base64
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = connection.vendor == "postgresql"


def _pg_params() -> dict:
    db = settings.DATABASES["default"]
    return {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                              "password": db.get("PASSWORD")}.items() if v}  # fmt: skip


class Site:
    """One installation: a database and a var/ directory (private files, backups)."""

    def __init__(self, base: Path, name: str):
        self.var = base / name
        self.var.mkdir(parents=True, exist_ok=True)
        self.name = f"gongkai_backup_test_{name}"
        if POSTGRES:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **_pg_params()) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')
            db = settings.DATABASES["default"]
            host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
            self.url = f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{self.name}"
        else:
            self.url = f"sqlite:///{self.var / 'gongkai.sqlite3'}"

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "BACKUP_ENCRYPTION_KEY"}}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="true",
            SECRET_KEY=settings.SECRET_KEY,
            AUDIT_HMAC_KEY=settings.AUDIT_HMAC_KEY,
            PERSONAL_DATA_KEYS=settings.PERSONAL_DATA_KEYS,  # the keys live outside the backup
            DATABASE_URL=self.url,
            GONGKAI_VAR_DIR=str(self.var),
            PRIVATE_MEDIA_ROOT=str(self.var / "private"),
            HUEY_IMMEDIATE="true",
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env

    def manage(self, *args, check=True, **extra) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**extra), capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def scalar(self, sql: str) -> int:
        """One number read straight from the site's database."""
        if POSTGRES:
            import psycopg

            with psycopg.connect(dbname=self.name, **_pg_params()) as conn:
                return conn.execute(sql).fetchone()[0]
        db = sqlite3.connect(self.var / "gongkai.sqlite3")
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()

    def counts(self) -> dict[str, int]:
        """Rows per table, read independently of the backup code."""
        if POSTGRES:
            import psycopg

            with psycopg.connect(dbname=self.name, **_pg_params()) as conn:
                tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
                return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        db = sqlite3.connect(self.var / "gongkai.sqlite3")
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            tables = [t for t in tables if not t.startswith("sqlite_")]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        finally:
            db.close()

    def drop(self) -> None:
        if POSTGRES:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **_pg_params()) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A site with the demo district's applications (identity proofs, notices) and one backup of it."""
    base = tmp_path_factory.mktemp("backups")
    site = Site(base, "source")
    site.manage("migrate", "-v0")
    site.manage("load_demo", "--without-catalog", "--credentials-file", str(site.var / "credentials.txt"))
    counts_before = site.counts()
    backup = Path(site.manage("backup", "--output", str(base / "out")).stdout.strip())
    encrypted = Path(site.manage("backup", "--output", str(base / "out-enc"), BACKUP_ENCRYPTION_KEY=KEY).stdout.strip())
    yield {"base": base, "site": site, "backup": backup, "encrypted": encrypted, "counts": counts_before}
    site.drop()


@pytest.fixture
def target(source, request):
    site = Site(source["base"], f"target_{request.node.name[:20].strip('_').replace('[', '_')}_{os.getpid()}")
    yield site
    site.drop()


def _business_counts(counts: dict[str, int]) -> dict[str, int]:
    # the restore adds its own audit row and sessions are not restored
    return {t: c for t, c in counts.items() if t not in {"core_auditevent", "django_session"}}


def test_restore_into_an_empty_site_gives_back_every_row_file_and_the_audit_chain(source, target):
    result = target.manage("restore", str(source["backup"]))
    assert "已恢复并通过校验" in result.stdout
    restored = target.counts()
    assert _business_counts(restored) == _business_counts(source["counts"])
    assert restored["applications_notice"] > 0
    assert restored["applications_application"] > 0
    # the backup's own audit row is not in the snapshot; the restore appends one
    assert restored["core_auditevent"] == source["counts"]["core_auditevent"] + 1
    assert "audit chain intact" in target.manage("verify_audit").stdout
    files = target.manage("verify_files").stdout
    expected = (
        restored["applications_attachment"]
        + 2 * restored["applications_notice"]
        + restored["applications_applicationarchive"]
        + restored["catalog_entryattachment"]
        # the disputes' documents, except the secret ones, which are listed and never stored
        + target.scalar("SELECT COUNT(*) FROM disputes_disputedocument WHERE stored_name <> ''")
    )
    assert f"全部 {expected} 个存储文件均已通过校验" in files
    assert "seconds=" in (target.var / "restore-drills.log").read_text(encoding="utf-8")


def test_an_encrypted_backup_restores_only_with_its_key(source, target):
    data = source["encrypted"].read_bytes()
    assert data.startswith(b"GKBACKUP1\n")
    assert "测试金丝雀".encode() not in data
    assert b"13800138000" not in data
    assert b"CREATE TABLE" not in data
    refused = target.manage("restore", str(source["encrypted"]), check=False)
    assert refused.returncode != 0
    assert "BACKUP_ENCRYPTION_KEY" in refused.stderr
    wrong = target.manage(
        "restore", str(source["encrypted"]), check=False,
        BACKUP_ENCRYPTION_KEY=base64.urlsafe_b64encode(b"w" * 32).decode(),
    )  # fmt: skip
    assert wrong.returncode != 0
    assert "密钥不正确" in wrong.stderr
    target.manage("restore", str(source["encrypted"]), BACKUP_ENCRYPTION_KEY=KEY)
    assert _business_counts(target.counts()) == _business_counts(source["counts"])


@pytest.mark.parametrize("which", ["backup", "encrypted"])
def test_one_flipped_byte_fails_the_restore_and_writes_nothing(source, target, which):
    data = bytearray(source[which].read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged = source["base"] / f"damaged-{which}"
    damaged.write_bytes(bytes(data))
    result = target.manage("restore", str(damaged), check=False, BACKUP_ENCRYPTION_KEY=KEY)
    assert result.returncode != 0
    assert "拒绝恢复" in result.stderr
    assert not [t for t, c in target.counts().items() if c and t != "sqlite_sequence"]
    assert list((target.var / "private").rglob("*.*")) == []  # no file written (the folder may not exist)


def test_restore_refuses_a_site_that_is_not_empty(source, target):
    target.manage("restore", str(source["backup"]))
    again = target.manage("restore", str(source["backup"]), check=False)
    assert again.returncode != 0
    assert "不为空" in again.stderr


def test_kill_9_during_writes_leaves_no_half_written_application(source, target):
    """REL-06: a writer killed with SIGKILL mid-stream leaves a consistent database: every row is
    whole (application + clock + attachment + audit), every file a row names is intact, the audit
    chain verifies, and writing goes on afterwards."""
    target.manage("restore", str(source["backup"]))
    before = target.counts()["applications_application"]
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.core.crash_writer"],
        cwd=ROOT, env=target.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    committed = 0
    deadline = time.monotonic() + 120
    while committed < 6 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        committed = int(line.split()[1])
    time.sleep(0.05)  # land inside the next transaction or file write
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert committed >= 6, writer.stderr.read()
    counts = target.counts()
    written = counts["applications_application"] - before
    assert written >= committed
    if not POSTGRES:
        db = sqlite3.connect(target.var / "gongkai.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute(
            "SELECT a.id, (SELECT COUNT(*) FROM applications_clockevent c WHERE c.application_id = a.id),"
            " (SELECT COUNT(*) FROM applications_attachment f WHERE f.application_id = a.id) FROM"
            " applications_application a ORDER BY a.id DESC LIMIT ?",
            (written,),
        ).fetchall()
        db.close()
        assert all(clock_events == 1 and attachments == 1 for _id, clock_events, attachments in rows)
    assert "audit chain intact" in target.manage("verify_audit").stdout
    assert "均已通过校验" in target.manage("verify_files").stdout
    # and the site keeps working after the crash
    writer = subprocess.run(
        [sys.executable, "-c", "import tests.core.crash_writer"], cwd=ROOT, env=target.env(), capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert writer.returncode == 0, writer.stderr
