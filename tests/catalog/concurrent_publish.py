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
    from gongkai.catalog.choices import Classification, Step
    from gongkai.catalog.models import Entry
    from tests.catalog.conftest import content

    command, argument = sys.argv[1], sys.argv[2]
    if command == "setup":  # each entry drafted and taken through the chain by the services
        agency = Agency.objects.get(slug="maoshe")
        clerk = User.objects.get(username="maoshe.clerk")
        office = clerk.role_assignments.get(role="clerk").office
        ids = []
        for i in range(int(argument)):
            values = content(title=f"并发发布测试 {i}", summary="并发发布。", formed_on=timezone.localdate())
            entry = services.save_draft(actor=clerk, agency=agency, office=office, values=values)
            entry = services.submit(entry, actor=clerk)
            while entry.status != "ready":
                step = services.STEP_OF_STATUS[entry.status]
                people = agency.staff.filter(role_assignments__role__in=services.ROLES_OF_STEP[step], is_active=True)
                if step == Step.OFFICE:
                    people = people.filter(role_assignments__office=office)
                data = {"classification": Classification.NOT_SECRET} if step == Step.OFFICE else {}
                actor = people.exclude(pk=clerk.pk).first()
                entry = services.approve(entry, actor=actor, step=step, comment="同意。", **data)
            ids.append(str(entry.pk))
        print(",".join(ids))
    else:
        web = User.objects.get(username="maoshe.web")
        for pk in argument.split(","):
            services.publish(Entry.objects.get(pk=int(pk)), actor=web)


if __name__ == "__main__":
    main()
