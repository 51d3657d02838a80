"""The public compliance pages: what each agency owes, what is overdue, and who extended what."""

import datetime

import pytest
from django.urls import reverse

from content.compliance.models import DeadlineExtension
from content.filings.models import Status
from content.inventory.models import InventoryEntry
from tests.compliance.conftest import cell_text, header_row, page, table_rows
from tests.factories import (
    AgencyFactory,
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    UserFactory,
)

TODAY = datetime.date(2026, 11, 26)
ANNUAL = "Annual surveillance report"

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpr(db):
    return TechnologyFactory(name="Automated license plate readers", slug="alpr")


@pytest.fixture
def alpr_since_2024(agency_a, alpr, today_is):
    today_is(TODAY)
    return InventoryEntryFactory(
        agency=agency_a, technology=alpr, in_use_since=datetime.date(2024, 6, 1)
    )


def agency_url(agency, **query) -> str:
    url = reverse("accountability:agency_compliance", args=[agency.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def obligation_rows(response) -> list[list[str]]:
    return table_rows(response, "Police Department:")


def annual_row(rows, year: int) -> list[str]:
    [row] = [row for row in rows if row[0] == ANNUAL and row[2] == str(year)]
    return row


def file_annual_report(agency, technology, year, submitted_on):
    filing = FilingFactory(
        kind="annual_report",
        agency=agency,
        technologies=[technology],
        title=f"Confidential working title {year}",
        reporting_period_start=datetime.date(year, 1, 1),
        reporting_period_end=datetime.date(year, 12, 31),
    )
    filing.transition_to(
        Status.SUBMITTED,
        at=datetime.datetime(*submitted_on.timetuple()[:3], 18, tzinfo=datetime.UTC),
    )
    return filing


def test_an_unfiled_report_shows_how_many_days_it_is_overdue(client, agency_a, alpr_since_2024):
    response = client.get(agency_url(agency_a))
    assert response.status_code == 200
    rows = obligation_rows(response)
    assert annual_row(rows, 2025) == [
        ANNUAL,
        "Automated license plate readers",
        "2025",
        "March 15, 2026",
        "None",
        "Not filed",
        "Overdue",
        str((TODAY - datetime.date(2026, 3, 15)).days),
    ]
    assert annual_row(rows, 2025)[-1] == "256"


def test_a_late_filing_shows_its_date_and_how_late_but_not_its_title(
    client, agency_a, alpr, alpr_since_2024
):
    file_annual_report(agency_a, alpr, 2024, datetime.date(2025, 3, 25))
    response = client.get(agency_url(agency_a))
    row = annual_row(obligation_rows(response), 2024)
    assert row[5:] == ["March 25, 2025, 10 days late; not yet published", "Filed late", "—"]
    assert "Confidential working title" not in response.text


def test_a_draft_is_not_a_filing_to_the_public(client, agency_a, alpr, alpr_since_2024):
    FilingFactory(
        kind="use_policy", agency=agency_a, technologies=[alpr], title="Draft policy in progress"
    )
    InventoryEntryFactory(
        agency=agency_a,
        technology=TechnologyFactory(name="Drones"),
        status=InventoryEntry.Status.PROPOSED,
        in_use_since=None,
        planned_acquisition_on=datetime.date(2027, 1, 10),
    )
    drones_draft = FilingFactory(
        kind="impact_report",
        agency=agency_a,
        technologies=[InventoryEntry.objects.get(technology__name="Drones").technology],
    )
    response = client.get(agency_url(agency_a))
    rows = obligation_rows(response)
    [drones_impact] = [r for r in rows if r[0] == "Surveillance impact report" and r[1] == "Drones"]
    assert drones_impact[5:7] == ["Not filed", "Not yet due"]
    assert drones_draft.title not in response.text
    assert "Draft policy in progress" not in response.text


def test_an_extension_names_the_office_that_granted_it_not_the_person(
    client, agency_a, alpr, alpr_since_2024
):
    grantor = UserFactory(
        username="pat", first_name="Pat", last_name="Quill", email="pat.quill@example.org"
    )
    extension = DeadlineExtension.objects.create(
        agency=agency_a,
        technology=alpr,
        kind="annual_report",
        reporting_year=2025,
        days=60,
        reason="Vendor data export delayed",
        granted_by=grantor,
        granted_by_role="Privacy Advisory Commission staff",
    )
    DeadlineExtension.objects.filter(pk=extension.pk).update(
        granted_at=datetime.datetime(2026, 3, 1, 17, tzinfo=datetime.UTC)
    )
    response = client.get(agency_url(agency_a))
    row = annual_row(obligation_rows(response), 2025)
    assert row[3] == "March 15, 2026"
    assert row[4] == (
        "60 days, granted by Privacy Advisory Commission staff on March 1, 2026: "
        "now due May 14, 2026"
    )
    assert row[6:] == ["Overdue", str((TODAY - datetime.date(2026, 5, 14)).days)]
    for private in ("Pat", "Quill", "pat.quill@example.org", "Vendor data export delayed"):
        assert private not in response.text


def test_the_state_filter_shows_only_that_state_and_sort_links_keep_it(
    client, agency_a, alpr, alpr_since_2024
):
    file_annual_report(agency_a, alpr, 2024, datetime.date(2025, 3, 1))
    response = client.get(agency_url(agency_a, state="overdue", sort="overdue"))
    rows = obligation_rows(response)
    assert rows, "the agency has overdue obligations"
    assert {row[6] for row in rows} == {"Overdue"}
    days = [int(row[7]) for row in rows]
    assert days == sorted(days, reverse=True)
    headers = page(response).find("table", class_="obligations").thead.find_all("th")
    sorted_by = [th for th in headers if th.get("aria-sort")]
    assert [(cell_text(th), th["aria-sort"]) for th in sorted_by] == [
        ("Days overdue", "descending")
    ]
    due_link = next(th.a["href"] for th in headers if cell_text(th) == "Due")
    assert due_link == "?state=overdue#obligations"
    selected = page(response).find("select", id="state").find("option", selected=True)
    assert selected["value"] == "overdue"


def test_due_dates_sort_both_ways(client, agency_a, alpr_since_2024):
    soonest = [row[3] for row in obligation_rows(client.get(agency_url(agency_a)))]
    latest = [row[3] for row in obligation_rows(client.get(agency_url(agency_a, sort="-due")))]

    def as_dates(texts):
        return [datetime.datetime.strptime(text, "%B %d, %Y").date() for text in texts]

    assert as_dates(soonest) == sorted(as_dates(soonest))
    assert as_dates(latest) == sorted(as_dates(soonest), reverse=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("state=late", "“late” is not a value “state” can take. Use one of: all, filed,"),
        ("sort=due%3Bdrop", "“due;drop” is not a value “sort” can take."),
        ("state=overdue&state=filed", "Give “state” once; this address gives it 2 times."),
    ],
)
def test_a_query_the_agency_page_does_not_understand_gets_400_and_says_why(
    client, agency_a, alpr_since_2024, query, message
):
    response = client.get(
        reverse("accountability:agency_compliance", args=["police"]) + "?" + query
    )
    assert response.status_code == 400
    assert message in cell_text(page(response).find("main"))
    assert "Automated license plate readers" not in response.text


def test_the_overview_refuses_an_unknown_order(client, alpr_since_2024):
    response = client.get(reverse("accountability:compliance"), {"sort": "worst"})
    assert response.status_code == 400
    assert "Use one of: agency, overdue." in response.text


def test_an_unknown_agency_is_not_found(client, alpr_since_2024):
    assert client.get(agency_url(AgencyFactory.build(slug="no-such-agency"))).status_code == 404


def test_the_overview_orders_agencies_by_most_overdue(client, agency_a, agency_b, alpr_since_2024):
    response = client.get(reverse("accountability:compliance"), {"sort": "overdue"})
    rows = table_rows(response, "Obligations by agency")
    assert [row[0] for row in rows] == ["Police Department", "Department of Transportation"]
    alphabetical = table_rows(client.get(reverse("accountability:compliance")), "Obligations by")
    assert [row[0] for row in alphabetical] == [
        "Department of Transportation",
        "Police Department",
    ]


def test_the_overview_chart_has_an_accessible_name_and_the_tables_numbers(
    client, agency_a, alpr, alpr_since_2024
):
    file_annual_report(agency_a, alpr, 2024, datetime.date(2025, 3, 1))
    response = client.get(reverse("accountability:compliance"))
    assert header_row(response, "Obligations by agency") == [
        "Agency",
        "Filed on time",
        "Filed late",
        "Overdue",
        "Not yet due",
        "Total",
    ]
    [police] = table_rows(response, "Obligations by agency")
    # 2024 filed on time; 2025 overdue; use policy and impact report overdue since 2024.
    assert police == ["Police Department", "1", "0", "3", "0", "4"]
    svg = page(response).find("svg", attrs={"role": "img"})
    title, desc = svg.find("title", recursive=False), svg.find("desc", recursive=False)
    assert svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
    assert cell_text(title) == "Obligations by agency and state"
    assert "1 filed on time, 0 filed late, 3 overdue, 0 not yet due" in cell_text(desc)
    [bar] = svg.find_all("g")
    assert [cell_text(text) for text in bar.find_all("text")] == [
        "Police Department",
        "1",
        "3",
        "4",
    ]
    assert [cell_text(rect.title) for rect in bar.find_all("rect")] == [
        "Filed on time: 1",
        "Overdue: 3",
    ]
    fills = {rect["fill"] for rect in bar.find_all("rect")}
    assert len(fills) == 2, "each state has its own pattern"


@pytest.mark.parametrize("size", [1, 12])
def test_the_compliance_pages_run_few_queries_whatever_the_data(
    client, today_is, django_assert_max_num_queries, size
):
    today_is(TODAY)
    agencies = [AgencyFactory() for _ in range(size)]
    for agency in agencies:
        for _ in range(size):
            technology = TechnologyFactory()
            InventoryEntryFactory(agency=agency, technology=technology)
            FilingFactory(kind="annual_report", agency=agency, technologies=[technology])
            DeadlineExtension.objects.create(
                agency=agency,
                technology=technology,
                kind="annual_report",
                reporting_year=2025,
                days=30,
                reason="x",
                granted_by=UserFactory(),
            )
    with django_assert_max_num_queries(6):
        overview = client.get(reverse("accountability:compliance"))
    assert len(table_rows(overview, "Obligations by agency")) == size
    with django_assert_max_num_queries(6):
        detail = client.get(agency_url(agencies[0]))
    assert len(table_rows(detail, agencies[0].name + ":")) == size * 5
