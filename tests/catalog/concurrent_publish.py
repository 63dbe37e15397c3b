"""Helper run as a separate process by test_index_numbers.py (SQLite concurrency): either
``setup N`` (prepare N entries ready to publish, print their ids) or ``publish ID,ID,...``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from gongkai.accounts.models import Agency, User
    from gongkai.catalog import services
    from gongkai.catalog.choices import Category, Channel
    from gongkai.catalog.models import Entry, Revision

    command, argument = sys.argv[1], sys.argv[2]
    if command == "setup":
        agency = Agency.objects.get(slug="maoshe")
        clerk = User.objects.get(username="maoshe.clerk")
        office = clerk.role_assignments.get(role="clerk").office
        ids = []
        for i in range(int(argument)):
            entry = Entry.objects.create(
                agency=agency,
                office=office,
                status="ready",
                revision=1,
                title=f"并发发布测试 {i}",
                formed_on=timezone.localdate(),
                attribute="proactive",
                category=Category.HOMESTEAD,
                channels=[Channel.WEBSITE],
                summary="并发发布。",
                created_by=clerk,
            )
            data = services.snapshot(entry)
            Revision.objects.create(entry=entry, number=1, snapshot=data, sha256=services._hash(data), created_by=clerk)
            ids.append(str(entry.pk))
        print(",".join(ids))
    else:
        web = User.objects.get(username="maoshe.web")
        for pk in argument.split(","):
            services.publish(Entry.objects.get(pk=int(pk)), actor=web)


if __name__ == "__main__":
    main()
