"""Data minimisation (security.md PI-01; PIPL art. 6; 条例 art. 29): the public form asks only for
what art. 29 requires, and the form page loads nothing from another origin (no trackers)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongkai.applications.forms import PublicApplicationForm

# 条例 art. 29: (一) name or organisation, identity proof, contact details; (二) a description of
# the information asked for; (三) the form and the way of receiving it. Plus the form's own
# anti-abuse and retry fields, which hold no personal data.
ART_29_FIELDS = {
    "applicant_type", "applicant_name", "id_type", "id_number", "identity_proof",  # (一) who
    "phone", "email", "address",  # (一) contact
    "info_title", "info_document_number", "info_description",  # (二) what
    "requested_form", "delivery",  # (三) how
}  # fmt: skip
FORM_MECHANICS = {"website", "started", "idempotency_key", "confirm"}


def test_the_public_form_asks_only_for_what_article_29_requires():
    assert set(PublicApplicationForm.base_fields) - FORM_MECHANICS == ART_29_FIELDS


@pytest.mark.django_db
def test_the_form_page_loads_nothing_from_another_origin(client, world):
    response = client.get(reverse("applications:apply", args=["maoshe"]))
    html = response.content.decode()
    assert not re.findall(r"""(?:src|href|action)=["'](?:https?:)?//""", html)
    assert "http" not in response["Content-Security-Policy"]
