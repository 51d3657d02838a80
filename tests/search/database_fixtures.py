"""The database backend for the contract suite: the index tables in the test database."""

import pytest

from search.backends.database.backend import DatabaseSearchBackend


@pytest.fixture
def database_search_backend(db):
    return DatabaseSearchBackend()
