"""The second factor for staff: TOTP with recovery codes (security.md AUTH-04; 等保 L3-CES1-04).

Built on django-otp (docs/decisions/0021-otp.md): a confirmed ``TOTPDevice`` is the person's
authenticator app; a ``StaticDevice`` holds their ten recovery codes, stored as SHA-256 digests
(never the codes themselves), each usable once. A session is verified once
``django_otp.login`` has recorded the device that accepted a code; ``TwoFactorMiddleware`` keeps
every staff page behind that step for whoever needs it (``two_factor_required``).

Each function that changes state follows DEVELOPERS.md: lock, check, write, audit in the same
transaction.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.choices import ADMIN_ROLES, Role
from gongkai.accounts.models import Agency, User
from gongkai.core.access import user_roles
from gongkai.core.audit import record_event

# 三员 and the leaders who sign documents off always need a second factor.
TWO_FACTOR_ROLES = ADMIN_ROLES | {Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER}
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
DEMO_DEVICE_NAME = "demo"  # set up by load_demo; only these codes are printed by demo_otp


def two_factor_required(user) -> bool:
    if not (user and user.is_authenticated and user.agency_id):
        return False
    if settings.TWO_FACTOR_FOR_ALL_STAFF or user_roles(user) & TWO_FACTOR_ROLES:
        return True
    return bool(user.agency.require_two_factor_for_all)


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


# --- Recovery codes -----------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_digest(code: str) -> str:
    """What is stored for a recovery code: 96 bits of its SHA-256 (StaticToken holds 16 characters).
    The codes carry 80 random bits, so the digest cannot be searched back to a code."""
    digest = hashlib.sha256(normalise_code(code).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def _new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 16 characters, 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(c)) for c in codes)
    return codes


# --- Enrolment ----------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(user: User) -> TOTPDevice:
    """The device being set up: reused while unconfirmed, so reloading the page shows the same key."""
    User.objects.select_for_update().get(pk=user.pk)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, inline (no outside service; CSP allows data: images)."""
    from django_otp.qr import write_qrcode_image

    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def confirm_enrolment(request, device: TOTPDevice, code: str) -> Enrolment:
    """The first code from the new device confirms it: it replaces any earlier device, ten new
    recovery codes are issued (shown once), and this session counts as verified."""
    user = request.user
    token = normalise_code(code)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None:
            raise ValidationError(_("This set-up has expired. Please start again."))
        throttle = _throttle(device)
        ok = token.isdigit() and device.verify_token(token)
        if not ok:
            # Committed with the throttle count: the error is raised after the transaction.
            _record_failure(user, device, "enrolment", throttle)
        else:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(user)
            record_event("accounts.otp.enrolled", actor=user, obj=user, data={"recovery_codes": len(codes)})
    if not ok:
        raise ValidationError(_failure_message(throttle))
    _mark_verified(request, device)
    return Enrolment(device=device, recovery_codes=codes)


# --- The code step ------------------------------------------------------------------------


def _failure_message(throttle: dict | None) -> str:
    if throttle and throttle.get("locked_until"):
        until = timezone.localtime(throttle["locked_until"]).strftime("%H:%M:%S")
        return _("Too many wrong codes. Try again after %(time)s.") % {"time": until}
    return _("The code is not correct, or it has been used already. Enter the current code.")


def _throttle(device) -> dict | None:
    """None while the device accepts a try; else django-otp's reason and ``locked_until``."""
    allowed, info = device.verify_is_allowed()
    return None if allowed else (info or {})


def _record_failure(user, device, step: str, throttle: dict | None) -> None:
    record_event(
        "accounts.otp.failed",
        actor=user,
        obj=user,
        result="failure",
        data={
            "step": step,
            "device": device.persistent_id,
            "failures": device.throttling_failure_count,
            "throttled": throttle is not None,
        },
    )


def _mark_verified(request, device) -> None:
    request.session.cycle_key()  # a new session id for the raised privilege (AUTH-06)
    django_otp.login(request, device)


def verify_code(request, code: str) -> str:
    """The code step: a 6-digit code from the authenticator app, or one recovery code.

    Returns "totp" or "recovery_code"; raises ValidationError (Chinese) otherwise. A code is
    accepted once: django-otp's TOTP device refuses any code of a time step not after the last
    one it accepted (``last_t``), and a used recovery code is deleted. Every failure counts in
    the device's throttle (1, 2, 4, 8 … seconds) and is audited.
    """
    user = request.user
    token = normalise_code(code)
    if not token:
        raise ValidationError(_("Enter the code."))
    recovery = not token.isdigit()
    with transaction.atomic():
        model = StaticDevice if recovery else TOTPDevice
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("-id").first()
        if device is None:
            raise ValidationError(
                _("You have no recovery codes. Ask your security administrator.")
                if recovery
                else _("No authenticator app is set up for this account.")
            )
        throttle = _throttle(device)
        ok = device.verify_token(recovery_code_digest(token) if recovery else token)
        if not ok:
            _record_failure(user, device, "recovery_code" if recovery else "totp", throttle)
        elif recovery:
            left = device.token_set.count()
            record_event("accounts.recovery_code.used", actor=user, obj=user, data={"remaining": left})
        else:
            record_event("accounts.otp.verified", actor=user, obj=user, data={"device": device.persistent_id})
    if not ok:
        raise ValidationError(_failure_message(throttle))
    _mark_verified(request, device)
    return "recovery_code" if recovery else "totp"


# --- Managing the factor ------------------------------------------------------------------


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes for a verified person; the old ones stop working."""
    User.objects.select_for_update().get(pk=user.pk)
    if confirmed_totp_device(user) is None:
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _replace_recovery_codes(user)
    record_event("accounts.recovery_code.regenerated", actor=user, obj=user, data={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def reset_two_factor(*, actor: User | None, user: User) -> User:
    """A security administrator removes a person's devices and codes (a lost phone): their open
    sessions end and they set up a new device at their next sign-in. ``actor`` None is the
    operator's command line."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None:
        if actor.agency_id != user.agency_id or Role.SECURITY_ADMIN not in user_roles(actor):
            raise PermissionDenied(_("Only the agency's security administrator can manage its staff."))
        if actor.pk == user.pk:
            raise PermissionDenied(_("You cannot reset your own second factor."))
    totp = TOTPDevice.objects.filter(user=user).delete()[0]
    static = StaticDevice.objects.filter(user=user).delete()[0]
    user.session_version = F("session_version") + 1
    user.save(update_fields=["session_version"])
    user.refresh_from_db()
    record_event(
        "accounts.otp.reset",
        actor=actor,
        obj=user,
        agency=user.agency,
        data={"before": {"devices_and_codes": totp + static}, "after": {"devices_and_codes": 0}},
    )
    return user


AGENCY_SECURITY_FIELDS = ("require_two_factor_for_all", "allowed_networks")


@transaction.atomic
def update_agency_security(
    *, actor: User, agency: Agency, require_two_factor_for_all: bool, allowed_networks
) -> Agency:
    """The agency's sign-in rules, kept by its security administrator (AUTH-04). The person's own
    current address must stay inside a non-empty list, so nobody locks themselves out."""
    from gongkai.accounts.networks import address_allowed, format_networks, parse_networks
    from gongkai.core.request_context import current_ip

    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if actor.agency_id != agency.pk or Role.SECURITY_ADMIN not in user_roles(actor):
        raise PermissionDenied(_("Only the agency's security administrator can change its sign-in rules."))
    networks = parse_networks(allowed_networks)
    here = current_ip()
    if networks and not address_allowed(here, networks):
        raise ValidationError(
            {
                "allowed_networks": _(
                    "Your own address %(ip)s is not in the list: you would lose access. Add its network first."
                )
                % {"ip": here or "?"}
            }
        )
    values = {
        "require_two_factor_for_all": bool(require_two_factor_for_all),
        "allowed_networks": format_networks(networks),
    }
    before = {f: getattr(agency, f) for f in AGENCY_SECURITY_FIELDS}
    changed = [f for f in AGENCY_SECURITY_FIELDS if values[f] != before[f]]
    if changed:
        for field in changed:
            setattr(agency, field, values[field])
        agency.save(update_fields=changed)
        record_event(
            "accounts.agency.security_changed",
            actor=actor,
            obj=agency,
            agency=agency,
            data={"before": {f: before[f] for f in changed}, "after": {f: values[f] for f in changed}},
        )
    return agency
