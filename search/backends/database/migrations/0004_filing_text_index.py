"""Unit ids that carry their filing, and on SQLite a full-text index of each filing as a whole.

Both engines: every SearchUnit gets the id filing_id << 24 | ordinal, ordinal 0
being the filing's own text and its pages following in the order they were
indexed, as the backend now assigns them. Existing rows are renumbered here, so
nothing needs reindexing.

SQLite:

* The units' FTS5 table of 0002 is made again with a second column,
  filing_key: U+E003 followed by the filing's id, a token no user's word can
  match. Searching for the units of a few filings then lets FTS5 skip every
  other unit. Its content is a view adding the key to the units, and the
  triggers of 0002 are made again to write it.
* A second FTS5 table indexes each filing's units' texts joined, in id order,
  around U+E002, a token between units that keeps a phrase from running from
  one unit into the next. Its content is a view, so no text is stored twice.
  Triggers cannot keep it (its text changes with any unit), so the backend
  does, in the same transaction as the units: it removes a filing's entry
  while the units are still there, and adds it once the new ones are in.
* The covering index of 0003 is dropped: a unit's filing is now its id.

As 0002 warns, Django rebuilds a SQLite table to alter it, which drops its
triggers; a migration that alters SearchUnit must create them again.
"""

import importlib

from django.db import migrations

FILING_TABLE = "search_database_searchfiling"
UNIT_TABLE = "search_database_searchunit"
UNIT_FTS = "search_database_searchunit_fts"
UNIT_CONTENT = f"{UNIT_FTS}_content"
FILING_FTS = "search_database_searchfiling_fts"
FILING_CONTENT = f"{FILING_FTS}_content"
ORDINAL_BITS = 24
UNIT_BOUNDARY = "char(57346)"  # U+E002
FILING_KEY_MARK = "char(57347)"  # U+E003
TOKENIZE = "tokenize='porter unicode61'"

EARLIER = {
    name: importlib.import_module(f"search.backends.database.migrations.{name}")
    for name in ("0002_full_text_search", "0003_unit_lookup_index")
}


def filing_key(unit_id: str) -> str:
    return f"{FILING_KEY_MARK} || ({unit_id} >> {ORDINAL_BITS})"


def unit_fts_row(unit: str) -> str:
    return f"{unit}.id, {unit}.text, {filing_key(f'{unit}.id')}"


SQLITE_DROP_EARLIER = [
    f"DROP TRIGGER {UNIT_TABLE}_fts_insert",
    f"DROP TRIGGER {UNIT_TABLE}_fts_delete",
    f"DROP TRIGGER {UNIT_TABLE}_fts_update",
    f"DROP TABLE {UNIT_FTS}",
    f"DROP INDEX IF EXISTS {UNIT_TABLE}_unit_lookup",
]

# Negated first, so that no new id meets an old one still in the table.
RENUMBER = [
    f"""UPDATE {UNIT_TABLE} SET id = -renumbered.id FROM (
        SELECT id AS old_id, (filing_id << {ORDINAL_BITS})
            | (ROW_NUMBER() OVER (PARTITION BY filing_id ORDER BY id) - 1) AS id
        FROM {UNIT_TABLE}
    ) AS renumbered WHERE {UNIT_TABLE}.id = renumbered.old_id""",
    f"UPDATE {UNIT_TABLE} SET id = -id",
]

SQLITE_CREATE = [
    f"""CREATE VIEW {UNIT_CONTENT} (id, text, filing_key) AS
        SELECT {unit_fts_row("u")} FROM {UNIT_TABLE} u""",
    f"""CREATE VIRTUAL TABLE {UNIT_FTS} USING fts5(
        text, filing_key, content='{UNIT_CONTENT}', content_rowid='id', {TOKENIZE}
    )""",
    f"""CREATE TRIGGER {UNIT_TABLE}_fts_insert AFTER INSERT ON {UNIT_TABLE} BEGIN
        INSERT INTO {UNIT_FTS} (rowid, text, filing_key) VALUES ({unit_fts_row("new")});
    END""",
    f"""CREATE TRIGGER {UNIT_TABLE}_fts_delete AFTER DELETE ON {UNIT_TABLE} BEGIN
        INSERT INTO {UNIT_FTS} ({UNIT_FTS}, rowid, text, filing_key)
            VALUES ('delete', {unit_fts_row("old")});
    END""",
    f"""CREATE TRIGGER {UNIT_TABLE}_fts_update AFTER UPDATE ON {UNIT_TABLE} BEGIN
        INSERT INTO {UNIT_FTS} ({UNIT_FTS}, rowid, text, filing_key)
            VALUES ('delete', {unit_fts_row("old")});
        INSERT INTO {UNIT_FTS} (rowid, text, filing_key) VALUES ({unit_fts_row("new")});
    END""",
    f"INSERT INTO {UNIT_FTS} ({UNIT_FTS}) VALUES ('rebuild')",
    # The range of ids is read in id order, so group_concat joins the units in that order.
    f"""CREATE VIEW {FILING_CONTENT} (filing_id, text) AS
        SELECT f.filing_id, (
            SELECT group_concat(u.text, ' ' || {UNIT_BOUNDARY} || ' ') FROM {UNIT_TABLE} u
            WHERE u.id >= f.filing_id << {ORDINAL_BITS}
                AND u.id < (f.filing_id + 1) << {ORDINAL_BITS}
        ) FROM {FILING_TABLE} f""",
    f"""CREATE VIRTUAL TABLE {FILING_FTS} USING fts5(
        text, content='{FILING_CONTENT}', content_rowid='filing_id', {TOKENIZE}
    )""",
    f"INSERT INTO {FILING_FTS} ({FILING_FTS}) VALUES ('rebuild')",
]

SQLITE_DROP = [
    f"DROP TABLE {FILING_FTS}",
    f"DROP VIEW {FILING_CONTENT}",
    f"DROP TRIGGER {UNIT_TABLE}_fts_insert",
    f"DROP TRIGGER {UNIT_TABLE}_fts_delete",
    f"DROP TRIGGER {UNIT_TABLE}_fts_update",
    f"DROP TABLE {UNIT_FTS}",
    f"DROP VIEW {UNIT_CONTENT}",
]


def index_filings(apps, schema_editor):
    sqlite = schema_editor.connection.vendor == "sqlite"
    # The old triggers go first, so that renumbering does not reindex every unit twice: the
    # new indexes are built once, at the end.
    statements = [*SQLITE_DROP_EARLIER, *RENUMBER, *SQLITE_CREATE] if sqlite else RENUMBER
    for statement in statements:
        schema_editor.execute(statement)


def unindex_filings(apps, schema_editor):
    """Back to the single-column unit index of 0002 and the index of 0003; ids stay as they are."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_DROP:
        schema_editor.execute(statement)
    EARLIER["0002_full_text_search"].create_full_text_index(apps, schema_editor)
    EARLIER["0003_unit_lookup_index"].create_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search_database", "0003_unit_lookup_index")]

    operations = [migrations.RunPython(index_filings, unindex_filings)]
