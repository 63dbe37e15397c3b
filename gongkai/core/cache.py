"""The database cache, shared by every worker and process when no Redis is configured (security.md
ABUSE-01; decision 0016). Rate limits and lockouts must be counted in one place: a per-process
cache let each gunicorn worker allow its own three submissions an hour.

Django's DatabaseCache inherits ``incr`` from BaseCache: a ``get`` then a ``set`` — two workers
can read the same count, and the ``set`` also replaces the entry's expiry with the default
timeout (5 minutes), which turned an hourly window into a rolling 5-minute one. This ``incr``
locks the row, reads, and writes the new value keeping the expiry.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    _table: str  # set by BaseDatabaseCache.__init__; django-stubs does not declare it

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        stored_key = self.make_and_validate_key(key, version=version)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # Take the row's write lock first (PostgreSQL row lock; SQLite's IMMEDIATE transaction
            # already holds the database's), so a second worker waits and then reads our value.
            cursor.execute(
                f"UPDATE {table} SET {quote_name('cache_key')} = {quote_name('cache_key')} "  # noqa: S608 - quoted names
                f"WHERE {quote_name('cache_key')} = %s",
                [stored_key],
            )
            value: int | None = self.get(key, version=version)  # None when missing or expired
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {quote_name('cache_key')} = %s",  # noqa: S608
                [pickled, stored_key],
            )
        return value
