"""The Elasticsearch backend on osmem-server, an in-memory OpenSearch-compatible stand-in.

CI provides osmem-server, so a server that cannot start fails the tests
rather than skipping them. Each test gets its own clone of the cluster.
"""

import re

import pytest
from django.conf import settings
from elastic_transport import HttpHeaders, Urllib3HttpNode
from osmem_server import OsmemError, OsmemServer

from search.backends.elasticsearch import ElasticsearchSearchBackend

# The 9.x client asks for "application/vnd.elasticsearch+json; compatible-with=9"
# (and the x-ndjson variant for bulk); osmem answers that with 406.
COMPATIBILITY_MEDIA_TYPE = re.compile(
    r"application/vnd\.elasticsearch\+([\w-]+); compatible-with=\d+"
)


class PlainJsonHttpNode(Urllib3HttpNode):
    """Sends plain application/json (and x-ndjson), which osmem accepts. Tests only:
    real Elasticsearch 9 gets the compatibility headers the client sends."""

    def perform_request(self, method, target, body=None, headers=None, **options):
        plain = HttpHeaders()
        for name, value in (headers or {}).items():
            plain[name] = COMPATIBILITY_MEDIA_TYPE.sub(r"application/\1", value)
        return super().perform_request(method, target, body=body, headers=plain, **options)


@pytest.fixture(scope="session")
def osmem_cluster():
    try:
        server = OsmemServer.start(japanese=False)
    except OsmemError as error:
        pytest.fail(f"osmem-server did not start; CI provides it, so this is a failure: {error}")
    yield server
    server.close()


@pytest.fixture
def elasticsearch_search_backend(osmem_cluster, db):
    """The backend on a fresh clone of the cluster, with the test settings' index prefix.

    It never touches the database, but its tests may (the contract suite counts
    queries), as they may with the database backend.
    """
    with osmem_cluster.clone() as clone:
        backend = ElasticsearchSearchBackend.for_url(
            clone.url,
            index_prefix=settings.SEARCH_INDEX_PREFIX,
            node_class=PlainJsonHttpNode,
        )
        yield backend
        backend.client.close()
