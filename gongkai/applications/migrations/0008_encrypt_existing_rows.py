"""Encrypt the personal data already stored (security.md PI-03; docs/decisions/0022).

Every application is saved again: its EncryptedTextFields write tokens under the current key and
its id_number_hash is computed. Applicants' files already on disk are encrypted in place.
Idempotent: `manage.py rotate_personal_data_key` does the same for anything left over.
"""

from django.db import migrations

PERSONAL = ["applicant_name", "id_number", "phone", "email", "address"]


def encrypt_rows(apps, schema_editor):
    from gongkai.core import uploads

    Application = apps.get_model("applications", "Application")
    Attachment = apps.get_model("applications", "Attachment")
    for application in Application.objects.using(schema_editor.connection.alias).iterator(chunk_size=500):
        application.save(update_fields=[*PERSONAL, "id_number_hash"])
    for attachment in Attachment.objects.using(schema_editor.connection.alias).iterator(chunk_size=500):
        if uploads.stored_path("attachments", attachment.stored_name).exists():
            uploads.reencrypt_stored("attachments", attachment.stored_name)


def decrypt_rows(apps, schema_editor):
    """Back to plaintext columns (the previous schema): written with raw SQL, past the fields."""
    Application = apps.get_model("applications", "Application")
    connection = schema_editor.connection
    table = connection.ops.quote_name(Application._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in PERSONAL)
    with connection.cursor() as cursor:
        for application in Application.objects.using(connection.alias).iterator(chunk_size=500):
            values = [getattr(application, name) for name in PERSONAL]
            cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values, application.pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("applications", "0007_encrypt_personal_data")]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False)]
