"""Full-text indexing of SearchUnit.text, in whichever way the database engine offers.

SQLite: an external-content FTS5 table (porter stemming over unicode61) kept in
step with search_database_searchunit by triggers. Django rebuilds a SQLite table
to alter it, which drops its triggers: a later migration that alters SearchUnit
must create these triggers again.

PostgreSQL: a stored generated tsvector column with the 'english' configuration
and a GIN index; Django's models do not know the column, so it is left alone.
"""

from django.db import migrations

UNIT_TABLE = "search_database_searchunit"
FTS_TABLE = "search_database_searchunit_fts"

CREATE = {
    "sqlite": [
        f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
            text, content='{UNIT_TABLE}', content_rowid='id', tokenize='porter unicode61'
        )""",
        f"""CREATE TRIGGER {UNIT_TABLE}_fts_insert AFTER INSERT ON {UNIT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
        END""",
        f"""CREATE TRIGGER {UNIT_TABLE}_fts_delete AFTER DELETE ON {UNIT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
        f"""CREATE TRIGGER {UNIT_TABLE}_fts_update AFTER UPDATE ON {UNIT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
        END""",
        # Index any rows written before this migration.
        f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')",
    ],
    "postgresql": [
        f"""ALTER TABLE {UNIT_TABLE} ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('english', text)) STORED""",
        f"CREATE INDEX {UNIT_TABLE}_search_vector ON {UNIT_TABLE} USING GIN (search_vector)",
    ],
}

DROP = {
    "sqlite": [
        f"DROP TRIGGER {UNIT_TABLE}_fts_insert",
        f"DROP TRIGGER {UNIT_TABLE}_fts_delete",
        f"DROP TRIGGER {UNIT_TABLE}_fts_update",
        f"DROP TABLE {FTS_TABLE}",
    ],
    "postgresql": [f"ALTER TABLE {UNIT_TABLE} DROP COLUMN search_vector"],
}


def create_full_text_index(apps, schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def drop_full_text_index(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search_database", "0001_initial")]

    operations = [migrations.RunPython(create_full_text_index, drop_full_text_index)]
