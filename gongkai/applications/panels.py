"""The applications' panel on the staff workbench (registered in ApplicationsConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.applications.access import APPLICATION_READERS
from gongkai.applications.selectors import application_deadline_counts
from gongkai.core.access import user_roles
from gongkai.core.panels import Panel


def _deadlines(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not APPLICATION_READERS & user_roles(user):
        return None
    # Who holds a role is a staff member of an agency.
    assert isinstance(user, User)
    assert user.agency is not None
    return {"counts": application_deadline_counts(user.agency, timezone.localdate())}


DEADLINES = Panel("applications.deadlines", "applications/panels/deadlines.html", _deadlines, order=20)
