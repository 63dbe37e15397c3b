"""Periodic work, run by the huey consumer that `make run` starts (docs/decisions/0003-job-runner.md)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.core.calendar import remind_missing_next_year
from gongkai.core.reminders import sweep_reminders
from gongkai.core.uploads import clean_staging


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_calendar_check() -> bool:
    """From 1 November, remind district system administrators daily while next year is missing."""
    return remind_missing_next_year()


@db_periodic_task(crontab(hour="7", minute="30"))
def daily_reminder_sweep() -> int:
    """Every registered reminder kind (catalog A6, D4; applications E1–E5): whoever must act hears
    of what is due soon or overdue, once per item, threshold and deadline (REL-04)."""
    return sweep_reminders()


@db_periodic_task(crontab(hour="0", minute="5"))
def daily_audit_head_export() -> bool:
    """Export the audit chain's head to the file outside the database (AUD-02)."""
    from gongkai.core.audit_files import export_head

    return export_head() is not None


@db_periodic_task(crontab(hour="2", minute="30"))
def daily_audit_retention() -> int:
    """Archive and remove audit rows past the retention period (≥ 180 days, AUD-02)."""
    from gongkai.core.audit_files import archive_old_events

    checkpoint = archive_old_events()
    return checkpoint.rows if checkpoint else 0


@db_periodic_task(crontab(minute="17"))
def hourly_staging_clean_up() -> int:
    """Remove staged upload files a crash left behind (REL-06); recent ones may still commit."""
    return len(clean_staging())
