"""The public API as a script sees it: lists, links, filters, errors, caching, limits."""

import datetime

import pytest
from rest_framework.throttling import AnonRateThrottle

from content.documents.models import Document
from content.filings.models import Filing
from tests.factories import InventoryEntryFactory, VendorFactory
from tests.public_api.conftest import UNPUBLISHED_MARKER

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.content
    return [filing["title"] for filing in response.json()["results"]]


def test_agencies_technologies_and_vendors_are_listed_by_slug_with_links(client, agency_a, alpr):
    VendorFactory(name="Plate Systems Inc.", slug="plate-systems")
    agencies = client.get("/api/v1/agencies/").json()
    police = next(agency for agency in agencies["results"] if agency["slug"] == "police")
    assert police["name"] == "Police Department"
    assert police["url"] == "http://testserver/api/v1/agencies/police/"
    assert client.get(police["url"]).json()["abbreviation"] == "PD"
    technology = client.get("/api/v1/technologies/fixed-alpr/").json()
    assert technology["category_label"] == "Automated license plate readers"
    vendors = client.get("/api/v1/vendors/").json()["results"]
    assert [vendor["slug"] for vendor in vendors] == ["plate-systems"]


def test_a_published_filing_links_its_public_page_and_its_documents(client, alpr_policy):
    [filing] = client.get("/api/v1/filings/").json()["results"]
    assert filing["id"] == alpr_policy.pk
    assert filing["public_url"] == f"http://testserver/filings/{alpr_policy.pk}/"
    assert client.get(filing["public_url"]).status_code == 200
    assert filing["agency"]["slug"] == "police"
    assert filing["details"] == alpr_policy.details
    assert filing["details"]["retention"] == "Stated in the attached file."
    assert [technology["slug"] for technology in filing["technologies"]] == ["fixed-alpr"]
    [document] = filing["documents"]
    assert document["name"] == "ALPR use policy.pdf"
    download = client.get(document["download_url"])
    assert download.status_code == 200
    assert document["sha256"] == Document.objects.get(pk=document["id"]).sha256
    assert client.get(document["url"]).json()["filing_id"] == alpr_policy.pk


def test_a_documents_pages_are_listed_in_order_with_reading_links(client, alpr_policy):
    document = alpr_policy.documents.get()
    pages = client.get(f"/api/v1/documents/{document.pk}/pages/").json()
    assert pages["count"] == 2
    assert [page["number"] for page in pages["results"]] == [1, 2]
    assert "kept for thirty days" in pages["results"][0]["text"]
    assert pages["results"][1]["reading_url"].endswith(f"/documents/{document.pk}/#page-2")
    only_first = client.get(f"/api/v1/documents/{document.pk}/pages/", {"page_size": 1}).json()
    assert len(only_first["results"]) == 1
    assert only_first["next"].endswith("page=2&page_size=1")


def test_documents_can_be_listed_per_filing(client, alpr_policy, drone_policy):
    listed = client.get("/api/v1/documents/", {"filing": drone_policy.pk}).json()["results"]
    assert [document["name"] for document in listed] == ["Drone use policy.pdf"]


def test_filings_filter_by_agency_technology_kind_and_year(client, alpr_policy, drone_policy):
    assert titles(client.get("/api/v1/filings/", {"agency": "police"})) == ["ALPR use policy"]
    assert titles(client.get("/api/v1/filings/", {"technology": "drones"})) == ["Drone use policy"]
    both = client.get("/api/v1/filings/?agency=police&agency=transportation")
    assert sorted(titles(both)) == ["ALPR use policy", "Drone use policy"]
    assert len(titles(client.get("/api/v1/filings/", {"kind": "use_policy"}))) == 2
    assert titles(client.get("/api/v1/filings/", {"kind": "audit"})) == []
    # Their reporting periods end in 2025.
    assert len(titles(client.get("/api/v1/filings/", {"year": 2025}))) == 2
    assert titles(client.get("/api/v1/filings/", {"year": 2024})) == []


def test_filings_filter_by_vendor_of_contract_or_inventory(client, agency_a, alpr, alpr_policy):
    vendor = VendorFactory(name="Plate Systems Inc.", slug="plate-systems")
    assert titles(client.get("/api/v1/filings/", {"vendor": "plate-systems"})) == []
    InventoryEntryFactory(agency=agency_a, technology=alpr, vendor=vendor)
    assert titles(client.get("/api/v1/filings/", {"vendor": "plate-systems"})) == [
        "ALPR use policy"
    ]


def test_filings_filter_by_publication_date_and_sort(client, alpr_policy, drone_policy):
    Filing.objects.filter(pk=alpr_policy.pk).update(
        published_at=datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)
    )
    after = client.get("/api/v1/filings/", {"published_after": "2025-01-01"})
    assert titles(after) == ["Drone use policy"]
    before = client.get("/api/v1/filings/", {"published_before": "2024-12-31"})
    assert titles(before) == ["ALPR use policy"]
    assert titles(client.get("/api/v1/filings/")) == ["Drone use policy", "ALPR use policy"]
    oldest_first = client.get("/api/v1/filings/", {"ordering": "published_at"})
    assert titles(oldest_first) == ["ALPR use policy", "Drone use policy"]
    blank = client.get("/api/v1/filings/", {"ordering": ","})
    assert titles(blank) == ["Drone use policy", "ALPR use policy"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/filings/", {"agency": "no-such-agency"}, "agency"),
        ("/api/v1/filings/", {"vendor": "no-such-vendor"}, "vendor"),
        ("/api/v1/filings/", {"kind": "shopping_list"}, "kind"),
        ("/api/v1/filings/", {"year": "twenty"}, "year"),
        ("/api/v1/filings/", {"year": "2025.5"}, "year"),
        ("/api/v1/filings/", {"published_after": "yesterday"}, "published_after"),
        ("/api/v1/filings/", {"ordering": "secret_field"}, "ordering"),
        ("/api/v1/filings/", {"page": "0"}, "page"),
        ("/api/v1/filings/", {"page_size": "1000"}, "page_size"),
        ("/api/v1/documents/", {"filing": "abc"}, "filing"),
        ("/api/v1/search/", {"page": "-1"}, "page"),
        ("/api/v1/search/", {"year": "99"}, "year"),
        ("/api/v1/search/", {"sort": "random"}, "sort"),
    ],
)
def test_a_bad_query_value_gets_a_400_naming_the_parameter(client, agency_a, path, params, field):
    response = client.get(path, params)
    assert response.status_code == 400
    assert field in response.json()


def test_nothing_unpublished_appears_anywhere(client, alpr_policy, unpublished_filing):
    draft_document = unpublished_filing.documents.get()
    responses = [
        client.get("/api/v1/filings/"),
        client.get("/api/v1/filings/", {"agency": "police"}),
        client.get("/api/v1/documents/"),
        client.get("/api/v1/documents/", {"filing": unpublished_filing.pk}),
        client.get("/api/v1/search/", {"q": "thirty days"}),
    ]
    for response in responses:
        assert response.status_code == 200
        assert UNPUBLISHED_MARKER not in response.text
    # The search echoes the words asked for, so here only its results count.
    assert client.get("/api/v1/search/", {"q": UNPUBLISHED_MARKER}).json()["total"] == 0
    # Not even its existence: each of its addresses answers as if it never existed.
    for path in (
        f"/api/v1/filings/{unpublished_filing.pk}/",
        f"/api/v1/documents/{draft_document.pk}/",
        f"/api/v1/documents/{draft_document.pk}/pages/",
    ):
        assert client.get(path).status_code == 404


def test_search_answers_like_search_json_with_api_and_public_links(client, alpr_policy):
    data = client.get("/api/v1/search/", {"q": "audits"}).json()
    assert data["total"] == 1
    [hit] = data["hits"]
    assert hit["url"] == f"http://testserver/api/v1/filings/{alpr_policy.pk}/"
    assert hit["public_url"] == f"http://testserver/filings/{alpr_policy.pk}/"
    assert [page["page_number"] for page in hit["pages"]] == [2]
    assert hit["pages"][0]["reading_url"].endswith("#page-2")
    assert {value["value"] for value in data["facets"]["agency"]} == {"police"}
    filtered = client.get("/api/v1/search/", {"q": "audits", "agency": "transportation"})
    assert filtered.json()["total"] == 0


def test_an_unchanged_response_is_answered_304_for_its_etag(client, alpr_policy):
    first = client.get("/api/v1/filings/")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/filings/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    Filing.objects.filter(pk=alpr_policy.pk).update(summary="A new summary.")
    changed = client.get("/api/v1/filings/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_anonymous_clients_are_throttled_with_429(client, agency_a, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
    statuses = [client.get("/api/v1/agencies/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/agencies/")
    assert int(limited.headers["Retry-After"]) > 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, agency_a, method):
    for path in ("/api/v1/agencies/", "/api/v1/agencies/police/", "/api/v1/search/"):
        response = getattr(client, method)(path, {"name": "x"}, content_type="application/json")
        assert response.status_code == 405, path
    assert client.get("/api/v1/agencies/police/").json()["name"] == "Police Department"
