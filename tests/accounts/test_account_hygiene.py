"""Unused accounts are disabled (AUTH-01); old passwords must be changed (AUTH-02)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_accounts_unused_for_90_days_are_disabled_once(world):
    active = world.person(world.township, Role.CLERK)
    User.objects.filter(pk=active.pk).update(last_login=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        User.objects.filter(pk=active.pk).update(last_login=timezone.now() - timedelta(days=10))
        out = io.StringIO()
        call_command("disable_unused_accounts", stdout=out)
        disabled = int(out.getvalue().split()[1])
        assert disabled == User.objects.count() - 1
        call_command("disable_unused_accounts", stdout=out)
        assert out.getvalue().strip().endswith("disabled 0 account(s)")
    assert User.objects.get(pk=active.pk).is_active
    assert AuditEvent.objects.filter(event="accounts.user.disabled_unused").count() == disabled


def test_a_password_older_than_90_days_must_be_changed_first(client, world):
    user = world.person(world.township, Role.CLERK)
    client.force_login(user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client.force_login(user)
        response = client.get(reverse("core:workday-calculator"))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password-change")
        assert client.get(reverse("accounts:password-change")).status_code == 200
        response = client.post(
            reverse("accounts:password-change"),
            {"old_password": "x", "new_password1": "Brand-New-Pass-2027!", "new_password2": "Brand-New-Pass-2027!"},
        )
        assert "密码" in response.content.decode()  # wrong old password: refused, still on the page
        user.set_password("Known-Old-Pass-2026!")
        user.save(update_fields=["password"])
        client.force_login(user)
        client.post(
            reverse("accounts:password-change"),
            {
                "old_password": "Known-Old-Pass-2026!",
                "new_password1": "Brand-New-Pass-2027!",
                "new_password2": "Brand-New-Pass-2027!",
            },
        )
        assert client.get(reverse("core:workday-calculator")).status_code == 200
