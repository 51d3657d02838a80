"""A published record with a contract, and an unpublished filing that must never leak."""

import pytest

from publication.services import publish
from tests.factories import (
    AgencyFactory,
    ContractDetailsFactory,
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)
from tests.publication.conftest import AUDIT_DETAILS, accept, attach_small_file

SECRET = "UNPUBLISHED-MARKER-7f3a"


def published_contract(agency, technology, vendor, by, number=1):
    filing = FilingFactory(
        agency=agency,
        kind="contract",
        title=f"=Plate reader contract {number}",
        details={"scope": "Cameras and hosting."},
        technologies=[technology],
    )
    ContractDetailsFactory(filing=filing, vendor=vendor, amount="125000.50")
    attach_small_file(filing, f"contract-{number}.csv", f"line,{number}\n")
    publish(accept(filing), by=by)
    return filing


def published_audit(agency, by, number=1):
    filing = FilingFactory(
        agency=agency, kind="audit", title=f"Audit {number}", details=dict(AUDIT_DETAILS)
    )
    attach_small_file(filing, f"audit-{number}.csv", f"finding,{number}\n")
    publish(accept(filing), by=by)
    return filing


def add_record(reviewer, size):
    """`size` agencies, each with a published contract and audit and an inventory entry."""
    for number in range(size):
        agency = AgencyFactory()
        technology = TechnologyFactory()
        vendor = VendorFactory()
        InventoryEntryFactory(agency=agency, technology=technology, vendor=vendor)
        published_contract(agency, technology, vendor, reviewer, number)
        published_audit(agency, reviewer, number)


@pytest.fixture
def record(agency_a, reviewer):
    """One published contract, one published audit, and an unpublished contract."""
    technology = TechnologyFactory(name="Fixed ALPR cameras", slug="fixed-alpr")
    vendor = VendorFactory(name="Plate Readers Inc.", slug="plate-readers")
    InventoryEntryFactory(agency=agency_a, technology=technology, vendor=vendor, notes="@SUM(1)")
    contract = published_contract(agency_a, technology, vendor, reviewer)
    audit = published_audit(agency_a, reviewer)
    unpublished = FilingFactory(
        agency=agency_a,
        kind="contract",
        title=f"Draft {SECRET}",
        details={"scope": SECRET},
        technologies=[technology],
    )
    ContractDetailsFactory(filing=unpublished, vendor=vendor, funding_source=SECRET)
    attach_small_file(unpublished, f"{SECRET}.csv", f"{SECRET}\n")
    accept(unpublished)
    return {"contract": contract, "audit": audit, "unpublished": unpublished}
