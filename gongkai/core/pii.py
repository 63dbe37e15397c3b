"""Finding personal data in text before it is published (security.md PUB-01; seed rule B1).

``scan_fields`` is a pure function: given named text fields it returns what it found, as
``Finding(kind, field, excerpt)`` with the excerpt already masked (gongkai.core.masking), so a
finding can be shown, stored or logged without repeating the personal data. Text is
NFKC-normalised first, so full-width digits (１３８…) count like ASCII ones.

What counts:
- a resident identity number (18 characters) that passes GB 11643 (region, date of birth and the
  ISO 7064 MOD 11-2 check character; the application form's validator uses the same rules);
- a mainland mobile number ``1[3-9]\\d{9}``, also written in groups (``138 0013 8000``);
- a bank card number: 16 to 19 digits (contiguous or in groups of four) starting 3–6 that pass
  the Luhn check.
A digit run is never part of a longer run of digits, so an 18-digit identity number is not also
reported as a phone or a card.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from gongkai.core.masking import mask_bank_card, mask_id_number, mask_phone

# GB 11643-1999: 17 digits + check character (ISO 7064 MOD 11-2).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# Province-level codes of the administrative division code (GB/T 2260).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}  # fmt: skip
RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]", flags=re.ASCII)

ID_NUMBER = "id_number"
MOBILE = "mobile"
BANK_CARD = "bank_card"

_ID_RE = re.compile(r"(?<!\d)\d{17}[0-9Xx](?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d(?:[ -]?\d{4}){2}(?![\d])")
_CARD_RE = re.compile(r"(?<!\d)(?:[3-6]\d{15,18}|[3-6]\d{3}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![\d])")


@dataclass(frozen=True)
class Finding:
    kind: str  # ID_NUMBER, MOBILE or BANK_CARD
    field: str  # the name of the field it was found in
    excerpt: str  # the value, masked


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def resident_id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def resident_id_birth_date(value: str) -> date | None:
    """The date of birth an identity number states, or None when it is no real date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def is_resident_id(value: str) -> bool:
    """GB 11643: the form, a province code, a real date of birth and the check character."""
    value = normalise(value).upper()
    return bool(
        RESIDENT_ID_RE.fullmatch(value)
        and value[:2] in PROVINCES
        and resident_id_birth_date(value)
        and resident_id_check_character(value[:17]) == value[17]
    )


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def scan_text(text: str) -> list[tuple[str, str]]:
    """``(kind, masked excerpt)`` for each piece of personal data in ``text``, in order found."""
    text = normalise(text)
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _ID_RE.finditer(text):
        if is_resident_id(match.group(0)):
            taken.append(match.span())
            found.append((match.start(), ID_NUMBER, mask_id_number(match.group(0).upper())))
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 16 <= len(digits) <= 19 and free(*match.span()) and luhn_valid(digits):
            taken.append(match.span())
            found.append((match.start(), BANK_CARD, mask_bank_card(digits)))
    for match in _MOBILE_RE.finditer(text):
        if free(*match.span()):
            taken.append(match.span())
            found.append((match.start(), MOBILE, mask_phone(re.sub(r"\D", "", match.group(0)))))
    return [(kind, excerpt) for _start, kind, excerpt in sorted(found)]


def scan_fields(fields: Mapping[str, object]) -> list[Finding]:
    """Every finding in every text field, field by field in the order given."""
    return [
        Finding(kind=kind, field=name, excerpt=excerpt)
        for name, value in fields.items()
        if isinstance(value, str) and value
        for kind, excerpt in scan_text(value)
    ]
