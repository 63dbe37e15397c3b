"""Writes applications with an identity proof, one transaction each, until it is killed; prints
"committed N" after each commit. Run by tests/core/test_backup.py, which kills it with SIGKILL
in the middle of its writes (security.md REL-06)."""

from __future__ import annotations

import hashlib
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from gongkai.accounts.models import Agency, User  # noqa: E402
from gongkai.applications.models import Attachment  # noqa: E402
from gongkai.applications.services import submit_application  # noqa: E402
from gongkai.core.uploads import CheckedFile  # noqa: E402
from tests.applications.factories import applicant_fields  # noqa: E402


def main() -> None:
    agency = Agency.objects.get(slug="maoshe")
    # Letters registered by the office: each starts its clock at once (one ledger entry).
    officer = User.objects.filter(agency=agency, role_assignments__role="disclosure_officer").first()
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + os.urandom(200_000)
    for n in range(1, 10_000):
        digest = hashlib.sha256(data).hexdigest()
        proof = CheckedFile(data=data, kind="pdf", original_name="身份证明.pdf", sha256=digest)
        submit_application(
            agency=agency,
            fields=applicant_fields(),
            channel="registered_post",
            received_on=timezone.localdate(),
            actor=officer,
            files=((Attachment.Kind.IDENTITY_PROOF, proof),),
        )
        print(f"committed {n}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
