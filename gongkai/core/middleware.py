"""Request-wide concerns: the client address for audit records, the access policy, caching."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.core.access import URL_ACCESS, Decision, decide
from gongkai.core.request_context import client_ip, reset_current_ip, set_current_ip

logger = logging.getLogger(__name__)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)


class AccessPolicyMiddleware:
    """Applies gongkai.core.access.URL_ACCESS to every resolved view; unknown names are 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        access = URL_ACCESS.get(match.view_name) if match else None
        request.gongkai_access = access
        decision = decide(request.user, access, view_kwargs)
        if decision is Decision.ALLOW:
            return None
        if decision is Decision.LOGIN:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if access is None:
            logger.warning("URL %s is not classified in URL_ACCESS; refused", match.view_name if match else "?")
        from gongkai.core.audit import record_event

        record_event(
            "core.access.denied",
            actor=request.user,
            result="refused",
            data={"url_name": match.view_name if match else "", "decision": decision.value},
        )
        if decision is Decision.FORBIDDEN:
            raise PermissionDenied
        raise Http404


class NoStoreMiddleware:
    """Staff pages and anything a signed-in person sees are never cached (WEB-02)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        access = getattr(request, "gongkai_access", None)
        private = access is None or not access.public or request.user.is_authenticated
        if private:
            response["Cache-Control"] = "no-store"
        return response
