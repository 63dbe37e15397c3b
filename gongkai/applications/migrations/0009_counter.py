"""Application and notice numbers move to the shared ``core.Counter`` (issue 9).

The yearly application counters are copied from ``NumberSequence``; each application that has
notices gets a notice counter at its highest notice number, so the next notice continues the
series. Then ``NumberSequence`` goes. The sweep's other two stored dates get partial indexes.
"""

from django.db import migrations, models

NUMBERS = "applications.number"
NOTICES = "applications.notice:{pk}"  # as gongkai.applications.notices.issue_notice names it


def copy_to_counters(apps, schema_editor):
    alias = schema_editor.connection.alias
    NumberSequence = apps.get_model("applications", "NumberSequence")
    Notice = apps.get_model("applications", "Notice")
    Counter = apps.get_model("core", "Counter")
    counters = [
        Counter(agency_id=s.agency_id, name=NUMBERS, year=s.year, last=s.last)
        for s in NumberSequence.objects.using(alias).all()
    ]
    last_notice: dict[int, tuple[int, int]] = {}
    rows = Notice.objects.using(alias).values_list("application_id", "application__agency_id", "document_number")
    for application_id, agency_id, number in rows.iterator(chunk_size=2000):
        suffix = number.rsplit("-", 1)[-1]
        serial = int(suffix) if suffix.isdigit() else 0
        agency_id, last = last_notice.get(application_id, (agency_id, 0))
        last_notice[application_id] = (agency_id, max(last, serial))
    counters += [
        Counter(agency_id=agency_id, name=NOTICES.format(pk=pk), year=0, last=last)
        for pk, (agency_id, last) in last_notice.items()
    ]
    Counter.objects.using(alias).bulk_create(counters, batch_size=2000)


def copy_back(apps, schema_editor):
    alias = schema_editor.connection.alias
    NumberSequence = apps.get_model("applications", "NumberSequence")
    Counter = apps.get_model("core", "Counter")
    NumberSequence.objects.using(alias).bulk_create(
        NumberSequence(agency_id=c.agency_id, year=c.year, last=c.last)
        for c in Counter.objects.using(alias).filter(name=NUMBERS)
    )
    Counter.objects.using(alias).filter(name=NUMBERS).delete()
    Counter.objects.using(alias).filter(name__startswith=NOTICES.format(pk="")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_agency_go_live_on"),
        ("applications", "0008_encrypt_existing_rows"),
        ("core", "0007_counter"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("pause_until__isnull", False),
                    ("status__in", ["awaiting_correction", "awaiting_fee", "consulting", "received"]),
                ),
                fields=["pause_until"],
                name="application_open_pause_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("next_step_due__isnull", False),
                    ("status__in", ["awaiting_correction", "awaiting_fee", "consulting", "received"]),
                ),
                fields=["next_step_due"],
                name="application_open_step_due_idx",
            ),
        ),
        migrations.RunPython(copy_to_counters, copy_back),
        migrations.DeleteModel(name="NumberSequence"),
    ]
