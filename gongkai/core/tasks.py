"""Periodic work, run by the huey consumer that `make run` starts (docs/decisions/0003-job-runner.md)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.core.calendar import remind_missing_next_year


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_calendar_check() -> bool:
    """From 1 November, remind district system administrators daily while next year is missing."""
    return remind_missing_next_year()
