"""Search moves from SQLite FTS5 / PostgreSQL GIN to a tantivy index derived from the database
(docs/decisions/0012-catalog-search.md): drop the database-side index, add the change log."""

from django.db import migrations, models

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS catalog_fts_au",
        "DROP TRIGGER IF EXISTS catalog_fts_ad",
        "DROP TRIGGER IF EXISTS catalog_fts_ai",
        "DROP TABLE IF EXISTS catalog_fts",
    ],
    "postgresql": ["DROP INDEX IF EXISTS catalog_searchdocument_tsv"],
}


def drop_database_index(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def mark_published_for_indexing(apps, schema_editor):
    """Existing published entries enter the change log, so the first search indexes them."""
    Entry = apps.get_model("catalog", "Entry")
    SearchState = apps.get_model("catalog", "SearchState")
    SearchChange = apps.get_model("catalog", "SearchChange")
    ids = list(Entry.objects.filter(status="published").values_list("pk", flat=True))
    SearchChange.objects.bulk_create(
        [SearchChange(generation=n, entry_id=pk) for n, pk in enumerate(ids, start=1)], batch_size=5000
    )
    SearchState.objects.create(pk=1, generation=len(ids))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [
        migrations.RunPython(drop_database_index, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchDocument"),
        migrations.CreateModel(
            name="SearchState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("generation", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="SearchChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("generation", models.BigIntegerField(unique=True)),
                ("entry_id", models.IntegerField()),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunPython(mark_published_for_indexing, migrations.RunPython.noop),
    ]
