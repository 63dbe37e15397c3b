"""Disputes for tests that need one to exist (the permission matrix, the fuzzer)."""

from __future__ import annotations

from django.utils import timezone

from gongkai.disputes.models import Dispute
from tests.applications.factories import make_application


def make_dispute(agency, **overrides) -> Dispute:
    today = timezone.localdate()
    fields = {
        "agency": agency,
        "number": f"{agency.slug.upper()}-ZY-{today.year}-{Dispute.objects.count() + 1:03d}",
        "kind": "reconsideration",
        "application": make_application(agency),
        "organ": "台州市黄岩区人民政府",
        "received_on": today,
        "procedure": "ordinary",
        "answer_due_on": today,
    }
    fields.update(overrides)
    return Dispute.objects.create(**fields)
