"""A covering index for finding a matched unit's filing and page on SQLite.

FTS5 hands back the rowids of the matching units; reading each one's filing_id and
page_number from search_database_searchunit itself means visiting rows that hold a
whole page of text, which costs more than the match. This index holds just those
columns, so the join stays as cheap as the match. Like the triggers of 0002, Django
drops it when it rebuilds the table to alter SearchUnit: such a migration must
create it again. PostgreSQL reads those columns with the tsvector, so gets nothing.
"""

from django.db import migrations

UNIT_TABLE = "search_database_searchunit"
INDEX = f"{UNIT_TABLE}_unit_lookup"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {UNIT_TABLE} (id, filing_id, page_number)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search_database", "0002_full_text_search")]

    operations = [migrations.RunPython(create_index, drop_index)]
