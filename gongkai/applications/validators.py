"""Identity and contact checks for the application form (security.md WEB-05).

Every value is NFKC-normalised first and then checked against ASCII only (``re.ASCII``;
``gongkai.core.normalise``): full-width digits become ASCII, other scripts' digits are refused,
so the per-ID limit and the fee count see one spelling of each number (ABUSE-01).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from gongkai.core.normalise import ensure_ascii_digits, nfkc

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
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}", flags=re.ASCII)
LANDLINE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}", flags=re.ASCII)


def resident_id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalise_document_number(value: str) -> str:
    """Any identity document number as stored and counted: NFKC, upper case, digits 0–9 only."""
    return ensure_ascii_digits(nfkc(value).upper())


@sensitive_variables("value")
def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """Return the normalised number (ASCII, upper-case X) or raise a Chinese ValidationError."""
    value = normalise_document_number(value)
    if not RESIDENT_ID_RE.fullmatch(value):
        raise ValidationError(_("A resident identity number has 18 characters: 17 digits and a digit or X."))
    if value[:2] not in PROVINCES:
        raise ValidationError(_("The first digits of this identity number are not a region code."))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The date of birth in this identity number does not exist.")) from None
    if born < date(1900, 1, 1) or born > (today or date.today()):  # noqa: DTZ011 - a date, not a moment
        raise ValidationError(_("The date of birth in this identity number is impossible."))
    if resident_id_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this identity number is wrong; please check it."))
    return value


@sensitive_variables("value")
def validate_phone(value: str) -> str:
    value = ensure_ascii_digits(nfkc(value).replace(" ", ""))
    if not (MOBILE_RE.fullmatch(value) or LANDLINE_RE.fullmatch(value)):
        raise ValidationError(_("Enter a mobile number (11 digits) or a landline with its area code."))
    return value
