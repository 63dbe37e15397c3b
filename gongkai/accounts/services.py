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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.choices import ADMIN_ROLES, BUSINESS_ROLES, DISTRICT_ONLY_ROLES, OFFICE_ROLES, Role
from gongkai.accounts.models import Agency, Office, RoleAssignment, RoleGrantRequest, User
from gongkai.accounts.permissions import visible_role_requests
from gongkai.accounts.validators import validate_not_reserved_username
from gongkai.core.access import user_roles
from gongkai.core.audit import audited_refusals, record_event


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


def _ensure_security_admin_of(actor: User, agency: Agency | None) -> None:
    if agency is None or actor.agency_id != agency.pk or Role.SECURITY_ADMIN not in user_roles(actor):
        raise PermissionDenied(_("Only the agency's security administrator can manage its staff."))


def _agency_of(user: User) -> Agency:
    """The agency of a member of staff being managed (only a superuser has none, and the
    security administrator never manages one: _ensure_security_admin_of refuses it first)."""
    if user.agency is None:
        raise PermissionDenied(_("Only the agency's security administrator can manage its staff."))
    return user.agency


def _snapshot_roles(user: User) -> list[str]:
    return sorted(
        f"{a.role}@{a.office.name}" if a.office else a.role for a in user.role_assignments.select_related("office")
    )


def one_time_password() -> str:
    """A random password that meets the password policy (AUTH-02): shown once, never chosen."""
    import secrets
    import string

    from django.contrib.auth.password_validation import validate_password

    alphabet = string.ascii_letters + string.digits + "-_.!@#"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        try:
            validate_password(candidate)
        except ValidationError:
            continue
        return candidate


def _check_new_username(username: str) -> None:
    try:
        validate_not_reserved_username(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This account name is taken.")})


@audited_refusals("accounts.agency.action_refused", obj="agency")
@transaction.atomic
def create_staff_user(
    *,
    actor: None = None,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    password: str,
    grants: Iterable[RoleGrant],
) -> User:
    """Bootstrap an account with its roles at once: the operator's command line only (the demo
    loader, first set-up). In the workbench a security administrator uses open_staff_account,
    whose roles wait for a second person's approval (AC-04). Audited as a bootstrap."""
    if actor is not None:
        raise PermissionDenied(_("Roles are granted only with a second person's approval."))
    grants = validate_role_set(agency, grants)
    _check_new_username(username)
    user = User(username=username, full_name=full_name, email=email, agency=agency)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=g.role, office=g.office) for g in grants)
    record_event(
        "accounts.user.created",
        actor=None,
        obj=user,
        agency=agency,
        data={
            "after": {"username": username, "full_name": full_name, "roles": _snapshot_roles(user)},
            "bootstrap": True,
        },
    )
    return user


@dataclass(frozen=True)
class NewStaffAccount:
    user: User
    one_time_password: str
    request: RoleGrantRequest | None


@transaction.atomic
def open_staff_account(
    *,
    actor: User,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    grants: Iterable[RoleGrant],
    reason: str = "",
) -> NewStaffAccount:
    """A security administrator opens an account (AC-04). The account gets a random one-time
    password, shown once, that its owner must replace at first sign-in; it holds no role until
    the roles asked for here are approved by a second person (see request_roles)."""
    _ensure_security_admin_of(actor, agency)
    grants = validate_role_set(agency, grants)
    _check_new_username(username)
    if grants and not reason.strip():
        raise ValidationError({"reason": _("Say why the person needs these roles.")})
    password = one_time_password()
    user = User(username=username, full_name=full_name, email=email, agency=agency, must_change_password=True)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    record_event(
        "accounts.user.created",
        actor=actor,
        obj=user,
        agency=agency,
        data={
            "after": {"username": username, "full_name": full_name, "roles": []},
            "requested_roles": _describe(_grants_to_json(grants)),
            "one_time_password": True,
        },
    )
    request = _create_request(actor=actor, user=user, grants=grants, reason=reason, for_new_account=True)
    return NewStaffAccount(user=user, one_time_password=password, request=request)


# -- Role grants wait for a second person (security.md AC-04; seed G3) ------------------------

# Granting these needs the district: the 三员 and the role that approves business grants.
DISTRICT_APPROVED_ROLES = ADMIN_ROLES | {Role.PRINCIPAL_LEADER}


def _key(grant: RoleGrant) -> tuple[str, int | None]:
    return (grant.role, grant.office.pk if grant.office else None)


def _grants_to_json(grants: Iterable[RoleGrant]) -> list[dict]:
    return sorted(
        ({"role": str(g.role), "office": g.office.pk if g.office else None} for g in grants),
        key=lambda item: (item["role"], item["office"] or 0),
    )


def _json_to_grants(items: list[dict]) -> list[RoleGrant]:
    offices = Office.objects.in_bulk([i["office"] for i in items if i["office"]])
    return [RoleGrant(role=i["role"], office=offices.get(i["office"]) if i["office"] else None) for i in items]


def _describe(items: list[dict]) -> list[str]:
    names = dict(Office.objects.filter(pk__in=[i["office"] for i in items if i["office"]]).values_list("pk", "name"))
    return sorted(f"{i['role']}@{names.get(i['office'], i['office'])}" if i["office"] else i["role"] for i in items)


def _current_grants(user: User) -> list[RoleGrant]:
    return [RoleGrant(role=a.role, office=a.office) for a in user.role_assignments.select_related("office")]


def _apply_roles(user: User, grants: list[RoleGrant]) -> None:
    """Replace the person's roles and end their open sessions (AUTH-06). ``user`` is locked."""
    user.role_assignments.all().delete()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=g.role, office=g.office) for g in grants)
    user.session_version = F("session_version") + 1
    user.save(update_fields=["session_version"])
    user.refresh_from_db()


def approval_scope(added: Iterable[RoleGrant]) -> str:
    """Administrator roles and the principal leader role are approved by the district; other
    business roles by the agency's principal leader."""
    if any(g.role in DISTRICT_APPROVED_ROLES for g in added):
        return RoleGrantRequest.Scope.DISTRICT
    return RoleGrantRequest.Scope.AGENCY


def eligible_approvers(request: RoleGrantRequest):
    """Who may decide ``request``: never the requester nor the person receiving the roles.

    Agency scope: an active principal leader of the agency; when the agency has none (other
    than those two), the district decides. District scope: an active security administrator or
    principal leader of the district agency."""
    excluded = [request.requested_by_id, request.user_id]
    if request.scope == RoleGrantRequest.Scope.AGENCY:
        leaders = (
            User.objects.filter(
                is_active=True, agency_id=request.agency_id, role_assignments__role=Role.PRINCIPAL_LEADER
            )
            .exclude(pk__in=excluded)
            .distinct()
        )
        if leaders.exists():
            return leaders
    return (
        User.objects.filter(
            is_active=True,
            agency_id=request.agency.district_id,
            role_assignments__role__in=[Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER],
        )
        .exclude(pk__in=excluded)
        .distinct()
    )


def may_decide(user: User, request: RoleGrantRequest) -> bool:
    return (
        request.status == RoleGrantRequest.Status.PENDING
        and user.pk not in (request.requested_by_id, request.user_id)
        and eligible_approvers(request).filter(pk=user.pk).exists()
    )


def requests_awaiting(user: User) -> list[RoleGrantRequest]:
    """The pending requests ``user`` may decide (the approver's queue): ``may_decide`` for every
    pending request, with the agencies' principal leaders read in one query (issue 9: the queue
    makes the same number of queries however long it is)."""
    pending = list(visible_role_requests(user).filter(status=RoleGrantRequest.Status.PENDING))
    if not pending or not user.is_active:
        return []
    leaders: dict[int, set[int]] = {}
    rows = (
        User.objects.filter(
            is_active=True, agency_id__in={r.agency_id for r in pending}, role_assignments__role=Role.PRINCIPAL_LEADER
        )
        .values_list("agency_id", "pk")
        .distinct()
    )
    for agency_id, pk in rows:
        leaders.setdefault(agency_id, set()).add(pk)
    district_approver = bool(user_roles(user) & {Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER})

    def decides(request: RoleGrantRequest) -> bool:
        excluded = {request.requested_by_id, request.user_id}
        if user.pk in excluded:
            return False
        if request.scope == RoleGrantRequest.Scope.AGENCY:
            agency_leaders = leaders.get(request.agency_id, set()) - excluded
            if agency_leaders:
                return user.pk in agency_leaders
        return district_approver and user.agency_id == request.agency.district_id

    return [r for r in pending if decides(r)]


def _supersede_pending(actor: User, user: User) -> None:
    for old in RoleGrantRequest.objects.select_for_update().filter(user=user, status=RoleGrantRequest.Status.PENDING):
        old.status = RoleGrantRequest.Status.SUPERSEDED
        old.save(update_fields=["status"])
        record_event(
            "accounts.role_request.superseded",
            actor=actor,
            obj=old,
            agency=old.agency,
            data={"user": user.username, "before": {"status": "pending"}, "after": {"status": "superseded"}},
        )


def _create_request(
    *, actor: User, user: User, grants: list[RoleGrant], reason: str, for_new_account: bool = False
) -> RoleGrantRequest | None:
    """Ask for ``grants`` as the person's new role set. Roles not kept are removed at once
    (least privilege); added ones wait for approval. None when nothing is added."""
    current = _current_grants(user)
    current_keys = {_key(g) for g in current}
    added = [g for g in grants if _key(g) not in current_keys]
    if not added:
        return None
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person needs these roles.")})
    _supersede_pending(actor, user)
    wanted = {_key(g) for g in grants}
    kept = [g for g in current if _key(g) in wanted]
    if len(kept) != len(current):
        before = _snapshot_roles(user)
        _apply_roles(user, kept)
        record_event(
            "accounts.user.roles_changed",
            actor=actor,
            obj=user,
            agency=user.agency,
            data={"before": {"roles": before}, "after": {"roles": _snapshot_roles(user)}},
        )
    request = RoleGrantRequest.objects.create(
        agency=_agency_of(user),
        user=user,
        requested_by=actor,
        for_new_account=for_new_account,
        roles_before=_grants_to_json(kept),
        roles_after=_grants_to_json(grants),
        reason=reason.strip(),
        scope=approval_scope(added),
    )
    record_event(
        "accounts.role_request.created",
        actor=actor,
        obj=request,
        agency=user.agency,
        data={
            "user": user.username,
            "before": {"roles": _describe(request.roles_before)},
            "after": {"roles": _describe(request.roles_after)},
            "reason": request.reason,
            "scope": request.scope,
        },
    )
    return request


@audited_refusals("accounts.user.action_refused", obj="user")
@transaction.atomic
def set_user_roles(
    *,
    actor: User,
    user: User,
    grants: Iterable[RoleGrant],
    full_name: str | None = None,
    email: str | None = None,
    reason: str = "",
) -> User:
    """The security administrator edits a person. Removing roles takes effect at once; a role
    added becomes a RoleGrantRequest that a second person approves (AC-04). Name and e-mail
    change at once. Any pending request for the person is superseded by a new role change."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _ensure_security_admin_of(actor, user.agency)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own roles."))
    grants = validate_role_set(_agency_of(user), grants)
    before = {"full_name": user.full_name, "email": user.email}
    fields = []
    if full_name is not None and full_name != user.full_name:
        user.full_name = full_name
        fields.append("full_name")
    if email is not None and email != user.email:
        user.email = email
        fields.append("email")
    if fields:
        user.save(update_fields=fields)
        record_event(
            "accounts.user.updated",
            actor=actor,
            obj=user,
            agency=user.agency,
            data={"before": {f: before[f] for f in fields}, "after": {f: getattr(user, f) for f in fields}},
        )
    current_keys = {_key(g) for g in _current_grants(user)}
    wanted_keys = {_key(g) for g in grants}
    if wanted_keys <= current_keys:
        if wanted_keys != current_keys:
            _supersede_pending(actor, user)
            roles_before = _snapshot_roles(user)
            _apply_roles(user, grants)
            record_event(
                "accounts.user.roles_changed",
                actor=actor,
                obj=user,
                agency=user.agency,
                data={"before": {"roles": roles_before}, "after": {"roles": _snapshot_roles(user)}},
            )
        return user
    _create_request(actor=actor, user=user, grants=grants, reason=reason)
    return user


def _lock_pending(request: RoleGrantRequest) -> RoleGrantRequest:
    request = RoleGrantRequest.objects.select_for_update().select_related("agency").get(pk=request.pk)
    if request.status != RoleGrantRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return request


def _ensure_may_decide(actor: User, request: RoleGrantRequest) -> None:
    if actor.pk == request.requested_by_id:
        raise PermissionDenied(_("You cannot decide on a request you made."))
    if actor.pk == request.user_id:
        raise PermissionDenied(_("You cannot decide on roles given to you."))
    if not actor.is_active or not eligible_approvers(request).filter(pk=actor.pk).exists():
        if request.scope == RoleGrantRequest.Scope.DISTRICT:
            raise PermissionDenied(_("Administrator roles and the principal leader role are approved by the district."))
        raise PermissionDenied(_("Business roles are approved by the agency's principal leader."))


@audited_refusals("accounts.role_request.action_refused", obj="request")
@transaction.atomic
def approve_role_request(*, actor: User, request: RoleGrantRequest, note: str = "") -> RoleGrantRequest:
    """The second person approves: the roles take effect and the person's sessions end."""
    request = _lock_pending(request)
    user = User.objects.select_for_update().get(pk=request.user_id)
    _ensure_may_decide(actor, request)
    if {_key(g) for g in _current_grants(user)} != {_key(g) for g in _json_to_grants(request.roles_before)}:
        raise ValidationError(_("The person's roles have changed since the request: ask again."))
    grants = validate_role_set(_agency_of(user), _json_to_grants(request.roles_after))
    roles_before = _snapshot_roles(user)
    _apply_roles(user, grants)
    _record_decision(request, actor=actor, status=RoleGrantRequest.Status.APPROVED, note=note)
    record_event(
        "accounts.role_request.approved",
        actor=actor,
        obj=request,
        agency=request.agency,
        data={
            "user": user.username,
            "requested_by": request.requested_by.username,
            "before": {"status": "pending", "roles": roles_before},
            "after": {"status": "approved", "roles": _snapshot_roles(user)},
            "note": request.decision_note,
        },
    )
    record_event(
        "accounts.user.roles_changed",
        actor=actor,
        obj=user,
        agency=user.agency,
        data={"before": {"roles": roles_before}, "after": {"roles": _snapshot_roles(user)}, "request": request.pk},
    )
    return request


def _record_decision(request: RoleGrantRequest, *, actor: User, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@audited_refusals("accounts.role_request.action_refused", obj="request")
@transaction.atomic
def reject_role_request(*, actor: User, request: RoleGrantRequest, note: str) -> RoleGrantRequest:
    request = _lock_pending(request)
    _ensure_may_decide(actor, request)
    if not note.strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    _record_decision(request, actor=actor, status=RoleGrantRequest.Status.REJECTED, note=note)
    record_event(
        "accounts.role_request.rejected",
        actor=actor,
        obj=request,
        agency=request.agency,
        data={
            "user": request.user.username,
            "requested_by": request.requested_by.username,
            "before": {"status": "pending"},
            "after": {"status": "rejected"},
            "note": request.decision_note,
        },
    )
    return request


@audited_refusals("accounts.user.action_refused", obj="user")
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
    # Named in the remedies of every reply (行政复议法 art. 24; issue 10).
    "reconsideration_organ",
    "competent_court",
    # How letters are numbered and how a fee is paid (issue 10).
    "document_prefix",
    "notice_number_template",
    "fee_payment_method",
    # The catalog's index numbers (issue 3): provinces change the format, so it is a setting.
    "index_prefix",
    "index_template",
    # Which imported catalog items are legacy (seed B1): the platform's go-live date.
    "go_live_on",
)


@audited_refusals("accounts.agency.action_refused", obj="agency")
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
    """The person sets their own password. It must differ from the current one, so a one-time
    password the creator has seen never stays in use (AC-04, AUTH-02)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.check_password(new_password):
        raise ValidationError(
            {"new_password1": _("Choose a password different from the current one.")}, code="password_unchanged"
        )
    first = user.must_change_password
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record_event("accounts.user.password_changed", actor=user, obj=user, data={"first_sign_in": first})


def disable_stale_accounts(*, now=None) -> int:
    """Disable staff accounts unused for ACCOUNT_INACTIVE_DAYS (AUTH-01). Each is claimed with a
    guarded update, so a rerun or a parallel run changes nothing more. Returns how many."""
    from datetime import timedelta

    from django.conf import settings

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
