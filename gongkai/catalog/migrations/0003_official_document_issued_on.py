"""An official document's issue date (印发日期): D4 counts its 1 working day from it (issue 10).
Documents already on file have none; they keep A6's 20 working days from the day formed until
an officer records it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="issued_on",
            field=models.DateField(blank=True, null=True, verbose_name="date issued"),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("issued_on__isnull", True),
                    ("written_on__isnull", True),
                    ("issued_on__gte", models.F("written_on")),
                    _connector="OR",
                ),
                name="entry_issued_not_before_written",
            ),
        ),
    ]
