"""Agency-portal fixtures: signed-in clients and an agency with an inventory to file about."""

import datetime

import pytest
from django.test import Client

from content.inventory.models import InventoryEntry
from tests.factories import InventoryEntryFactory, TechnologyFactory, VendorFactory
from tests.storage_fixtures import local_storage, spool, storage  # noqa: F401


@pytest.fixture
def sign_in():
    """A Django test client signed in as `user` (anonymous when None)."""

    def client_for(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.fixture
def alpr(db):
    return TechnologyFactory(name="Automated license plate readers", slug="alpr")


@pytest.fixture
def plate_vendor(db):
    return VendorFactory(name="Plate Systems Inc.", slug="plate-systems")


@pytest.fixture
def alpr_in_use_at_a(agency_a, alpr, plate_vendor):
    """Agency A has used license plate readers since 2023: its annual reports are due."""
    return InventoryEntryFactory(
        agency=agency_a,
        technology=alpr,
        vendor=plate_vendor,
        status=InventoryEntry.Status.IN_USE,
        in_use_since=datetime.date(2023, 1, 1),
    )
