"""Re-encrypting personal data under the current key (security.md PI-03; docs/decisions/0022).

After a new key is put first in PERSONAL_DATA_KEYS (the old one kept after it), or after
PERSONAL_DATA_CIPHER changed, ``manage.py rotate_personal_data_key`` rewrites every encrypted
column, keyed hash and private file that is not yet under the current key and algorithm. It works
in batches, each in its own transaction, and looks at what is stored, so it can be stopped and
run again: a second run changes nothing. Then the old key can be removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from gongkai.core import crypto, uploads
from gongkai.core.encrypted_fields import EncryptedTextField, encrypted_fields, hash_fields


@dataclass
class RotationResult:
    rows: int = 0
    files: int = 0


def _stale(raw: str | None) -> bool:
    """Whether a stored column value must be rewritten: a token under another key or algorithm,
    or a plaintext value stored before encryption (empty and purged values stay as they are)."""
    from gongkai.core.encrypted_fields import PLAIN_VALUES

    if raw is None or raw in PLAIN_VALUES:
        return False
    return not crypto.is_token(raw) or not crypto.is_current(raw)


def _stale_ids(
    model: type[models.Model], fields: list[EncryptedTextField], after: int, batch_size: int
) -> tuple[list[int], int | None]:
    """Ids of the next batch whose stored values are stale, and the last id looked at."""
    ops = connection.ops
    # Concrete fields always have a column (django-stubs types it optional for the others).
    columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)
    pk = ops.quote_name(str(model._meta.pk.column))
    sql = (
        f"SELECT {pk}, {columns} FROM {ops.quote_name(model._meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, batch_size])
        rows = cursor.fetchall()
    if not rows:
        return [], None
    return [row[0] for row in rows if any(_stale(value) for value in row[1:])], rows[-1][0]


def rotate_rows(*, batch_size: int = 500) -> int:
    """Rewrite the stale rows of every model with encrypted fields; return how many."""
    changed = 0
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        names = [f.name for f in fields] + [f.name for f in hash_fields(model)]
        after = 0
        while True:
            ids, last = _stale_ids(model, fields, after, batch_size)
            if last is None:
                break
            if ids:
                with transaction.atomic():
                    for row in model._default_manager.select_for_update().filter(pk__in=ids):
                        row.save(update_fields=names)  # decrypted on load, encrypted anew on save
                        changed += 1
            after = last
    return changed


def rotate_files() -> int:
    """Rewrite the private files of the encrypted folders that are not under the current key."""
    changed = 0
    for folder in sorted(uploads.ENCRYPTED_FOLDERS):
        root = Path(settings.PRIVATE_MEDIA_ROOT) / folder
        if not root.is_dir():
            continue
        for path in sorted(root.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                changed += uploads.reencrypt_stored(folder, path.name)
    return changed


def rotate_all(*, batch_size: int = 500) -> RotationResult:
    return RotationResult(rows=rotate_rows(batch_size=batch_size), files=rotate_files())
