"""Sign-in, the workbench home, and each agency's own administration pages.

Who may reach each URL is decided in gongkai.core.access before these views run; the services
check again that the actor acts on their own agency.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.choices import OFFICE_ROLES, Role
from gongkai.accounts.forms import (
    AgencyContactForm,
    LoginForm,
    RoleRequestDecisionForm,
    StaffCreateForm,
    StaffEditForm,
)
from gongkai.accounts.models import Agency, RoleGrantRequest
from gongkai.accounts.permissions import (
    get_agency_for_user,
    get_role_request_for_user,
    get_staff_member_for_user,
    visible_role_requests,
)
from gongkai.accounts.requests import StaffRequest
from gongkai.accounts.services import (
    AGENCY_CONTACT_FIELDS,
    approve_role_request,
    open_staff_account,
    reject_role_request,
    requests_awaiting,
    set_user_active,
    set_user_roles,
    update_agency_contact,
)
from gongkai.core.access import user_roles
from gongkai.core.calendar import missing_next_year
from gongkai.core.models import AuditEvent
from gongkai.core.panels import panels_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: StaffRequest) -> HttpResponse:
    from gongkai.accounts.services import change_own_password

    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_own_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:dashboard")
    return render(
        request, "accounts/password_change.html", {"form": form, "first_sign_in": request.user.must_change_password}
    )


@require_http_methods(["GET"])
def dashboard(request: StaffRequest) -> HttpResponse:
    roles = user_roles(request.user)
    assignments = request.user.role_assignments.select_related("office").order_by("role")
    warn_year = None
    agency = request.user.agency  # a staff page: the access policy let in only a person with an agency
    if Role.SYSTEM_ADMIN in roles and agency is not None and agency.parent_id is None:
        warn_year = missing_next_year()
    role_requests_waiting = None
    if roles & {Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER}:
        role_requests_waiting = len(requests_awaiting(request.user))
    return render(
        request,
        "accounts/dashboard.html",
        {
            "assignments": assignments,
            "warn_year": warn_year,
            "roles": roles,
            "panels": panels_for(request),
            "role_requests_waiting": role_requests_waiting,
        },
    )


@require_http_methods(["GET"])
def user_list(request: StaffRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    staff = agency.staff.prefetch_related("role_assignments__office").order_by("-is_active", "username")
    pending = set(
        RoleGrantRequest.objects.filter(agency=agency, status=RoleGrantRequest.Status.PENDING).values_list(
            "user_id", flat=True
        )
    )
    return render(request, "accounts/user_list.html", {"agency": agency, "staff": staff, "pending": pending})


@require_http_methods(["GET", "POST"])
def user_create(request: StaffRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    form = StaffCreateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = open_staff_account(
                actor=request.user,
                agency=agency,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                grants=data["grants"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The one-time password is shown this once (the response is not cached: NoStoreMiddleware).
            return render(request, "accounts/user_created.html", {"agency": agency, "account": account})
    return render(request, "accounts/user_form.html", {"agency": agency, "form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def user_edit(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    member = get_staff_member_for_user(request.user, agency, pk)
    assignments = list(member.role_assignments.select_related("office"))
    office = next((a.office for a in assignments if a.role in OFFICE_ROLES and a.office), None)
    initial = {
        "full_name": member.full_name,
        "email": member.email,
        "roles": [a.role for a in assignments],
        "office": office,
    }
    form = StaffEditForm(request.POST or None, initial=initial, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_user_roles(
                actor=request.user,
                user=member,
                grants=data["grants"],
                full_name=data["full_name"],
                email=data["email"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if RoleGrantRequest.objects.filter(user=member, status=RoleGrantRequest.Status.PENDING).exists():
                messages.success(request, _("Saved. The new roles take effect once approved."))
            else:
                messages.success(request, _("Saved."))
            return redirect("accounts:user-list", agency_slug=agency.slug)
    history = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(member.pk))[:30]
    requests = RoleGrantRequest.objects.filter(user=member).select_related("requested_by", "decided_by")[:10]
    return render(
        request,
        "accounts/user_form.html",
        {
            "agency": agency,
            "form": form,
            "member": member,
            "creating": False,
            "history": history,
            "role_requests": requests,
        },
    )


def _set_active(request: StaffRequest, agency_slug: str, pk: int, *, active: bool) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    member = get_staff_member_for_user(request.user, agency, pk)
    member = set_user_active(actor=request.user, user=member, active=active)
    message = _("Account %(name)s enabled.") if active else _("Account %(name)s disabled.")
    messages.success(request, message % {"name": member.username})
    return redirect("accounts:user-list", agency_slug=agency.slug)


@require_POST
def user_deactivate(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    return _set_active(request, agency_slug, pk, active=False)


@require_POST
def user_activate(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    return _set_active(request, agency_slug, pk, active=True)


@require_http_methods(["GET", "POST"])
def agency_edit(request: StaffRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    form = AgencyContactForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        update_agency_contact(
            actor=request.user, agency=agency, values={f: form.cleaned_data[f] for f in AGENCY_CONTACT_FIELDS}
        )
        messages.success(request, _("The agency's details are saved."))
        return redirect("accounts:agency-edit", agency_slug=agency.slug)
    return render(request, "accounts/agency_form.html", {"agency": agency, "form": form})


@require_http_methods(["GET"])
def role_request_list(request: StaffRequest) -> HttpResponse:
    """The approver's queue (AC-04): requests waiting for this person's decision, and the
    recent requests of the agencies they may see."""
    waiting = requests_awaiting(request.user)
    waiting_ids = {r.pk for r in waiting}
    recent = [r for r in visible_role_requests(request.user)[:50] if r.pk not in waiting_ids]
    RoleGrantRequest.preload_office_names([*waiting, *recent])
    return render(
        request,
        "accounts/role_requests.html",
        {"waiting": waiting, "recent": recent, "form": RoleRequestDecisionForm()},
    )


@require_POST
def role_request_decide(request: StaffRequest, pk: int) -> HttpResponse:
    role_request = get_role_request_for_user(request.user, pk)
    form = RoleRequestDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject."))
        return redirect("accounts:role-request-list")
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            approve_role_request(actor=request.user, request=role_request, note=note)
            messages.success(request, _("Approved. The roles have taken effect."))
        else:
            reject_role_request(actor=request.user, request=role_request, note=note)
            messages.success(request, _("Rejected."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("accounts:role-request-list")
