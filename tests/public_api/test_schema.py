"""The OpenAPI schema is valid, its documentation page is self-hosted, and fuzzing every
operation it describes finds no server error."""

import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

pytestmark = pytest.mark.django_db

# Examples per operation and generation mode: enough to hit the error paths, under a minute.
EXAMPLES_PER_OPERATION = 25


def test_the_schema_validates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    schema = schema_file.read_text()
    for path in ("/api/v1/filings/", "/api/v1/documents/{document_id}/pages/", "/api/v1/search/"):
        assert f"{path}:" in schema


def test_the_documentation_page_loads_nothing_from_other_sites(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.text
    assert "swagger-ui" in page
    assert "/api/v1/schema/" in page
    assert "https://" not in page
    assert "http://" not in page
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.fixture
def test_database_connection_kept():
    """The WSGI app closes database connections after each request, as in production; in a
    test that would close the connection holding the test's transaction (Django's test
    client does the same as this while it makes a request)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_fuzzing_every_operation_finds_no_server_error(
    alpr_policy, unpublished_filing, test_database_connection_kept
):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    server_errors = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def request_without_server_error(case):
                response = case.call()
                if response.status_code >= 500:
                    server_errors.append(f"{case.method} {case.formatted_path} {case.query}")

            request_without_server_error()
    print(f"API server errors: {len(server_errors)}")
    assert server_errors == []
