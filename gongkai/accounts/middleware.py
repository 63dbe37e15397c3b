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
