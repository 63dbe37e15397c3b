"""Backup and restore of everything that cannot be rebuilt (security.md REL-05; 等保 L3-CES1-29).

A backup is one tar file holding
- the database: SQLite through its online backup API (never a copy of a live file), PostgreSQL
  through ``pg_dump -Fc`` taken in the same snapshot as the row counts,
- the private files (identity proofs, notices, attachments, archives), and
- ``manifest.json``: the row count of every table, the SHA-256 of every member, the head of the
  audit chain, the schema migrations, and when it was taken.
The search index is not included: it is derived from the database and rebuilds itself.

With ``BACKUP_ENCRYPTION_KEY`` set, the tar is sealed with AES-256-GCM in 1 MiB chunks (each chunk
authenticated, their order and the end of the stream too), so a backup copied to a second volume
or another site is unreadable and any flipped byte is refused.

A restore checks everything before it writes anything: every member's hash, then it loads the
database and the files into an empty target and verifies the row counts, SQLite's integrity check,
the audit chain and every stored file a row refers to. Apps tell it which files their rows refer to
with ``register_stored_files`` in their ``AppConfig.ready()``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import verify_chain
from gongkai.core.models import AuditEvent
from gongkai.core.uploads import read_verified, stored_path

FORMAT_VERSION = 1
MAGIC = b"GKBACKUP1\n"
CHUNK = 1024 * 1024
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SKIPPED_TABLES = {"django_session"}  # sessions are not restored: everyone signs in again

# (folder, stored name, sha256 of the plain content) of each file a row refers to
StoredFile = tuple[str, str, str]
_stored_file_sources: dict[str, Callable[[], Iterable[StoredFile]]] = {}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (for the operator's console)."""


def register_stored_files(name: str, source: Callable[[], Iterable[StoredFile]]) -> None:
    """An app's rows that point at private files, checked after every restore (and by verify_files)."""
    _stored_file_sources[name] = source


def stored_files() -> Iterator[StoredFile]:
    for source in _stored_file_sources.values():
        yield from source()


# --- encryption --------------------------------------------------------------------------------


def _backup_key() -> bytes | None:
    value = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
    if not value:
        return None
    try:
        key = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError as exc:
        raise BackupError(_("BACKUP_ENCRYPTION_KEY is not base64.")) from exc
    if len(key) != 32:
        raise BackupError(_("BACKUP_ENCRYPTION_KEY must be 32 bytes, written in base64."))
    return key


def _seal(source: Path, target: Path, key: bytes) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead, prefix = AESGCM(key), os.urandom(8)
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(MAGIC + prefix)
        index, chunk = 0, plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            final = not following
            aad = MAGIC + struct.pack(">I?", index, final)
            sealed = aead.encrypt(prefix + struct.pack(">I", index), chunk, aad)
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if final:
                return
            index, chunk = index + 1, following


def _unseal(source: Path, target: Path, key: bytes) -> None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    with source.open("rb") as sealed, target.open("wb") as out:
        if sealed.read(len(MAGIC)) != MAGIC:
            raise BackupError(_("This is not an encrypted Gongkai backup."))
        prefix, index = sealed.read(8), 0
        while True:
            header = sealed.read(4)
            if len(header) != 4:
                raise BackupError(_("The encrypted backup is cut short."))
            body = sealed.read(struct.unpack(">I", header)[0])
            for final in (False, True):
                try:
                    chunk = aead.decrypt(
                        prefix + struct.pack(">I", index), body, MAGIC + struct.pack(">I?", index, final)
                    )
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError(
                    _("The encrypted backup is damaged, or the key is wrong (part %(part)d).") % {"part": index}
                )
            out.write(chunk)
            if final:
                if sealed.read(1):
                    raise BackupError(_("The encrypted backup has data after its end."))
                return
            index += 1


# --- taking a backup ---------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _first(row: tuple[Any, ...] | None) -> Any:
    """The first column of a query that always returns one row (COUNT(*), pg_export_snapshot())."""
    assert row is not None, "the query returns one row"
    return row[0]


def _sqlite_facts(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, Any] | None, list[str]]:
    tables = [
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        if row[0] not in SKIPPED_TABLES
    ]
    counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608 - names from sqlite_master
    head = db.execute("SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1").fetchone()
    migrations = [f"{a}.{n}" for a, n in db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]
    return counts, ({"id": head[0], "hash": head[1]} if head else None), migrations


def _snapshot_sqlite(target: Path) -> tuple[dict[str, int], dict[str, Any] | None, list[str]]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step (pages=-1): a consistent copy while other processes keep writing (WAL).
        connection.connection.backup(destination, pages=-1)
        destination.execute("PRAGMA journal_mode=DELETE")
        facts = _sqlite_facts(destination)
    finally:
        destination.close()
    return facts


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", str(db.get("PORT") or "")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[key] = value
    return env


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall() if row[0] not in SKIPPED_TABLES]


def _snapshot_postgresql(target: Path) -> tuple[dict[str, int], dict[str, Any] | None, list[str]]:
    """pg_dump reads the very snapshot in which the row counts and the audit head are read."""
    import psycopg

    db = settings.DATABASES["default"]
    params: dict[str, Any] = {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                                "password": db.get("PASSWORD"), "dbname": db["NAME"]}.items() if v}  # fmt: skip
    with psycopg.connect(**params) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = _first(conn.execute("SELECT pg_export_snapshot()").fetchone())
        with conn.cursor() as cursor:
            counts: dict[str, int] = {}
            for table in _pg_tables(cursor):
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
                counts[table] = _first(cursor.fetchone())
            cursor.execute("SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
            head = cursor.fetchone()
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [f"{a}.{n}" for a, n in cursor.fetchall()]
        result = subprocess.run(  # noqa: S603 - fixed argument list
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)],  # noqa: S607
            env=_pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
    return counts, ({"id": head[0], "hash": head[1]} if head else None), migrations


def _private_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    # Staged uploads not yet committed (*.part, tmp/) are not part of any row's state.
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".part") and "tmp" not in p.relative_to(root).parts
    )


def create_backup(output_dir: Path) -> Path:
    """Take a backup into output_dir; return the file written."""
    started = time.monotonic()
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(_("This database (%(vendor)s) cannot be backed up.") % {"vendor": vendor})
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%dT%H%M%S")
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        work_dir = Path(work)
        database = work_dir / DATABASE_MEMBERS[vendor]
        snapshot = _snapshot_sqlite if vendor == "sqlite" else _snapshot_postgresql
        counts, head, migrations = snapshot(database)
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        files = _private_files(root)
        members: dict[str, str] = {DATABASE_MEMBERS[vendor]: _sha256(database)}
        manifest: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(),
            "database": vendor,
            "row_counts": counts,
            "audit_head": head,
            "migrations": migrations,
            "members": members,
        }
        plain = work_dir / "backup.tar"
        with tarfile.open(plain, "w") as archive:
            archive.add(database, arcname=DATABASE_MEMBERS[vendor])
            for path in files:
                name = "files/" + path.relative_to(root).as_posix()
                members[name] = _sha256(path)
                archive.add(path, arcname=name)
            manifest["seconds"] = round(time.monotonic() - started, 3)
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
        key = _backup_key()
        target = output_dir / f"gongkai-backup-{stamp}.tar{'.gkenc' if key else ''}"
        if key:
            _seal(plain, target.with_suffix(target.suffix + ".part"), key)
        else:
            shutil.copyfile(plain, target.with_suffix(target.suffix + ".part"))
        os.replace(target.with_suffix(target.suffix + ".part"), target)
    return target


# --- restoring ---------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    files: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _open_archive(path: Path, work_dir: Path) -> Path:
    with path.open("rb") as handle:
        sealed = handle.read(len(MAGIC)) == MAGIC
    if not sealed:
        return path
    key = _backup_key()
    if key is None:
        raise BackupError(_("This backup is encrypted: set BACKUP_ENCRYPTION_KEY to restore it."))
    plain = work_dir / "backup.tar"
    _unseal(path, plain, key)
    return plain


def read_and_check(path: Path, work_dir: Path) -> dict[str, Any]:
    """Unpack a backup into work_dir and check every member against the manifest; the manifest."""
    archive_path = _open_archive(path, work_dir)
    try:
        with tarfile.open(archive_path, "r") as archive:
            archive.extractall(work_dir / "unpacked", filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(_("The backup cannot be read: %(error)s") % {"error": exc}) from exc
    unpacked = work_dir / "unpacked"
    try:
        manifest: dict[str, Any] = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("The backup has no readable manifest.")) from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("Unknown backup format %(format)s.") % {"format": manifest.get("format")})
    present = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()} - {"manifest.json"}
    expected = set(manifest["members"])
    if present != expected:
        raise BackupError(
            _("The files in the backup differ from its manifest: %(names)s") % {"names": sorted(present ^ expected)[:5]}
        )
    for name, digest in manifest["members"].items():
        if _sha256(unpacked / name) != digest:
            raise BackupError(_("%(name)s does not match its hash in the manifest.") % {"name": name})
    return manifest


def _target_is_empty() -> bool:
    return not [t for t in connection.introspection.table_names() if t not in SKIPPED_TABLES]


def _restore_sqlite(source: Path) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".restore")
    shutil.copyfile(source, staging)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staging, target)


def _restore_postgresql(source: Path, *, force: bool) -> None:
    connection.close()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d",
               settings.DATABASES["default"]["NAME"]]  # fmt: skip
    if force:
        command[1:1] = ["--clean", "--if-exists"]
    result = subprocess.run([*command, str(source)], env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()[:2000]})


def _current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t not in SKIPPED_TABLES]
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def verify_database(manifest: dict[str, Any] | None = None) -> list[str]:  # noqa: C901  one check per part
    """Problems found in the current database (and against a manifest's counts, when given)."""
    problems: list[str] = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            result = cursor.fetchone()[0]
        if result != "ok":
            problems.append(_("SQLite integrity check: %(result)s") % {"result": result})
    if manifest is not None:
        counts = _current_counts()
        for table, count in manifest["row_counts"].items():
            if counts.get(table) != count:
                problems.append(
                    _("Table %(table)s: %(rows)s rows, the backup recorded %(count)s.")
                    % {"table": table, "rows": counts.get(table), "count": count}
                )
    problems += [_("Audit row %(id)s: %(reason)s") % {"id": p.event_id, "reason": p.reason} for p in verify_chain()]
    if manifest is not None and manifest.get("audit_head"):
        head = manifest["audit_head"]
        if not AuditEvent.objects.filter(id=head["id"], hash=head["hash"]).exists():
            problems.append(_("The backup's audit head %(id)s is not in the restored chain.") % {"id": head["id"]})
    for folder, name, sha256 in stored_files():
        if not stored_path(folder, name).is_file():
            problems.append(_("File %(file)s is missing.") % {"file": f"{folder}/{name}"})
        elif read_verified(folder, name, sha256) is None:
            problems.append(_("File %(file)s does not match its recorded hash.") % {"file": f"{folder}/{name}"})
    return problems


def restore_backup(path: Path, *, force: bool = False) -> RestoreReport:
    """Restore into the configured database and private-file directory, then verify them."""
    started = time.monotonic()
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as work:
        work_dir = Path(work)
        manifest = read_and_check(path, work_dir)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                _("The backup is of a %(source)s database, the target is %(target)s.")
                % {"source": manifest["database"], "target": connection.vendor}
            )
        if not force:
            if not _target_is_empty():
                raise BackupError(_("The target database is not empty (use --force to replace it)."))
            if _private_files(root):
                raise BackupError(
                    _("The private file directory %(path)s is not empty (use --force to replace it).") % {"path": root}
                )
        unpacked = work_dir / "unpacked"
        database = unpacked / DATABASE_MEMBERS[manifest["database"]]
        if manifest["database"] == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgresql(database, force=force)
        if force and root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        files = 0
        if (unpacked / "files").exists():
            for source in sorted((unpacked / "files").rglob("*")):
                if source.is_file():
                    destination = root / source.relative_to(unpacked / "files")
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)
                    files += 1
    report = RestoreReport(manifest=manifest, files=files)
    report.problems = verify_database(manifest)
    report.seconds = round(time.monotonic() - started, 3)
    return report
