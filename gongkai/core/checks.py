"""Deployment checks of the audit settings (`manage.py check --deploy`; security.md AUD-02)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def audit_key_check(app_configs, **kwargs):
    key = getattr(settings, "AUDIT_HMAC_KEY", "")
    if not key:
        return [
            checks.Warning(
                "AUDIT_HMAC_KEY is not set: every audited action will fail.",
                hint="Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to 50+ random characters, not the SECRET_KEY.",
                id="gongkai.W001",
            )
        ]
    if key == settings.SECRET_KEY:
        return [
            checks.Warning(
                "AUDIT_HMAC_KEY equals SECRET_KEY.",
                hint="The audit chain needs a key of its own, so that rotating or leaking SECRET_KEY "
                "does not touch the audit trail's tamper evidence.",
                id="gongkai.W002",
            )
        ]
    if len(key) < 32:
        return [checks.Warning("AUDIT_HMAC_KEY is shorter than 32 characters.", id="gongkai.W003")]
    return []
