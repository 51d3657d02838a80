"""The Atom feeds, as a feed reader sees them."""

import feedparser
import pytest
from django.urls import reverse

from publication import services as publication
from tests.subscriptions.conftest import UNPUBLISHED_MARKER, publish_filing

FEED_URLS = [
    "/feeds/publications.atom",
    "/feeds/agencies/police.atom",
    "/feeds/technologies/drones.atom",
    "/feeds/kinds/use_policy.atom",
    "/feeds/search.atom?q=drone&agency=police",
]


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEED_URLS)
def test_every_feed_parses_and_lists_only_published_filings(
    client, url, police_policy, unpublished_filing
):
    parsed = read_feed(client, url)
    [entry] = parsed.entries
    assert entry.title == "Police drone policy"
    assert entry.link == f"http://testserver/filings/{police_policy.pk}/"
    assert entry.author == "Police Department"
    assert entry.id.startswith("http://localhost:8000/filings/")
    assert entry.updated_parsed is not None
    body = client.get(url).text
    assert UNPUBLISHED_MARKER not in body


@pytest.mark.django_db
def test_the_summary_shows_as_text_not_markup(client, police_policy):
    [entry] = read_feed(client, "/feeds/publications.atom").entries
    assert entry.summary == "Flights &lt;b&gt;need&lt;/b&gt; a warrant."


@pytest.mark.django_db
def test_all_publications_lists_amendments_newest_first(client, police_policy, transport_policy):
    publication.amend(
        police_policy, by=None, changes={"summary": "Now with a log."}, reason="Added the log."
    )
    entries = read_feed(client, "/feeds/publications.atom").entries
    titles = [entry.title for entry in entries]
    assert titles == [
        "Amended: Police drone policy",
        "Transport drone policy",
        "Police drone policy",
    ]
    assert len({entry.id for entry in entries}) == 3, "each publication has its own id"


@pytest.mark.django_db
def test_a_withdrawn_filing_leaves_every_feed(client, police_policy):
    publication.unpublish(police_policy, by=None, reason="Published by mistake.")
    for url in FEED_URLS:
        assert read_feed(client, url).entries == []


@pytest.mark.django_db
def test_narrow_feeds_leave_out_other_agencies_and_technologies(
    client, police_policy, transport_policy
):
    assert [e.title for e in read_feed(client, "/feeds/agencies/transportation.atom").entries] == [
        "Transport drone policy"
    ]
    assert [e.title for e in read_feed(client, "/feeds/technologies/drones.atom").entries] == [
        "Police drone policy"
    ]


@pytest.mark.django_db
def test_the_search_feed_honours_words_and_filters(
    client, agency_a, police_policy, transport_policy
):
    both = read_feed(client, "/feeds/search.atom?q=drone")
    assert {entry.title for entry in both.entries} == {
        "Police drone policy",
        "Transport drone policy",
    }
    filtered = read_feed(client, "/feeds/search.atom?q=drone&agency=transportation")
    assert [entry.title for entry in filtered.entries] == ["Transport drone policy"]
    typed_filter = read_feed(client, "/feeds/search.atom?q=drone agency:police")
    assert [entry.title for entry in typed_filter.entries] == ["Police drone policy"]
    publish_filing(agency_a, "Camera audit", words="cameras on poles")
    assert read_feed(client, "/feeds/search.atom?q=balloons").entries == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("agency=Not%20A%20Slug!", "is not a valid agency"),
        ("page=abc", "The page must be a whole number."),
    ],
)
def test_a_bad_search_feed_query_gets_a_plain_400(client, query, message):
    response = client.get(f"/feeds/search.atom?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/feeds/agencies/no-such-agency.atom",
        "/feeds/technologies/no-such-technology.atom",
        "/feeds/kinds/no_such_kind.atom",
    ],
)
def test_unknown_agencies_technologies_and_kinds_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_feeds_page_lists_every_feed_with_autodiscovery(client, agency_a, drones):
    response = client.get(reverse("subscriptions:feeds"))
    assert response.status_code == 200
    page = response.text
    assert (
        '<link rel="alternate" type="application/atom+xml" title="New publications" '
        'href="/feeds/publications.atom">' in page
    )
    assert 'href="/feeds/agencies/police.atom">Police Department</a>' in page
    assert 'href="/feeds/technologies/drones.atom">Drones</a>' in page
    assert 'href="/feeds/kinds/use_policy.atom">' in page
    assert 'action="/feeds/search.atom"' in page
