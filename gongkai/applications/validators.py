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
from gongkai.core.pii import (  # GB 11643 rules, one copy for the form and the personal-data scan
    PROVINCES,
    RESIDENT_ID_RE,
    resident_id_birth_date,
    resident_id_check_character,
)

MOBILE_RE = re.compile(r"1[3-9][0-9]{9}", flags=re.ASCII)
LANDLINE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}", flags=re.ASCII)


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
    born = resident_id_birth_date(value)
    if born is None:
        raise ValidationError(_("The date of birth in this identity number does not exist."))
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
