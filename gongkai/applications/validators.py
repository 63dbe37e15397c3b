"""Identity and contact checks for the application form (security.md WEB-05)."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 11643-1999: 17 digits + check character (ISO 7064 MOD 11-2).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# Province-level codes of the administrative division code (GB/T 2260).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}  # fmt: skip
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def resident_id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """Return the normalised number (upper-case X) or raise a Chinese ValidationError."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
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


def validate_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(_("Enter a mobile number (11 digits) or a landline with its area code."))
    return value
