"""PostgreSQL: each filing's words, without positions, for finding the filings that contain a word.

search_lexemes holds every lexeme of the filing's units, stripped of positions
(so a filing of thousands of pages stays far under a tsvector's 1 MB), with a
GIN index. Finding the filings that contain a word then reads filing rows, not
the tens of thousands of unit rows holding it. Phrases need positions and are
still looked up in the units. The backend keeps the column in step, in the
same transaction as the units; Django's models do not know it.

SQLite has its filing-level index already (0004); nothing changes there.
"""

from django.db import migrations

FILING_TABLE = "search_database_searchfiling"
UNIT_TABLE = "search_database_searchunit"

CREATE = [
    f"ALTER TABLE {FILING_TABLE} ADD COLUMN search_lexemes tsvector NOT NULL DEFAULT ''",
    f"""UPDATE {FILING_TABLE} f SET search_lexemes = COALESCE(
        (SELECT array_to_tsvector(array_agg(DISTINCT word.lexeme))
         FROM {UNIT_TABLE} u, unnest(u.search_vector) AS word(lexeme, positions, weights)
         WHERE u.filing_id = f.filing_id),
        '')""",
    f"CREATE INDEX {FILING_TABLE}_search_lexemes ON {FILING_TABLE} USING GIN (search_lexemes)",
]
DROP = [f"ALTER TABLE {FILING_TABLE} DROP COLUMN search_lexemes"]


def add_filing_lexemes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_filing_lexemes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search_database", "0004_filing_text_index")]

    operations = [migrations.RunPython(add_filing_lexemes, drop_filing_lexemes)]
