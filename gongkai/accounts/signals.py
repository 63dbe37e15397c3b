"""Sign-in events into the audit trail (AUTH-03, AUD-01)."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongkai.accounts.middleware import SIGNED_IN_AT
from gongkai.core.audit import record_event


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
    record_event("accounts.user.logged_in", actor=user, obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event("accounts.user.logged_out", actor=user, obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The typed account name is stored escaped; the password never is.
    record_event("accounts.user.login_failed", result="failure", username=str(credentials.get("username", "")))


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    record_event("accounts.user.locked_out", result="failure", username=str(username or ""), data={"ip": ip_address})
