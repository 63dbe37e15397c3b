"""Error pages: plain Chinese, no trace, no setting names (WEB-01). Under /api/ the same
answers are JSON, ``{"detail": "…"}`` in Chinese, like the API's own errors (WEB-05)."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            {"detail": _("The request could not be understood. Please go back and try again.")}, status=400
        )
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Access denied")}, status=403)
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        # Written out, not translated: the failure may be in the translation machinery.
        return JsonResponse({"detail": "系统暂时无法处理您的请求，已记录此问题。请稍后再试。"}, status=500)
    # No context processors: the failure may be in one of them.
    return HttpResponseServerError(loader.get_template("500.html").render())
