"""The agency dashboard: filings by status, what is due and overdue, and reviewers' messages."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from content.filings.models import Filing, Status
from content.inventory.models import InventoryEntry
from submissions.models import FilingMessage
from tests.factories import (
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
)

# Seventeen days after the 2026 annual reports fell due.
TODAY = datetime.date(2027, 4, 1)
OVERDUE_LABEL = (
    "Annual surveillance report for automated license plate readers, 2026, due March 15, 2027"
)


@pytest.fixture
def today_is(monkeypatch):
    """Fix the portal's idea of today, so deadlines in these tests do not move with the clock."""
    real_localdate = timezone.localdate

    def fixed(day):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: (
                day if value is None else real_localdate(value, timezone)
            ),
        )

    return fixed


def dashboard_url(agency) -> str:
    return reverse("submissions:dashboard", kwargs={"agency": agency.slug})


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def obligation_items(response) -> list:
    return page(response).find(class_="obligations").find_all("li", recursive=False)


def link_in(element, text: str):
    return next(link for link in element.find_all("a") if text in link.get_text())


def item_for(response, label: str):
    return next(item for item in obligation_items(response) if label in item.get_text())


def test_the_overdue_annual_report_is_listed_with_its_days_and_a_start_button(
    today_is, sign_in, submitter_a, agency_a, alpr, alpr_in_use_at_a
):
    today_is(TODAY)
    InventoryEntryFactory(
        agency=agency_a,
        technology=TechnologyFactory(name="Drones"),
        status=InventoryEntry.Status.PROPOSED,
        in_use_since=None,
        planned_acquisition_on=datetime.date(2027, 9, 1),
    )

    response = sign_in(submitter_a).get(dashboard_url(agency_a))

    assert response.status_code == 200
    item = item_for(response, OVERDUE_LABEL)
    assert "17 days overdue" in item.get_text()
    start = link_in(item, "Start this filing")
    new_url = reverse("submissions:filing_new", kwargs={"agency": agency_a.slug})
    assert start["href"] == f"{new_url}?kind=annual_report&technology={alpr.pk}&year=2026"
    # Overdue first, the most overdue at the top; what is merely upcoming comes after.
    texts = [each.get_text(" ", strip=True) for each in obligation_items(response)]
    overdue = [i for i, text in enumerate(texts) if "overdue" in text]
    upcoming = [i for i, text in enumerate(texts) if "Upcoming" in text]
    assert overdue
    assert upcoming
    assert max(overdue) < min(upcoming)
    days = [int(texts[i].split(" day")[0].replace(",", "")) for i in overdue]
    assert days == sorted(days, reverse=True)


def test_the_start_button_prefills_the_new_filing_and_the_draft_then_answers_the_obligation(
    today_is, sign_in, submitter_a, agency_a, alpr, alpr_in_use_at_a
):
    today_is(TODAY)
    client = sign_in(submitter_a)
    start_href = item_for(client.get(dashboard_url(agency_a)), OVERDUE_LABEL).find(
        "a", class_="button"
    )["href"]

    form_page = client.get(start_href)

    html = page(form_page)
    assert html.find("h1").get_text(strip=True) == "New annual surveillance report"
    assert (
        html.find(id="id_title")["value"]
        == "Annual surveillance report: Automated license plate readers, 2026"
    )
    checked = html.find("input", attrs={"name": "technologies", "checked": True})
    assert checked["value"] == str(alpr.pk)
    assert html.find(id="id_reporting_period_start")["value"] == "2026-01-01"
    assert html.find(id="id_reporting_period_end")["value"] == "2026-12-31"
    assert "Due March 15, 2027" in html.get_text(" ", strip=True)

    form = form_page.context["form"]
    created = client.post(
        reverse("submissions:filing_new", kwargs={"agency": agency_a.slug}),
        {
            "kind": "annual_report",
            "title": form["title"].value(),
            "technologies": [str(alpr.pk)],
            "reporting_period_start": "2026-01-01",
            "reporting_period_end": "2026-12-31",
        },
    )

    draft = Filing.objects.get(agency=agency_a)
    assert created.status_code == 303
    assert (draft.kind, draft.due_on, draft.reporting_period_end) == (
        "annual_report",
        datetime.date(2027, 3, 15),
        datetime.date(2026, 12, 31),
    )
    assert list(draft.technologies.all()) == [alpr]
    item = item_for(client.get(dashboard_url(agency_a)), OVERDUE_LABEL)
    continue_link = link_in(item, "Continue the draft")
    assert continue_link["href"] == reverse(
        "submissions:filing_edit", kwargs={"agency": agency_a.slug, "filing": draft.pk}
    )
    assert item.find("a", class_="button") is None


def test_a_start_link_naming_a_technology_outside_the_inventory_says_so(
    sign_in, submitter_a, agency_a, agency_b, alpr_in_use_at_a
):
    elsewhere = InventoryEntryFactory(agency=agency_b).technology
    new_url = reverse("submissions:filing_new", kwargs={"agency": agency_a.slug})

    response = sign_in(submitter_a).get(
        new_url, {"kind": "annual_report", "technology": elsewhere.pk, "year": "20x6"}
    )

    text = page(response).get_text(" ", strip=True)
    assert "The technology in that link is not in Police Department's inventory" in text
    assert "“20x6” in that link is not a year" in text
    assert page(response).find("input", attrs={"name": "technologies", "checked": True}) is None


def test_filings_are_grouped_by_status_and_only_the_agencys_own(
    sign_in, submitter_a, agency_a, agency_b
):
    draft = FilingFactory(agency=agency_a, title="Audit draft")
    submitted = FilingFactory(agency=agency_a, title="Audit submitted")
    submitted.transition_to(Status.SUBMITTED)
    FilingFactory(agency=agency_b, title="Transportation audit")

    response = sign_in(submitter_a).get(dashboard_url(agency_a))

    html = page(response)
    groups = {
        heading.get_text(strip=True): [
            link.get_text(strip=True) for link in heading.find_next("ul").find_all("a")
        ]
        for heading in html.find(id="filings-heading").find_all_next("h3")
    }
    assert groups == {"Draft (1)": ["Audit draft"], "Submitted (1)": ["Audit submitted"]}
    link = html.find("a", string="Audit draft")
    assert link["href"] == reverse(
        "submissions:filing_detail", kwargs={"agency": agency_a.slug, "filing": draft.pk}
    )
    assert "Transportation audit" not in html.get_text()


def test_reviewer_messages_are_shown_but_never_internal_notes_or_the_agencys_own(
    sign_in, submitter_a, reviewer, agency_a
):
    filing = FilingFactory(agency=agency_a, title="Plate reader use policy")
    for author, audience, body in [
        (reviewer, FilingMessage.Audience.AGENCY, "Please add the retention schedule."),
        (reviewer, FilingMessage.Audience.INTERNAL, "Staff only: check the vendor contract."),
        (submitter_a, FilingMessage.Audience.AGENCY, "We added it on page 4."),
    ]:
        FilingMessage.objects.create(filing=filing, author=author, audience=audience, body=body)

    response = sign_in(submitter_a).get(dashboard_url(agency_a))

    section = page(response).find(id="messages-heading").find_parent("section")
    text = section.get_text(" ", strip=True)
    assert "Please add the retention schedule." in text
    assert "Staff only" not in response.content.decode()
    assert "We added it on page 4." not in text
    link = section.find("a", string="Plate reader use policy")
    assert link["href"].endswith(f"/filings/{filing.pk}/#messages")


def test_the_dashboard_runs_a_fixed_number_of_queries(
    today_is, sign_in, submitter_a, reviewer, agency_a, django_assert_max_num_queries
):
    today_is(TODAY)
    client = sign_in(submitter_a)

    def add_work(count):
        for _ in range(count):
            technology = InventoryEntryFactory(agency=agency_a).technology
            filing = FilingFactory(agency=agency_a, kind="annual_report", technologies=[technology])
            FilingMessage.objects.create(filing=filing, author=reviewer, body="A question.")

    add_work(1)
    with django_assert_max_num_queries(14) as few:
        client.get(dashboard_url(agency_a))
    add_work(15)
    with django_assert_max_num_queries(14) as many:
        response = client.get(dashboard_url(agency_a))

    assert len(page(response).find(class_="filings").find_all("li")) == 16
    assert len(many.captured_queries) == len(few.captured_queries)
