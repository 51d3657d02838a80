"""The one entry point for answering a search, whichever engine is configured."""

import logging
from dataclasses import dataclass

from search.backends.base import SearchUnavailable
from search.backends.registry import get_database_backend, get_search_backend
from search.results import SearchRequest, SearchResults

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    results: SearchResults
    # Set when the search engine failed and the database index answered instead.
    degraded: bool = False


def answer(request: SearchRequest) -> Answer:
    """Ask the configured engine; if it is down, the database index (always current) answers."""
    backend = get_search_backend()
    try:
        return Answer(backend.search(request))
    except SearchUnavailable as error:
        fallback = get_database_backend()
        if fallback is backend:
            raise
        logger.warning("search engine unavailable, answering from the database: %s", error)
        return Answer(fallback.search(request), degraded=True)
