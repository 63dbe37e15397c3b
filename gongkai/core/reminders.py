"""Deadline reminders: one daily sweep over the reminder kinds that the apps register.

Each app registers its kinds in ``AppConfig.ready()`` (``register_reminder_kinds``). A kind says
which items are due (``find``: each with the threshold it crossed, its deadline and who must hear
of it) and what the mail says (``message``). ``sweep_reminders`` runs every kind and sends each
reminder once per item, threshold and deadline (``send_once``, REL-04), so reruns and parallel
sweeps send nothing more. "Due soon" means within ``settings.DUE_SOON_WORKING_DAYS`` working days
(seed: reminders at ≤ 3 WD); every list, count and reminder asks ``due_soon_until``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from gongkai.core.calendar import due_date
from gongkai.core.mail import send_once

__all__ = [
    "Due",
    "ReminderKind",
    "due_soon_context",
    "due_soon_until",
    "register_reminder_kinds",
    "reminder_kinds",
    "send_once",
    "sweep_reminders",
    "unregister_reminder_kind",
]


def due_soon_until(today: date) -> date:
    """The last deadline that counts as due soon on ``today``."""
    return due_date(today, settings.DUE_SOON_WORKING_DAYS).due


def due_soon_context(request: HttpRequest) -> dict[str, int]:
    """Template context processor: ``due_soon_working_days`` for the lists' and cards' labels."""
    return {"due_soon_working_days": settings.DUE_SOON_WORKING_DAYS}


@dataclass(frozen=True)
class Due:
    """One reminder to send, unless it went out before: ``item`` has crossed ``threshold`` of
    its deadline ``due_on``. ``item`` names the object (``"application:12"``); the once-key is
    ``item:threshold:due_on``, so a moved deadline reminds again."""

    item: str
    threshold: str
    due_on: date
    recipients: Sequence[str]
    obj: Any = None  # what ``message`` writes about

    @property
    def key(self) -> str:
        return f"{self.item}:{self.threshold}:{self.due_on.isoformat()}"


@dataclass(frozen=True)
class ReminderKind:
    """One kind of reminder. ``find(today, soon)`` yields the reminders due on ``today``, where
    ``soon`` is the last due-soon deadline; ``message(due)`` returns its subject and body (called
    in the site's language). ``thresholds`` lists the thresholds ``find`` may yield."""

    code: str
    label: Any  # a lazy translation
    thresholds: tuple[str, ...]
    find: Callable[[date, date], Iterable[Due]]
    message: Callable[[Due], tuple[str, str]]


_kinds: dict[str, ReminderKind] = {}


def register_reminder_kinds(*kinds: ReminderKind) -> None:
    """Called from an app's ``AppConfig.ready()``; a kind registered again replaces the first."""
    for kind in kinds:
        _kinds[kind.code] = kind


def unregister_reminder_kind(code: str) -> None:
    _kinds.pop(code, None)


def reminder_kinds() -> list[ReminderKind]:
    return list(_kinds.values())


def sweep_reminders(today: date | None = None, *, codes: Collection[str] | None = None) -> int:
    """Send the reminders of every registered kind (of ``codes`` only, if given) that are due on
    ``today``, each once. Returns the number of reminders sent."""
    today = today or timezone.localdate()
    soon = due_soon_until(today)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for kind in reminder_kinds():
            if codes is not None and kind.code not in codes:
                continue
            for due in kind.find(today, soon):
                if due.threshold not in kind.thresholds:
                    raise ValueError(f"{kind.code}: unknown threshold {due.threshold!r}")
                subject, body = kind.message(due)
                if send_once(due.key, subject=subject, body=body, recipients=due.recipients):
                    sent += 1
    return sent
