"""The settings every benchmark runs with: production settings (DEBUG off) with throw-away
secrets, on the database named by DATABASE_URL or the benchmark's own SQLite file."""

from __future__ import annotations

import base64
import os


def start_django(default_database_url: str, **extra: str) -> str:
    """Set the environment (``extra`` too) unless already set, start Django; return the database vendor."""
    os.environ.setdefault("DATABASE_URL", default_database_url)
    for name, value in extra.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("AUDIT_HMAC_KEY", "bench-only-audit-key-" + "y" * 40)
    os.environ.setdefault("PERSONAL_DATA_KEYS", "bench1:" + base64.b64encode(b"b" * 32).decode())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("HUEY_IMMEDIATE", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    return connection.vendor
