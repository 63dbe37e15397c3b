"""Request-wide concerns: the client address for audit records, the access policy, caching,
and the refusal of input no page can use (WEB-05)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase

from gongkai.core.access import URL_ACCESS, Decision, decide
from gongkai.core.request_context import client_ip, reset_current_ip, set_current_ip

logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestContextMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = set_current_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)


class AccessPolicyMiddleware:
    """Applies gongkai.core.access.URL_ACCESS to every resolved view; unknown names are 404."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: list[Any], view_kwargs: dict[str, Any]
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        access = URL_ACCESS.get(match.view_name) if match else None
        request.gongkai_access = access  # type: ignore[attr-defined]  # read back by NoStoreMiddleware
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
    """Staff pages, applicants' pages and anything a signed-in person sees are never cached (WEB-02)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        access = getattr(request, "gongkai_access", None)
        private = access is None or not access.public or access.personal or request.user.is_authenticated
        if private:
            response["Cache-Control"] = "no-store"
        return response


# Characters no stored text may hold: PostgreSQL refuses NUL in a text value (a 500 where SQLite
# silently accepts it), and the documents built from stored text (DOCX, XLSX, the Atom feed,
# the sitemap) are XML, which cannot carry the other C0 controls, lone surrogates or U+FFFE/FFFF.
# Tab, line feed and carriage return are ordinary text in a field. (WEB-05)
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A URL path has no use for any control character.
UNSAFE_PATH = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def has_unsafe_text(value: str) -> bool:
    return UNSAFE_TEXT.search(value) is not None


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class DropUnsafeCookiesMiddleware:
    """A cookie holding a control character (a forged session key, for instance) is ignored, as
    if it had not been sent: the visitor carries on without it rather than being locked out by an
    error page until they clear their cookies. Runs before the session is read."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        for name in [n for n, v in request.COOKIES.items() if has_unsafe_text(n) or has_unsafe_text(v)]:
            del request.COOKIES[name]
        return self.get_response(request)


def _unsafe_request(request: HttpRequest) -> bool:
    if UNSAFE_PATH.search(request.path):
        return True
    sources = [request.GET]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if is_api_request(request):
            request.body  # noqa: B018 - kept, so the API can still read it after request.POST
        sources.append(request.POST)  # empty for a JSON body (checked by the API's parser)
    for data in sources:
        for key, values in data.lists():
            if has_unsafe_text(key) or any(has_unsafe_text(v) for v in values):
                return True
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        for upload in request.FILES.values():
            if not isinstance(upload, list) and has_unsafe_text(upload.name or ""):
                return True
    return False


def unsafe_input_response(request: HttpRequest) -> HttpResponseBase:
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    message = _("The request contains characters that are not allowed.")
    if is_api_request(request):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"reason": message}, status=400)


class UnsafeInputMiddleware:
    """Answers 400 (Chinese page, or JSON for the API) when the path, a query parameter, a form
    field or an uploaded file's name holds a character of UNSAFE_TEXT, before any view or
    database query sees it. JSON bodies are checked by the API's parser (gongkai.core.api).
    Placed after the header middlewares, so the error page carries the usual headers."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _unsafe_request(request):
            return unsafe_input_response(request)
        return self.get_response(request)


class MethodNotAllowedMiddleware:
    """Django's require_POST and django-ninja answer a wrong method with an empty (or English)
    405: give it a Chinese page, or a Chinese JSON detail for the API. The Allow header stays."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            from django.http import JsonResponse
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            message = _("This address does not accept that kind of request.")
            if is_api_request(request):
                chinese: HttpResponseBase = JsonResponse({"detail": message}, status=405)
            else:
                chinese = render(request, "405.html", {"reason": message}, status=405)
            chinese["Allow"] = response["Allow"]
            return chinese
        return response
