"""Retention without opening the audit table to DELETE (security.md AUD-02; decision 0019).

``core_auditevent`` still refuses every UPDATE, and every DELETE of a row above the newest
``core_auditcheckpoint.up_to_id``. The retention job (``gongkai.core.audit.archive_old_events``)
writes the archive file and its checkpoint first, then deletes the rows the checkpoint covers.
The checkpoint table itself refuses UPDATE and DELETE, so the boundary only ever moves forward,
and each checkpoint carries an HMAC that ``verify_audit`` checks.
"""

from django.db import migrations

SQLITE_UP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
    "CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
    "WHEN OLD.id > COALESCE((SELECT MAX(up_to_id) FROM core_auditcheckpoint), 0) "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    "CREATE TRIGGER core_auditcheckpoint_no_update BEFORE UPDATE ON core_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    "CREATE TRIGGER core_auditcheckpoint_no_delete BEFORE DELETE ON core_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_update;",
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
    "CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
]
PG_UP = [
    """
    CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           AND OLD.id <= COALESCE((SELECT MAX(up_to_id) FROM core_auditcheckpoint), 0) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit trail is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION core_auditcheckpoint_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit trail is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER core_auditcheckpoint_no_update_delete BEFORE UPDATE OR DELETE ON core_auditcheckpoint "
    "FOR EACH ROW EXECUTE FUNCTION core_auditcheckpoint_append_only();",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_update_delete ON core_auditcheckpoint;",
    "DROP FUNCTION IF EXISTS core_auditcheckpoint_append_only();",
    """
    CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit trail is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_UP, "postgresql": PG_UP}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("Gongkai supports SQLite and PostgreSQL only")
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_refused_and_checkpoint")]
    operations = [migrations.RunPython(forwards, backwards)]
