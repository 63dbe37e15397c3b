"""Writing and verifying the audit trail.

``record_event`` is the only writer. Call it inside the transaction of the change it records:
if it fails, the change fails (security.md AUD-03). Rows form a hash chain keyed with
settings.AUDIT_HMAC_KEY; ``verify_chain`` recomputes it and names the first row that differs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditResult
from gongkai.core.request_context import current_ip

GENESIS_HASH = "0" * 64
# Any number that identifies our lock; PostgreSQL advisory locks are per database.
_PG_AUDIT_LOCK = 0x61756469
# Fields covered by the hash, in order. ``id`` is included so a row cannot be moved.
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "event",
    "result",
    "actor_id",
    "actor_username",
    "actor_name",
    "actor_roles",
    "agency_id",
    "agency_name",
    "object_type",
    "object_id",
    "object_repr",
    "data",
    "ip_address",
    "prev_hash",
)


def _value(name: str, value: Any) -> Any:
    if name == "occurred_at":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def compute_hash(values: dict[str, Any]) -> str:
    canonical = json.dumps(
        {name: _value(name, values[name]) for name in HASHED_FIELDS},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def _clean(text: str, limit: int) -> str:
    """Neutralise log injection: control characters are stored escaped (AUD-02)."""
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in str(text))
    return text[:limit]


def _object_fields(obj: models.Model | None) -> dict[str, str]:
    if obj is None:
        return {"object_type": "", "object_id": "", "object_repr": ""}
    return {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": _clean(str(obj), 200),
    }


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_name": "", "actor_roles": ""}
    roles = ",".join(sorted(actor.role_assignments.values_list("role", flat=True)))
    return {
        "actor_id": actor.pk,
        "actor_username": _clean(actor.username, 150),
        "actor_name": _clean(actor.full_name, 100),
        "actor_roles": roles,
    }


def _lock_chain() -> None:
    # SQLite: the IMMEDIATE transaction already holds the database's single write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])


def record_event(
    event: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    agency=None,
    data: dict[str, Any] | None = None,
    result: str = AuditResult.SUCCESS,
    username: str = "",
) -> AuditEvent:
    """Append one audit record. ``event`` is namespaced: ``app.model.past_tense_verb``.

    ``username`` records the name typed at a failed login when there is no actor.
    """
    if "." not in event:
        raise ValueError("audit event codes are namespaced, e.g. 'core.calendar.imported'")
    if agency is None and actor is not None:
        agency = getattr(actor, "agency", None)
    fields: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "event": event,
        "result": result,
        **_actor_fields(actor),
        "agency_id": agency.pk if agency else None,
        "agency_name": agency.name if agency else "",
        **_object_fields(obj),
        "data": json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
        "ip_address": current_ip(),
    }
    if username and not fields["actor_username"]:
        fields["actor_username"] = _clean(username, 150)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        fields["prev_hash"] = last[1] if last else GENESIS_HASH
        fields["id"] = (last[0] if last else 0) + 1
        fields["hash"] = compute_hash(fields)
        return AuditEvent.objects.create(**fields)


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Yield each row whose content or link does not match; the first one is the first bad row."""
    previous = GENESIS_HASH
    expected_id = None
    queryset = AuditEvent.objects.order_by("id").values(*HASHED_FIELDS, "hash")
    for row in queryset.iterator(chunk_size=batch_size):
        if expected_id is not None and row["id"] != expected_id:
            yield ChainProblem(row["id"], f"rows {expected_id}..{row['id'] - 1} are missing")
        if row["prev_hash"] != previous:
            yield ChainProblem(row["id"], "link to the previous row is broken")
        if compute_hash(row) != row["hash"]:
            yield ChainProblem(row["id"], "content does not match its hash")
        previous = row["hash"]
        expected_id = row["id"] + 1
