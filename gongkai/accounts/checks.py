"""Deploy checks on the accounts themselves (security.md AUTH-01): no active shared, default or
test account names and no active superuser. Run by ``manage.py check --deploy``."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def check_no_default_or_superuser_accounts(app_configs=None, **kwargs):
    from gongkai.accounts.models import User
    from gongkai.accounts.validators import is_reserved_username

    try:
        active = list(User.objects.filter(is_active=True).values_list("username", "is_superuser"))
    except DatabaseError:
        return []  # no database yet (before migrate): nothing to check
    issues = []
    reserved = sorted(name for name, _ in active if is_reserved_username(name))
    if reserved:
        issues.append(
            Warning(
                f"Active accounts with a shared, default or test name: {', '.join(reserved)}.",
                hint="Disable them and give each person an account of their own (security.md AUTH-01).",
                id="gongkai.accounts.W001",
            )
        )
    superusers = sorted(name for name, is_superuser in active if is_superuser)
    if superusers:
        issues.append(
            Warning(
                f"Active superuser accounts: {', '.join(superusers)}.",
                hint="Superusers bypass the separation of the three administrators; disable them (AUTH-01).",
                id="gongkai.accounts.W002",
            )
        )
    return issues
