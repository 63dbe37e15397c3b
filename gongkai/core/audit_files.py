"""The audit trail's files outside the database (security.md AUD-02; docs/decisions/0019-audit.md).

- The **head export**: each day the newest row's id, time and chain hash are appended as one
  line to ``AUDIT_HEAD_EXPORT_DIR/audit-heads.jsonl``. Each line carries the HMAC of its content
  and of the line before, so the file cannot be edited unnoticed either. ``verify_audit`` checks
  that every exported head is still in the chain with the same hash: deleting the newest rows
  (which the chain alone cannot show) is then detected.
- The **retention archive**: rows older than ``AUDIT_RETENTION_DAYS`` (at least 180) are written
  to a JSON-lines file with their chain hashes, the file's SHA-256 goes into an
  ``AuditCheckpoint`` row, and only then are the rows removed; the database lets rows go only at
  or below the newest checkpoint (migration core 0006).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit import (
    CHECKPOINT_FIELDS,
    GENESIS_HASH,
    HASHED_FIELDS,
    ChainProblem,
    _lock_chain,
    canonical_json,
    checkpoint_hash,
    compute_hash,
    mac,
    record_event,
    row_values,
)
from gongkai.core.models import AuditCheckpoint, AuditEvent

HEAD_FILE = "audit-heads.jsonl"
MINIMUM_RETENTION_DAYS = 180  # 网络安全法 art. 21(3): network logs are kept at least six months


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _append_durably(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


# ---------------------------------------------------------------------------------------------
# Head export


@dataclass(frozen=True)
class Head:
    id: int
    occurred_at: str
    hash: str


def current_head() -> Head | None:
    row = AuditEvent.objects.order_by("-id").values("id", "occurred_at", "hash").first()
    return Head(row["id"], _iso(row["occurred_at"]), row["hash"]) if row else None


def head_file() -> Path:
    return Path(settings.AUDIT_HEAD_EXPORT_DIR) / HEAD_FILE


def _line_mac(line: dict[str, Any]) -> str:
    return mac(canonical_json({"head": {k: v for k, v in line.items() if k != "mac"}}))


def read_exported_heads() -> tuple[list[dict[str, Any]], list[str]]:
    """The exported lines, and the problems of the file itself (edited, reordered or cut lines)."""
    path = head_file()
    if not path.exists():
        return [], []
    lines, problems, previous = [], [], ""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except ValueError:
            problems.append(f"{HEAD_FILE} line {number} is not readable")
            continue
        if line.get("mac") != _line_mac(line):
            problems.append(f"{HEAD_FILE} line {number} does not match its HMAC")
        elif line.get("prev") != previous:
            problems.append(f"{HEAD_FILE} line {number} does not follow the line before")
        previous = line.get("mac", "")
        lines.append(line)
    return lines, problems


def export_head(now: datetime | None = None) -> Head | None:
    """Append the current head to the export file; None when the trail is still empty."""
    head = current_head()
    if head is None:
        return None
    lines, _problems = read_exported_heads()
    line = {
        "exported_at": _iso(now or timezone.now()),
        "id": head.id,
        "occurred_at": head.occurred_at,
        "hash": head.hash,
        "prev": lines[-1].get("mac", "") if lines else "",
    }
    line["mac"] = _line_mac(line)
    _append_durably(head_file(), canonical_json(line) + "\n")
    return head


def check_exported_heads() -> tuple[list[ChainProblem], int]:
    """Every exported head must still be in the chain with its hash (or lie in an archived
    range). Returns the problems and the number of heads checked."""
    lines, file_problems = read_exported_heads()
    problems = [ChainProblem(0, text) for text in file_problems]
    archived_up_to = AuditCheckpoint.objects.order_by("-up_to_id").values_list("up_to_id", flat=True).first() or 0
    ids = {line["id"] for line in lines if isinstance(line.get("id"), int)}
    stored = dict(AuditEvent.objects.filter(id__in=ids).values_list("id", "hash"))
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for line in lines:
        head_id = line.get("id")
        if not isinstance(head_id, int) or head_id <= archived_up_to:
            continue
        if head_id not in stored:
            problems.append(
                ChainProblem(
                    head_id,
                    f"exported head (exported {line.get('exported_at')}) is missing: the newest row is "
                    f"{newest}, so rows were deleted",
                )
            )
        elif stored[head_id] != line.get("hash"):
            problems.append(
                ChainProblem(head_id, f"exported head (exported {line.get('exported_at')}) has a different hash now")
            )
    return problems, len(lines)


# ---------------------------------------------------------------------------------------------
# Retention


class ArchiveRefused(Exception):
    """The rows to archive do not verify: they are kept as evidence, nothing is removed."""


def retention_days() -> int:
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (网络安全法 art. 21(3)).")
    return days


def archive_path(name: str) -> Path:
    return Path(settings.AUDIT_ARCHIVE_DIR) / name


def archive_old_events(now: datetime | None = None) -> AuditCheckpoint | None:
    """Archive and remove the rows older than the retention period; None when there are none.

    Only a run of rows from the start of the live chain goes: the first row younger than the
    cutoff ends it, so no row under the retention period is ever touched (AUD-02).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    with transaction.atomic():
        _lock_chain()
        last = AuditCheckpoint.objects.order_by("-up_to_id").first()
        start_after = last.up_to_id if last else 0
        rows_qs = AuditEvent.objects.filter(id__gt=start_after)
        first_young = rows_qs.filter(occurred_at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
        if first_young is not None:
            rows_qs = rows_qs.filter(id__lt=first_young)
        rows = list(rows_qs.order_by("id").values(*HASHED_FIELDS, "hash"))
        if not rows:
            return None
        previous = last.up_to_hash if last else GENESIS_HASH
        expected_id = start_after + 1 if last else rows[0]["id"]
        lines = []
        for row in rows:
            if row["id"] != expected_id or row["prev_hash"] != previous or compute_hash(row) != row["hash"]:
                raise ArchiveRefused(f"audit row {row['id']} does not verify; nothing was archived")
            lines.append(canonical_json({**row_values(row), "hash": row["hash"]}))
            previous, expected_id = row["hash"], row["id"] + 1
        content = ("\n".join(lines) + "\n").encode()
        name = f"audit-{rows[0]['id']:010d}-{rows[-1]['id']:010d}.jsonl"
        path = archive_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".partial")
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha256 != hashlib.sha256(content).hexdigest():
            raise ArchiveRefused(f"the archive {name} was not written completely; nothing was removed")
        checkpoint = AuditCheckpoint(
            created_at=now,
            first_id=rows[0]["id"],
            up_to_id=rows[-1]["id"],
            prev_hash=rows[0]["prev_hash"],
            up_to_hash=rows[-1]["hash"],
            rows=len(rows),
            cutoff=cutoff,
            archive_name=name,
            archive_sha256=sha256,
        )
        checkpoint.hash = checkpoint_hash({f: getattr(checkpoint, f) for f in CHECKPOINT_FIELDS})
        checkpoint.save()
        # The DELETE trigger allows exactly these rows now: they lie at or below the checkpoint.
        AuditEvent.objects.filter(id__gt=start_after, id__lte=checkpoint.up_to_id).delete()
        record_event(
            "core.audit.archived",
            data={
                "first_id": checkpoint.first_id,
                "up_to_id": checkpoint.up_to_id,
                "rows": checkpoint.rows,
                "archive": name,
                "sha256": sha256,
                "cutoff": _iso(cutoff),
            },
        )
    return checkpoint


def check_archives() -> tuple[list[ChainProblem], list[str]]:
    """Each archive file still present must match its recorded SHA-256; missing files (moved to
    long-term storage) are noted, not failed."""
    problems, notes = [], []
    for cp in AuditCheckpoint.objects.order_by("up_to_id"):
        path = archive_path(cp.archive_name)
        if not path.exists():
            notes.append(f"archive {cp.archive_name} (rows {cp.first_id}..{cp.up_to_id}) is not in {path.parent}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != cp.archive_sha256:
            problems.append(ChainProblem(cp.up_to_id, f"archive {cp.archive_name} does not match its recorded SHA-256"))
    return problems, notes
