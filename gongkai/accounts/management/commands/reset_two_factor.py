"""Remove a person's second factor from the command line (the operator; audited with no actor):
for a security administrator who lost their phone and recovery codes (security.md AUTH-04)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.accounts.two_factor import reset_two_factor


class Command(BaseCommand):
    help = "Remove a staff member's authenticator app and recovery codes; they set up a new one at next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        translation.activate(settings.LANGUAGE_CODE)
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account %(name)s.") % {"name": username})
        reset_two_factor(actor=None, user=user)
        self.stdout.write(
            _("The second factor of %(name)s is removed: they set up a new one at their next sign-in.")
            % {"name": username}
        )
