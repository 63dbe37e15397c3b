"""Print the current sign-in code of a demo account (development only): `make run` shows the demo
administrators and leaders, who need a second factor (security.md AUTH-04). Works only with
DEBUG on and only for the devices load_demo set up, never for a real person's phone."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.two_factor import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo account (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if not settings.DEBUG:
            raise CommandError(_("demo_otp works only in development (DEBUG on)."))
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(_("%(name)s has no demo sign-in code.") % {"name": username})
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        current = totp.t()
        # A code is accepted once (last_t): after a sign-in in this step, give the next step's
        # code, which the device accepts too (tolerance of one step).
        step = max(current, device.last_t + 1)
        if step > current + device.tolerance:
            wait = device.step - int(now - device.t0) % device.step
            raise CommandError(_("Wait %(seconds)d seconds, then ask again.") % {"seconds": wait})
        self.stdout.write(f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}")
