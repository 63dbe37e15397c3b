"""Reply letters made after the leader's signature and served last (issue 10): a notice has the
date it bears and, once served, the service date; art. 36(五) gets its own outcome; the letter to
another agency (art. 34) is a notice kind."""

from django.db import migrations, models
from django.db.models import F


def letters_bear_their_service_date(apps, schema_editor):
    Notice = apps.get_model("applications", "Notice")
    Notice.objects.update(issued_on=F("served_on"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0012_online_confirmation")]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="issued_on",
            field=models.DateField(null=True, verbose_name="date of the letter"),
        ),
        migrations.RunPython(letters_bear_their_service_date, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notice",
            name="issued_on",
            field=models.DateField(verbose_name="date of the letter"),
        ),
        migrations.AlterField(
            model_name="notice",
            name="served_on",
            field=models.DateField(blank=True, null=True, verbose_name="served on"),
        ),
    ]
