"""Masking personal data wherever it is shown or logged (security.md PI-02, PI-05).

One pattern for the whole platform: an ID number keeps its first 4 and last 4 characters
(``3301**********1234``, issue 4), a mobile number its first 3 and last 4 (``138****8000``).
"""

from __future__ import annotations

import logging
import re
from typing import Any, TypeVar

from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Unicode \d on purpose: masking also catches numbers written with full-width or other digits.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
# A query code (10 characters of gongkai.applications.services.QUERY_CODE_ALPHABET) standing
# alone, and any value given to a secret-looking name (query_code=…, "X-Query-Code": "…").
QUERY_CODE_RE = re.compile(r"(?<![A-Za-z0-9_-])[A-HJ-NP-Z2-9]{10}(?![A-Za-z0-9_-])")
SECRET_VALUE_RE = re.compile(
    r"(?P<name>query[_-]?code|idempotency[_-]?key|password)(?P<sep>['\"]?\s*[:=]\s*['\"]?)(?P<value>[^\s&'\",;}]+)",
    flags=re.IGNORECASE,
)
# Names whose values never appear in an error report (PI-05): POST and GET parameters, request
# headers, settings, and a traceback's local variables and dictionary keys.
SENSITIVE_NAMES = re.compile(
    "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL|QUERY_CODE|ID_NUMBER|PHONE|ADDRESS"
    "|APPLICANT_NAME|FULL_NAME|CHALLENGE|QUERY_STRING|RAW_URI|REQUEST_URI"
    "|^CODE$|^FIELDS$|^PAYLOAD$|^CLEANED_DATA$",
    flags=re.IGNORECASE,
)


def _purged(value: str) -> bool:
    from gongkai.core.encrypted_fields import PURGED

    return value == PURGED  # nothing left to hide (PI-04)


def mask_id_number(value: str) -> str:
    value = (value or "").strip()
    if _purged(value):
        return value
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if _purged(value):
        return value
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
    if _purged(value):
        return value
    for marker in ("街道", "乡", "镇"):
        cut = value.find(marker)
        if cut != -1:
            return value[: cut + len(marker)] + "****"
    return value[:6] + "****" if len(value) > 6 else "****" if value else ""


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number inside free text (log lines, e-mails)."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


def mask_secrets(text: str) -> str:
    """``mask_text`` plus query codes and secret values, for log lines and error reports (not
    for letters: an uppercase word of ten letters there is just a word)."""
    text = SECRET_VALUE_RE.sub(lambda m: f"{m['name']}{m['sep']}********", text)
    return QUERY_CODE_RE.sub("**********", mask_text(text))


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not stop logging
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_Values = TypeVar("_Values", dict[str, Any], QueryDict)


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the 500 e-mail, the DEBUG page) never show personal data or secrets: the
    filter is active even under DEBUG, and cleans by name everywhere Django shows values."""

    hidden_settings = SENSITIVE_NAMES

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def _cleanse_dict(self, values: _Values) -> _Values:
        values = values.copy()
        for key in list(values):
            if self.hidden_settings.search(str(key)) or any(w in str(key) for w in ("name", "phone", "address")):
                values[key] = self.cleansed_substitute
        return values

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        return self._cleanse_dict(super().get_post_parameters(request)) if request is not None else {}

    def get_cleansed_multivaluedict(self, request: HttpRequest, multivaluedict: QueryDict) -> QueryDict:
        return self._cleanse_dict(super().get_cleansed_multivaluedict(request, multivaluedict))

    def cleanse_special_types(self, request: HttpRequest | None, value: Any) -> Any:
        if isinstance(value, HttpRequest):
            # Its repr would show the full URL, query string included.
            return f"<{type(value).__name__}: {value.method} {value.path!r}>"
        if hasattr(value, "model_dump") and callable(value.model_dump):  # a pydantic/ninja payload
            try:
                return self.cleanse_setting("", value.model_dump())
            except Exception:  # noqa: BLE001 - never let the report fail
                return self.cleansed_substitute
        value = super().cleanse_special_types(request, value)
        if isinstance(value, dict | list | tuple) and not isinstance(value, MultiValueDict):
            return self.cleanse_setting("", value)
        return value

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [
            (name, self.cleansed_substitute if self.hidden_settings.search(name) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


class PersonalDataExceptionReporter(ExceptionReporter):
    """Whatever still slips through by value (an exception message, a URL, a repr) is masked in
    the finished report: identity numbers, phones, query codes (PI-05)."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = self.filter.get_cleansed_multivaluedict(self.request, self.request.GET).items()
            data["request_insecure_uri"] = mask_secrets(self._get_raw_insecure_uri().split("?", 1)[0])  # type: ignore[attr-defined]
        return data

    def get_traceback_html(self) -> str:  # type: ignore[override]  # plain text, masked
        return mask_secrets(super().get_traceback_html())

    def get_traceback_text(self) -> str:  # type: ignore[override]
        return mask_secrets(super().get_traceback_text())
