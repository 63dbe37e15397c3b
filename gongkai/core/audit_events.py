"""Human labels of the audit event codes, shown beside the code in the audit trail.

Codes are ``app.model.past_tense_verb`` (style.md §5). Each app declares the labels of its own
codes in ``<app>/audit_events.py`` and registers them in its ``AppConfig.ready()``; core holds the
registry and its own codes. A code without a label is still shown, by its code.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, str | Promise] = {}


def register_event_labels(labels: Mapping[str, str | Promise]) -> None:
    """Add an app's labels; a code is labelled once."""
    for code, label in labels.items():
        if code in EVENT_LABELS and EVENT_LABELS[code] != label:
            raise ImproperlyConfigured(f"audit code {code!r} has two labels")
        EVENT_LABELS[code] = label


register_event_labels(
    {
        "core.calendar_year.imported": _("Holiday arrangement imported"),
        "core.calendar_year.updated": _("Holiday arrangement changed"),
        "core.access.denied": _("Access refused"),
        "core.backup.created": _("Backup taken"),
        "core.backup.restored": _("Backup restored"),
        "core.personal_data.rekeyed": _("Personal data re-encrypted with the current key"),
        "core.audit.archived": _("Old audit records archived"),
        "core.access.network_refused": _("Access refused: address outside the allowed networks"),
        "core.upload.malware_detected": _("Upload refused: malware found"),
    }
)
