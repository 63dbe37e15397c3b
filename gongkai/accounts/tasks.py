"""Periodic work for accounts (docs/decisions/0003-job-runner.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.accounts.services import disable_stale_accounts


@db_periodic_task(crontab(hour="3", minute="0"))
def daily_disable_unused_accounts() -> int:
    return disable_stale_accounts()
