"""The request of a page that only signed-in staff reach, for type checking.

``gongkai.core.access`` lets no anonymous visitor into a staff page (they are sent to the
sign-in page first), so there ``request.user`` is a ``User``, never ``AnonymousUser``. Annotate
such a view ``request: StaffRequest`` instead of ``HttpRequest`` (the pattern django-stubs
documents); nothing changes at run time."""

from __future__ import annotations

from django.http import HttpRequest

from gongkai.accounts.models import User


class StaffRequest(HttpRequest):
    user: User  # narrowed from User | AnonymousUser
