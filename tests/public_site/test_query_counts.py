"""Every public page and data file runs the same number of queries however big the record is.

The record is built small, every address is fetched and its queries counted, then the record
is tripled and every address fetched again: a count that grows is a query per row.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.demo.website import install_pages
from content.documents.storing import store_document
from content.filings.models import Status
from opendata.datasets import DATASETS
from publication import services as publication
from tests.conftest import make_pdf
from tests.factories import (
    AgencyFactory,
    ContractDetailsFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)
from tests.search.publishing import FILLER, published_filing

pytestmark = pytest.mark.django_db

# The most any public page may run, whatever the size of the lists on it.
QUERY_CEILING = 15
PAGES = ["Drone footage is kept for thirty days.", "Retention is audited each year."]


def add_to_the_record(count: int, start: int) -> dict:
    """`count` agencies, each using a technology from a vendor, with a published use policy
    (a PDF with extracted text) and a published contract."""
    made = {}
    for number in range(start, start + count):
        agency = AgencyFactory(slug=f"agency-{number}")
        technology = TechnologyFactory(slug=f"technology-{number}")
        vendor = VendorFactory(slug=f"vendor-{number}")
        InventoryEntryFactory(agency=agency, technology=technology, vendor=vendor)
        policy = published_filing(agency, f"Use policy {number}", PAGES, technology=technology)
        contract = ContractDetailsFactory(
            filing__agency=agency, filing__technologies=[technology], vendor=vendor
        ).filing
        contract.details = {rule.name: FILLER for rule in contract.kind_rules.fields}
        contract.save()
        store_document(contract, "contract.pdf", make_pdf(PAGES))
        for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
            contract.transition_to(status)
        publication.publish(contract, by=None)
        made.setdefault("agency", agency)
        made.setdefault("technology", technology)
        made.setdefault("vendor", vendor)
        made.setdefault("policy", policy)
    return made


def public_addresses(first: dict) -> list[str]:
    agency, technology, vendor, policy = (
        first["agency"],
        first["technology"],
        first["vendor"],
        first["policy"],
    )
    document = policy.documents.get()
    return [
        "/",
        "/es/",
        reverse("search") + "?q=footage",
        reverse("search") + f"?q=retention&agency={agency.slug}&sort=newest",
        reverse("publication:filing", args=[policy.pk]),
        reverse("document_pages", args=[document.pk]),
        reverse("document_pages", args=[document.pk]) + "?q=footage",
        reverse("publication:file", args=[document.pk]),
        reverse("browse:agencies"),
        reverse("browse:agency", args=[agency.slug]),
        reverse("browse:technologies"),
        reverse("browse:technology", args=[technology.slug]),
        reverse("browse:vendors"),
        reverse("browse:vendor", args=[vendor.slug]),
        reverse("browse:filings"),
        reverse("browse:filings") + f"?agency={agency.slug}&kind=contract&sort=title",
        reverse("accountability:compliance"),
        reverse("accountability:agency_compliance", args=[agency.slug]),
        reverse("accountability:inventory"),
        reverse("accountability:inventory_history"),
        reverse("accountability:spending"),
        reverse("publication:log"),
        reverse("publication:log_json"),
        reverse("subscriptions:feeds"),
        reverse("subscriptions:publications_feed"),
        reverse("subscriptions:agency_feed", args=[agency.slug]),
        reverse("subscriptions:technology_feed", args=[technology.slug]),
        reverse("subscriptions:kind_feed", args=["use_policy"]),
        reverse("subscriptions:search_feed") + "?q=footage",
        reverse("subscriptions:signup"),
        reverse("opendata:index"),
        *(reverse("opendata:csv", args=[dataset.slug]) for dataset in DATASETS),
        *(reverse("opendata:json", args=[dataset.slug]) for dataset in DATASETS),
        reverse("opendata:ocds"),
        reverse("opendata:inventory_atlas"),
        reverse("opendata:archive"),
        reverse("sitemap"),
        reverse("public_api:agency-list"),
        reverse("public_api:technology-list"),
        reverse("public_api:vendor-list"),
        reverse("public_api:filing-list"),
        reverse("public_api:document-list"),
        reverse("public_api:document-pages", args=[document.pk]),
        reverse("public_api:search") + "?q=footage",
    ]


def count_queries(client, addresses: list[str]) -> dict[str, int]:
    counts = {}
    for address in addresses:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
            # Streamed answers (data files, the PDF) run their queries while being read.
            b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, address
        counts[address] = len(queries)
    return counts


def test_no_public_page_runs_more_queries_for_a_bigger_record(client, show_figure):
    install_pages()
    first = add_to_the_record(2, start=0)
    addresses = public_addresses(first)
    small = count_queries(client, addresses)

    add_to_the_record(4, start=2)
    large = count_queries(client, addresses)

    grew = {
        address: (small[address], large[address])
        for address in addresses
        if large[address] != small[address]
    }
    show_figure(
        f"query counts: {len(addresses)} public addresses, {len(grew)} ran more queries with "
        f"6 agencies than with 2; the most any runs: {max(large.values())}"
    )
    assert not grew, f"queries grew with the record: {grew}"
    over = {address: count for address, count in large.items() if count > QUERY_CEILING}
    assert not over, f"more than {QUERY_CEILING} queries: {over}"
