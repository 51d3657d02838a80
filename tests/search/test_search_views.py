"""The search page and its JSON twin, as a resident and a script see them."""

import pytest
from django.urls import reverse

from tests.search.publishing import published_filing

PAGES = [f"Page {number} of the policy." for number in range(1, 7)] + [
    "Facial recognition data retention is limited to thirty days.",
    "Training requirements.",
]


@pytest.fixture
def policy(agency_a):
    return published_filing(agency_a, "Face recognition use policy", PAGES)


@pytest.mark.django_db
def test_a_phrase_from_page_7_finds_the_policy_with_page_7_linked(client, policy):
    response = client.get(reverse("search"), {"q": '"data retention"'})
    assert response.status_code == 200
    page = response.text
    assert "Face recognition use policy" in page
    document = policy.documents.get()
    assert f'href="/documents/{document.pk}/#page-7"' in page
    assert (
        "<mark>data</mark> <mark>retention</mark>" in page or "<mark>data retention</mark>" in page
    )


@pytest.mark.django_db
def test_the_linked_page_shows_that_pages_text_under_its_anchor(client, policy):
    document = policy.documents.get()
    response = client.get(reverse("document_pages", args=[document.pk]))
    assert response.status_code == 200
    assert 'id="page-7"' in response.text
    assert "Facial recognition data retention" in response.text


@pytest.mark.django_db
def test_unpublished_documents_are_not_readable(client, agency_a):
    draft = published_filing(agency_a, "Secret draft", PAGES, publish=False)
    response = client.get(reverse("document_pages", args=[draft.documents.get().pk]))
    assert response.status_code == 404
    search = client.get(reverse("search"), {"q": "retention"})
    assert "Secret draft" not in search.text


@pytest.mark.django_db
def test_the_json_endpoint_gives_total_hits_pages_and_facets(client, policy):
    data = client.get(reverse("search_json"), {"q": "retention"}).json()
    assert data["total"] == 1
    [hit] = data["hits"]
    assert hit["title"] == "Face recognition use policy"
    assert hit["url"] == f"/filings/{policy.pk}/"
    assert client.get(hit["url"]).status_code == 200
    assert [page["page_number"] for page in hit["pages"]] == [7]
    assert hit["pages"][0]["url"].endswith("#page-7")
    assert {value["value"] for value in data["facets"]["agency"]} == {policy.agency.slug}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        '"unbalanced quote',
        "AND OR NOT",
        '{"query": {"match_all": {}}}',
        "title:[* TO *]",
        "retention" * 1200,
        "((((",
        "\x00\x01 retention",
    ],
)
def test_malformed_queries_get_a_result_or_a_message_never_a_500(client, policy, hostile):
    for url in (reverse("search"), reverse("search_json")):
        response = client.get(url, {"q": hostile})
        assert response.status_code == 200, (url, hostile)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "The page must be a whole number."),
        ({"page": "0"}, "The page must be 1 or more."),
        ({"sort": "price"}, "Sort by relevance, newest or oldest."),
        ({"agency": "<script>"}, "is not a valid agency"),
        ({"year": "twenty"}, "is not a valid year"),
    ],
)
def test_bad_parameters_get_a_plain_message_and_a_400(client, policy, params, message):
    page = client.get(reverse("search"), params)
    assert page.status_code == 400
    assert message in page.text.replace("&#x27;", "'")
    assert "<script>" not in page.text
    data = client.get(reverse("search_json"), params)
    assert data.status_code == 400
    assert message in str(data.json()["errors"])


@pytest.mark.django_db
def test_the_search_page_works_without_javascript_and_keeps_its_state_in_the_url(client, policy):
    response = client.get(reverse("search"), {"q": "retention", "agency": policy.agency.slug})
    page = response.text
    assert '<form method="get"' in page
    assert f'value="{policy.agency.slug}" id="facet-agency-1" checked' in page
    assert "<script" not in page


@pytest.mark.django_db
def test_with_elasticsearch_answering_page_7_is_found_and_linked_too(
    client, agency_a, settings, monkeypatch, elasticsearch_search_backend
):
    from search import service
    from search.indexing import drain_outbox

    settings.SEARCH_BACKEND = "elasticsearch"
    monkeypatch.setattr(service, "get_search_backend", lambda: elasticsearch_search_backend)
    policy = published_filing(agency_a, "Face recognition use policy", PAGES)
    drain_outbox(elasticsearch_search_backend)
    response = client.get(reverse("search"), {"q": '"data retention"'})
    document = policy.documents.get()
    assert f'href="/documents/{document.pk}/#page-7"' in response.text
    assert "The search engine is not answering" not in response.text


@pytest.mark.django_db
def test_when_elasticsearch_fails_the_database_index_answers_and_says_so(
    client, agency_a, settings, monkeypatch
):
    from search import service
    from search.backends.elasticsearch import ElasticsearchSearchBackend

    settings.SEARCH_BACKEND = "elasticsearch"
    down = ElasticsearchSearchBackend.for_url("http://127.0.0.1:9", index_prefix="portal-test")
    monkeypatch.setattr(service, "get_search_backend", lambda: down)
    published_filing(agency_a, "Face recognition use policy", PAGES)
    response = client.get(reverse("search"), {"q": "retention"})
    assert response.status_code == 200
    assert "Face recognition use policy" in response.text
    assert "The search engine is not answering" in response.text
