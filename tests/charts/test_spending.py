"""The spending page: published contract value by year, technology and vendor, drawn and tabled."""

import datetime

import pytest
from django.urls import reverse

from content.filings.models import Status
from tests.browse.conftest import page, publish, table_rows, text_of
from tests.factories import (
    AgencyFactory,
    ContractDetailsFactory,
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)

URL = reverse("accountability:spending")
MARKER_AMOUNT = "777777.77"


def contract(agency, technology, vendor, amount, year, currency="USD", published=True):
    details = ContractDetailsFactory(
        filing__agency=agency,
        filing__technologies=[technology],
        vendor=vendor,
        amount=amount,
        currency=currency,
        award_date=datetime.date(year, 6, 1),
    )
    if published:
        publish(details.filing, datetime.date(year, 7, 1))
    else:
        details.filing.transition_to(Status.SUBMITTED)
    return details


@pytest.fixture
def contracts(agency_a, agency_b):
    alpr = TechnologyFactory(name="Plate readers")
    drones = TechnologyFactory(name="Drones")
    flock = VendorFactory(name="Flock Safety")
    skydio = VendorFactory(name="Skydio")
    contract(agency_a, alpr, flock, "125000.00", 2024)
    contract(agency_a, alpr, flock, "1000.50", 2026)
    contract(agency_b, drones, skydio, "50000.00", 2026)
    contract(agency_b, drones, skydio, "3000.00", 2025, currency="EUR")
    contract(agency_a, alpr, flock, MARKER_AMOUNT, 2025, published=False)


def test_tables_hold_the_published_usd_contracts_by_year(client, contracts):
    response = client.get(URL)
    assert response.status_code == 200
    assert table_rows(response, "Contract value by technology") == [
        ["2024", "125,000.00", "0.00", "125,000.00"],
        ["2025", "0.00", "0.00", "0.00"],
        ["2026", "1,000.50", "50,000.00", "51,000.50"],
    ]
    assert table_rows(response, "Contract value by vendor")[2] == [
        "2026",
        "1,000.50",
        "50,000.00",
        "51,000.50",
    ]
    body = response.content.decode()
    assert "777,777" not in body
    assert "777777" not in body
    # Euros are not added to dollars, but their total is named.
    assert "EUR 3,000.00" in body


def test_the_currency_and_years_filter(client, contracts):
    response = client.get(URL, {"currency": "EUR", "from": "2025", "to": "2025"})
    assert table_rows(response, "Contract value by vendor") == [["2025", "3,000.00", "3,000.00"]]
    response = client.get(URL, {"from": "2026"})
    assert [row[0] for row in table_rows(response, "Contract value by technology")] == ["2026"]


def test_an_unpublished_contract_never_counts(client, agency_a):
    contract(agency_a, TechnologyFactory(), VendorFactory(), MARKER_AMOUNT, 2025, published=False)
    response = client.get(URL)
    body = response.content.decode()
    assert "777,777" not in body
    assert "777777" not in body
    assert table_rows(response, "Contract value by technology") == [
        ["No published contracts in USD for these years."]
    ]


def test_every_chart_has_an_accessible_name(client, contracts):
    svgs = page(client.get(URL)).find_all("svg", attrs={"role": "img"})
    assert len(svgs) == 3
    for svg in svgs:
        title_id, desc_id = svg["aria-labelledby"].split()
        assert text_of(svg.find(id=title_id))
        assert text_of(svg.find(id=desc_id))
    assert "Plate readers USD 126,000, Drones USD 50,000" in text_of(svgs[0].find("desc"))


def test_filings_and_overdue_by_agency(client, contracts, agency_a):
    FilingFactory(agency=agency_a, kind="use_policy")  # a draft: not published
    rows = table_rows(client.get(URL), "Filings and overdue obligations by agency")
    assert rows == [["Department of Transportation", "2", "0"], ["Police Department", "2", "0"]]


def test_vendors_beyond_the_top_five_are_added_up_as_others(client, agency_a):
    technology = TechnologyFactory()
    for index in range(7):
        contract(agency_a, technology, VendorFactory(name=f"Vendor {index}"), 100 - index, 2026)
    response = client.get(URL)
    header = [text_of(cell) for cell in page(response).find_all("table")[1].thead("th")]
    assert header[1:] == [*(f"Vendor {index}" for index in range(5)), "All others", "Total"]
    assert table_rows(response, "Contract value by vendor")[0][-2:] == ["189.00", "679.00"]


def test_overdue_counts_match_the_compliance_page(client, contracts, agency_a):
    InventoryEntryFactory(agency=agency_a, in_use_since=datetime.date(2020, 1, 1))
    compliance = table_rows(client.get(reverse("accountability:compliance")), "Obligations by")
    overdue_column = [
        text_of(cell)
        for cell in page(client.get(reverse("accountability:compliance"))).find("thead")("th")
    ].index("Overdue")
    expected = [[row[0], row[overdue_column]] for row in compliance]
    rows = table_rows(client.get(URL), "Filings and overdue obligations by agency")
    assert [[row[0], row[2]] for row in rows] == expected
    assert any(row[2] != "0" for row in rows)


@pytest.mark.parametrize(
    "query",
    [
        {"currency": "XYZ"},
        {"currency": "usd"},
        {"from": "20x0"},
        {"from": "99"},
        {"to": "3000"},
        {"from": "2026", "to": "2020"},
        "from=2020&from=2021",
    ],
)
def test_bad_queries_get_a_plain_400(client, db, query):
    response = client.get(URL + "?" + query) if isinstance(query, str) else client.get(URL, query)
    assert response.status_code == 400
    assert page(response).find(class_="error-summary")


def test_the_compliance_page_links_here(client, db):
    assert URL in client.get(reverse("accountability:compliance")).content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_the_page_runs_few_queries_whatever_the_data(
    client, db, django_assert_max_num_queries, size
):
    for year in range(size):
        agency = AgencyFactory()
        contract(agency, TechnologyFactory(), VendorFactory(), "10.00", 2015 + year)
        contract(agency, TechnologyFactory(), VendorFactory(), "5.00", 2015 + year, currency="EUR")
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert len(table_rows(response, "Contract value by vendor")) == size
    assert len(table_rows(response, "Filings and overdue obligations by agency")) == size
