import unicodedata

from django.db import migrations, models


def normalise_numbers(apps, schema_editor):
    """Store identity and phone numbers in the one spelling the form now produces (NFKC, upper
    case; WEB-05), so the per-ID limit and the fee count see earlier applications too. Numbers
    holding digits NFKC cannot turn into 0–9 are left as they are."""
    Application = apps.get_model("applications", "Application")
    for application in Application.objects.only("pk", "id_number", "phone").iterator():
        id_number = unicodedata.normalize("NFKC", application.id_number).strip().upper()
        phone = unicodedata.normalize("NFKC", application.phone).strip().replace(" ", "")
        if (id_number, phone) != (application.id_number, application.phone):
            Application.objects.filter(pk=application.pk).update(id_number=id_number, phone=phone)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_attachments"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="request_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="application",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                fields=("agency", "idempotency_key"), name="one_application_per_agency_key"
            ),
        ),
        migrations.RunPython(normalise_numbers, migrations.RunPython.noop),
    ]
