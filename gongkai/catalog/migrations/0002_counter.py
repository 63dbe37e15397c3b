"""Index numbers move to the shared ``core.Counter`` (issue 9): the yearly counters are copied
from ``IndexSequence``, which then goes. The reminder sweep's publish-by date gets a partial index
over the entries still waiting in the review chain."""

from django.db import migrations, models

INDEX_NUMBERS = "catalog.index_number"


def copy_to_counters(apps, schema_editor):
    alias = schema_editor.connection.alias
    IndexSequence = apps.get_model("catalog", "IndexSequence")
    Counter = apps.get_model("core", "Counter")
    Counter.objects.using(alias).bulk_create(
        Counter(agency_id=s.agency_id, name=INDEX_NUMBERS, year=s.year, last=s.last)
        for s in IndexSequence.objects.using(alias).all()
    )


def copy_back(apps, schema_editor):
    alias = schema_editor.connection.alias
    IndexSequence = apps.get_model("catalog", "IndexSequence")
    Counter = apps.get_model("core", "Counter")
    counters = Counter.objects.using(alias).filter(name=INDEX_NUMBERS)
    IndexSequence.objects.using(alias).bulk_create(
        IndexSequence(agency_id=c.agency_id, year=c.year, last=c.last) for c in counters
    )
    counters.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("core", "0007_counter"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                condition=models.Q(
                    ("publish_due_on__isnull", False),
                    (
                        "status__in",
                        (
                            "draft",
                            "office_review",
                            "confidentiality_review",
                            "escalated",
                            "leader_confidentiality",
                            "disclosure_check",
                            "release_approval",
                            "ready",
                            "scheduled",
                        ),
                    ),
                ),
                fields=["status", "publish_due_on"],
                name="entry_unpublished_due_idx",
            ),
        ),
        migrations.RunPython(copy_to_counters, copy_back),
        migrations.DeleteModel(name="IndexSequence"),
    ]
