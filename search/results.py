"""What a search asks for and what every backend answers, independent of the engine."""

import datetime
from dataclasses import dataclass, field

from search.query import ParsedQuery

SORTS = ("relevance", "newest", "oldest")
FACETS = ("agency", "technology", "vendor", "kind", "year")


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    # Facet filters chosen in the interface, merged with those typed in the query;
    # values are slugs (agency, technology, vendor), kind slugs, or years as strings.
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    pages_per_hit: int = 3

    def all_filters(self) -> dict[str, tuple[str, ...]]:
        merged = {name: tuple(values) for name, values in self.filters.items() if values}
        for name, values in self.query.filters.items():
            merged[name] = tuple(dict.fromkeys((*merged.get(name, ()), *values)))
        return merged


@dataclass(frozen=True)
class PageHit:
    document_id: int
    document_name: str
    page_number: int
    # HTML: the page's text escaped, then the matching words wrapped in <mark>.
    snippet_html: str


@dataclass(frozen=True)
class Hit:
    filing_id: int
    title: str
    kind: str
    agency: str
    published_at: datetime.datetime | None
    score: float
    snippet_html: str
    pages: tuple[PageHit, ...] = ()


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    page: int
    per_page: int
