"""The full-text index over ``catalog_searchdocument`` (docs/decisions/0012-catalog-search.md).

SQLite: an external-content FTS5 table kept in step by triggers. PostgreSQL: a generated
tsvector column (config 'simple' over rjieba-segmented text) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE catalog_fts USING fts5(
        title, summary, body, facets,
        content='catalog_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER catalog_fts_ai AFTER INSERT ON catalog_searchdocument BEGIN
        INSERT INTO catalog_fts(rowid, title, summary, body, facets)
        VALUES (new.id, new.title, new.summary, new.body, new.facets);
    END""",
    """CREATE TRIGGER catalog_fts_ad AFTER DELETE ON catalog_searchdocument BEGIN
        INSERT INTO catalog_fts(catalog_fts, rowid, title, summary, body, facets)
        VALUES ('delete', old.id, old.title, old.summary, old.body, old.facets);
    END""",
    """CREATE TRIGGER catalog_fts_au AFTER UPDATE ON catalog_searchdocument BEGIN
        INSERT INTO catalog_fts(catalog_fts, rowid, title, summary, body, facets)
        VALUES ('delete', old.id, old.title, old.summary, old.body, old.facets);
        INSERT INTO catalog_fts(rowid, title, summary, body, facets)
        VALUES (new.id, new.title, new.summary, new.body, new.facets);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_fts_au",
    "DROP TRIGGER IF EXISTS catalog_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_fts_ai",
    "DROP TABLE IF EXISTS catalog_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE catalog_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', summary), 'B')
        || setweight(to_tsvector('simple', body), 'D')) STORED""",
    "CREATE INDEX catalog_searchdocument_tsv ON catalog_searchdocument USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchdocument_tsv",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
