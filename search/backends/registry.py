"""Which backend answers searches: Elasticsearch when ELASTICSEARCH_URL is set, else the database.

Nothing outside search/ asks which one it is.
"""

import functools

from django.conf import settings

from search.backends.base import SearchBackend


@functools.cache
def _backend(name: str) -> SearchBackend:
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchSearchBackend

        return ElasticsearchSearchBackend.from_settings()
    from search.backends.database.backend import DatabaseSearchBackend

    return DatabaseSearchBackend()


def get_search_backend() -> SearchBackend:
    return _backend(settings.SEARCH_BACKEND)


def get_database_backend() -> SearchBackend:
    """The database index, kept in the same transaction as the record whatever answers queries."""
    return _backend("database")
