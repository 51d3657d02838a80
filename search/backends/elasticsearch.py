"""Elasticsearch (9.x, or an OpenSearch-compatible stand-in) as the search engine.

One document per filing, with its pages as `nested` objects inside it. Each hit
is a filing, so the engine's own total and the facet counts are filing counts
with nothing to collapse or de-duplicate, and a filing is replaced with all its
pages in one write. `include_in_parent` also indexes the page texts on the
filing itself, so a query like `camera AND retention` matches a filing whose
title says one and whose page 7 says the other; a `nested` clause with
`inner_hits` then picks that filing's best pages and highlights them.

The live index is an alias over a timestamped index: a rebuild loads a new
index while the old one keeps answering, then swaps the alias in one atomic
request. Highlights come back with private-use sentinels instead of tags; the
text is escaped here and only then are the sentinels turned into <mark>.
"""

import contextlib
import datetime
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import ApiError, BadRequestError, Elasticsearch, TransportError, helpers

from search.backends.base import SearchBackend, SearchUnavailable, SearchUnreachable
from search.index_documents import IndexedFiling, IndexedPage, fingerprint
from search.query import And, Node, Not, Or, Phrase, Term
from search.results import FacetValue, Hit, PageHit, SearchRequest, SearchResults

# Letters and digits: a term without any says nothing and is left out of the query.
WORD = re.compile(r"[^\W_]+")
# The english analyzer's stop words (Elasticsearch's `_english_` list). A word or
# phrase made only of them analyses to nothing, so it is left out as well.
# fmt: off
ENGLISH_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with",
})
# fmt: on
# Supplementary private-use code points: they never appear in extracted text
# (and are stripped from it before indexing), so they can mark highlights safely.
MARK_START = "\U000f0000"
MARK_END = "\U000f0001"
MARKS = re.compile(f"({MARK_START}|{MARK_END})")
WHITESPACE = re.compile(r"\s+")
SNIPPET_LENGTH = 240
# How much text a snippet shows before its first highlighted word.
SNIPPET_LEAD = 60

# The same bounds as the database backend, so both answer a request alike.
MAX_PER_PAGE = 100
MAX_PAGES_PER_HIT = 10
SUMMARY_SNIPPET_WORDS = 40
# Elasticsearch refuses from + size beyond index.max_result_window (10,000 by default).
MAX_RESULT_WINDOW = 10_000
# Enough to list every agency, technology or vendor of a city.
FACET_SIZE = 500
BULK_CHUNK_FILINGS = 100
BULK_CHUNK_BYTES = 20 * 1024 * 1024
BULK_REQUEST_TIMEOUT = 120

# Root-level text fields searched by words and phrases, with their boosts.
# `pages.text` is the page texts copied onto the filing by include_in_parent.
FILING_TEXT_FIELDS = {
    "title": 3.0,
    "summary": 2.0,
    "agency_name": 2.0,
    "technology_names": 2.0,
    "vendor_names": 2.0,
    "kind_label": 1.0,
    "body": 1.0,
    "pages.text": 1.0,
}
PAGE_TEXT_FIELDS = {"pages.text": 1.0}

FILTER_FIELDS = {
    "agency": "agency_slug",
    "technology": "technology_slugs",
    "vendor": "vendor_slugs",
    "kind": "kind",
    "year": "year",
}
# Facets aggregate keyword fields holding JSON [value, label] pairs, so each
# bucket carries its label; a separate label field could not tell which of a
# filing's several technologies a bucket belongs to. Years are their own label.
FACET_FIELDS = {
    "agency": "agency_facet",
    "technology": "technology_facets",
    "vendor": "vendor_facets",
    "kind": "kind_facet",
    "year": "year",
}

SORTS = {
    "relevance": [
        {"_score": {"order": "desc"}},
        {"published_at": {"order": "desc", "missing": "_last"}},
        {"filing_id": {"order": "desc"}},
    ],
    "newest": [
        {"published_at": {"order": "desc", "missing": "_last"}},
        {"filing_id": {"order": "desc"}},
    ],
    "oldest": [
        {"published_at": {"order": "asc", "missing": "_last"}},
        {"filing_id": {"order": "asc"}},
    ],
}

HIT_SOURCE_FIELDS = ["filing_id", "title", "kind_label", "agency_name", "published_at", "summary"]
PAGE_FIELDS = ["pages.document_id", "pages.document_name", "pages.page_number"]


def english_text() -> dict:
    """Stemmed English text for words and phrases, with an unstemmed `exact` copy for prefixes.

    A prefix must be compared with the words as written: `surveillance*`
    should match "surveillance", whose English stem "surveil" it does not prefix.
    """
    return {
        "type": "text",
        "analyzer": "english",
        "fields": {"exact": {"type": "text", "analyzer": "standard"}},
    }


MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "filing_id": {"type": "integer"},
        "fingerprint": {"type": "keyword"},
        "title": english_text(),
        "kind": {"type": "keyword"},
        "kind_label": english_text(),
        "kind_facet": {"type": "keyword"},
        "agency_slug": {"type": "keyword"},
        "agency_name": english_text(),
        "agency_facet": {"type": "keyword"},
        "technology_slugs": {"type": "keyword"},
        "technology_names": english_text(),
        "technology_facets": {"type": "keyword"},
        "vendor_slugs": {"type": "keyword"},
        "vendor_names": english_text(),
        "vendor_facets": {"type": "keyword"},
        "year": {"type": "integer"},
        "published_at": {"type": "date"},
        "summary": english_text(),
        "body": english_text(),
        "pages": {
            "type": "nested",
            "include_in_parent": True,
            "properties": {
                "document_id": {"type": "integer"},
                "document_name": {"type": "keyword"},
                "page_number": {"type": "integer"},
                "text": english_text(),
            },
        },
    },
}


class ElasticsearchSearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, index_prefix: str):
        self.client = client
        self.alias = f"{index_prefix}-filings"
        # The nodes' base URLs never include credentials: the client moves them into headers.
        self.url = ", ".join(node.base_url for node in client.transport.node_pool.all())

    @classmethod
    def for_url(cls, url: str, index_prefix: str, **client_options) -> "ElasticsearchSearchBackend":
        # Fail fast: a resident waits on searches, and the outbox retries writes with backoff.
        options = {"request_timeout": 10, "max_retries": 1}
        return cls(Elasticsearch(url, **(options | client_options)), index_prefix=index_prefix)

    @classmethod
    def from_settings(cls) -> "ElasticsearchSearchBackend":
        if not settings.ELASTICSEARCH_URL:
            raise ImproperlyConfigured("the Elasticsearch backend needs ELASTICSEARCH_URL")
        return cls.for_url(settings.ELASTICSEARCH_URL, index_prefix=settings.SEARCH_INDEX_PREFIX)

    # Writing

    def index_filing(self, filing: IndexedFiling) -> None:
        with self.engine_errors(f"index filing {filing.filing_id}"):
            self.ensure_alias()
            # require_alias: were the alias deleted meanwhile, Elasticsearch would
            # otherwise create a concrete index by that name with guessed mappings.
            self.client.index(
                index=self.alias,
                id=str(filing.filing_id),
                document=filing_document(filing),
                require_alias=True,
                refresh="wait_for",
            )

    def remove_filing(self, filing_id: int) -> None:
        with self.engine_errors(f"remove filing {filing_id}"):
            if not self.client.indices.exists_alias(name=self.alias):
                return
            self.client.options(ignore_status=404).delete(
                index=self.alias, id=str(filing_id), refresh="wait_for"
            )

    def rebuild(
        self, filings: Iterable[IndexedFiling], progress: Callable[[int], None] | None = None
    ) -> int:
        # Writes made while this runs land in the old index and are lost with it;
        # the reconciler compares fingerprints afterwards and repairs them.
        new_index = f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        with self.engine_errors("rebuild the index"):
            self.client.indices.create(index=new_index, mappings=MAPPINGS)
            try:
                count = self.bulk_load(new_index, filings, progress)
                self.client.indices.refresh(index=new_index)
                previous = self.aliased_indices()
                self.client.indices.update_aliases(
                    actions=[
                        *({"remove": {"index": index, "alias": self.alias}} for index in previous),
                        {"add": {"index": new_index, "alias": self.alias}},
                    ]
                )
            except BaseException:
                self.client.options(ignore_status=404).indices.delete(index=new_index)
                raise
            if previous:
                self.client.options(ignore_status=404).indices.delete(index=",".join(previous))
        return count

    def bulk_load(
        self,
        index: str,
        filings: Iterable[IndexedFiling],
        progress: Callable[[int], None] | None,
    ) -> int:
        actions = (
            {"_index": index, "_id": str(filing.filing_id), "_source": filing_document(filing)}
            for filing in filings
        )
        count = 0
        for _ok, _item in helpers.streaming_bulk(
            self.client.options(request_timeout=BULK_REQUEST_TIMEOUT),
            actions,
            chunk_size=BULK_CHUNK_FILINGS,
            max_chunk_bytes=BULK_CHUNK_BYTES,
        ):
            count += 1
            if progress is not None:
                progress(count)
        return count

    def ensure_alias(self) -> None:
        """Create the first index behind the alias if there is none yet.

        Its name is fixed, not timestamped, so two workers bootstrapping at
        once create one index between them instead of an alias over two.
        """
        if self.client.indices.exists_alias(name=self.alias):
            return
        initial = f"{self.alias}-initial"
        try:
            self.client.indices.create(index=initial, aliases={self.alias: {}}, mappings=MAPPINGS)
        except BadRequestError as error:
            if error_type(error.body) != "resource_already_exists_exception":
                raise
            self.client.indices.put_alias(index=initial, name=self.alias)

    def aliased_indices(self) -> list[str]:
        found = self.client.options(ignore_status=404).indices.get_alias(name=self.alias)
        return [] if found.meta.status == 404 else sorted(found.body)

    # Reading

    def indexed_filing_ids(self) -> dict[int, str]:
        with self.engine_errors("list the indexed filings"):
            return {
                hit["_source"]["filing_id"]: hit["_source"]["fingerprint"]
                for hit in helpers.scan(
                    self.client,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": ["filing_id", "fingerprint"]},
                    ignore_unavailable=True,
                )
            }

    def search(self, request: SearchRequest) -> SearchResults:
        page = max(request.page, 1)
        per_page = min(max(request.per_page, 1), MAX_PER_PAGE)
        offset = (page - 1) * per_page
        # Past the window the engine would refuse the request; the total and
        # facets are still worth showing, just without hits.
        size = per_page if offset + per_page <= MAX_RESULT_WINDOW else 0
        body = search_body(
            request,
            pages_per_hit=min(max(request.pages_per_hit, 0), MAX_PAGES_PER_HIT),
            offset=offset if size else 0,
            size=size,
        )
        with self.engine_errors("search"):
            # A missing alias means nothing has been indexed yet: no hits, not an outage.
            response = self.client.search(index=self.alias, ignore_unavailable=True, **body).body
        aggregations = response.get("aggregations", {})
        return SearchResults(
            total=response["hits"]["total"]["value"],
            hits=tuple(hit_from(raw) for raw in response["hits"]["hits"]),
            facets={
                facet: facet_values(
                    facet, aggregations.get(facet, {}).get("values", {}).get("buckets", [])
                )
                for facet in FACET_FIELDS
            },
            page=page,
            per_page=per_page,
        )

    @contextlib.contextmanager
    def engine_errors(self, action: str) -> Iterator[None]:
        """Turn whatever the engine or the network says into SearchUnavailable naming the URL."""
        try:
            yield
        except helpers.BulkIndexError as error:
            # Each error item also carries the whole filing it failed on; name it only.
            first = next(iter(error.errors[0].values()), {}) if error.errors else {}
            raise SearchUnavailable(
                f"Elasticsearch at {self.url} could not {action}: {len(error.errors)} filings "
                f"failed, filing {first.get('_id')} with HTTP {first.get('status')} "
                f"{error_type(first)}: {error_reason(first)}"
            ) from error
        except ApiError as error:
            raise SearchUnavailable(
                f"Elasticsearch at {self.url} could not {action}: HTTP {error.meta.status} "
                f"{error_type(error.body)}: {error_reason(error.body)}"
            ) from error
        except TransportError as error:
            raise SearchUnreachable(
                f"Elasticsearch at {self.url} is unreachable, could not {action}: {error}"
            ) from error


def error_type(body) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("type", "") if isinstance(error, dict) else ""


def error_reason(body) -> str:
    error = body.get("error") if isinstance(body, dict) else body
    return str(error.get("reason", error) if isinstance(error, dict) else error)


# Documents


def without_marks(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def facet_key(value: str, label: str) -> str:
    return json.dumps([value, label])


def filing_document(filing: IndexedFiling) -> dict:
    return {
        "filing_id": filing.filing_id,
        "fingerprint": fingerprint(filing),
        "title": without_marks(filing.title),
        "kind": filing.kind,
        "kind_label": filing.kind_label,
        "kind_facet": facet_key(filing.kind, filing.kind_label),
        "agency_slug": filing.agency_slug,
        "agency_name": filing.agency_name,
        "agency_facet": facet_key(filing.agency_slug, filing.agency_name),
        "technology_slugs": [slug for slug, _name in filing.technologies],
        "technology_names": [name for _slug, name in filing.technologies],
        "technology_facets": [facet_key(slug, name) for slug, name in filing.technologies],
        "vendor_slugs": [slug for slug, _name in filing.vendors],
        "vendor_names": [name for _slug, name in filing.vendors],
        "vendor_facets": [facet_key(slug, name) for slug, name in filing.vendors],
        "year": filing.year,
        "published_at": filing.published_at.isoformat() if filing.published_at else None,
        "summary": without_marks(filing.summary),
        "body": without_marks(filing.body),
        "pages": [page_document(page) for page in filing.pages],
    }


def page_document(page: IndexedPage) -> dict:
    return {
        "document_id": page.document_id,
        "document_name": page.document_name,
        "page_number": page.page_number,
        "text": without_marks(page.text),
    }


# Queries


def search_body(request: SearchRequest, pages_per_hit: int, offset: int, size: int) -> dict:
    root = request.query.root
    text_query = compile_node(root, FILING_TEXT_FIELDS) or {"match_all": {}}
    # The pages clause only chooses and highlights pages (and adds their
    # relevance); whether a filing matches is decided by `must` and the filters.
    pages_clause = pages_query(root, pages_per_hit)
    try:
        sort = SORTS[request.sort]
    except KeyError:
        raise ValueError(f"unknown sort {request.sort!r}; expected one of {list(SORTS)}") from None
    filters = filter_clauses(request.all_filters())
    return {
        "query": {
            "bool": {
                "must": [text_query],
                "should": [pages_clause] if pages_clause else [],
                "minimum_should_match": 0,
            }
        },
        # Facets are disjunctive, as in the database backend: hits get every
        # filter (post_filter, after the aggregations), each facet's counts get
        # every filter but its own, so the other values of a chosen facet still
        # show how many results they would give.
        "post_filter": {"bool": {"filter": list(filters.values())}},
        "aggs": {
            facet: {
                "filter": {
                    "bool": {
                        "filter": [clause for name, clause in filters.items() if name != facet]
                    }
                },
                "aggs": {"values": {"terms": {"field": field, "size": FACET_SIZE}}},
            }
            for facet, field in FACET_FIELDS.items()
        },
        "sort": sort,
        "track_scores": True,
        "track_total_hits": True,
        "from": offset,
        "size": size,
        "_source": HIT_SOURCE_FIELDS,
        "highlight": {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "fields": {
                # Whole summaries (they are short) so the stemmed and the
                # exact field's marks can be merged over the same text.
                "summary": {"number_of_fragments": 0},
                "summary.exact": {"number_of_fragments": 0},
                "body": {"number_of_fragments": 1, "fragment_size": SNIPPET_LENGTH},
                "body.exact": {"number_of_fragments": 1, "fragment_size": SNIPPET_LENGTH},
            },
        },
    }


def says_something(text: str, prefix: bool = False) -> bool:
    """Whether `text` leaves anything to look for once analysed.

    A prefix is compared with unfiltered words (`the*` finds "theft"), so only
    punctuation makes it say nothing.
    """
    words = WORD.findall(text.lower())
    return bool(words) if prefix else any(word not in ENGLISH_STOP_WORDS for word in words)


def compile_node(node: Node | None, fields: dict[str, float]) -> dict | None:
    """The query tree as an Elasticsearch query over `fields`.

    None for no tree, and for a part that says nothing (punctuation or stop words alone), which is
    left out as the database backend leaves it out: `retention -*` means
    `retention`, and `the OR drone` means `drone`.
    """
    match node:
        case Term(text=text, prefix=True) if says_something(text, prefix=True):
            return prefix_query(text, fields)
        case Term(text=text) if says_something(text):
            return {
                "multi_match": {
                    "query": text,
                    "fields": boosted(fields),
                    "type": "best_fields",
                    "operator": "and",
                }
            }
        case Phrase(words=words) if says_something(" ".join(words)):
            return {
                "multi_match": {
                    "query": " ".join(words),
                    "fields": boosted(fields),
                    "type": "phrase",
                }
            }
        case Not(node=inner):
            compiled = compile_node(inner, fields)
            return None if compiled is None else {"bool": {"must_not": [compiled]}}
        case And(nodes=nodes) | Or(nodes=nodes):
            compiled = [part for part in (compile_node(inner, fields) for inner in nodes) if part]
            if len(compiled) <= 1:
                return compiled[0] if compiled else None
            if isinstance(node, And):
                return {"bool": {"must": compiled}}
            return {"bool": {"should": compiled, "minimum_should_match": 1}}
        case Term() | Phrase() | None:
            return None
    raise TypeError(f"not a query node: {node!r}")


def prefix_query(text: str, fields: dict[str, float]) -> dict:
    """Words starting with `text`, compared with the unstemmed `exact` fields."""
    lowered = text.lower()
    if WORD.fullmatch(lowered):
        # A prefix query has no expansion limit, unlike match_phrase_prefix.
        return {
            "bool": {
                "should": [
                    {"prefix": {f"{field}.exact": {"value": lowered, "boost": boost}}}
                    for field, boost in fields.items()
                ],
                "minimum_should_match": 1,
            }
        }
    # Punctuated input ("e-mail*", "o'brien*") must be tokenised the way the field was.
    return {
        "multi_match": {
            "query": text,
            "fields": [f"{field}.exact^{boost}" for field, boost in fields.items()],
            "type": "phrase_prefix",
        }
    }


def boosted(fields: dict[str, float]) -> list[str]:
    return [f"{field}^{boost}" for field, boost in fields.items()]


def positive_leaves(node: Node | None, negated: bool = False) -> Iterator[Term | Phrase]:
    """The words and phrases a matching filing contains (not those it must lack)."""
    match node:
        case Term(text=text, prefix=prefix) if not negated and says_something(text, prefix):
            yield node
        case Phrase(words=words) if not negated and says_something(" ".join(words)):
            yield node
        case Not(node=inner):
            yield from positive_leaves(inner, not negated)
        case And(nodes=nodes) | Or(nodes=nodes):
            for inner in nodes:
                yield from positive_leaves(inner, negated)


def pages_query(root: Node | None, pages_per_hit: int) -> dict | None:
    """A nested clause whose inner hits are the filing's best-matching pages, highlighted."""
    leaves = list(dict.fromkeys(positive_leaves(root)))
    if not leaves or pages_per_hit < 1:
        return None
    return {
        "nested": {
            "path": "pages",
            "score_mode": "max",
            "query": {
                "bool": {
                    "should": [page_leaf_query(leaf) for leaf in leaves],
                    "minimum_should_match": 1,
                }
            },
            "inner_hits": {
                "size": pages_per_hit,
                "sort": [
                    {"_score": {"order": "desc"}},
                    {"pages.document_id": {"order": "asc"}},
                    {"pages.page_number": {"order": "asc"}},
                ],
                "_source": False,
                "docvalue_fields": PAGE_FIELDS,
                "highlight": {
                    "pre_tags": [MARK_START],
                    "post_tags": [MARK_END],
                    "fields": {
                        # A page matched only through the exact field still gets text.
                        "pages.text": {"number_of_fragments": 0, "no_match_size": SNIPPET_LENGTH},
                        "pages.text.exact": {"number_of_fragments": 0},
                    },
                },
            },
        }
    }


def page_leaf_query(leaf: Term | Phrase) -> dict:
    match leaf:
        case Term(text=text, prefix=True):
            return prefix_query(text, PAGE_TEXT_FIELDS)
        case Term(text=text):
            return {"match": {"pages.text": {"query": text, "operator": "and"}}}
        case Phrase(words=words):
            return {"match_phrase": {"pages.text": " ".join(words)}}
    raise TypeError(f"not a query leaf: {leaf!r}")


def filter_clauses(filters: dict[str, tuple[str, ...]]) -> dict[str, dict]:
    """One clause per facet filter: its values combine with OR, the clauses with AND."""
    clauses = {}
    for name, values in filters.items():
        try:
            field = FILTER_FIELDS[name]
        except KeyError:
            raise ValueError(
                f"unknown filter {name!r}; expected one of {list(FILTER_FIELDS)}"
            ) from None
        if name == "year":
            # A year that is not a number matches nothing (and must not reach an integer field).
            years = [int(value) for value in values if value.isascii() and value.isdigit()]
            clauses[name] = {"terms": {field: years}} if years else {"match_none": {}}
        else:
            clauses[name] = {"terms": {field: list(values)}}
    return clauses


# Results


def hit_from(raw: dict) -> Hit:
    source = raw["_source"]
    inner_pages = raw.get("inner_hits", {}).get("pages", {}).get("hits", {}).get("hits", [])
    pages = tuple(page_hit_from(page) for page in inner_pages)
    published_at = source.get("published_at")
    return Hit(
        filing_id=source["filing_id"],
        title=source["title"],
        kind=source["kind_label"],
        agency=source["agency_name"],
        published_at=datetime.datetime.fromisoformat(published_at) if published_at else None,
        score=raw.get("_score") or 0.0,
        snippet_html=filing_snippet(raw.get("highlight", {}), pages, source.get("summary", "")),
        pages=pages,
    )


def filing_snippet(highlight: dict, pages: tuple[PageHit, ...], summary: str) -> str:
    """Where the filing matches: its summary, its body, else its best page; else its summary."""
    for field in ("summary", "body"):
        versions = highlight.get(field, []) + highlight.get(f"{field}.exact", [])
        if versions:
            return snippet_html(versions, fallback_text=summary)
    if pages:
        return pages[0].snippet_html
    words = summary.split()
    shortened = " ".join(words[:SUMMARY_SNIPPET_WORDS])
    return html.escape(shortened + (" …" if len(words) > SUMMARY_SNIPPET_WORDS else ""))


def page_hit_from(raw: dict) -> PageHit:
    fields = raw.get("fields", {})
    highlight = raw.get("highlight", {})
    return PageHit(
        document_id=fields["pages.document_id"][0],
        document_name=fields["pages.document_name"][0],
        page_number=fields["pages.page_number"][0],
        snippet_html=snippet_html(
            highlight.get("pages.text", []) + highlight.get("pages.text.exact", []),
            fallback_text="",
        ),
    )


def facet_values(facet: str, buckets: list[dict]) -> tuple[FacetValue, ...]:
    values = []
    for bucket in buckets:
        if facet == "year":
            value = label = str(bucket["key"])
        else:
            value, label = json.loads(bucket["key"])
        values.append(FacetValue(value=value, label=label, count=bucket["doc_count"]))
    return tuple(sorted(values, key=lambda item: (-item.count, item.label.casefold())))


# Snippets


def marked_spans(highlighted: str) -> tuple[str, list[tuple[int, int]]]:
    """The plain text of an engine highlight and the [start, end) spans it marked."""
    pieces, spans, position, start = [], [], 0, None
    for piece in MARKS.split(highlighted):
        if piece == MARK_START:
            start = position
        elif piece == MARK_END:
            if start is not None:
                spans.append((start, position))
            start = None
        else:
            pieces.append(piece)
            position += len(piece)
    return "".join(pieces), spans


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


def snippet_html(versions: Sequence[str], fallback_text: str) -> str:
    """Escaped HTML around the marked words of one or more highlights of the same text.

    The stemmed and the exact field each mark only their own matches; when
    both highlighted the same text their marks are merged. Otherwise the
    version with the most marks wins.
    """
    decoded = sorted((marked_spans(version) for version in versions), key=lambda v: -len(v[1]))
    text = decoded[0][0] if decoded else fallback_text
    spans = merged(span for plain, found in decoded if plain == text for span in found)
    start, end = snippet_window(text, spans)
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escaped(text[cursor:span_start]))
        parts.append(f"<mark>{escaped(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escaped(text[cursor:end]))
    body = "".join(parts).strip()
    return f"{'… ' if start > 0 else ''}{body}{' …' if end < len(text) else ''}"


def escaped(text: str) -> str:
    # Extracted PDF text is full of line breaks and runs of spaces; a snippet is one line.
    return html.escape(WHITESPACE.sub(" ", text))


def snippet_window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """A passage of about SNIPPET_LENGTH characters, cut at spaces, starting a little before
    the first mark."""
    if len(text) <= SNIPPET_LENGTH:
        return 0, len(text)
    anchor_start, anchor_end = spans[0] if spans else (0, 0)
    start = max(0, anchor_start - SNIPPET_LEAD)
    if start > 0:
        space = WHITESPACE.search(text, start, anchor_start)
        start = space.end() if space else anchor_start
    end = min(len(text), max(start + SNIPPET_LENGTH, anchor_end))
    if end < len(text):
        last_space = next(
            (index for index in range(end - 1, anchor_end - 1, -1) if text[index].isspace()),
            None,
        )
        end = last_space if last_space is not None and last_space > start else end
    return start, end
