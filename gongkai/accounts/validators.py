"""Validators for staff passwords and agency identifiers."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015)."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Refuse anything that is not an 18-character code with a valid check character."""
    if len(value) != 18 or any(ch not in USCC_ALPHABET for ch in value):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z."),
            code="uscc_format",
        )
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this unified social credit code is wrong."), code="uscc_check")


class CharacterClassValidator:
    """Require characters from N of the 4 classes (lower, upper, digit, symbol): 等保 L3-CES1-01."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(count)d kind of character: lower-case letters, "
            "upper-case letters, digits and symbols.",
            "Your password must mix at least %(count)d kinds of character: lower-case letters, "
            "upper-case letters, digits and symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}


class MaximumLengthValidator:
    """Long passphrases are welcome (64+ characters, never truncated); absurd input is not."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(self.get_help_text(), code="password_too_long")

    def get_help_text(self) -> str:
        return _("Your password can be at most %(max)d characters long.") % {"max": self.max_length}


INDEX_TEMPLATE_FIELDS = frozenset({"prefix", "year", "serial"})


def render_index_template(template: str, *, prefix: str, year: int, serial: int) -> str:
    return template.format(prefix=prefix, year=year, serial=serial)


def index_template_prefix(template: str, *, prefix: str) -> str:
    """The constant start of every index number the template gives: its text up to the first
    ``{year}`` or ``{serial}``, with ``{prefix}`` filled in (e.g. ``11331003MB0000002F/``)."""
    start = []
    for text, name, _spec, _conv in string.Formatter().parse(template):
        start.append(text)
        if name == "prefix":
            start.append(prefix)
        elif name is not None:
            break
    return "".join(start)


def validate_index_template(template: str) -> None:
    """An index-number format must name the serial (so numbers differ) and only known fields."""
    try:
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
        sample = render_index_template(template, prefix="X", year=2026, serial=1)
    except (ValueError, KeyError, IndexError):
        raise ValidationError(_("The format is not valid: use {prefix}, {year} and {serial}.")) from None
    if "serial" not in fields or "year" not in fields or not fields <= INDEX_TEMPLATE_FIELDS:
        raise ValidationError(_("The format must contain {year} and {serial}, and no other placeholder than {prefix}."))
    if len(sample) > 60:
        raise ValidationError(_("The format gives numbers that are too long."))


NOTICE_NUMBER_FIELDS = frozenset({"prefix", "kind", "year", "serial"})


def render_notice_number(template: str, *, prefix: str, kind: str, year: int, serial: int) -> str:
    return template.format(prefix=prefix, kind=kind, year=year, serial=serial)


def validate_notice_number_template(template: str) -> None:
    """A letter's number format names the kind, the year and the serial (so numbers differ per
    kind and year, issue 10) and nothing else than the issuer's code."""
    try:
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
        sample = render_notice_number(template, prefix="茅政", kind="复", year=2026, serial=1)
    except (ValueError, KeyError, IndexError):
        raise ValidationError(_("The format is not valid: use {prefix}, {kind}, {year} and {serial}.")) from None
    if not {"kind", "year", "serial"} <= fields or not fields <= NOTICE_NUMBER_FIELDS:
        raise ValidationError(
            _("The format must contain {kind}, {year} and {serial}, and no other placeholder than {prefix}.")
        )
    if len(sample) > 60:
        raise ValidationError(_("The format gives numbers that are too long."))


# Shared, default and test account names (security.md AUTH-01): refused for new accounts and
# reported by the deploy check. Compared case-insensitively, ignoring trailing digits and
# separators, so "Admin", "admin01" and "test_2" count too.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "test",
        "tester",
        "sa",
        "guest",
        "system",
        "sysadmin",
        "superuser",
        "super",
        "user",
        "demo",
        "default",
        "operator",
        "manager",
        "support",
        "webmaster",
        "anonymous",
        "nobody",
        "public",
        "staff",
    }
)


def is_reserved_username(username: str) -> bool:
    import re

    return re.sub(r"[\d._-]+$", "", username.strip().lower()) in RESERVED_USERNAMES


def validate_not_reserved_username(username: str) -> None:
    if is_reserved_username(username):
        raise ValidationError(
            _("“%(name)s” is a shared or default account name: give each person an account of their own name."),
            code="reserved_username",
            params={"name": username},
        )


def validate_network_list(value: str) -> None:
    """Every line a CIDR range or an address (security.md AUTH-04)."""
    from gongkai.accounts.networks import parse_networks

    parse_networks(value)
