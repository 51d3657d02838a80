"""Published and unpublished filings for the API, and a throttle that starts fresh each test."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from tests.factories import ContractDetailsFactory, TechnologyFactory, VendorFactory
from tests.search.publishing import published_filing

UNPUBLISHED_MARKER = "Zanzibar-unpublished-marker"
POLICY_PAGES = ["Section 1. Plate reads are kept for thirty days.", "Section 2. Audits."]


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch):
    """Each test starts with no requests counted, at a rate no ordinary test reaches."""
    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "rate", "10000/min", raising=False)


@pytest.fixture
def alpr(db):
    return TechnologyFactory(name="Fixed ALPR cameras", slug="fixed-alpr")


@pytest.fixture
def drones(db):
    return TechnologyFactory(name="Drones", slug="drones")


@pytest.fixture
def alpr_policy(agency_a, alpr):
    return published_filing(agency_a, "ALPR use policy", POLICY_PAGES, technology=alpr)


@pytest.fixture
def drone_policy(agency_b, drones):
    return published_filing(
        agency_b, "Drone use policy", ["Drones fly only with a warrant."], technology=drones
    )


@pytest.fixture
def unpublished_filing(agency_a, alpr):
    """Accepted nowhere, published nowhere: its title and pages hold the marker."""
    return published_filing(
        agency_a,
        f"{UNPUBLISHED_MARKER} draft policy",
        [f"{UNPUBLISHED_MARKER} thirty days"],
        publish=False,
        technology=alpr,
    )


@pytest.fixture
def contract_vendor(alpr_policy):
    """A vendor whose contract is attached to the ALPR policy's filing for the vendor filter."""
    vendor = VendorFactory(name="Plate Systems Inc.", slug="plate-systems")
    ContractDetailsFactory.build(filing=alpr_policy, vendor=vendor).save()
    return vendor
