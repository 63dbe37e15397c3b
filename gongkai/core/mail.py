"""Mail sent exactly once per key, whatever the number of sweeps or workers (REL-04).

A sweep claims a key by inserting its row; the insert fails for a key already claimed, so
two concurrent sweeps cannot both send. The mail goes out only after the claim commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction

from gongkai.core.models import SentReminder


def send_once(key: str, *, subject: str, body: str, recipients: Sequence[str], from_email: str | None = None) -> bool:
    """Send ``subject``/``body`` to each recipient unless ``key`` was already sent. True if sent."""
    recipients = [r for r in recipients if r]
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key, recipients=len(recipients))
            messages = [(subject, body, from_email, [r]) for r in recipients]
            transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    except IntegrityError:
        return False
    return True
