"""Published, amended and never-published filings for the feed and alert tests."""

import pytest

from content.filings.models import Status
from publication import services as publication
from tests.factories import TechnologyFactory
from tests.search.publishing import published_filing

# Appears only in a filing that is never published: it must never reach a feed or an alert.
UNPUBLISHED_MARKER = "ZEPHYRMARKER unpublished"


def publish_filing(agency, title, summary="", technology=None, words="drone flights"):
    filing = published_filing(
        agency, title, [f"{title}: {words}."], publish=False, technology=technology
    )
    filing.summary = summary
    filing.save()
    for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
        filing.transition_to(status)
    publication.publish(filing, by=None)
    return filing


@pytest.fixture
def drones(db):
    return TechnologyFactory(name="Drones", slug="drones")


@pytest.fixture
def police_policy(agency_a, drones):
    return publish_filing(
        agency_a, "Police drone policy", summary="Flights <b>need</b> a warrant.", technology=drones
    )


@pytest.fixture
def transport_policy(agency_b):
    return publish_filing(agency_b, "Transport drone policy")


@pytest.fixture
def unpublished_filing(agency_a, drones):
    filing = published_filing(
        agency_a,
        UNPUBLISHED_MARKER,
        [f"{UNPUBLISHED_MARKER} drone flights."],
        publish=False,
        technology=drones,
    )
    filing.summary = UNPUBLISHED_MARKER
    filing.save()
    return filing
