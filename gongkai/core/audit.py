"""Writing and verifying the audit trail.

``record_event`` is the only writer. Call it inside the transaction of the change it records:
if it fails, the change fails (security.md AUD-03). Rows form a hash chain keyed with
settings.AUDIT_HMAC_KEY (its own key, never SECRET_KEY); ``verify_chain`` recomputes it and
names the first row that differs, starting after the newest retention checkpoint.

``audited_refusals`` wraps a service function: a refusal (PermissionDenied or the app's domain
error) is recorded with result "refused" after the service's transaction rolled back (AUD-01).
The daily head export and the retention archive are in ``gongkai.core.audit_files``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import inspect
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from gongkai.core.models import AuditCheckpoint, AuditEvent, AuditResult
from gongkai.core.request_context import current_ip

logger = logging.getLogger(__name__)

_P = ParamSpec("_P")
_R = TypeVar("_R")

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


def canonical_json(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def mac(text: str) -> str:
    """HMAC with the audit key: HMAC-SHA256, or HMAC-SM3 with AUDIT_HASH_ALGORITHM=sm3 (GB/T
    39786-2021 密评; chosen once per installation, since every row of the chain uses the same
    one). Refuses to run without a key (AUD-03: no action unaudited)."""
    key = settings.AUDIT_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set (see .env.example).")
    if getattr(settings, "AUDIT_HASH_ALGORITHM", "sha256") == "sm3":
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives import hmac as crypto_hmac

        signer = crypto_hmac.HMAC(key.encode(), hashes.SM3())
        signer.update(text.encode())
        return signer.finalize().hex()
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def row_values(values: dict[str, Any]) -> dict[str, Any]:
    """The hashed fields of a row as JSON values (also the archive's line format)."""
    return {name: _value(name, values[name]) for name in HASHED_FIELDS}


def compute_hash(values: dict[str, Any]) -> str:
    return mac(canonical_json(row_values(values)))


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


def _actor_fields(actor: Any) -> dict[str, Any]:
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
    actor: Any = None,
    obj: models.Model | None = None,
    agency: Any = None,
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
        if last is None:  # everything archived: continue after the newest checkpoint
            last = AuditCheckpoint.objects.order_by("-up_to_id").values_list("up_to_id", "up_to_hash").first()
        fields["prev_hash"] = last[1] if last else GENESIS_HASH
        fields["id"] = (last[0] if last else 0) + 1
        fields["hash"] = compute_hash(fields)
        return AuditEvent.objects.create(**fields)


# ---------------------------------------------------------------------------------------------
# Refused actions (AUD-01): recorded on their own, after the business transaction rolled back


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def record_refusal(
    event: str, *, action: str, actor: Any, obj: Any = None, error: Exception, data: dict[str, Any] | None = None
) -> AuditEvent | None:
    """One ``result="refused"`` row naming the attempted action and the reason shown to the user."""
    details = {"action": action, "reason": _clean(_reason(error), 500), **(data or {})}
    if isinstance(obj, list | tuple):
        details["objects"] = [str(getattr(o, "pk", o)) for o in obj]
        obj = None
    elif obj is not None and not isinstance(obj, models.Model):
        obj = None
    if transaction.get_connection().needs_rollback:
        # Inside an outer transaction that is already doomed: the row could not be written, and
        # the outer caller's own refusal handling records it (docs/decisions/0019-audit.md).
        logger.warning("refusal of %s not recorded: the surrounding transaction is rolling back", action)
        return None
    return record_event(event, actor=actor, obj=obj, result=AuditResult.REFUSED, data=details)


# Arguments worth naming in a refusal row when a service has them (which step, event or field).
DETAIL_ARGUMENTS = ("step", "kind", "field")


def audited_refusals(
    event: str, *, errors: tuple[type[Exception], ...] = (), obj: str | None = None, action: str | None = None
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Decorate a service function (above its ``@transaction.atomic``) so that each refusal is
    audited: PermissionDenied, or one of ``errors`` (the app's domain errors for a state that
    does not allow the action). The service's transaction has rolled back by the time the row is
    written, so the refusal is committed on its own and the business data stays unchanged.

    ``obj`` names the parameter holding the object (default: the first parameter); the actor is
    the ``actor`` parameter. Plain form errors (ValidationError that is not a domain error) are
    input mistakes, not refusals, and are not recorded.
    """
    refusing: tuple[type[Exception], ...] = (PermissionDenied, *errors)

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        signature = inspect.signature(function)
        obj_parameter = obj or next(iter(signature.parameters))

        @functools.wraps(function)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return function(*args, **kwargs)
            except refusing as error:
                arguments = signature.bind_partial(*args, **kwargs).arguments
                record_refusal(
                    event,
                    action=action or function.__name__,
                    actor=arguments.get("actor"),
                    obj=arguments.get(obj_parameter),
                    error=error,
                    data={k: arguments[k] for k in DETAIL_ARGUMENTS if isinstance(arguments.get(k), str)},
                )
                raise

        return wrapper

    return decorate


# ---------------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


CHECKPOINT_FIELDS = (
    "created_at",
    "first_id",
    "up_to_id",
    "prev_hash",
    "up_to_hash",
    "rows",
    "cutoff",
    "archive_name",
    "archive_sha256",
)


def checkpoint_hash(values: dict[str, Any]) -> str:
    content = {
        name: value.astimezone(UTC).isoformat(timespec="microseconds") if hasattr(value, "astimezone") else value
        for name, value in ((n, values[n]) for n in CHECKPOINT_FIELDS)
    }
    return mac(canonical_json({"checkpoint": content}))


def verify_checkpoints() -> tuple[list[ChainProblem], str, int | None]:
    """Check the retention checkpoints; return the problems, and where the live chain starts:
    the hash before its first row and that row's expected id (None: no checkpoint)."""
    problems: list[ChainProblem] = []
    previous, expected_id = GENESIS_HASH, None
    for cp in AuditCheckpoint.objects.order_by("up_to_id").values(*CHECKPOINT_FIELDS, "hash"):
        if checkpoint_hash(cp) != cp["hash"]:
            problems.append(ChainProblem(cp["up_to_id"], "archive checkpoint does not match its hash"))
        if cp["prev_hash"] != previous or (expected_id is not None and cp["first_id"] != expected_id):
            problems.append(ChainProblem(cp["first_id"], "archive checkpoint does not continue the one before"))
        previous, expected_id = cp["up_to_hash"], cp["up_to_id"] + 1
    return problems, previous, expected_id


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Yield each row whose content or link does not match; the first one is the first bad row.
    After a retention run the chain starts at the newest checkpoint's boundary."""
    problems, previous, expected_id = verify_checkpoints()
    yield from problems
    queryset = AuditEvent.objects.order_by("id").values(*HASHED_FIELDS, "hash")
    if expected_id is not None:
        queryset = queryset.filter(id__gte=expected_id)
    for row in queryset.iterator(chunk_size=batch_size):
        if expected_id is not None and row["id"] != expected_id:
            yield ChainProblem(row["id"], f"rows {expected_id}..{row['id'] - 1} are missing")
        if row["prev_hash"] != previous:
            yield ChainProblem(row["id"], "link to the previous row is broken")
        if compute_hash(row) != row["hash"]:
            yield ChainProblem(row["id"], "content does not match its hash")
        previous = row["hash"]
        expected_id = row["id"] + 1
