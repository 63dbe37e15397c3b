"""Refused catalog actions are audited (security.md AUD-01): one ``result="refused"`` row with
the actor, role, object, attempted action and reason, committed on its own after the business
transaction rolled back (gongkai.core.audit.audited_refusals)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.choices import Status, Step
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_clerk_publishing_is_refused_and_the_refusal_is_audited_once(client, cast, draft, advance):
    entry = advance(draft(), Step.RELEASE)
    status_before = entry.status
    client.force_login(cast.clerk)
    response = client.post(
        reverse("catalog:staff-action", args=["maoshe", entry.pk]), {"action": "publish"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == status_before
    assert not AuditEvent.objects.filter(event="catalog.entry.published").exists()
    refusal = AuditEvent.objects.get(event="catalog.entry.action_refused")
    assert refusal.result == "refused"
    assert refusal.actor_username == cast.clerk.username
    assert refusal.actor_roles == "clerk"
    assert (refusal.object_type, refusal.object_id) == ("catalog.entry", str(entry.pk))
    assert refusal.data["action"] == "publish"
    assert refusal.data["reason"]  # the message the clerk saw
    assert refusal.ip_address == "10.0.0.7"


def test_a_refusal_after_a_write_is_kept_while_the_write_rolls_back(cast, draft, advance):
    """approve_many approves the first item, then meets one that is not routine: the first
    approval is undone, the refusal row stays (written after the failed transaction)."""
    routine = advance(draft(title="例行事项"), Step.CONFIDENTIALITY)
    important = advance(draft(title="重要事项", is_important=True), Step.CONFIDENTIALITY)
    assert routine.status == important.status == Status.LEADER_CONFIDENTIALITY
    with pytest.raises(services.ReviewError):
        services.approve_many([routine, important], actor=cast.leader, comment="同意。")
    routine.refresh_from_db()
    assert routine.status == Status.LEADER_CONFIDENTIALITY
    assert not AuditEvent.objects.filter(event="catalog.entry.approved", actor_id=cast.leader.pk).exists()
    refusal = AuditEvent.objects.get(event="catalog.entry.action_refused")
    assert refusal.result == "refused"
    assert refusal.data["action"] == "approve_many"
    assert refusal.data["objects"] == [str(routine.pk), str(important.pk)]


def test_plain_form_mistakes_are_not_recorded_as_refusals(client, cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    client.force_login(cast.head)
    # The office opinion without its classification check: the view's form check, not a refusal.
    client.post(reverse("catalog:staff-action", args=["maoshe", entry.pk]), {"action": "approve", "comment": "同意"})
    entry.refresh_from_db()
    assert entry.status == Status.OFFICE_REVIEW
    assert not AuditEvent.objects.filter(event="catalog.entry.action_refused").exists()


def test_approving_an_item_not_at_a_review_step_is_refused_not_a_server_error(client, cast, draft):
    entry = draft()
    client.force_login(cast.head)
    response = client.post(reverse("catalog:staff-action", args=["maoshe", entry.pk]), {"action": "approve"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(event="catalog.entry.action_refused").data["action"] == "approve"
