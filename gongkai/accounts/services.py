"""Every change to staff accounts, roles and agency details (security.md AC-04, AUD-01).

Each function checks that the actor may act on the target (same agency, security or system
administrator as required), writes, bumps the target's session version when roles or status
change (so their open sessions end), and records one audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.choices import ADMIN_ROLES, BUSINESS_ROLES, DISTRICT_ONLY_ROLES, OFFICE_ROLES, Role
from gongkai.accounts.models import Agency, Office, RoleAssignment, User
from gongkai.core.access import user_roles
from gongkai.core.audit import record_event


@dataclass(frozen=True)
class RoleGrant:
    role: str
    office: Office | None = None


def validate_role_set(agency: Agency, grants: Iterable[RoleGrant]) -> list[RoleGrant]:
    """The rules a set of roles must meet, as Chinese messages (三员分立, office-bound roles)."""
    grants = list(grants)
    errors: list[str] = []
    names = [g.role for g in grants]
    admin = [r for r in names if r in ADMIN_ROLES]
    business = [r for r in names if r in BUSINESS_ROLES]
    if len(set(names)) != len(names):
        errors.append(_("A role is listed twice."))
    if len(admin) > 1:
        errors.append(
            _("The system, security and audit administrator roles are mutually exclusive: give a person at most one.")
        )
    if admin and business:
        errors.append(_("An administrator role carries no business powers: it cannot be combined with business roles."))
    for grant in grants:
        if grant.role in OFFICE_ROLES and grant.office is None:
            errors.append(_("The role “%(role)s” needs an office.") % {"role": Role(grant.role).label})
        if grant.office is not None and grant.office.agency_id != agency.pk:
            errors.append(_("The office must belong to the person's own agency."))
        if grant.role in DISTRICT_ONLY_ROLES and agency.parent_id is not None:
            errors.append(_("Only staff of the district can be district supervisors."))
    if errors:
        raise ValidationError(errors)
    return grants


def _ensure_security_admin_of(actor: User, agency: Agency) -> None:
    if actor.agency_id != agency.pk or Role.SECURITY_ADMIN not in user_roles(actor):
        raise PermissionDenied(_("Only the agency's security administrator can manage its staff."))


def _snapshot_roles(user: User) -> list[str]:
    return sorted(
        f"{a.role}@{a.office.name}" if a.office else a.role for a in user.role_assignments.select_related("office")
    )


@transaction.atomic
def create_staff_user(
    *,
    actor: User | None,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    password: str,
    grants: Iterable[RoleGrant],
) -> User:
    """Create a staff account in ``agency``. ``actor`` None means the operator's command line."""
    if actor is not None:
        _ensure_security_admin_of(actor, agency)
    grants = validate_role_set(agency, grants)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This account name is taken.")})
    user = User(username=username, full_name=full_name, email=email, agency=agency)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=g.role, office=g.office) for g in grants)
    record_event(
        "accounts.user.created",
        actor=actor,
        obj=user,
        agency=agency,
        data={"after": {"username": username, "full_name": full_name, "roles": _snapshot_roles(user)}},
    )
    return user


@transaction.atomic
def set_user_roles(
    *, actor: User, user: User, grants: Iterable[RoleGrant], full_name: str | None = None, email: str | None = None
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _ensure_security_admin_of(actor, user.agency)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own roles."))
    grants = validate_role_set(user.agency, grants)
    before = {"roles": _snapshot_roles(user), "full_name": user.full_name, "email": user.email}
    user.role_assignments.all().delete()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=g.role, office=g.office) for g in grants)
    fields = ["session_version"]
    if full_name is not None:
        user.full_name = full_name
        fields.append("full_name")
    if email is not None:
        user.email = email
        fields.append("email")
    user.session_version = F("session_version") + 1
    user.save(update_fields=fields)
    user.refresh_from_db()
    after = {"roles": _snapshot_roles(user), "full_name": user.full_name, "email": user.email}
    record_event(
        "accounts.user.roles_changed",
        actor=actor,
        obj=user,
        agency=user.agency,
        data={"before": before, "after": after},
    )
    return user


@transaction.atomic
def set_user_active(*, actor: User, user: User, active: bool) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _ensure_security_admin_of(actor, user.agency)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot disable your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.session_version = F("session_version") + 1
    user.save(update_fields=["is_active", "session_version"])
    user.refresh_from_db()
    record_event(
        "accounts.user.activated" if active else "accounts.user.deactivated",
        actor=actor,
        obj=user,
        agency=user.agency,
        data={"before": {"is_active": not active}, "after": {"is_active": active}},
    )
    return user


AGENCY_CONTACT_FIELDS = (
    "disclosure_office_name",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "acceptance_phone",
    "supervision_phone",
    "website",
    # The catalog's index numbers (issue 3): provinces change the format, so it is a setting.
    "index_prefix",
    "index_template",
    # Which imported catalog items are legacy (seed B1): the platform's go-live date.
    "go_live_on",
)


@transaction.atomic
def update_agency_contact(*, actor: User, agency: Agency, values: dict) -> Agency:
    """The 指南 contact block (A2/A9): the agency's system administrator keeps it current."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if actor.agency_id != agency.pk or Role.SYSTEM_ADMIN not in user_roles(actor):
        raise PermissionDenied(_("Only the agency's system administrator can change its details."))
    before = {f: getattr(agency, f) for f in AGENCY_CONTACT_FIELDS}
    changed = [f for f in AGENCY_CONTACT_FIELDS if f in values and values[f] != before[f]]
    for field in changed:
        setattr(agency, field, values[field])
    agency.full_clean()
    if changed:
        agency.save(update_fields=changed)
        record_event(
            "accounts.agency.updated",
            actor=actor,
            obj=agency,
            agency=agency,
            data={"before": {f: before[f] for f in changed}, "after": {f: values[f] for f in changed}},
        )
    return agency


@transaction.atomic
def change_own_password(*, user: User, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    record_event("accounts.user.password_changed", actor=user, obj=user)


def disable_stale_accounts(*, now=None) -> int:
    """Disable staff accounts unused for ACCOUNT_INACTIVE_DAYS (AUTH-01). Each is claimed with a
    guarded update, so a rerun or a parallel run changes nothing more. Returns how many."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Q

    days = settings.ACCOUNT_INACTIVE_DAYS
    if not days:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)  # an account's idle age, not a legal deadline
    stale = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    count = 0
    for user in stale:
        with transaction.atomic():
            claimed = User.objects.filter(pk=user.pk, is_active=True).update(
                is_active=False, session_version=F("session_version") + 1
            )
            if claimed:
                record_event(
                    "accounts.user.disabled_unused",
                    obj=user,
                    agency=user.agency,
                    data={"last_login": user.last_login, "inactive_days": days},
                )
                count += 1
    return count
