"""The disputes' panel on the staff workbench (registered in DisputesConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.access import user_roles
from gongkai.core.panels import Panel
from gongkai.disputes.access import READERS
from gongkai.disputes.selectors import dispute_deadline_counts


def _disputes(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not set(READERS) & user_roles(user):
        return None
    assert isinstance(user, User)  # who holds a role is a staff member of an agency
    assert user.agency is not None
    counts = dispute_deadline_counts(user.agency, timezone.localdate())
    return {"dispute_counts": counts} if counts["open"] else None  # nothing to show: no panel


DISPUTES = Panel("disputes.open", "disputes/panels/open.html", _disputes, order=30)
