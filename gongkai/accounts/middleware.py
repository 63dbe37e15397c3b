"""The absolute session lifetime (AUTH-05). The idle timeout is SESSION_COOKIE_AGE, renewed by
every request (SESSION_SAVE_EVERY_REQUEST); this ends any session 8 hours after sign-in."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SIGNED_IN_AT = "gongkai_signed_in_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                request.session[SIGNED_IN_AT] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class PasswordAgeMiddleware:
    """Staff whose password is older than PASSWORD_MAX_AGE_DAYS must change it before anything
    else (等保 L3-CES1-01; AUTH-02), and so must a new account still on the one-time password
    its creator saw (``must_change_password``, AC-04). Sign-out and the change page itself stay
    reachable."""

    # The code step comes first (TwoFactorMiddleware); the password change after it.
    ALLOWED = (
        "accounts:password-change",
        "accounts:logout",
        "accounts:login",
        "accounts:otp-verify",
        "accounts:otp-enrol",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils import timezone
        from django.utils.translation import gettext as _

        days = settings.PASSWORD_MAX_AGE_DAYS
        user = request.user
        if not user.is_authenticated or not request.resolver_match:
            return None
        if request.resolver_match.view_name in self.ALLOWED or request.resolver_match.view_name.startswith("portal:"):
            return None
        if getattr(user, "must_change_password", False):
            messages.warning(request, _("This is your first sign-in: choose your own password before you continue."))
            return redirect("accounts:password-change")
        if not days:
            return None
        changed = user.password_changed_at or user.date_joined
        if (timezone.now() - changed).days < days:
            return None
        messages.warning(
            request, _("Your password is more than %(days)d days old. Please choose a new one.") % {"days": days}
        )
        return redirect("accounts:password-change")


def _access_of(request):
    from gongkai.core.access import URL_ACCESS

    match = request.resolver_match
    return URL_ACCESS.get(match.view_name) if match else None


class StaffNetworkMiddleware:
    """Staff pages only from allowed networks (security.md AUTH-04; 等保 L3-CES1-19).

    The administration pages (三员) answer 404 outside ADMIN_ALLOWED_NETWORKS, signed in or not;
    any staff page answers 404 to a signed-in person outside their agency's allowed networks.
    Public pages and the sign-in page stay reachable. Each refusal is audited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from gongkai.accounts.networks import address_allowed, admin_networks, agency_networks
        from gongkai.core.access import is_administration_page, is_staff_page
        from gongkai.core.request_context import client_ip

        access = _access_of(request)
        if not is_staff_page(access):
            return None
        address = client_ip(request)
        if is_administration_page(access) and not address_allowed(address, admin_networks()):
            return self._refuse(request, address, "administration")
        user = request.user
        if user.is_authenticated and user.agency_id and not address_allowed(address, agency_networks(user.agency)):
            return self._refuse(request, address, "agency")
        return None

    @staticmethod
    def _refuse(request, address, which):
        from django.http import Http404

        from gongkai.core.audit import record_event

        record_event(
            "core.access.network_refused",
            actor=request.user,
            result="failure",
            data={"url_name": request.resolver_match.view_name, "ip": address, "allowlist": which},
        )
        raise Http404


class TwoFactorMiddleware:
    """No staff page with one factor (security.md AUTH-04). A signed-in person who needs a
    second factor (gongkai.accounts.two_factor.two_factor_required) or has set one up, and has
    not given a code in this session, is sent to the code step, or to enrolment when no device
    is set up yet. Public pages stay reachable; unclassified URLs are left to the access policy."""

    EXEMPT = ("accounts:otp-verify", "accounts:otp-enrol", "accounts:logout", "accounts:login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import resolve_url
        from django.utils.http import urlencode

        from gongkai.accounts.two_factor import confirmed_totp_device, is_verified, two_factor_required
        from gongkai.core.access import is_staff_page

        user = request.user
        if not user.is_authenticated or not is_staff_page(_access_of(request)):
            return None
        if request.resolver_match.view_name in self.EXEMPT or is_verified(user):
            return None
        if confirmed_totp_device(user) is not None:
            step = "accounts:otp-verify"
        elif two_factor_required(user):
            step = "accounts:otp-enrol"
        else:
            return None
        from django.http import HttpResponseRedirect

        target = resolve_url(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
