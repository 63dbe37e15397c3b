"""Keeping the public form usable for people and costly for robots, with no outside service
(security.md ABUSE-01; froide helper/spam.py): a honeypot field, a minimum fill time carried in a
signed token, and per-IP and per-identity-number limits."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

from gongkai.core import ratelimit

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


def over_limit(ip: str, id_number: str) -> bool:
    """Count one submission from ``ip`` for ``id_number`` (already normalised by the form, so
    ``１１０…`` and ``110…`` are one person); True when either is over its limit. The counters
    live in the shared cache, so every worker counts against the same limit."""
    ip_over = ratelimit.hit("apply-ip", ip, limit=settings.APPLICATION_LIMIT_PER_IP_HOUR, seconds=3600)
    id_over = ratelimit.hit("apply-id", id_number, limit=settings.APPLICATION_LIMIT_PER_ID_DAY, seconds=24 * 3600)
    return ip_over or id_over


def tracking_refused(ip: str, number: str) -> bool:
    """Count one lookup of ``number`` from ``ip`` before it is checked; True when the address or
    the number has used up its failed lookups for the hour (the query code cannot be guessed by
    trying). A lookup that succeeds is given back with ``tracking_succeeded``."""
    seconds = 3600
    ip_over = ratelimit.hit("track-ip", ip, limit=settings.APPLICATION_TRACK_FAILURES_PER_IP_HOUR, seconds=seconds)
    number_key = (number or "").strip().upper()[:40]
    number_over = ratelimit.hit(
        "track-number", number_key, limit=settings.APPLICATION_TRACK_FAILURES_PER_NUMBER_HOUR, seconds=seconds
    )
    if ip_over or number_over:
        tracking_succeeded(ip, number)  # a refused lookup is not a failed one
        return True
    return False


def tracking_succeeded(ip: str, number: str) -> None:
    ratelimit.give_back("track-ip", ip)
    ratelimit.give_back("track-number", (number or "").strip().upper()[:40])


# An offline challenge when a connection nears its limit: a sum written in Chinese numerals,
# answered in digits. Plain text, so screen readers read it; no outside service; the answer
# travels signed with the question, so the server keeps no state.
CAPTCHA_SALT = "gongkai.applications.captcha"
NUMERALS = "零一二三四五六七八九十"


def near_limit(ip: str) -> bool:
    return ratelimit.used("apply-ip", ip) >= settings.APPLICATION_LIMIT_PER_IP_HOUR - 1


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
