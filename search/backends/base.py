"""The contract every search backend keeps; tests/search/contract runs it on each one."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable

from search.index_documents import IndexedFiling
from search.results import SearchRequest, SearchResults


class SearchUnavailable(RuntimeError):
    """The search engine cannot be reached or refused the request; the message says which."""


class SearchUnreachable(SearchUnavailable):
    """No answer at all (refused, reset or timed out): the next request would fare no better."""


class SearchBackend(ABC):
    name: str

    @abstractmethod
    def index_filing(self, filing: IndexedFiling) -> None:
        """Add or replace one filing and all its pages."""

    @abstractmethod
    def remove_filing(self, filing_id: int) -> None:
        """Remove a filing and its pages; removing one that is absent is not an error."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResults:
        """Answer a query: hits with page snippets, facet counts, the engine's own total."""

    @abstractmethod
    def indexed_filing_ids(self) -> dict[int, str]:
        """Each indexed filing with the fingerprint it was indexed with, for the reconciler."""

    @abstractmethod
    def rebuild(
        self, filings: Iterable[IndexedFiling], progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace the whole index with `filings` without search going dark; return the count."""
