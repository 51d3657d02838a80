"""The public browsing pages: agencies, technologies, vendors and the published filings list."""

import datetime

import pytest
from django.urls import reverse

from browse import views
from content.filings.models import Status
from tests.browse.conftest import UNPUBLISHED_MARKER, page, publish, table_rows, text_of
from tests.factories import (
    AgencyFactory,
    ContractDetailsFactory,
    FilingFactory,
    InventoryEntryFactory,
)

pytestmark = pytest.mark.django_db


def filing_url(filing) -> str:
    return reverse("publication:filing", args=[filing.pk])


def links(response) -> set[str]:
    return {anchor["href"] for anchor in page(response).find_all("a", href=True)}


def test_agency_list_counts_inventory_and_published_filings(client, dataset):
    response = client.get(reverse("browse:agencies"))

    rows = table_rows(response, "Agencies")
    assert [row[0].split(" (")[0] for row in rows] == [
        "Department of Transportation",
        "Police Department",
    ]
    assert [row[1:] for row in rows] == [["1", "1"], ["1", "2"]]
    assert reverse("browse:agency", args=["police"]) in links(response)


def test_agency_page_shows_inventory_deadlines_filings_and_compliance_link(client, dataset):
    response = client.get(reverse("browse:agency", args=["police"]))

    assert table_rows(response, "Police Department: surveillance technologies") == [
        ["Automated license plate readers", "Flock Safety", "In use", "June 1, 2024", "—"]
    ]
    filings = table_rows(response, "Police Department: published filings")
    assert [row[0] for row in filings] == ["Flock camera contract", "ALPR use policy"]
    assert "USD 125,000.00 from Flock Safety" in filings[0]
    deadlines = table_rows(response, "Police Department: obligations not yet filed")
    assert ["Annual surveillance report", "Automated license plate readers", "2024"] in [
        row[:3] for row in deadlines
    ]
    assert all(row[4] in {"Overdue", "Not yet due"} for row in deadlines)
    assert {
        reverse("accountability:agency_compliance", args=["police"]),
        filing_url(dataset["policy"]),
        filing_url(dataset["flock_contract"]),
    } <= links(response)


def test_technology_list_filters_by_category_in_the_address(client, dataset):
    everything = client.get(reverse("browse:technologies"))
    drones_only = client.get(reverse("browse:technologies"), {"category": "drones"})

    assert [row[0] for row in table_rows(everything, "Technologies")] == [
        "Automated license plate readers",
        "Inspection drones",
    ]
    assert table_rows(drones_only, "Technologies") == [
        ["Inspection drones", "Drones / unmanned aerial vehicles", "1"]
    ]
    selected = page(drones_only).find("select", id="category").find("option", selected=True)
    assert selected["value"] == "drones"


def test_technology_page_shows_users_vendors_and_published_contract_value(client, dataset):
    response = client.get(reverse("browse:technology", args=["alpr"]))

    assert "Cameras that read and store the plates of passing cars." in response.text
    assert table_rows(response, "Automated license plate readers: agencies") == [
        ["Police Department", "Flock Safety", "In use", "June 1, 2024"]
    ]
    contracts = page(response).find("caption", string=lambda s: "published contracts" in s)
    footer = [text_of(row) for row in contracts.parent.tfoot("tr")]
    assert footer == ["Total in USD USD 125,000.00"]
    assert [row[0] for row in table_rows(response, "Automated license plate readers: pub")] == [
        "Flock camera contract"
    ]
    filings = table_rows(response, "Automated license plate readers: published filings")
    assert [row[0] for row in filings] == ["Flock camera contract", "ALPR use policy"]


def test_vendor_pages_show_contracts_agencies_and_technologies(client, dataset):
    vendors = client.get(reverse("browse:vendors"))
    flock = client.get(reverse("browse:vendor", args=["flock"]))

    assert table_rows(vendors, "Vendors") == [
        ["Flock Safety", "1", "1", "1"],
        ["Skydio", "1", "1", "1"],
    ]
    assert table_rows(flock, "Flock Safety: published contracts") == [
        [
            "Flock camera contract",
            "Police Department",
            "USD 125,000.00",
            "January 1, 2026 to December 31, 2027",
            "December 1, 2025",
            "General Fund",
        ]
    ]
    assert {
        reverse("browse:agency", args=["police"]),
        reverse("browse:technology", args=["alpr"]),
        filing_url(dataset["flock_contract"]),
    } <= links(flock)


def titles(response) -> list[str]:
    return [row[0] for row in table_rows(response, "Published filings")]


def test_filings_list_is_newest_first_and_links_each_filing(client, dataset):
    response = client.get(reverse("browse:filings"))

    assert titles(response) == [
        "Drone service agreement",
        "Flock camera contract",
        "ALPR use policy",
    ]
    assert filing_url(dataset["drone_contract"]) in links(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"agency": "police"}, ["Flock camera contract", "ALPR use policy"]),
        ({"kind": "contract"}, ["Drone service agreement", "Flock camera contract"]),
        ({"technology": "drones"}, ["Drone service agreement"]),
        ({"vendor": "flock"}, ["Flock camera contract"]),
        ({"year": "2025"}, ["ALPR use policy"]),
        (
            {"sort": "oldest"},
            ["ALPR use policy", "Flock camera contract", "Drone service agreement"],
        ),
        (
            {"sort": "title"},
            ["ALPR use policy", "Drone service agreement", "Flock camera contract"],
        ),
        ({"agency": "police", "kind": "contract", "sort": "title"}, ["Flock camera contract"]),
    ],
)
def test_filings_list_filters_and_sorts_and_the_form_keeps_the_choice(
    client, dataset, query, expected
):
    response = client.get(reverse("browse:filings"), query)

    assert titles(response) == expected
    form = page(response).find("form")
    shown_choices = {
        name: form.find("select", attrs={"name": name}).find("option", selected=True)["value"]
        for name in query
    }
    assert shown_choices == query


def test_filings_pages_keep_filters_and_sort_in_their_links(client, dataset, monkeypatch):
    monkeypatch.setattr(views, "FILINGS_PER_PAGE", 1)

    response = client.get(reverse("browse:filings"), {"kind": "contract", "sort": "title"})

    nav = page(response).find("nav", attrs={"aria-label": "Pages of filings"})
    current = nav.find("a", attrs={"aria-current": "page"})
    assert text_of(current) == "Page 1"
    following = nav.find("a", rel="next")["href"]
    assert following == "?kind=contract&sort=title&page=2"
    second = client.get(reverse("browse:filings") + following)
    assert titles(second) == ["Flock camera contract"]
    assert "page 2 of 2" in text_of(page(second).find("caption"))


def every_public_page(dataset) -> list[str]:
    return [
        reverse("browse:agencies"),
        reverse("browse:agency", args=["police"]),
        reverse("browse:agency", args=["transportation"]),
        reverse("browse:technologies"),
        reverse("browse:technology", args=["alpr"]),
        reverse("browse:technology", args=["drones"]),
        reverse("browse:vendors"),
        reverse("browse:vendor", args=["flock"]),
        reverse("browse:vendor", args=["skydio"]),
        reverse("browse:filings"),
        reverse("browse:filings") + "?vendor=flock",
        reverse("browse:filings") + "?agency=police&kind=contract&sort=title",
    ]


def test_no_page_shows_an_unpublished_filing(client, dataset):
    hidden = dataset["unpublished"]
    for url in every_public_page(dataset):
        response = client.get(url)
        assert response.status_code == 200, url
        assert UNPUBLISHED_MARKER not in response.text, url
        assert "999,999.99" not in response.text, url
        assert filing_url(hidden) not in links(response), url


def test_a_withdrawn_filing_leaves_the_lists(client, dataset):
    dataset["policy"].transition_to(Status.WITHDRAWN)

    assert "ALPR use policy" not in titles(client.get(reverse("browse:filings")))
    assert "ALPR use policy" not in client.get(reverse("browse:agency", args=["police"])).text


@pytest.mark.parametrize(
    ("url", "query", "message"),
    [
        ("browse:filings", {"sort": "random"}, "“random” is not a value “sort” can take"),
        ("browse:filings", {"agency": "nobody"}, "“nobody” is not a value “agency” can take"),
        ("browse:filings", {"kind": "memo"}, "“memo” is not a value “kind” can take"),
        ("browse:filings", {"technology": "x"}, "“x” is not a value “technology” can take"),
        ("browse:filings", {"vendor": "acme"}, "“acme” is not a value “vendor” can take"),
        ("browse:filings", {"year": "1999"}, "Use one of: 2026, 2025."),
        ("browse:filings", {"page": "0"}, "There is no page “0”; the pages run from 1 to 1."),
        ("browse:filings", {"page": "two"}, "There is no page “two”"),
        ("browse:filings", {"page": "9"}, "There is no page “9”"),
        ("browse:filings", {"sort": ["title", "oldest"]}, "Give “sort” once"),
        ("browse:technologies", {"category": "lasers"}, "“lasers” is not a value “category”"),
    ],
)
def test_query_values_the_page_does_not_take_get_a_plain_400(client, dataset, url, query, message):
    response = client.get(reverse(url), query)

    assert response.status_code == 400
    assert message in text_of(page(response).find(class_="error-summary"))


@pytest.mark.parametrize("name", ["browse:agency", "browse:technology", "browse:vendor"])
def test_unknown_slugs_are_not_found(client, dataset, name):
    assert client.get(reverse(name, args=["no-such-thing"])).status_code == 404


def add_published_activity(count: int, dataset):
    """`count` more agencies, each with an inventory entry and published contract filings."""
    for number in range(count):
        agency = AgencyFactory()
        InventoryEntryFactory(agency=agency, technology=dataset["alpr"], vendor=dataset["flock"])
        InventoryEntryFactory(agency=agency, vendor=dataset["skydio"])
        contract = ContractDetailsFactory(
            filing__agency=agency,
            filing__technologies=[dataset["alpr"], dataset["drones"]],
            vendor=dataset["flock"],
        )
        publish(contract.filing, datetime.date(2026, 1, 1) + datetime.timedelta(days=number))
        publish(
            FilingFactory(agency=dataset["policy"].agency, technologies=[dataset["alpr"]]),
            datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
        )


QUERY_BUDGET = 10


@pytest.mark.parametrize("extra", [0, 12])
def test_pages_run_a_bounded_number_of_queries(
    client, dataset, extra, django_assert_max_num_queries
):
    add_published_activity(extra, dataset)
    for url in every_public_page(dataset):
        with django_assert_max_num_queries(QUERY_BUDGET):
            assert client.get(url).status_code == 200, url


def test_contract_value_is_totalled_per_currency_and_only_when_published(client, dataset):
    euro_contract = ContractDetailsFactory(
        filing__agency=dataset["policy"].agency,
        filing__technologies=[dataset["alpr"]],
        vendor=dataset["flock"],
        amount="1000.50",
        currency="EUR",
    )
    publish(euro_contract.filing, datetime.date(2026, 6, 1))

    response = client.get(reverse("browse:technology", args=["alpr"]))

    contracts = page(response).find("caption", string=lambda s: "published contracts" in s)
    totals = [text_of(row) for row in contracts.parent.tfoot("tr")]
    assert totals == ["Total in EUR EUR 1,000.50", "Total in USD USD 125,000.00"]
