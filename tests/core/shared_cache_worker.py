"""A separate process counting against a rate limit (tests/core/test_shared_cache.py): the
shape of two gunicorn workers, each with its own cache client."""

from __future__ import annotations

import contextlib


def count_allowed(database: dict, backend: str, subject: str, limit: int, hits: int, start, results) -> None:
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="shared-cache-test-" + "k" * 40,
        USE_TZ=True,
        INSTALLED_APPS=[],
        DATABASES={"default": database},
        CACHES={"default": {"BACKEND": backend, "LOCATION": "gongkai_cache"}},
    )
    django.setup()
    from django.core.management import CommandError, call_command

    from gongkai.core import ratelimit

    with contextlib.suppress(CommandError):  # the other worker created the file's table at once
        call_command("createcachetable", verbosity=0)
    start.wait(30)
    allowed = sum(not ratelimit.hit("test", subject, limit=limit, seconds=3600) for _ in range(hits))
    results.put(allowed)
