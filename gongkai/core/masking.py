"""Masking personal data wherever it is shown or logged (security.md PI-02, PI-05).

One pattern for the whole platform: an ID number keeps its first 4 and last 4 characters
(``3301**********1234``, issue 4), a mobile number its first 3 and last 4 (``138****8000``).
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_id_number(value: str) -> str:
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_card(value: str) -> str:
    """A bank card number keeps its first 4 and last 4 digits (``6222 **** **** 1234`` style)."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_address(value: str) -> str:
    """Keep the address down to the township or street (永安 practice); hide the rest."""
    value = (value or "").strip()
    for marker in ("街道", "乡", "镇"):
        cut = value.find(marker)
        if cut != -1:
            return value[: cut + len(marker)] + "****"
    return value[:6] + "****" if len(value) > 6 else "****" if value else ""


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number inside free text (log lines, e-mails)."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not stop logging
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None:
            return params
        params = params.copy()
        for key in params:
            if any(word in key for word in ("id_number", "phone", "address", "password", "name")):
                params[key] = self.cleansed_substitute
        return params
