"""Public pages. They read through selectors only and show nothing that is not public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from gongkai.accounts.models import Agency


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    agencies = list(
        Agency.objects.filter(is_active=True).select_related("parent").order_by("parent_id", "kind", "name")
    )
    district = next((a for a in agencies if a.parent_id is None), None)
    return render(
        request,
        "portal/home.html",
        {"district": district, "agencies": [a for a in agencies if a.parent_id is not None]},
    )


@require_http_methods(["GET"])
def guide(request: HttpRequest, agency_slug: str) -> HttpResponse:
    """The agency's 政府信息公开指南 (art. 12; seed rules A2, A9)."""
    agency = get_object_or_404(Agency.objects.select_related("parent"), slug=agency_slug, is_active=True)
    return render(request, "portal/guide.html", {"agency": agency})
