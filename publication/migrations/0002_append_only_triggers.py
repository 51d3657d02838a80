"""On PostgreSQL, the database itself refuses to change or delete log entries and versions.

SQLite has no such triggers here; there the models' save() and delete() refuse.
"""

from django.db import migrations

TABLES = {
    "publication_log_append_only": "publication_publicationlogentry",
    "filing_version_append_only": "filings_filingversion",
}

CREATE_FUNCTION = """
CREATE FUNCTION publication_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% of a row of % refused: it is part of the public record; '
        'record a new entry or version instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the % in RAISE's message is PL/pgSQL's placeholder, not the driver's.
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for trigger, table in TABLES.items():
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION publication_refuse_change()"
        )


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for trigger, table in TABLES.items():
        schema_editor.execute(f"DROP TRIGGER {trigger} ON {table}")
    schema_editor.execute("DROP FUNCTION publication_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0001_initial"),
        ("filings", "0001_initial"),
    ]

    operations = [migrations.RunPython(install_triggers, remove_triggers)]
