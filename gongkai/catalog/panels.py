"""The catalog's panel on the staff workbench (registered in CatalogConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.catalog.access import CATALOG_WORKERS
from gongkai.catalog.selectors import deadline_counts
from gongkai.core.access import user_roles
from gongkai.core.panels import Panel


def _work(request: HttpRequest) -> dict[str, Any] | None:
    if not CATALOG_WORKERS & user_roles(request.user):
        return None
    return {"counts": deadline_counts(request.user)}


WORK = Panel("catalog.work", "catalog/panels/work.html", _work, order=30)
