"""System checks of Gongkai's own settings (run by `manage.py check --deploy`): the audit key
(AUD-02) and the malware scanner (FILE-03)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def audit_key_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
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


@checks.register(checks.Tags.security, deploy=True)
def malware_scanner_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
    """FILE-03: production scans every upload. MALWARE_SCANNER=none is for development only."""
    scanner = settings.MALWARE_SCANNER
    if scanner == "none" and not settings.DEBUG:
        return [
            checks.Warning(
                "MALWARE_SCANNER is 'none': uploads are not scanned for malware.",
                hint="Install clamav-daemon and set MALWARE_SCANNER=clamd (the default) and CLAMD_ADDRESS.",
                id="gongkai.W010",
            )
        ]
    if scanner not in ("none", "clamd") and "." not in scanner:
        return [
            checks.Error(
                f"MALWARE_SCANNER={scanner!r} is not 'clamd', 'none' or a dotted path to a scanner class.",
                id="gongkai.E010",
            )
        ]
    return []
