"""Rate limits and lockouts are counted once for the whole site, not once per worker
(security.md ABUSE-01; decision 0016): the cache is shared and its counters are atomic."""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from tests.core.shared_cache_worker import count_allowed

pytestmark = pytest.mark.django_db


def test_the_configured_cache_is_shared_by_all_workers():
    backend = settings.CACHES["default"]["BACKEND"]
    assert "locmem" not in backend.lower()
    if not settings.REDIS_URL:
        assert backend == "gongkai.core.cache.DatabaseCache"
        assert "gongkai_cache" in connection.introspection.table_names()  # made by migrate


def test_sign_in_lockouts_are_kept_in_the_database():
    from axes.handlers.proxy import AxesProxyHandler

    assert type(AxesProxyHandler.get_implementation()).__name__ == "AxesDatabaseHandler"


def test_counting_keeps_the_window():
    # Django's DatabaseCache.incr re-sets the entry with the default 5-minute timeout, which
    # turned "3 an hour" into "3 every 5 minutes".
    with time_machine.travel(timezone.now(), tick=False) as clock:
        cache.add("window-test", 0, 3600)
        assert cache.incr("window-test") == 1
        clock.shift(timedelta(minutes=30))
        assert cache.incr("window-test") == 2
        clock.shift(timedelta(minutes=31))
        assert cache.get("window-test") is None


def _database_for_workers(tmp_path) -> dict:
    if connection.vendor == "sqlite":  # the test database lives in memory: use a file
        path = tmp_path / "shared.sqlite3"
        # Made in WAL mode before the workers start: two processes switching a new file's journal
        # mode at the same moment lock each other out (their init_command), a race of the test.

        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA journal_mode=WAL")
        return dict(settings.DATABASES["default"], NAME=str(path), TEST={})
    keys = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
    return {k: connection.settings_dict[k] for k in keys if k in connection.settings_dict}


def _run_two_workers(tmp_path, backend: str, *, limit: int, hits: int) -> int:
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    database, subject = _database_for_workers(tmp_path), uuid.uuid4().hex
    workers = [
        context.Process(target=count_allowed, args=(database, backend, subject, limit, hits, start, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    start.set()
    allowed = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
    return sum(allowed)


def test_two_worker_processes_share_one_limit(tmp_path):
    assert _run_two_workers(tmp_path, "gongkai.core.cache.DatabaseCache", limit=5, hits=8) == 5


def test_a_per_process_cache_would_let_each_worker_allow_the_limit(tmp_path):
    # What the old configuration did (issue 8: six submissions an hour instead of three).
    backend = "django.core.cache.backends.locmem.LocMemCache"
    assert _run_two_workers(tmp_path, backend, limit=3, hits=5) == 6
