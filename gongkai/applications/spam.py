"""Keeping the public form usable for people and costly for robots, with no outside service
(security.md ABUSE-01; froide helper/spam.py): a honeypot field, a minimum fill time carried in a
signed token, and per-IP and per-identity-number limits."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from gongkai.core import crypto

SALT = "gongkai.applications.form-started"


def form_token() -> str:
    return signing.dumps(time.time(), salt=SALT)


def filled_too_fast(token: str) -> bool:
    """True when the form came back sooner than a person can fill it, or the token is forged/old."""
    try:
        started = signing.loads(token or "", salt=SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return True
    return time.time() - float(started) < settings.APPLICATION_MIN_FILL_SECONDS


def _hit(key: str, limit: int, seconds: int) -> bool:
    """Count one use of ``key``; True when it is over ``limit`` in the window."""
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count > limit


def over_limit(ip: str, id_number: str) -> bool:
    # The keyed hash, not a plain SHA-256: the cache (Redis in production) must not hold anything
    # from which the number can be found by trying every birth date (PI-03).
    id_key = crypto.keyed_hash(id_number, purpose="id_number")[:32]
    ip_over = _hit(f"apply-ip:{ip}", settings.APPLICATION_LIMIT_PER_IP_HOUR, 3600)
    id_over = _hit(f"apply-id:{id_key}", settings.APPLICATION_LIMIT_PER_ID_DAY, 24 * 3600)
    return ip_over or id_over


# An offline challenge when a connection nears its limit: a sum written in Chinese numerals,
# answered in digits. Plain text, so screen readers read it; no outside service; the answer
# travels signed with the question, so the server keeps no state.
CAPTCHA_SALT = "gongkai.applications.captcha"
NUMERALS = "零一二三四五六七八九十"


def near_limit(ip: str) -> bool:
    return (cache.get(f"apply-ip:{ip}") or 0) >= settings.APPLICATION_LIMIT_PER_IP_HOUR - 1


def new_challenge() -> tuple[str, str]:
    """(question, signed token)."""
    import secrets

    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    question = f"{NUMERALS[a]}加{NUMERALS[b]}"
    return question, signing.dumps({"q": question, "a": a + b}, salt=CAPTCHA_SALT)


def challenge_question(token: str) -> str:
    try:
        return signing.loads(token or "", salt=CAPTCHA_SALT, max_age=3600)["q"]
    except (signing.BadSignature, KeyError, TypeError):
        return ""


def challenge_passed(token: str, answer: str) -> bool:
    try:
        expected = signing.loads(token or "", salt=CAPTCHA_SALT, max_age=3600)["a"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    return (answer or "").strip() == str(expected)
