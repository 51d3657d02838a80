# ruff: noqa: S608 - the SQL here is assembled from this module's constant table and column
# names and %s placeholders only; every value, the user's words included, is a parameter.
"""Search answered by the portal's own database: SQLite FTS5 or PostgreSQL full-text search.

How a query is answered:

* The query tree is evaluated per filing, not per page: "facial AND retention"
  finds a filing with "facial" on page 3 and "retention" on page 14, and
  "-retention" leaves out every filing that mentions retention anywhere. Each
  word or phrase becomes one full-text lookup of the filings whose units (the
  filing's own text, or one page) contain it; AND, OR and NOT become SQL
  boolean operators over those lookups, so NOT may stand anywhere, even alone.
* Users' words never reach an engine as syntax: they are cut into words of
  letters and digits, then written as quoted FTS5 strings or tsquery lexemes.
* Ranking, page choice and snippets use the words and phrases the query asks
  for (not those it excludes): a filing scores as its best unit (bm25 on
  SQLite, ts_rank_cd on PostgreSQL), its pages are its best-scoring pages, and
  its snippet is its best unit's. With nothing to look for, the snippet is the
  filing's summary.
* Facets are disjunctive: each facet's counts apply every filter except the
  facet's own, so choosing one agency still shows how many results the others
  have. Within a facet the chosen values combine with OR; across facets, AND.
* Snippets come back from the engine with private-use sentinel characters
  around matches (stripped from indexed text so only the engine can place
  them); the text is HTML-escaped and only then are the sentinels turned into
  <mark> tags.
"""

import html
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

MARK_START = "\ue000"
MARK_END = "\ue001"
MAX_PER_PAGE = 100
MAX_PAGES_PER_HIT = 10
SNIPPET_WORDS = 30
SUMMARY_SNIPPET_WORDS = 40

FILINGS = SearchFiling._meta.db_table
TECHNOLOGIES = SearchFilingTechnology._meta.db_table
VENDORS = SearchFilingVendor._meta.db_table
UNITS = SearchUnit._meta.db_table
# Created by migration 0002 on SQLite only.
FTS_TABLE = f"{UNITS}_fts"
# Created by migration 0003 on SQLite only: (id, filing_id, page_number), so that finding the
# filing and page of each matched unit does not visit the unit's row with its whole text.
# Named, since without statistics SQLite would take the rowid lookup instead.
UNIT_LOOKUP = f"{UNITS} u INDEXED BY {UNITS}_unit_lookup"


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
    score: float


class _Entry(NamedTuple):
    filing_id: int
    title: str
    kind_label: str
    agency_name: str
    published_at: object
    summary: str


class Dialect(ABC):
    """What differs between the engines: how a lookup, a ranking and a snippet are written."""

    def unmatchable(self, cursor, leaves: list[Words]) -> frozenset[Words]:
        """Lookups the engine ignores entirely (PostgreSQL's stop words), to leave out."""
        return frozenset()

    @abstractmethod
    def filings_containing(self, leaf: Words) -> Sql:
        """SELECT filing_id of the filings with a unit containing the word or phrase."""

    @abstractmethod
    def ranked_units(self, leaves: list[Words]) -> Sql:
        """SELECT the units containing any of `leaves`, with a score where higher is better.

        Columns: unit_id, filing_id, page_number, score.
        """

    @abstractmethod
    def snippets(self, cursor, leaves: list[Words], unit_ids: list[int]) -> dict[int, str]:
        """Each unit's best passage, matches between MARK_START and MARK_END, not escaped."""


class SqliteDialect(Dialect):
    @staticmethod
    def match_expression(leaves: list[Words]) -> str:
        # Each lookup is a quoted FTS5 string of letters, digits and marks, so no user text can
        # be read as an operator, a column filter or NEAR; a phrase is one string.
        return " OR ".join(
            '"' + " ".join(leaf.words) + '"' + ("*" if leaf.prefix else "") for leaf in leaves
        )

    def filings_containing(self, leaf):
        return Sql(
            f"SELECT u.filing_id FROM {FTS_TABLE} JOIN {UNIT_LOOKUP} ON u.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            [self.match_expression([leaf])],
        )

    def ranked_units(self, leaves):
        # FTS5's rank is bm25(), lower is better; unlike bm25() it may be aggregated.
        return Sql(
            "SELECT u.id AS unit_id, u.filing_id, u.page_number, "
            f"-{FTS_TABLE}.rank AS score "
            f"FROM {FTS_TABLE} JOIN {UNIT_LOOKUP} ON u.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            [self.match_expression(leaves)],
        )

    def snippets(self, cursor, leaves, unit_ids):
        placeholders = ", ".join(["%s"] * len(unit_ids))
        # Looked up by rowid, FTS5 evaluates the match again for each unit, expanding a prefix
        # each time; with a prefix, one pass over the matches (the unary + keeps the rowid
        # from being used as an index) and a test of each rowid costs less.
        rowid = "+rowid" if any(leaf.prefix for leaf in leaves) else "rowid"
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 0, %s, %s, %s, %s) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND {rowid} IN ({placeholders})",
            [MARK_START, MARK_END, "…", SNIPPET_WORDS, self.match_expression(leaves), *unit_ids],
        )
        return dict(cursor.fetchall())


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

    def unmatchable(self, cursor, leaves):
        if not leaves:
            return frozenset()
        checks = ", ".join([f"numnode(to_tsquery('{self.CONFIG}', %s))"] * len(leaves))
        cursor.execute(f"SELECT {checks}", [self.tsquery_source(leaf) for leaf in leaves])
        node_counts = cursor.fetchone()
        return frozenset(leaf for leaf, count in zip(leaves, node_counts, strict=True) if not count)

    def filings_containing(self, leaf):
        return Sql(
            f"SELECT u.filing_id FROM {UNITS} u "
            f"WHERE u.search_vector @@ to_tsquery('{self.CONFIG}', %s)",
            [self.tsquery_source(leaf)],
        )

    def any_of(self, leaves: list[Words]) -> str:
        return " | ".join(f"({self.tsquery_source(leaf)})" for leaf in leaves)

    def ranked_units(self, leaves):
        return Sql(
            "SELECT u.id AS unit_id, u.filing_id, u.page_number, "
            "ts_rank_cd(u.search_vector, wanted.query) AS score "
            f"FROM {UNITS} u, to_tsquery('{self.CONFIG}', %s) AS wanted(query) "
            "WHERE u.search_vector @@ wanted.query",
            [self.any_of(leaves)],
        )

    def snippets(self, cursor, leaves, unit_ids):
        # ts_headline drops anything that parses as an HTML tag, so it is given the text
        # escaped (tags become entities, which it keeps); the caller unescapes the result.
        placeholders = ", ".join(["%s"] * len(unit_ids))
        escaped = "replace(replace(replace(u.text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
        cursor.execute(
            f"SELECT u.id, ts_headline('{self.CONFIG}', {escaped}, "
            f"to_tsquery('{self.CONFIG}', %s), %s) FROM {UNITS} u WHERE u.id IN ({placeholders})",
            [self.any_of(leaves), self.HEADLINE_OPTIONS, *unit_ids],
        )
        return {unit_id: html.unescape(passage) for unit_id, passage in cursor.fetchall()}


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
    "technology": (
        "t.slug",
        "MAX(t.name)",
        f"JOIN {TECHNOLOGIES} t ON t.filing_id = f.filing_id",
        "",
    ),
    "vendor": ("v.slug", "MAX(v.name)", f"JOIN {VENDORS} v ON v.filing_id = f.filing_id", ""),
}


FILING_FIELDS = [field.attname for field in SearchFiling._meta.concrete_fields]


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


class DatabaseSearchBackend(SearchBackend):
    name = "database"

    # Indexing

    def index_filing(self, filing: IndexedFiling) -> None:
        with transaction.atomic():
            # An upsert rather than delete-then-insert: two writers indexing one filing at
            # once queue on its row, and the later one wins, instead of one failing on the
            # primary key.
            SearchFiling.objects.bulk_create(
                [_filing_row(filing)],
                update_conflicts=True,
                unique_fields=["filing_id"],
                update_fields=[field for field in FILING_FIELDS if field != "filing_id"],
            )
            for model in (SearchFilingTechnology, SearchFilingVendor, SearchUnit):
                model.objects.filter(filing_id=filing.filing_id).delete()
            self._insert_contents(filing)

    def remove_filing(self, filing_id: int) -> None:
        # The database deletes the filing's units, technologies and vendors with it.
        SearchFiling.objects.filter(filing_id=filing_id).delete()

    def indexed_filing_ids(self) -> dict[int, str]:
        return dict(SearchFiling.objects.values_list("filing_id", "fingerprint"))

    def rebuild(
        self, filings: Iterable[IndexedFiling], progress: Callable[[int], None] | None = None
    ) -> int:
        # One transaction: until it commits every reader keeps seeing the old index whole.
        count = 0
        with transaction.atomic():
            SearchFiling.objects.all().delete()
            for filing in filings:
                _filing_row(filing).save(force_insert=True)
                self._insert_contents(filing)
                count += 1
                if progress:
                    progress(count)
        return count

    @staticmethod
    def _insert_contents(filing: IndexedFiling) -> None:
        """The filing's technology, vendor and unit rows, once its SearchFiling row exists."""
        filing_id = filing.filing_id
        SearchFilingTechnology.objects.bulk_create(
            SearchFilingTechnology(filing_id=filing_id, slug=slug, name=name)
            for slug, name in dict(filing.technologies).items()
        )
        SearchFilingVendor.objects.bulk_create(
            SearchFilingVendor(filing_id=filing_id, slug=slug, name=name)
            for slug, name in dict(filing.vendors).items()
        )
        # What the filing says, then what it is about: searching for an agency, a
        # technology or a vendor by name finds its filings.
        about = [filing.agency_name, filing.kind_label]
        about += [name for _slug, name in (*filing.technologies, *filing.vendors)]
        own_text = "\n\n".join(
            part for part in (filing.title, filing.summary, filing.body, " · ".join(about)) if part
        )
        units = [SearchUnit(filing_id=filing_id, text=_searchable(own_text))]
        units.extend(
            SearchUnit(
                filing_id=filing_id,
                document_id=page.document_id,
                document_name=page.document_name,
                page_number=page.page_number,
                text=_searchable(page.text),
            )
            for page in filing.pages
            if page.text.strip()
        )
        SearchUnit.objects.bulk_create(units)

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

            ranking = dialect.ranked_units(wanted) if wanted else None
            total, facets, entries, best_units, page_units = self._answer(
                cursor,
                dialect,
                tree,
                wanted,
                ranking,
                filters,
                ordering,
                by_relevance=request.sort == "relevance",
                limit=per_page,
                offset=(page - 1) * per_page,
                pages_per_hit=pages_per_hit,
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
                    # A filing scores as its best unit, as it was ranked.
                    score=float(best.score) if best else 0.0,
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
    def _answer(
        cursor,
        dialect: Dialect,
        tree: Tree | None,
        wanted: list[Words],
        ranked: Sql | None,
        filters,
        ordering: str,
        by_relevance: bool,
        limit: int,
        offset: int,
        pages_per_hit: int,
    ):
        """The total, the facets, one page of filings and their best units, in one query.

        Each full-text lookup is evaluated once per search, in a materialized CTE that
        the total, the facets, the ranking and the choice of pages all read: the
        ranked units (every wanted word or phrase at once, with scores), and each
        lookup's filings (read from the ranked units when the lookup is the only one
        wanted).
        """
        ctes: list[Sql] = []
        if ranked is not None:
            ctes.append(Sql(f"ranked AS MATERIALIZED ({ranked.text})", ranked.params))
        names: dict[Words, str] = {}
        for number, leaf in enumerate(_leaves(tree)):
            name = f"lookup_{number}"
            names[leaf] = name
            if ranked is not None and wanted == [leaf]:
                lookup = Sql("SELECT filing_id FROM ranked", [])
            else:
                lookup = dialect.filings_containing(leaf)
            ctes.append(
                Sql(
                    f"{name} AS MATERIALIZED (SELECT DISTINCT filing_id FROM ({lookup.text}) "
                    f"AS {name}_units)",
                    lookup.params,
                )
            )

        matched = _where([] if tree is None else [_text_condition(tree, names)])
        ctes.append(
            Sql(
                f"matched AS MATERIALIZED (SELECT f.* FROM {FILINGS} f WHERE {matched.text})",
                matched.params,
            )
        )
        if ranked is not None and by_relevance:
            ctes.append(
                Sql(
                    "scores AS MATERIALIZED (SELECT filing_id, MAX(score) AS score "
                    "FROM ranked GROUP BY filing_id)",
                    [],
                )
            )
            score = "COALESCE(s.score, 0.0)"
            join = "LEFT JOIN scores s ON s.filing_id = f.filing_id"
        else:
            score, join = "0.0", ""
        where = _where(_filter_conditions(filters))
        ctes.append(
            Sql(
                f"page AS MATERIALIZED (SELECT f.*, ROW_NUMBER() OVER (ORDER BY {ordering}) "
                "AS position FROM (SELECT f.filing_id, f.title, f.kind_label, f.agency_name, "
                f"f.published_at, f.summary, {score} AS score FROM matched f {join} "
                f"WHERE {where.text} ORDER BY {ordering} LIMIT %s OFFSET %s) AS f)",
                [*where.params, limit, offset],
            )
        )
        if ranked is not None:
            ctes.append(
                Sql(
                    "units AS MATERIALIZED (SELECT o.unit_id, o.filing_id, d.document_id, "
                    "d.document_name, o.page_number, o.score, o.best FROM ("
                    "SELECT ranked.*, "
                    "ROW_NUMBER() OVER (PARTITION BY filing_id ORDER BY score DESC, unit_id) "
                    "AS best, "
                    "ROW_NUMBER() OVER (PARTITION BY filing_id, page_number IS NULL "
                    "ORDER BY score DESC, unit_id) AS best_of_kind "
                    "FROM ranked WHERE filing_id IN (SELECT filing_id FROM page)) AS o "
                    f"JOIN {UNITS} d ON d.id = o.unit_id "
                    "WHERE o.best = 1 OR (o.page_number IS NOT NULL AND o.best_of_kind <= %s))",
                    [pages_per_hit],
                )
            )
            unit_columns = (
                "u.unit_id, u.document_id, u.document_name, u.page_number, u.score, u.best"
            )
            unit_join = "LEFT JOIN units u ON u.filing_id = p.filing_id"
        else:
            unit_columns = "NULL, NULL, NULL, NULL, NULL, NULL"
            unit_join = ""
        # Typed, so PostgreSQL can match the later branches' columns to them.
        blank = ", ".join(
            f"CAST(NULL AS {type_})"
            for type_ in (
                *("BIGINT", "TEXT", "TEXT", "TEXT", "TIMESTAMP WITH TIME ZONE", "TEXT", "BIGINT"),
                *("BIGINT", "BIGINT", "TEXT", "BIGINT", "DOUBLE PRECISION", "BIGINT"),
            )
        )
        parts = [
            Sql("WITH ", []),
            Sql.join(", ", ctes),
            Sql(f" SELECT 'total', NULL, NULL, COUNT(*), {blank} FROM matched f WHERE ", []),
            where,
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
                " UNION ALL SELECT 'hit', NULL, NULL, NULL, p.filing_id, p.title, "
                "p.kind_label, p.agency_name, p.published_at, p.summary, p.position, "
                f"{unit_columns} FROM page p {unit_join}",
                [],
            )
        )
        query = Sql.join("", parts)
        cursor.execute(query.text, query.params)
        rows = cursor.fetchall()

        field = SearchFiling._meta.get_field("published_at")
        column = field.get_col(FILINGS)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

        def published(value):
            for converter in converters:
                value = converter(value, column, connection)
            return value

        total, counts = 0, defaultdict(list)
        filings: dict[int, tuple] = {}
        unit_rows = []
        for row in rows:
            kind = row[0]
            if kind == "total":
                total = row[3]
            elif kind == "hit":
                filing_id = row[4]
                if filing_id not in filings:
                    filings[filing_id] = (row[10], row[4:10])
                if row[11] is not None:
                    unit_rows.append((filing_id, row[11:]))
            else:
                counts[kind].append(FacetValue(value=row[1], label=row[2], count=row[3]))
        facets = {
            facet: tuple(
                sorted(counts[facet], key=lambda item: (-item.count, item.label.casefold()))
            )
            for facet in FACET_COLUMNS
        }
        entries = [
            _Entry(filing_id, title, kind_label, agency_name, published(published_at), summary)
            for _position, (
                filing_id,
                title,
                kind_label,
                agency_name,
                published_at,
                summary,
            ) in sorted(filings.values(), key=lambda item: item[0])
        ]
        best_units, page_units = {}, defaultdict(list)
        unit_rows.sort(key=lambda item: (item[0], item[1][5]))
        for filing_id, (unit_id, *columns, best) in unit_rows:
            unit = _Unit(unit_id, *columns)
            if best == 1:
                best_units[filing_id] = unit
            if unit.page_number is not None and len(page_units[filing_id]) < pages_per_hit:
                page_units[filing_id].append(unit)
        return total, facets, entries, best_units, page_units
