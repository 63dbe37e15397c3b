"""System checks of Gongkai's own settings (run by `manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def malware_scanner_check(app_configs, **kwargs):
    """FILE-03: production scans every upload. MALWARE_SCANNER=none is for development only."""
    scanner = settings.MALWARE_SCANNER
    if scanner == "none" and not settings.DEBUG:
        return [
            Warning(
                "MALWARE_SCANNER is 'none': uploads are not scanned for malware.",
                hint="Install clamav-daemon and set MALWARE_SCANNER=clamd (the default) and CLAMD_ADDRESS.",
                id="gongkai.W001",
            )
        ]
    if scanner not in ("none", "clamd") and "." not in scanner:
        return [
            Error(
                f"MALWARE_SCANNER={scanner!r} is not 'clamd', 'none' or a dotted path to a scanner class.",
                id="gongkai.E001",
            )
        ]
    return []
