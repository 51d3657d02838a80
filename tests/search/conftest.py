"""Every backend runs the same contract suite: `search_backend` is each one in turn.

Each backend's own module provides its fixture; a backend whose service CI
provides (the osmem-server stand-in for Elasticsearch) fails, never skips,
when that service is missing.
"""

import pytest

from tests.search.database_fixtures import database_search_backend  # noqa: F401
from tests.search.elasticsearch_fixtures import (  # noqa: F401
    elasticsearch_search_backend,
    osmem_cluster,
)
from tests.search.s3_server import s3_storage, seaweedfs  # noqa: F401
from tests.storage_fixtures import local_storage, spool, storage  # noqa: F401

BACKENDS = ["database", "elasticsearch"]


@pytest.fixture(params=BACKENDS)
def search_backend(request):
    return request.getfixturevalue(f"{request.param}_search_backend")
