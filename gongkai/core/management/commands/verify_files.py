"""Check every stored private file against the hash its row recorded (security.md FILE-04)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.core.backup import stored_files
from gongkai.core.uploads import read_verified, stored_path


class Command(BaseCommand):
    help = "Verify every stored private file against its recorded SHA-256; exit 1 listing the bad ones."

    def handle(self, *args: Any, **options: Any) -> None:
        bad, total = [], 0
        for folder, name, sha256 in stored_files():
            total += 1
            if not stored_path(folder, name).is_file():
                bad.append(_("%(file)s: missing") % {"file": f"{folder}/{name}"})
            elif read_verified(folder, name, sha256) is None:
                bad.append(_("%(file)s: content does not match its hash") % {"file": f"{folder}/{name}"})
        for line in bad:
            self.stderr.write(line)
        if bad:
            raise CommandError(
                _("%(bad)d of %(total)d stored files failed verification.") % {"bad": len(bad), "total": total}
            )
        self.stdout.write(_("All %(total)d stored files verified.") % {"total": total})
