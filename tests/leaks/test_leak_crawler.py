"""Nothing private reaches anyone it is not meant for, wherever they look (issue 7).

The whole site is crawled as an anonymous visitor and as agency B's submitter, from the home
pages, every public address, the sitemap, every search for every marker, and guessed ids
for every filing, document, download and stored file; every answer is scanned for the
seeded secrets. Agency B's own work in progress is B's to see, so the B crawl counts only
what B must not see: agency A's secrets and the staff's.
"""

import time

import pytest
from django.conf import settings
from django.db.models import Max, Min
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from content.documents.models import Document
from content.filings.models import Filing
from content.technologies.models import Technology
from tests.leaks.conftest import AGENCY_B, ANONYMOUS
from tests.leaks.crawler import Crawl
from tests.public_site.test_query_counts import public_addresses

pytestmark = pytest.mark.django_db

MAX_REQUESTS_PER_VISITOR = 1500
# Ids before the first and past the last one: a guess at what may exist must find nothing.
GUESSED_IDS_PAST_THE_END = 20
SEARCHES = [
    "/search/?q={token}",
    "/es/search/?q={token}",
    "/search.json?q={token}",
    "/api/v1/search/?q={token}",
    "/feeds/search.atom?q={token}",
]


@pytest.fixture(autouse=True)
def unthrottled_api(monkeypatch):
    """The crawl asks the API far more often than the anonymous rate allows a person."""
    monkeypatch.setattr(AnonRateThrottle, "rate", "100000/min", raising=False)


def id_guesses(model) -> range:
    """Every id from before this record's first (on PostgreSQL, ids keep counting from
    earlier tests) to past its last, whether or not the row is public."""
    ids = model.objects.aggregate(first=Min("pk"), last=Max("pk"))
    start = max(1, ids["first"] - GUESSED_IDS_PAST_THE_END)
    return range(start, ids["last"] + GUESSED_IDS_PAST_THE_END + 1)


def guessed_addresses(agency_a, agency_b) -> list[str]:
    """Every id around the record's, whether or not it is public, and each stored file."""
    addresses = []
    for pk in id_guesses(Document):
        addresses += [
            f"/documents/{pk}/",
            f"/es/documents/{pk}/",
            f"/documents/{pk}/download/",
            f"/api/v1/documents/{pk}/",
            f"/api/v1/documents/{pk}/pages/",
        ]
    for pk in id_guesses(Filing):
        addresses += [f"/filings/{pk}/", f"/es/filings/{pk}/", f"/api/v1/filings/{pk}/"]
        addresses += [f"/agency/{agency.slug}/filings/{pk}/" for agency in (agency_a, agency_b)]
    for document in Document.objects.all():
        addresses.append(f"{settings.MEDIA_URL}{document.file.name}")
        addresses += [
            f"/agency/{agency.slug}/filings/{document.filing_id}/documents/{document.pk}/"
            for agency in (agency_a, agency_b)
        ]
    return addresses


def starting_addresses(record, agency_a, agency_b) -> list[str]:
    policy = record.control_filing
    first = {
        "agency": agency_a,
        "technology": Technology.objects.get(slug="alpr"),
        "vendor": agency_a.inventory.first().vendor,
        "policy": policy,
    }
    searches = [
        search.format(token=marker.token)
        for marker in record.markers
        if marker.searchable
        for search in SEARCHES
    ]
    return [
        "/",
        "/es/",
        "/agency/",
        "/sitemap.xml",
        *public_addresses(first),
        *searches,
        *guessed_addresses(agency_a, agency_b),
    ]


def crawl_as(visitor, client, record, start) -> Crawl:
    crawl = Crawl(
        visitor=visitor,
        client=client,
        secrets=[marker for marker in record.markers if visitor in marker.hidden_from],
        max_requests=MAX_REQUESTS_PER_VISITOR,
    )
    crawl.run(start, [marker.token for marker in record.markers])
    return crawl


def reached(crawl: Crawl, prefix: str, content_type: str = "") -> bool:
    return any(
        url.startswith(prefix)
        and status == 200
        and crawl.content_types[url].startswith(content_type)
        for url, status in crawl.statuses.items()
    )


def test_no_secret_reaches_the_public_or_another_agency(
    seeded_record, agency_a, agency_b, submitter_b, show_figure
):
    record = seeded_record
    start = starting_addresses(record, agency_a, agency_b)
    began = time.monotonic()
    agency_b_client = Client()
    agency_b_client.force_login(submitter_b)
    crawls = [
        crawl_as(ANONYMOUS, Client(), record, start),
        crawl_as(AGENCY_B, agency_b_client, record, start),
    ]
    seconds = time.monotonic() - began
    anonymous, agency = crawls
    leaks = [leak for crawl in crawls for leak in crawl.leaks]
    secrets_seeded = {marker.token for marker in record.markers if marker.hidden_from}
    show_figure(
        f"leak crawl: {anonymous.requests + agency.requests} requests "
        f"(anonymous {anonymous.requests}, agency B {agency.requests}), "
        f"markers seeded {len(secrets_seeded)}, "
        f"markers found {len({leak.marker.token for leak in leaks})} "
        f"({seconds:.1f} s)"
    )

    assert not leaks, "secrets shown:\n" + "\n".join(
        f"  {leak.marker.text} at {leak.url} to {leak.visitor}" for leak in leaks
    )
    for crawl in crawls:
        served = [
            url
            for url, status in crawl.statuses.items()
            if url.startswith(settings.MEDIA_URL) and status == 200
        ]
        assert not served, f"stored files served straight from storage: {served}"
        unseen = [
            marker.text
            for marker in record.markers
            if crawl.visitor in marker.seen_by and marker.token not in crawl.found_tokens
        ]
        assert not unseen, f"{crawl.visitor} never saw what it should: {unseen}"
        assert crawl.requests < MAX_REQUESTS_PER_VISITOR, "the crawl ran out of requests"
        assert reached(crawl, "/filings/", "text/html")
        assert reached(crawl, "/documents/", "text/html")
        assert reached(crawl, "/documents/", "application/pdf")
        assert reached(crawl, "/feeds/", "application/atom+xml")
        assert reached(crawl, "/api/v1/", "application/json")
        assert reached(crawl, "/data/published-record.zip", "application/zip")
        assert reached(crawl, "/sitemap.xml", "application/xml")
    listed = anonymous.links_by_source["/sitemap.xml"]
    control = record.control_filing
    assert f"/filings/{control.pk}/" in listed
    assert f"/es/documents/{record.control_document_id}/" in listed
    assert "/es/" in listed
