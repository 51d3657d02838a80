"""A small published dataset for the browsing pages, with an unpublished filing beside it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from content.filings.models import Status
from content.inventory.models import InventoryEntry
from content.technologies.models import Category
from tests.factories import (
    ContractDetailsFactory,
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)

TODAY = datetime.date(2026, 11, 26)
# The title of filings that were never published: no public page may show it.
UNPUBLISHED_MARKER = "UNPUBLISHED-MARKER-7731"
PUBLISHING_PATH = (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED)


def publish(filing, on: datetime.date):
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    for status in PUBLISHING_PATH:
        filing.transition_to(status, at=at)
    return filing


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text().split())


def table_rows(response, caption_start: str) -> list[list[str]]:
    """The body rows, as text, of the table whose caption starts with `caption_start`."""
    table = next(
        table
        for table in page(response).find_all("table")
        if text_of(table.caption).startswith(caption_start)
    )
    return [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in table.tbody("tr")]


@pytest.fixture
def fixed_today(monkeypatch):
    """Deadlines are counted from today; fix it so they do not move with the clock."""
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, timezone=None: (
            TODAY if value is None else real_localdate(value, timezone)
        ),
    )


@pytest.fixture
def dataset(agency_a, agency_b, fixed_today):
    """Police use plate readers from Flock; Transportation flies Skydio drones."""
    alpr = TechnologyFactory(
        name="Automated license plate readers",
        slug="alpr",
        category=Category.ALPR,
        description="Cameras that read and store the plates of passing cars.",
    )
    drones = TechnologyFactory(name="Inspection drones", slug="drones", category=Category.DRONES)
    flock = VendorFactory(name="Flock Safety", slug="flock")
    skydio = VendorFactory(name="Skydio", slug="skydio")
    InventoryEntryFactory(
        agency=agency_a, technology=alpr, vendor=flock, in_use_since=datetime.date(2024, 6, 1)
    )
    InventoryEntryFactory(
        agency=agency_b,
        technology=drones,
        vendor=skydio,
        status=InventoryEntry.Status.APPROVED,
        in_use_since=None,
    )
    policy = publish(
        FilingFactory(
            kind="use_policy", title="ALPR use policy", agency=agency_a, technologies=[alpr]
        ),
        datetime.date(2025, 3, 1),
    )
    flock_contract = ContractDetailsFactory(
        filing__title="Flock camera contract",
        filing__agency=agency_a,
        filing__technologies=[alpr],
        vendor=flock,
        amount="125000.00",
    )
    publish(flock_contract.filing, datetime.date(2026, 2, 1))
    drone_contract = ContractDetailsFactory(
        filing__title="Drone service agreement",
        filing__agency=agency_b,
        filing__technologies=[drones],
        vendor=skydio,
        amount="50000.00",
        currency="EUR",
    )
    publish(drone_contract.filing, datetime.date(2026, 5, 1))
    unpublished = ContractDetailsFactory(
        filing__title=f"{UNPUBLISHED_MARKER} contract",
        filing__agency=agency_a,
        filing__technologies=[alpr],
        filing__summary=UNPUBLISHED_MARKER,
        vendor=flock,
        amount="999999.99",
    )
    unpublished.filing.transition_to(Status.SUBMITTED)
    return {
        "alpr": alpr,
        "drones": drones,
        "flock": flock,
        "skydio": skydio,
        "policy": policy,
        "flock_contract": flock_contract.filing,
        "drone_contract": drone_contract.filing,
        "unpublished": unpublished.filing,
    }
