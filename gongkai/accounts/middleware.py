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

    ALLOWED = ("accounts:password-change", "accounts:logout", "accounts:login")

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
