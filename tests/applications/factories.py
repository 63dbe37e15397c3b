"""Applications for tests, made through the real intake service."""

from __future__ import annotations

import itertools
from datetime import date

from gongkai.applications.services import submit_application

CANARY_ID = "110101199003074573"  # synthetic, valid check digit (security.md)
CANARY_PHONE = "13800138000"
_keys = itertools.count(1)


def applicant_fields(**overrides):
    fields = {
        "applicant_type": "natural_person",
        "applicant_name": "测试金丝雀",
        "id_type": "resident_id",
        "id_number": CANARY_ID,
        "phone": CANARY_PHONE,
        "email": "canary@example.com",
        "address": "浙江省台州市黄岩区茅畲乡某村 1 号",
        "info_title": "茅畲乡 2026 年宅基地审批结果",
        "info_document_number": "",
        "info_description": "请公开 2026 年茅畲乡农村宅基地审批结果清单。",
        "requested_form": "electronic",
        "delivery": "email",
        "has_identity_proof": True,
    }
    fields.update(overrides)
    return fields


def make_application(agency, *, received_on: date | None = None, **overrides):
    from django.utils import timezone

    return submit_application(
        agency=agency,
        fields=applicant_fields(**overrides),
        channel="online",
        received_on=received_on or timezone.localdate(),
        idempotency_key=f"test-key-{next(_keys)}-{agency.pk}",
    ).application
