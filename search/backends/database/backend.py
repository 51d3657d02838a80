# ruff: noqa: S608 - the SQL here is assembled from this module's constant table and column
# names and %s placeholders only; every value, the user's words included, is a parameter.
"""Search answered by the portal's own database: SQLite FTS5 or PostgreSQL full-text search.

What the index holds:

* One row per filing (SearchFiling) with the columns filters, facets and sorts use,
  and its searchable units (SearchUnit): the filing's own text, then each page
  of its documents. A unit's id carries its filing: filing_id << 24 | ordinal,
  ordinal 0 being the filing's own text and the pages following in order. So a
  matched unit's filing is its id shifted right, with no lookup, and a filing's
  units are one range of ids.
* SQLite (migration 0004) also indexes each filing's units joined into one
  text, as a second FTS5 table whose content is a view over the units; this
  backend keeps it in step, in the same transaction as the units. Each unit is
  indexed with a key naming its filing, which no user's word can match, so that
  a search can ask for the units of given filings inside one match.
* PostgreSQL (migration 0005) also keeps each filing's lexemes, without
  positions, in a GIN-indexed column of its row, in step with the units: a
  word's lookup reads the filings holding it rather than every unit that does.

How a query is answered:

* The query tree is evaluated per filing, not per page: "facial AND retention"
  finds a filing with "facial" on page 3 and "retention" on page 14, and
  "-retention" leaves out every filing that mentions retention anywhere. Each
  word or phrase becomes one full-text lookup of the filings that contain it
  (in one of their units: a phrase never runs from one unit into the next);
  AND, OR and NOT become SQL boolean operators over those lookups, so NOT may
  stand anywhere, even alone. On SQLite, a tree FTS5 can say with the same
  answer and the same ranking (words, ORs of words, and an AND of those and of
  NOTs of them) is instead one match of the filings' index, ranked in that pass.
* Users' words never reach an engine as syntax: they are cut into words of
  letters and digits, then written as quoted FTS5 strings or tsquery lexemes.
* Ranking, page choice and snippets use the words and phrases the query asks
  for (not those it excludes). On SQLite a filing scores as bm25 over its whole
  text, and only the units of the filings shown are scored; on PostgreSQL a
  filing scores as its best unit's ts_rank (a tsvector of a whole filing could
  pass PostgreSQL's 1 MB limit), among the units holding every wanted word and
  phrase when the query is an AND of them. ts_rank weighs an AND's words by how
  close together they stand, as ts_rank_cd does, at about half its cost:
  ranking, not finding, is most of a common word's search. A filing's pages are
  its best-scoring pages, and its snippet is its best unit's. With nothing to
  look for, the snippet is the filing's summary.
* Facets are disjunctive: each facet's counts apply every filter except the
  facet's own, so choosing one agency still shows how many results the others
  have. Within a facet the chosen values combine with OR; across facets, AND.
* Snippets come back from the engine with private-use sentinel characters
  around matches (stripped from indexed text so only the engine can place
  them); the text is HTML-escaped and only then are the sentinels turned into
  <mark> tags.
"""

import html
import re
import unicodedata
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from search.backends.base import SearchBackend
from search.backends.database.models import (
    SearchFiling,
    SearchFilingTechnology,
    SearchFilingVendor,
    SearchUnit,
)
from search.index_documents import IndexedFiling, fingerprint
from search.query import And, Node, Not, Or, Phrase, Term
from search.results import FACETS, FacetValue, Hit, PageHit, SearchRequest, SearchResults

# A lexeme as PostgreSQL writes it in a tsquery's text: quoted, a quote doubled.
QUOTED_LEXEME = re.compile(r"'((?:[^']|'')*)'")
MARK_START = "\ue000"
MARK_END = "\ue001"
MAX_PER_PAGE = 100
MAX_PAGES_PER_HIT = 10
SNIPPET_WORDS = 30
SUMMARY_SNIPPET_WORDS = 40
# On PostgreSQL, the characters of a unit's text given to ts_headline for its snippet, and
# how many of them come before the first word that may match.
SNIPPET_WINDOW = 480
SNIPPET_WINDOW_LEAD = 120

# A unit's id is its filing's id shifted left by ORDINAL_BITS, plus its ordinal in the filing.
ORDINAL_BITS = 24
ORDINAL_MASK = (1 << ORDINAL_BITS) - 1
MAX_UNITS_PER_FILING = ORDINAL_MASK
# The largest filing id whose unit ids still fit a signed 64-bit integer.
MAX_FILING_ID = (1 << (63 - ORDINAL_BITS)) - 1

FILINGS = SearchFiling._meta.db_table
TECHNOLOGIES = SearchFilingTechnology._meta.db_table
VENDORS = SearchFilingVendor._meta.db_table
UNITS = SearchUnit._meta.db_table
# Created on SQLite only, by migrations 0002 and 0004: the units (columns text and filing_key),
# and the filings (column text, every unit's text joined), both FTS5 tables with a view for
# content.
FTS_TABLE = f"{UNITS}_fts"
FILING_FTS_TABLE = f"{FILINGS}_fts"
FILING_TEXT = f"{FILING_FTS_TABLE}_content"
# Prefixes a filing's id in its units' filing_key column (see migration 0004). Users' words
# are letters and digits only, so they never match a key.
FILING_KEY_MARK = "\ue003"


@dataclass(frozen=True)
class Words:
    """A Term or Phrase reduced to the words the index holds: a lookup that cannot be syntax."""

    words: tuple[str, ...]
    prefix: bool = False


Tree = Words | Not | And | Or


def _words_of(text: str) -> tuple[str, ...]:
    """Runs of letters and digits, with the combining marks inside them (as in Hindi).

    Anything else separates words. A word the engine's own tokenizer cuts further
    (at a mark, say) becomes a phrase there, just as it did in the indexed text.
    """
    words, word = [], []
    for char in unicodedata.normalize("NFKC", text):
        if char.isalnum() or (word and unicodedata.category(char).startswith("M")):
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return tuple(words)


def _simplify(node: Node | Tree | None, dropped: frozenset[Words] = frozenset()) -> Tree | None:
    """The query as Words leaves, with empty and `dropped` lookups (and what they leave empty) gone.

    A term of punctuation alone ("*", ":") says nothing, so it is left out rather
    than matching nothing: `retention -*` means `retention`.
    """
    match node:
        case Term(text=text, prefix=prefix):
            words = _words_of(text)
            leaf = Words(words, prefix) if words else None
        case Phrase(words=phrase):
            words = tuple(word for part in phrase for word in _words_of(part))
            leaf = Words(words) if words else None
        case Words():
            leaf = node
        case Not(node=inner):
            inner = _simplify(inner, dropped)
            if inner is None:
                return None
            return inner.node if isinstance(inner, Not) else Not(inner)
        case And(nodes=children) | Or(nodes=children):
            operator = type(node)
            kept = []
            for child in children:
                child = _simplify(child, dropped)
                if isinstance(child, operator):
                    kept.extend(child.nodes)
                elif child is not None:
                    kept.append(child)
            if len(kept) <= 1:
                return kept[0] if kept else None
            return operator(tuple(kept))
        case _:
            return None
    return None if leaf is None or leaf in dropped else leaf


def _leaves(tree: Tree | None, negated: bool = False, positive_only: bool = False) -> list[Words]:
    """The lookups in the tree, in order and once each; `positive_only` skips the excluded ones."""
    match tree:
        case Words():
            return [] if positive_only and negated else [tree]
        case Not(node=inner):
            return _leaves(inner, not negated, positive_only)
        case And(nodes=children) | Or(nodes=children):
            found = {}
            for child in children:
                found.update(dict.fromkeys(_leaves(child, negated, positive_only)))
            return list(found)
    return []


@dataclass
class Sql:
    """A fragment of SQL and its parameters, kept together so they stay in order."""

    text: str
    params: list

    @classmethod
    def join(cls, separator: str, parts: Iterable["Sql"]) -> "Sql":
        parts = list(parts)
        return cls(
            separator.join(part.text for part in parts),
            [param for part in parts for param in part.params],
        )


class _Unit(NamedTuple):
    unit_id: int
    document_id: int | None
    document_name: str
    page_number: int | None


class _Entry(NamedTuple):
    filing_id: int
    title: str
    kind_label: str
    agency_name: str
    published_at: object
    summary: str
    score: float


class Dialect(ABC):
    """What differs between the engines: how a lookup, a ranking and a snippet are written,
    and what the index keeps besides the units."""

    def unmatchable(self, cursor, leaves: list[Words]) -> frozenset[Words]:
        """Lookups the engine ignores entirely (PostgreSQL's stop words), to leave out."""
        return frozenset()

    def shared(self, tree: Tree | None, wanted: list[Words]) -> list[Sql]:
        """CTEs, first in the query, that the lookups and scores below may read."""
        return []

    @abstractmethod
    def filings_containing(self, leaf: Words, wanted: list[Words]) -> Sql:
        """SELECT filing_id of the filings containing the word or phrase, each once."""

    def filings_matching(self, tree: Tree, scored: bool) -> Sql | None:
        """SELECT filing_id, score of the filings matching the whole tree, in one lookup.

        The score is filing_scores' for the tree's wanted words when `scored`, else 0.0.
        None where the engine cannot write the tree as one lookup: each word or phrase is
        then looked up alone with filings_containing.
        """
        return None

    def filings_condition(self, tree: Tree) -> Sql | None:
        """A condition on a row `f` of the filings that holds when it matches the whole tree,
        or None: each word or phrase is then looked up alone with filings_containing."""
        return None

    @abstractmethod
    def filing_scores(self, leaves: list[Words], among: str) -> Sql:
        """SELECT filing_id, score of the filings in the CTE `among` containing any of `leaves`.

        A higher score is better.
        """

    @abstractmethod
    def unit_scores(self, leaves: list[Words], filing_ids: list[int]) -> Sql:
        """SELECT the units of these filings containing any of `leaves`, scored as above.

        Columns: unit_id, filing_id, on_page (false for the filing's own text), score.
        """

    @abstractmethod
    def snippets(self, cursor, leaves: list[Words], unit_ids: list[int]) -> dict[int, str]:
        """Each unit's best passage, matches between MARK_START and MARK_END, not escaped."""

    def found_with_scores(self, wanted: list[Words]) -> tuple[list[Sql], str]:
        """CTEs to add, and a SELECT of filing_id, published_at, score without parameters:
        every filing in the CTE `found`, with its score for the wanted words where it has
        one."""
        scores = self.filing_scores(wanted, among="found")
        # Merged by grouping, which needs no index on either side, as a join would.
        return [Sql(f"scores AS MATERIALIZED ({scores.text})", scores.params)], (
            "SELECT filing_id, MAX(published_at) AS published_at, MAX(score) AS score "
            "FROM (SELECT filing_id, published_at, score FROM found "
            "UNION ALL SELECT filing_id, NULL, score FROM scores) AS f GROUP BY filing_id"
        )

    def fetch_filings(self, cursor, query: Sql) -> list[tuple]:
        """Run the query of the total, the facets and the page of filings; its rows."""
        cursor.execute(query.text, query.params)
        return cursor.fetchall()

    @abstractmethod
    def add_filing_text(self, cursor, filing_id: int) -> None:
        """Index the filing's text as a whole, once its units are in."""

    @abstractmethod
    def remove_filing_text(self, cursor, filing_id: int) -> None:
        """Take the filing's text as a whole out of the index, while its units are still in."""

    @abstractmethod
    def remove_all_filing_text(self, cursor) -> None:
        """Take every filing's text as a whole out of the index."""

    @abstractmethod
    def refresh_statistics(self, cursor) -> None:
        """Bring the planner's statistics up to date after the index was filled anew."""


class SqliteDialect(Dialect):
    @staticmethod
    def any_of(leaves: list[Words]) -> str:
        # Each lookup is a quoted FTS5 string of letters, digits and marks, so no user text can
        # be read as an operator, a column filter or NEAR; a phrase is one string.
        return " OR ".join(
            '"' + " ".join(leaf.words) + '"' + ("*" if leaf.prefix else "") for leaf in leaves
        )

    @classmethod
    def in_units_of(cls, leaves: list[Words], filing_ids: Iterable[int]) -> str:
        """A match for units of these filings only, which FTS5 finds without visiting others."""
        keys = " OR ".join(f'"{FILING_KEY_MARK}{filing_id}"' for filing_id in filing_ids)
        return f"text : ({cls.any_of(leaves)}) AND filing_key : ({keys})"

    @classmethod
    def whole_query(cls, tree: Tree) -> str | None:
        """The tree as one FTS5 query whose bm25 counts exactly its wanted lookups, or None.

        Written only for a lookup (word or phrase), an OR of lookups, or an AND of those
        and of NOTs of those, each lookup once. FTS5 has no NOT without a positive side,
        and its bm25 also counts what a row holds under a NOT that passed or in an OR
        branch that failed; in these shapes a match holds none of the excluded lookups
        and is scored on every wanted one it holds, as filing_scores scores it.
        """
        wanted, excluded = [], []
        for node in tree.nodes if isinstance(tree, And) else (tree,):
            negated = isinstance(node, Not)
            match node.node if negated else node:
                case Words() as leaf:
                    alternatives = [leaf]
                case Or(nodes=children) if all(isinstance(child, Words) for child in children):
                    alternatives = list(children)
                case _:
                    return None
            (excluded if negated else wanted).append(alternatives)
        leaves = [leaf for alternatives in (*wanted, *excluded) for leaf in alternatives]
        if not wanted or len(set(leaves)) < len(leaves):
            return None
        query = " AND ".join(f"({cls.any_of(alternatives)})" for alternatives in wanted)
        if excluded:
            unwanted = [leaf for alternatives in excluded for leaf in alternatives]
            query = f"({query}) NOT ({cls.any_of(unwanted)})"
        return query

    def filings_containing(self, leaf, wanted):
        return Sql(
            f"SELECT rowid AS filing_id FROM {FILING_FTS_TABLE} WHERE {FILING_FTS_TABLE} MATCH %s",
            [self.any_of([leaf])],
        )

    def filings_matching(self, tree, scored):
        query = self.whole_query(tree)
        if query is None:
            return None
        # FTS5's rank is bm25(), lower is better; it is computed only when read.
        score = "-rank" if scored else "0.0"
        return Sql(
            f"SELECT rowid AS filing_id, {score} AS score FROM {FILING_FTS_TABLE} "
            f"WHERE {FILING_FTS_TABLE} MATCH %s",
            [query],
        )

    def filing_scores(self, leaves, among):
        # FTS5's rank is bm25(), lower is better. The unary + keeps the rowid test from being
        # handed to FTS5, which would run the match (and bm25's statistics) once per filing.
        return Sql(
            f"SELECT rowid AS filing_id, -rank AS score FROM {FILING_FTS_TABLE} "
            f"WHERE {FILING_FTS_TABLE} MATCH %s AND +rowid IN (SELECT filing_id FROM {among})",
            [self.any_of(leaves)],
        )

    def unit_scores(self, leaves, filing_ids):
        # The filing key weighs nothing: every unit of a filing holds it once, and it would
        # favour short units.
        return Sql(
            f"SELECT rowid AS unit_id, rowid >> {ORDINAL_BITS} AS filing_id, "
            f"(rowid & {ORDINAL_MASK}) <> 0 AS on_page, -bm25({FTS_TABLE}, 1.0, 0.0) AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [self.in_units_of(leaves, filing_ids)],
        )

    def snippets(self, cursor, leaves, unit_ids):
        placeholders = ", ".join(["%s"] * len(unit_ids))
        # One pass over the matching units of the filings shown, testing each rowid (the unary
        # + keeps FTS5 from evaluating the match again for each one).
        filing_ids = sorted({unit >> ORDINAL_BITS for unit in unit_ids})
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 0, %s, %s, %s, %s) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({placeholders})",
            [
                *(MARK_START, MARK_END, "…", SNIPPET_WORDS),
                self.in_units_of(leaves, filing_ids),
                *unit_ids,
            ],
        )
        return dict(cursor.fetchall())

    def add_filing_text(self, cursor, filing_id):
        cursor.execute(
            f"INSERT INTO {FILING_FTS_TABLE} (rowid, text) "
            f"SELECT filing_id, text FROM {FILING_TEXT} WHERE filing_id = %s",
            [filing_id],
        )

    def remove_filing_text(self, cursor, filing_id):
        # FTS5 takes a row out of an external-content index given the text it indexed, which
        # the view gives only while the units are there.
        cursor.execute(
            f"INSERT INTO {FILING_FTS_TABLE} ({FILING_FTS_TABLE}, rowid, text) "
            f"SELECT 'delete', filing_id, text FROM {FILING_TEXT} WHERE filing_id = %s",
            [filing_id],
        )

    def remove_all_filing_text(self, cursor):
        cursor.execute(f"INSERT INTO {FILING_FTS_TABLE} ({FILING_FTS_TABLE}) VALUES ('delete-all')")

    def refresh_statistics(self, cursor):
        # The search statements are written for SQLite's planner without statistics, and
        # ANALYZE changed nothing measurable on the benchmark's corpus.
        pass


class PostgresDialect(Dialect):
    CONFIG = "english"
    HEADLINE_OPTIONS = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, "
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, ShortWord=2, MaxFragments=1"
    )

    @staticmethod
    def tsquery_source(leaf: Words) -> str:
        # Lexemes of letters and digits joined by the phrase operator: nothing the user
        # typed is read as tsquery syntax.
        return " <-> ".join(leaf.words) + (":*" if leaf.prefix else "")

    def __init__(self):
        # The lookups that are one lexeme (a word, or a word's prefix), which the filings'
        # lexemes without positions can answer; set by unmatchable, before any lookup.
        self.single_lexemes: frozenset[Words] = frozenset()
        # Each lookup's lexemes as the engine stems them, set by unmatchable too: snippets
        # look for them in the text.
        self.lexemes: dict[Words, tuple[str, ...]] = {}
        # Whether a lookup of this search reads the filings' lexemes, and whether it ranks
        # units: set while the query is written, for planner_settings.
        self.reads_filing_lexemes = False
        self.ranks_units = False

    def unmatchable(self, cursor, leaves):
        if not leaves:
            return frozenset()
        # A lookup's tsquery is its lexemes joined by the phrase operator: none when the
        # engine ignores every word of it, one for a word or a prefix.
        cursor.execute(
            "SELECT query::text "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS lookup(source, position), "
            f"to_tsquery('{self.CONFIG}', lookup.source) AS query ORDER BY lookup.position",
            [[self.tsquery_source(leaf) for leaf in leaves]],
        )
        self.lexemes = {
            leaf: tuple(lexeme.replace("''", "'") for lexeme in QUOTED_LEXEME.findall(text))
            for leaf, (text,) in zip(leaves, cursor.fetchall(), strict=True)
        }
        self.single_lexemes = frozenset(
            leaf for leaf, lexemes in self.lexemes.items() if len(lexemes) == 1
        )
        return frozenset(leaf for leaf, lexemes in self.lexemes.items() if not lexemes)

    def any_of(self, leaves: list[Words]) -> str:
        return " | ".join(f"({self.tsquery_source(leaf)})" for leaf in leaves)

    def scored_units(self, query_source: str, units: str = UNITS) -> Sql:
        """The units of `units` (a table or CTE) matching the tsquery, scored by it."""
        return Sql(
            "SELECT u.id AS unit_id, u.filing_id, u.page_number IS NOT NULL AS on_page, "
            "ts_rank(u.search_vector, wanted.query) AS score "
            f"FROM {units} u, to_tsquery('{self.CONFIG}', %s) AS wanted(query) "
            "WHERE u.search_vector @@ wanted.query",
            [query_source],
        )

    def scoring_query(self, tree: Tree | None, wanted: list[Words]) -> str:
        """What a unit must hold to score for its filing: every wanted word and phrase when
        the query asks for all of them (words and phrases, with or without exclusions), any
        of them otherwise."""
        if isinstance(tree, And) and all(isinstance(node, Words | Not) for node in tree.nodes):
            return " & ".join(f"({self.tsquery_source(leaf)})" for leaf in wanted)
        return self.any_of(wanted)

    def shared(self, tree, wanted):
        # Each filing's best unit among those that score, scored once: the filings' scores
        # are read from it, and so is the lookup when it is the only one wanted. A filing
        # matching an AND only across its pages has no such unit and scores 0, after those
        # with a page holding every word; scoring every unit with any of the words instead
        # costs a multiple of the engine's own query for two common words. Grouped here,
        # the scoring can be shared among parallel workers (see planner_settings).
        if not wanted:
            return []
        self.ranks_units = True
        scored = self.scored_units(self.scoring_query(tree, wanted))
        return [
            Sql(
                "ranked AS MATERIALIZED (SELECT filing_id, MAX(score) AS score "
                f"FROM ({scored.text}) AS u GROUP BY filing_id)",
                scored.params,
            )
        ]

    def filings_containing(self, leaf, wanted):
        if wanted == [leaf]:
            return Sql("SELECT filing_id FROM ranked", [])
        if leaf in self.single_lexemes:
            self.reads_filing_lexemes = True
            return Sql(
                f"SELECT filing_id FROM {FILINGS} "
                f"WHERE search_lexemes @@ to_tsquery('{self.CONFIG}', %s)",
                [self.tsquery_source(leaf)],
            )
        return Sql(
            f"SELECT DISTINCT u.filing_id FROM {UNITS} u "
            f"WHERE u.search_vector @@ to_tsquery('{self.CONFIG}', %s)",
            [self.tsquery_source(leaf)],
        )

    def tsquery_of(self, tree: Tree) -> str:
        """The tree as one tsquery: the same AND, OR and NOT over the same lookups."""
        match tree:
            case Words():
                return f"({self.tsquery_source(tree)})"
            case Not(node=inner):
                return f"!{self.tsquery_of(inner)}"
            case And(nodes=children):
                return "(" + " & ".join(self.tsquery_of(child) for child in children) + ")"
            case Or(nodes=children):
                return "(" + " | ".join(self.tsquery_of(child) for child in children) + ")"

    def filings_condition(self, tree):
        # Words, not phrases: the filings' lexemes have no positions. One word is read from
        # the scored units, which the search computes anyway.
        leaves = _leaves(tree)
        if len(leaves) < 2 or not all(leaf in self.single_lexemes for leaf in leaves):
            return None
        self.reads_filing_lexemes = True
        return Sql(f"f.search_lexemes @@ to_tsquery('{self.CONFIG}', %s)", [self.tsquery_of(tree)])

    def filing_scores(self, leaves, among):
        # The shared `ranked` holds every filing with a unit that scores, with its best score.
        return Sql(
            "SELECT filing_id, score FROM ranked "
            f"WHERE filing_id IN (SELECT filing_id FROM {among})",
            [],
        )

    def found_with_scores(self, wanted):
        # `ranked` holds one row per filing, and PostgreSQL joins by hashing.
        return [], (
            "SELECT f.filing_id, f.published_at, COALESCE(r.score, f.score) AS score "
            "FROM found f LEFT JOIN ranked r ON r.filing_id = f.filing_id"
        )

    def unit_scores(self, leaves, filing_ids):
        # The shown filings' units first, by the (filing, page) index, then the match: the
        # other way round, the planner may scan the text index for a phrase and check the
        # positions of every unit holding its words.
        filings = _in("filing_id", filing_ids)
        scored = self.scored_units(self.any_of(leaves), units="shown_units")
        return Sql(
            "WITH shown_units AS MATERIALIZED (SELECT id, filing_id, page_number, "
            f"search_vector FROM {UNITS} WHERE {filings.text}) {scored.text}",
            [*filings.params, *scored.params],
        )

    def planner_settings(self) -> dict[str, str]:
        """Settings for the query of filings, where PostgreSQL's cost model misjudges it.

        The planner prices a tsvector as if it were at hand, not read back from TOAST
        storage and decompressed, and ranking a unit as one operator; both are most of a
        search's time. So it picks a sequential scan of the filings' lexemes for a common
        word (60-230 ms a word on 200,000 pages, against 4 ms through the GIN index), and
        scores 170,000 units for a common prefix in one process, where sharing the scoring
        with parallel workers takes half as long.
        """
        settings = {}
        if self.reads_filing_lexemes:
            settings["enable_seqscan"] = "off"
        if self.ranks_units:
            settings["parallel_tuple_cost"] = "0.01"
        return settings

    def fetch_filings(self, cursor, query):
        settings = self.planner_settings()
        if not settings:
            return super().fetch_filings(cursor, query)
        # For this statement only, and put back afterwards. Local settings live as long as a
        # transaction, so outside one this makes one; inside one, a failure here leaves it
        # to be rolled back, which takes the settings back too.
        names = list(settings)
        with transaction.atomic(using=cursor.db.alias, savepoint=False):
            cursor.execute(
                "SELECT "
                + ", ".join(["current_setting(%s), set_config(%s, %s, true)"] * len(names)),
                [value for name in names for value in (name, name, settings[name])],
            )
            previous = cursor.fetchone()[::2]
            rows = super().fetch_filings(cursor, query)
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                [
                    value
                    for name, value in zip(names, previous, strict=True)
                    for value in (name, value)
                ],
            )
        return rows

    @classmethod
    def headline(cls, text: str) -> str:
        # ts_headline drops anything that parses as an HTML tag, so it is given the text
        # escaped (tags become entities, which it keeps); the caller unescapes the result.
        escaped = f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
        return f"ts_headline('{cls.CONFIG}', {escaped}, wanted.query, %(options)s)"

    def first_match_pattern(self, leaves: list[Words]) -> str | None:
        """A regular expression for the start of a word the lexemes may have come from.

        A stem is a word's beginning but for its last letter or so ("polici" from
        "policy"), so the pattern looks for that beginning; it may also find words that do
        not match, which snippets allow for. None when there is nothing to look for.
        """
        stems = {
            lexeme[:-1] if len(lexeme) > 3 else lexeme
            for leaf in leaves
            for lexeme in self.lexemes[leaf]
        }
        if not stems:
            return None
        # Lexemes are letters, digits and marks; anything else is escaped all the same.
        escaped = ("".join(c if c.isalnum() else f"\\{c}" for c in stem) for stem in stems)
        return r"\m(" + "|".join(sorted(escaped)) + ")"

    def snippets(self, cursor, leaves, unit_ids):
        # ts_headline parses and stems all the text it is given, which costs as much as
        # indexing it. So it is given a window of the text around the first word that may
        # match (Elasticsearch's snippets show the first match too), and the whole text only
        # where no such word is found or the window holds no match after all. The window
        # starts and ends at spaces, so that no word in it is cut.
        window = (
            "regexp_replace(regexp_replace(substr(u.text, u.start, %(length)s), "
            "CASE WHEN u.start > 1 THEN '^\\S*\\s+' ELSE '^' END, ''), "
            "CASE WHEN u.start + %(length)s <= length(u.text) THEN '\\s+\\S*$' ELSE '$' END, '')"
        )
        cursor.execute(
            f"WITH wanted AS (SELECT to_tsquery('{self.CONFIG}', %(query)s) AS query), "
            "windows AS MATERIALIZED (SELECT id, text, CASE WHEN found.at > 0 "
            "THEN greatest(found.at - %(lead)s, 1) ELSE 0 END AS start "
            f"FROM {UNITS}, regexp_instr(text, %(pattern)s, 1, 1, 0, 'i') AS found(at) "
            "WHERE id = ANY(%(ids)s)), "
            # Materialized, so that each windowed passage is made once, not once per mention.
            "passages AS MATERIALIZED (SELECT u.id, u.text, "
            f"CASE WHEN u.start > 0 THEN {self.headline(window)} END AS passage "
            "FROM windows u, wanted) "
            "SELECT id, CASE WHEN strpos(passage, %(mark)s) > 0 THEN passage "
            f"ELSE {self.headline('text')} END FROM passages, wanted",
            {
                "query": self.any_of(leaves),
                "options": self.HEADLINE_OPTIONS,
                "mark": MARK_START,
                "pattern": self.first_match_pattern(leaves),
                "lead": SNIPPET_WINDOW_LEAD,
                "length": SNIPPET_WINDOW,
                "ids": list(unit_ids),
            },
        )
        return {unit_id: html.unescape(passage) for unit_id, passage in cursor.fetchall()}

    # Filings are scored by their best unit; what is indexed per filing is its lexemes,
    # without positions (migration 0005), for finding the filings that contain a word.

    def add_filing_text(self, cursor, filing_id):
        cursor.execute(
            f"UPDATE {FILINGS} SET search_lexemes = COALESCE("
            "(SELECT array_to_tsvector(array_agg(DISTINCT word.lexeme)) "
            f"FROM {UNITS} u, unnest(u.search_vector) AS word(lexeme, positions, weights) "
            "WHERE u.filing_id = %s), '') WHERE filing_id = %s",
            [filing_id, filing_id],
        )

    def remove_filing_text(self, cursor, filing_id):
        pass

    def remove_all_filing_text(self, cursor):
        pass

    def refresh_statistics(self, cursor):
        # Until the tables are analyzed, PostgreSQL plans searches from guesses; autovacuum
        # analyzes them only a while after a rebuild, or never where it is off. Searches of a
        # rebuilt index of 200,000 pages took 7-12% longer at the median without them. Run in
        # the rebuild's transaction, ANALYZE counts the rows it wrote.
        cursor.execute(f"ANALYZE {FILINGS}, {TECHNOLOGIES}, {VENDORS}, {UNITS}")


DIALECTS = {"sqlite": SqliteDialect, "postgresql": PostgresDialect}


def _dialect() -> Dialect:
    try:
        return DIALECTS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"The database search backend supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None


def _searchable(text: str) -> str:
    """Text as indexed: without the sentinels, so every mark in a snippet is the engine's."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


def _marked_html(passage: str) -> str:
    # Extracted text is full of line breaks and runs of spaces; a snippet is one line.
    one_line = " ".join(passage.split())
    return html.escape(one_line).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _summary_html(summary: str) -> str:
    words = summary.split()
    shortened = " ".join(words[:SUMMARY_SNIPPET_WORDS])
    return html.escape(shortened + (" …" if len(words) > SUMMARY_SNIPPET_WORDS else ""))


def _in(column: str, values) -> Sql:
    return Sql(f"{column} IN ({', '.join(['%s'] * len(values))})", list(values))


def _filter_conditions(filters: dict[str, tuple[str, ...]], ignoring: str | None = None) -> list:
    """Conditions on a filing row aliased f, one per facet filter except `ignoring`'s."""
    conditions = []
    for name, values in filters.items():
        if name not in FACETS:
            raise ValueError(f"unknown filter {name!r}; expected one of {list(FACETS)}")
        # A filter naming no values filters nothing (and `IN ()` is not SQL on PostgreSQL).
        if name == ignoring or not values:
            continue
        if name == "agency":
            conditions.append(_in("f.agency_slug", values))
        elif name == "kind":
            conditions.append(_in("f.kind", values))
        elif name == "year":
            years = [int(value) for value in values if value.isascii() and value.isdigit()]
            # Asking only for years that cannot exist finds nothing, like an unknown slug.
            conditions.append(_in("f.year", years) if years else Sql("1 = 0", []))
        else:
            table = TECHNOLOGIES if name == "technology" else VENDORS
            slugs = _in("slug", values)
            conditions.append(
                Sql(
                    f"f.filing_id IN (SELECT filing_id FROM {table} WHERE {slugs.text})",
                    slugs.params,
                )
            )
    return conditions


def _text_condition(tree: Tree, lookups: dict[Words, str]) -> Sql:
    """The query tree as a condition on a filing row aliased f.

    `lookups` names, for each word or phrase, the CTE holding the filings that contain it.
    """
    match tree:
        case Words():
            return Sql(f"f.filing_id IN (SELECT filing_id FROM {lookups[tree]})", [])
        case Not(node=inner):
            condition = _text_condition(inner, lookups)
            return Sql(f"NOT ({condition.text})", condition.params)
        case And(nodes=children) | Or(nodes=children):
            separator = " AND " if isinstance(tree, And) else " OR "
            return Sql.join(
                separator,
                (
                    Sql(f"({part.text})", part.params)
                    for part in (_text_condition(child, lookups) for child in children)
                ),
            )
    raise TypeError(f"not a query node: {tree!r}")


def _where(conditions: list[Sql]) -> Sql:
    if not conditions:
        return Sql("1 = 1", [])
    return Sql.join(" AND ", conditions)


ORDERINGS = {
    "newest": "f.published_at DESC NULLS LAST, f.filing_id DESC",
    "oldest": "f.published_at ASC NULLS LAST, f.filing_id ASC",
    # Equal scores (and every score when no word is searched for) fall back to newest.
    "relevance": "score DESC, f.published_at DESC NULLS LAST, f.filing_id DESC",
}

FACET_COLUMNS = {
    # facet: (value, label, extra FROM, extra condition)
    "agency": ("f.agency_slug", "MAX(f.agency_name)", "", ""),
    "kind": ("f.kind", "MAX(f.kind_label)", "", ""),
    "year": ("CAST(f.year AS TEXT)", "CAST(f.year AS TEXT)", "", "f.year IS NOT NULL"),
    # CROSS JOIN has SQLite read the matched filings first and find each one's rows by the
    # (filing, slug) index, rather than index the matched filings for every row of the table;
    # PostgreSQL plans it as any join.
    "technology": (
        "t.slug",
        "MAX(t.name)",
        f"CROSS JOIN {TECHNOLOGIES} t",
        "t.filing_id = f.filing_id",
    ),
    "vendor": ("v.slug", "MAX(v.name)", f"CROSS JOIN {VENDORS} v", "v.filing_id = f.filing_id"),
}


FILING_FIELDS = [field.attname for field in SearchFiling._meta.concrete_fields]

# What the facets and filters read of each matched filing; the rest is read for the page only.
MATCHED_COLUMNS = (
    "f.filing_id, f.agency_slug, f.agency_name, f.kind, f.kind_label, f.year, f.published_at"
)


def _filing_row(filing: IndexedFiling) -> SearchFiling:
    return SearchFiling(
        filing_id=filing.filing_id,
        title=filing.title,
        kind=filing.kind,
        kind_label=filing.kind_label,
        agency_slug=filing.agency_slug,
        agency_name=filing.agency_name,
        year=filing.year,
        published_at=filing.published_at,
        summary=filing.summary,
        fingerprint=fingerprint(filing),
    )


# A unit row's columns, in the order _units gives them.
UNIT_COLUMNS = "id, filing_id, document_id, document_name, page_number, text"
# Units written per statement: 600 parameters, within every database's limit.
UNIT_BATCH_SIZE = 100


def _units(filing: IndexedFiling) -> list[tuple]:
    """The filing's own text, then its pages with text, numbered within the filing: rows of
    UNIT_COLUMNS."""
    filing_id = filing.filing_id
    if not 0 <= filing_id <= MAX_FILING_ID:
        raise ValueError(f"filing id {filing_id} is outside the index's range 0-{MAX_FILING_ID}")
    # What the filing says, then what it is about: searching for an agency, a
    # technology or a vendor by name finds its filings.
    about = [filing.agency_name, filing.kind_label]
    about += [name for _slug, name in (*filing.technologies, *filing.vendors)]
    own_text = "\n\n".join(
        part for part in (filing.title, filing.summary, filing.body, " · ".join(about)) if part
    )
    units = [(None, "", None, _searchable(own_text))]
    units.extend(
        (page.document_id, page.document_name, page.page_number, _searchable(page.text))
        for page in filing.pages
        if page.text.strip()
    )
    if len(units) > MAX_UNITS_PER_FILING:
        raise ValueError(
            f"filing {filing_id} has {len(units):,} searchable units (its own text and pages "
            f"with text); the index holds at most {MAX_UNITS_PER_FILING:,} per filing"
        )
    return [
        (filing_id << ORDINAL_BITS | ordinal, filing_id, *unit)
        for ordinal, unit in enumerate(units)
    ]


class DatabaseSearchBackend(SearchBackend):
    name = "database"

    # Indexing

    def index_filing(self, filing: IndexedFiling) -> None:
        dialect = _dialect()
        with transaction.atomic(), connection.cursor() as cursor:
            dialect.remove_filing_text(cursor, filing.filing_id)
            # An upsert rather than delete-then-insert: two writers indexing one filing at
            # once queue on its row, and the later one wins, instead of one failing on the
            # primary key.
            SearchFiling.objects.bulk_create(
                [_filing_row(filing)],
                update_conflicts=True,
                unique_fields=["filing_id"],
                update_fields=[field for field in FILING_FIELDS if field != "filing_id"],
            )
            # Plain deletes: the ORM's would first read every row, units' text included, for
            # delete signals that nothing needs for these tables.
            for table in (TECHNOLOGIES, VENDORS, UNITS):
                cursor.execute(f"DELETE FROM {table} WHERE filing_id = %s", [filing.filing_id])
            self._insert_contents(cursor, dialect, filing)

    def remove_filing(self, filing_id: int) -> None:
        dialect = _dialect()
        with transaction.atomic(), connection.cursor() as cursor:
            dialect.remove_filing_text(cursor, filing_id)
            # The database deletes the filing's units, technologies and vendors with it.
            SearchFiling.objects.filter(filing_id=filing_id).delete()

    def indexed_filing_ids(self) -> dict[int, str]:
        return dict(SearchFiling.objects.values_list("filing_id", "fingerprint"))

    def rebuild(
        self, filings: Iterable[IndexedFiling], progress: Callable[[int], None] | None = None
    ) -> int:
        dialect = _dialect()
        # One transaction: until it commits every reader keeps seeing the old index whole.
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            dialect.remove_all_filing_text(cursor)
            SearchFiling.objects.all().delete()
            for filing in filings:
                _filing_row(filing).save(force_insert=True)
                self._insert_contents(cursor, dialect, filing)
                count += 1
                if progress:
                    progress(count)
            dialect.refresh_statistics(cursor)
        return count

    @staticmethod
    def _insert_contents(cursor, dialect: Dialect, filing: IndexedFiling) -> None:
        """The filing's technology, vendor and unit rows, and its whole text where the engine
        indexes that, once its SearchFiling row exists."""
        # Plain rows rather than model instances, which took longer to build and compile
        # than to write.
        filing_id = filing.filing_id
        for table, pairs in ((TECHNOLOGIES, filing.technologies), (VENDORS, filing.vendors)):
            cursor.executemany(
                f"INSERT INTO {table} (filing_id, slug, name) VALUES (%s, %s, %s)",
                [(filing_id, slug, name) for slug, name in dict(pairs).items()],
            )
        # Many units to a statement: inserted one at a time (executemany), they took SQLite
        # nearly three times as long, its full-text index included.
        units = _units(filing)
        for start in range(0, len(units), UNIT_BATCH_SIZE):
            batch = units[start : start + UNIT_BATCH_SIZE]
            rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {UNITS} ({UNIT_COLUMNS}) VALUES {rows}",
                [value for unit in batch for value in unit],
            )
        dialect.add_filing_text(cursor, filing_id)

    # Searching

    def search(self, request: SearchRequest) -> SearchResults:
        try:
            ordering = ORDERINGS[request.sort]
        except KeyError:
            raise ValueError(
                f"unknown sort {request.sort!r}; expected one of {list(ORDERINGS)}"
            ) from None
        page = max(request.page, 1)
        per_page = min(max(request.per_page, 1), MAX_PER_PAGE)
        pages_per_hit = min(max(request.pages_per_hit, 0), MAX_PAGES_PER_HIT)
        filters = request.all_filters()
        dialect = _dialect()
        with connection.cursor() as cursor:
            tree = _simplify(request.query.root)
            unmatchable = dialect.unmatchable(cursor, _leaves(tree))
            if unmatchable:
                tree = _simplify(tree, unmatchable)
            wanted = _leaves(tree, positive_only=True)

            total, facets, entries = self._filings(
                cursor,
                dialect,
                tree,
                wanted,
                filters,
                ordering,
                by_relevance=request.sort == "relevance",
                limit=per_page,
                offset=(page - 1) * per_page,
            )
            best_units, page_units = {}, defaultdict(list)
            if wanted and entries:
                best_units, page_units = self._best_units(
                    cursor, dialect, wanted, [entry.filing_id for entry in entries], pages_per_hit
                )
            shown = {unit.unit_id for unit in best_units.values()}
            shown.update(unit.unit_id for units in page_units.values() for unit in units)
            passages = dialect.snippets(cursor, wanted, sorted(shown)) if shown else {}

        hits = []
        for entry in entries:
            best = best_units.get(entry.filing_id)
            hits.append(
                Hit(
                    filing_id=entry.filing_id,
                    title=entry.title,
                    kind=entry.kind_label,
                    agency=entry.agency_name,
                    published_at=entry.published_at,
                    score=entry.score,
                    snippet_html=(
                        _marked_html(passages[best.unit_id])
                        if best
                        else _summary_html(entry.summary)
                    ),
                    pages=tuple(
                        PageHit(
                            document_id=unit.document_id,
                            document_name=unit.document_name,
                            page_number=unit.page_number,
                            snippet_html=_marked_html(passages[unit.unit_id]),
                        )
                        for unit in page_units[entry.filing_id]
                    ),
                )
            )
        return SearchResults(
            total=total, hits=tuple(hits), facets=facets, page=page, per_page=per_page
        )

    @staticmethod
    def _filings(
        cursor,
        dialect: Dialect,
        tree: Tree | None,
        wanted: list[Words],
        filters,
        ordering: str,
        by_relevance: bool,
        limit: int,
        offset: int,
    ) -> tuple[int, dict[str, tuple[FacetValue, ...]], list[_Entry]]:
        """The total, the facets and one page of filings with their scores, in one query.

        The filings the query matches come from one lookup of the whole tree where
        the engine can write it so, otherwise from a lookup of each word or phrase,
        once, in a materialized CTE. Those the filters keep, the total, the facets and
        the page are read from them. When scores order the page, they are computed in
        that one lookup for every filing matched, or else for every filing kept;
        otherwise for the page's filings only.
        """
        ctes: list[Sql] = dialect.shared(tree, wanted)
        scores_order_page = bool(wanted) and by_relevance
        whole = None if tree is None else dialect.filings_matching(tree, scored=scores_order_page)
        if whole is not None:
            ctes.append(
                Sql(
                    f"matched AS MATERIALIZED (SELECT {MATCHED_COLUMNS}, m.score "
                    f"FROM {FILINGS} f JOIN ({whole.text}) AS m ON m.filing_id = f.filing_id)",
                    whole.params,
                )
            )
        else:
            matched = None if tree is None else dialect.filings_condition(tree)
            if matched is None:
                names: dict[Words, str] = {}
                for number, leaf in enumerate(_leaves(tree)):
                    name = f"lookup_{number}"
                    names[leaf] = name
                    lookup = dialect.filings_containing(leaf, wanted)
                    ctes.append(Sql(f"{name} AS MATERIALIZED ({lookup.text})", lookup.params))
                matched = _where([] if tree is None else [_text_condition(tree, names)])
            ctes.append(
                Sql(
                    f"matched AS MATERIALIZED (SELECT {MATCHED_COLUMNS}, 0.0 AS score "
                    f"FROM {FILINGS} f WHERE {matched.text})",
                    matched.params,
                )
            )
        conditions = _filter_conditions(filters)
        where = _where(conditions)
        # Unfiltered, the filings found are the filings matched: read again rather than copied.
        copied = "MATERIALIZED" if conditions else "NOT MATERIALIZED"
        ctes.append(
            Sql(
                f"found AS {copied} (SELECT f.filing_id, f.published_at, f.score "
                f"FROM matched f WHERE {where.text})",
                where.params,
            )
        )
        if scores_order_page and whole is None:
            scores, ranked = dialect.found_with_scores(wanted)
            ctes.extend(scores)
        else:
            ranked = "SELECT filing_id, published_at, score FROM found"
        ctes.append(
            Sql(
                "page AS MATERIALIZED (SELECT f.filing_id, f.score, "
                f"ROW_NUMBER() OVER (ORDER BY {ordering}) AS position "
                f"FROM (SELECT f.* FROM ({ranked}) AS f "
                f"ORDER BY {ordering} LIMIT %s OFFSET %s) AS f)",
                [limit, offset],
            )
        )
        hit_score, hit_join = "p.score", ""
        if wanted and not by_relevance:
            scores = dialect.filing_scores(wanted, among="page")
            ctes.append(Sql(f"scores AS MATERIALIZED ({scores.text})", scores.params))
            hit_score = "COALESCE(s.score, 0.0)"
            hit_join = "LEFT JOIN scores s ON s.filing_id = p.filing_id"

        # Typed, so PostgreSQL can match the later branches' columns to them.
        blank = ", ".join(
            f"CAST(NULL AS {type_})"
            for type_ in (
                *("BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "TIMESTAMP WITH TIME ZONE"),
                *("TEXT", "DOUBLE PRECISION"),
            )
        )
        parts = [
            Sql("WITH ", []),
            Sql.join(", ", ctes),
            Sql(f" SELECT 'total', NULL, NULL, COUNT(*), {blank} FROM found", []),
        ]
        for facet, (value, label, facet_join, extra) in FACET_COLUMNS.items():
            facet_where = _where(
                [
                    *_filter_conditions(filters, ignoring=facet),
                    *([Sql(extra, [])] if extra else []),
                ]
            )
            parts.append(
                Sql(
                    f" UNION ALL SELECT '{facet}', {value}, {label}, COUNT(*), {blank} "
                    f"FROM matched f {facet_join} WHERE {facet_where.text} GROUP BY {value}",
                    facet_where.params,
                )
            )
        parts.append(
            Sql(
                " UNION ALL SELECT 'hit', NULL, NULL, NULL, p.position, f.filing_id, f.title, "
                f"f.kind_label, f.agency_name, f.published_at, f.summary, "
                f"CAST({hit_score} AS DOUBLE PRECISION) "
                f"FROM page p JOIN {FILINGS} f ON f.filing_id = p.filing_id {hit_join}",
                [],
            )
        )
        rows = dialect.fetch_filings(cursor, Sql.join("", parts))

        field = SearchFiling._meta.get_field("published_at")
        column = field.get_col(FILINGS)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

        def published(value):
            for converter in converters:
                value = converter(value, column, connection)
            return value

        total, counts, hits = 0, defaultdict(list), []
        for kind, value, label, count, *hit in rows:
            if kind == "total":
                total = count
            elif kind == "hit":
                hits.append(hit)
            else:
                counts[kind].append(FacetValue(value=value, label=label, count=count))
        facets = {
            facet: tuple(
                sorted(counts[facet], key=lambda item: (-item.count, item.label.casefold()))
            )
            for facet in FACET_COLUMNS
        }
        entries = []
        for _position, filing_id, title, kind_label, agency, published_at, summary, score in sorted(
            hits, key=lambda hit: hit[0]
        ):
            entries.append(
                _Entry(
                    filing_id, title, kind_label, agency, published(published_at), summary, score
                )
            )
        return total, facets, entries

    @staticmethod
    def _best_units(
        cursor, dialect: Dialect, wanted: list[Words], filing_ids: list[int], pages_per_hit: int
    ) -> tuple[dict[int, _Unit], dict[int, list[_Unit]]]:
        """Each filing's best unit, and its best pages (up to `pages_per_hit`), best first."""
        scored = dialect.unit_scores(wanted, filing_ids)
        cursor.execute(
            "SELECT o.filing_id, o.best, o.best_of_kind, o.unit_id, d.document_id, "
            "d.document_name, d.page_number FROM (SELECT s.unit_id, s.filing_id, s.on_page, "
            "ROW_NUMBER() OVER (PARTITION BY s.filing_id ORDER BY s.score DESC, s.unit_id) "
            "AS best, "
            "ROW_NUMBER() OVER (PARTITION BY s.filing_id, s.on_page "
            "ORDER BY s.score DESC, s.unit_id) AS best_of_kind "
            f"FROM ({scored.text}) AS s) AS o JOIN {UNITS} d ON d.id = o.unit_id "
            "WHERE o.best = 1 OR (o.on_page AND o.best_of_kind <= %s)",
            [*scored.params, pages_per_hit],
        )
        best_units, page_units = {}, defaultdict(list)
        for filing_id, best, best_of_kind, *columns in sorted(cursor.fetchall()):
            unit = _Unit(*columns)
            if best == 1:
                best_units[filing_id] = unit
            if unit.page_number is not None and best_of_kind <= pages_per_hit:
                page_units[filing_id].append(unit)
        return best_units, page_units
