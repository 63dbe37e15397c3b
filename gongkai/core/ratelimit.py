"""Counting uses of something per window in the shared cache (security.md ABUSE-01; decision 0016).

The cache is shared by every worker (the database cache, or Redis when REDIS_URL is set: see
``config/settings.py``) and each count is one atomic step (``add`` then ``incr``; the database
backend's ``incr`` locks its row, Redis' INCR is atomic), so two workers can never both take the
last allowed use. Subjects (an address, an identity or application number) are keyed with an
HMAC, so the cache never holds personal data in clear.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, subject: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{subject}".encode(), hashlib.sha256).hexdigest()
    return f"rate:{scope}:{digest[:40]}"


def hit(scope: str, subject: str, *, limit: int, seconds: int) -> bool:
    """Count one use of ``subject``; True when this use is over ``limit`` in the window."""
    key = _key(scope, subject)
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this use opens a new one
        cache.add(key, 0, seconds)
        count = cache.incr(key)
    return count > limit


def give_back(scope: str, subject: str) -> None:
    """Return one use counted by ``hit`` (a lookup that turned out right is not a failure)."""
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        cache.decr(_key(scope, subject))


def used(scope: str, subject: str) -> int:
    return cache.get(_key(scope, subject)) or 0
