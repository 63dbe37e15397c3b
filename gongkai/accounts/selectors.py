"""Reading the organisation for other floors and apps (no writes here)."""

from __future__ import annotations

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User


def calendar_keepers() -> list[str]:
    """The e-mail addresses of the district's active system administrators, who keep the
    holiday arrangement (core.calendar's reminder)."""
    return list(
        User.objects.filter(
            is_active=True, agency__parent__isnull=True, role_assignments__role=Role.SYSTEM_ADMIN
        ).values_list("email", flat=True)
    )
