"""Numbers typed by people, normalised before they are checked or counted (security.md WEB-05,
ABUSE-01).

Python's ``\\d`` and ``int()`` accept every Unicode decimal digit: full-width ``１２３`` and
Arabic-Indic ``١٢٣`` passed the identity and phone checks unchanged, so one identity number
written three ways escaped the per-ID limit and the monthly fee count. Every number is first
NFKC-normalised (full-width digits and letters become ASCII) and then checked against ASCII
``[0-9]`` only. Digits that NFKC leaves alone (Arabic-Indic, Devanagari…) are refused with a
message asking for 0–9, rather than silently converted: the platform stores what it checked.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ASCII_INTEGER_RE = re.compile(r"[0-9]+", flags=re.ASCII)


def nfkc(value: str | None) -> str:
    """NFKC form, stripped: ``"１１０１０１ "`` → ``"110101"``; Chinese text keeps its characters."""
    return unicodedata.normalize("NFKC", value or "").strip()


def has_foreign_digits(value: str) -> bool:
    """True when ``value`` holds a decimal digit other than ASCII 0–9 (after NFKC)."""
    return any(ch.isdecimal() and not ch.isascii() for ch in value)


def ensure_ascii_digits(value: str) -> str:
    """Refuse non-ASCII digits with a Chinese message; return the value unchanged otherwise."""
    if has_foreign_digits(value):
        raise ValidationError(_("Write the numbers with the digits 0–9."), code="foreign_digits")
    return value


class AsciiIntegerField(forms.IntegerField):
    """An IntegerField that takes full-width digits (NFKC) but refuses other scripts' digits,
    which ``int()`` would quietly accept."""

    default_error_messages = {"invalid": gettext_lazy("Enter a whole number written with the digits 0–9.")}

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = nfkc(value)
            if value and not ASCII_INTEGER_RE.fullmatch(value.lstrip("+-")):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
