from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.reports.services import freeze_ended_years


@db_periodic_task(crontab(hour="0", minute="5"))
def freeze_last_year() -> int:
    """Freeze last year's figures once January's first working days have settled (each day: a
    missed day is caught up; a year already frozen is left alone)."""
    return freeze_ended_years()
