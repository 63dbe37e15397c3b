"""The audit trail: complete records, append-only at the database, a hash chain that names the
first altered row, and no business change without its record (security.md AUD-01..03)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.services import set_user_active
from gongkai.core import audit
from gongkai.core.audit import record_event, verify_chain
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_record_carries_actor_role_agency_object_ip_and_zoned_time(client, world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    client.force_login(admin)
    client.post(reverse("accounts:user-deactivate", args=["maoshe", clerk.pk]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(event="accounts.user.deactivated")
    assert event.actor_username == "maoshe.secadmin"
    assert event.actor_name == admin.full_name
    assert event.actor_roles == "security_admin"
    assert event.agency_name == "台州市黄岩区茅畲乡人民政府"
    assert (event.object_type, event.object_id) == ("accounts.user", str(clerk.pk))
    assert event.data == {"before": {"is_active": True}, "after": {"is_active": False}}
    assert event.ip_address == "10.1.2.3"
    assert event.occurred_at.utcoffset() is not None


def test_actor_snapshot_survives_the_users_later_rename(world):
    actor = world.person(world.township, Role.SECURITY_ADMIN)
    event = record_event("test.thing.done", actor=actor)
    User.objects.filter(pk=actor.pk).update(username="renamed", full_name="改名")
    event.refresh_from_db()
    assert event.actor_username == "maoshe.secadmin"


def test_database_refuses_update_and_delete(world):
    event = record_event("test.thing.done")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(event="test.thing.hidden")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET event = 'x' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.event == "test.thing.done"


def _tamper(event_id: int, new_event: str) -> None:
    """Edit a row behind the application's back, as an attacker with the DB file would."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        else:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cursor.execute("UPDATE core_auditevent SET event = %s WHERE id = %s", [new_event, event_id])


def test_verify_audit_names_the_first_tampered_row(world):
    rows = [record_event("test.thing.done", data={"n": i}) for i in range(5)]
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "audit chain intact" in out.getvalue()
    target = rows[2]
    _tamper(target.pk, "test.thing.innocent")
    problems = list(verify_chain())
    assert problems[0].event_id == target.pk
    with pytest.raises(CommandError, match=f"first bad row is {target.pk}"):
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())


def test_chain_links_every_row_to_the_one_before(world):
    first = record_event("test.thing.done")
    second = record_event("test.thing.done")
    assert second.prev_hash == first.hash
    assert second.pk == first.pk + 1


def test_control_characters_are_stored_escaped(client, db):
    client.post(reverse("accounts:login"), {"username": "evil\r\nFAKE ENTRY", "password": "x"})
    event = AuditEvent.objects.get(event="accounts.user.login_failed")
    assert "\r" not in event.actor_username
    assert "\n" not in event.actor_username
    assert event.actor_username == "evil\\r\\nFAKE ENTRY"


def test_a_failing_audit_write_aborts_the_business_change(world, monkeypatch):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)

    def broken(*args, **kwargs):
        raise DatabaseError("audit storage unavailable")

    monkeypatch.setattr(audit.AuditEvent.objects, "create", broken)
    with pytest.raises(DatabaseError):
        set_user_active(actor=admin, user=clerk, active=False)
    clerk.refresh_from_db()
    assert clerk.is_active


def test_only_audit_admins_read_the_trail_and_agencies_see_their_own(client, world):
    record_event("test.thing.done", agency=world.department)
    url = reverse("core:audit-list")
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER):
        client.force_login(world.person(world.township, role))
        assert client.get(url).status_code == 403
    client.force_login(world.person(world.township, Role.AUDIT_ADMIN))
    page = client.get(url).context["page"]
    assert {e.agency_id for e in page} == {world.township.pk}
    client.force_login(world.person(world.district, Role.AUDIT_ADMIN))
    agencies = {e.agency_id for e in client.get(url, {"event": "test."}).context["page"]}
    assert agencies == {world.department.pk}


def test_the_chain_can_use_hmac_sm3_and_still_detects_tampering(world, settings):
    # GB/T 39786-2021: the national hash for the chain (AUDIT_HASH_ALGORITHM=sm3, decision 0019).
    import hashlib
    import hmac

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac

    from gongkai.core.audit import HASHED_FIELDS, canonical_json, record_event, row_values, verify_chain

    settings.AUDIT_HASH_ALGORITHM = "sm3"
    event = record_event("core.calendar_year.updated", data={"year": 2027})
    text = canonical_json(row_values(AuditEvent.objects.filter(pk=event.pk).values(*HASHED_FIELDS).get())).encode()
    signer = crypto_hmac.HMAC(settings.AUDIT_HMAC_KEY.encode(), hashes.SM3())
    signer.update(text)
    assert event.hash == signer.finalize().hex()
    assert event.hash != hmac.new(settings.AUDIT_HMAC_KEY.encode(), text, hashlib.sha256).hexdigest()
    assert [p for p in verify_chain() if p.event_id == event.pk] == []
    _tamper(event.pk, "core.calendar_year.imported")
    assert [p.event_id for p in verify_chain() if p.event_id == event.pk] == [event.pk]
