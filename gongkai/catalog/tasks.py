"""Periodic and queued work for the catalog (docs/decisions/0003-job-runner.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gongkai.catalog.bulk import run_import_job
from gongkai.catalog.services import publish_scheduled


@db_periodic_task(crontab(minute="*"))
def publish_due_items() -> int:
    """B5: scheduled publications go out within a minute of their time."""
    return publish_scheduled()


@db_task()
def run_import(job_id: int) -> None:
    run_import_job(job_id)
