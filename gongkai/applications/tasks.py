"""Periodic work for applications (docs/decisions/0003-job-runner.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="8", minute="15"))
def daily_archive_reminder() -> int:
    """Seed E6: remind the disclosure office in January until last year's archive exists."""
    from gongkai.applications.archive import remind_archive

    return remind_archive()


@db_periodic_task(crontab(hour="2", minute="30"))
def daily_personal_data_purge() -> int:
    """PI-04 (PIPL art. 47): delete personal data whose retention period is over; audited."""
    from gongkai.applications.retention import purge_personal_data

    result = purge_personal_data()
    return result.applications + result.identity_proofs


@db_periodic_task(crontab(hour="0", minute="20"))
def daily_receive_unconfirmed_submissions() -> int:
    """Art. 31(三), decision 0030: an online submission the office did not confirm by its last
    day is received as of that day."""
    from gongkai.applications.services import receive_unconfirmed_submissions

    return receive_unconfirmed_submissions()
