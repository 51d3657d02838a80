"""The compliance pages of the demo city match what the rulebook requires of it.

The expected obligations are worked out here from the rulebook's rules and the
inventory's dates, without content.compliance: an annual report for each year of
the look-back the technology was in use, due on the rule's day of the next year;
a use policy and an impact report due when the technology is (to be) acquired.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from content.filings.models import FILED_STATUSES, Filing, Status
from content.inventory.models import InventoryEntry
from content.rulebook.rules import get_rulebook
from tests.compliance.conftest import page, table_rows

TODAY = datetime.date(2025, 6, 15)
FILED_DATE = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}")


def stored_files() -> set[str]:
    if not default_storage.exists("documents"):
        return set()
    return set(default_storage.listdir("documents")[1])


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, in a transaction rolled back afterwards."""
    files_before = stored_files()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", "--today", TODAY.isoformat(), verbosity=0)
        yield
        transaction.set_rollback(True)
    for name in stored_files() - files_before:
        default_storage.delete(f"documents/{name}")
    cache.clear()  # Wagtail caches the site's root paths; the pages are gone now.


@pytest.fixture
def on_demo_day(demo_city, today_is):
    today_is(TODAY)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_demo_day")]


def day(value: datetime.date) -> str:
    return date_format(value, "F j, Y")


def first_filing(entry, kind: str, year: int | None):
    filings = Filing.objects.filter(
        agency=entry.agency, kind=kind, technologies=entry.technology, status__in=FILED_STATUSES
    )
    if year is not None:
        filings = filings.filter(reporting_period_end__year=year)
    return filings.order_by("submitted_at").first()


def expected_row(entry, kind: str, year: int | None, due: datetime.date) -> tuple:
    """(requirement, year, due, filed on, state, days overdue) as the page should show them."""
    filing = first_filing(entry, kind, year)
    filed_on = timezone.localdate(filing.submitted_at) if filing else None
    if filed_on:
        state, overdue = ("Filed on time" if filed_on <= due else "Filed late"), "—"
    elif due < TODAY:
        state, overdue = "Overdue", str((TODAY - due).days)
    else:
        state, overdue = "Not yet due", "—"
    return (
        get_rulebook().kind(kind).label,
        str(year) if year else "—",
        day(due),
        day(filed_on) if filed_on else "Not filed",
        state,
        overdue,
    )


def expected_rows(agency_slug: str, technology_slug: str) -> set[tuple]:
    rulebook = get_rulebook()
    entry = InventoryEntry.objects.select_related("agency", "technology").get(
        agency__slug=agency_slug, technology__slug=technology_slug
    )
    rows = set()
    [annual] = [rule for rule in rulebook.deadlines if rule.rule == "annual"]
    if entry.status in annual.applies_to:
        last_year = min(TODAY.year - 1, entry.retired_on.year if entry.retired_on else TODAY.year)
        for year in range(TODAY.year - annual.lookback_years, last_year + 1):
            if year >= entry.in_use_since.year:
                due = datetime.date(year + 1, annual.due_month, annual.due_day)
                rows.add(expected_row(entry, annual.kind, year, due))
    for rule in rulebook.deadlines:
        if rule.rule == "before_date" and entry.status in rule.applies_to:
            due = entry.planned_acquisition_on or entry.in_use_since
            rows.add(expected_row(entry, rule.kind, None, due))
    return rows


def filed_date(cell: str) -> str:
    """The date a "Filed" cell starts with, or the cell itself when nothing was filed."""
    match = FILED_DATE.match(cell)
    return match.group() if match else cell


def shown_rows(client, agency_slug: str, technology_slug: str) -> set[tuple]:
    entry = InventoryEntry.objects.select_related("agency", "technology").get(
        agency__slug=agency_slug, technology__slug=technology_slug
    )
    response = client.get(reverse("accountability:agency_compliance", args=[agency_slug]))
    assert response.status_code == 200
    rows = table_rows(response, f"{entry.agency.name}:")
    return {
        (row[0], row[2], row[3], filed_date(row[5]), row[6], row[7])
        for row in rows
        if row[1] == entry.technology.name
    }


def test_an_alpr_in_use_since_2019_owes_a_report_for_each_lookback_year_due_march_15(client):
    entry = InventoryEntry.objects.get(agency__slug="police", technology__slug="fixed-alpr")
    assert entry.in_use_since.year == 2019
    shown = shown_rows(client, "police", "fixed-alpr")
    annual = sorted(row for row in shown if row[0] == "Annual surveillance report")
    assert [(row[1], row[2]) for row in annual] == [
        ("2022", "March 15, 2023"),
        ("2023", "March 15, 2024"),
        ("2024", "March 15, 2025"),
    ]
    assert shown == expected_rows("police", "fixed-alpr")


@pytest.mark.parametrize(
    ("agency_slug", "technology_slug", "story"),
    [
        ("police", "cell-site-simulator", "in use for years; annual reports overdue"),
        ("police", "body-worn-cameras", "in use before the ordinance; policy filed late"),
        ("police", "real-time-crime-center", "planned start passed with the impact report a draft"),
        ("police", "face-recognition", "proposed; its use policy only a draft, not yet due"),
        ("transportation", "speed-cameras", "approved; acquisition still ahead"),
        ("housing-authority", "fixed-cctv", "retired: reports only up to its retirement"),
        ("port", "video-analytics", "in use since last year"),
    ],
)
def test_the_agency_page_matches_the_rulebook(client, agency_slug, technology_slug, story):
    expected = expected_rows(agency_slug, technology_slug)
    assert expected, story
    assert shown_rows(client, agency_slug, technology_slug) == expected, story


def test_the_demo_shows_every_state_and_days_overdue(client):
    shown = set().union(
        *(
            shown_rows(client, "police", technology)
            for technology in ("cell-site-simulator", "body-worn-cameras", "face-recognition")
        )
    )
    assert {"Overdue", "Filed late", "Filed on time", "Not yet due"} <= {row[4] for row in shown}
    overdue = [row for row in shown if row[4] == "Overdue"]
    assert all(int(row[5]) > 0 for row in overdue)


def test_a_technology_retired_before_the_lookback_owes_nothing(client):
    assert expected_rows("police", "social-media-monitoring") == set()
    assert shown_rows(client, "police", "social-media-monitoring") == set()


def test_unpublished_filings_show_their_date_but_not_their_title(client):
    response = client.get(reverse("accountability:agency_compliance", args=["police"]))
    unpublished = Filing.objects.filter(agency__slug="police", status__in=FILED_STATUSES).exclude(
        status=Status.PUBLISHED
    )
    assert unpublished.exists()
    for filing in unpublished:
        assert filing.title not in response.text
    filed_cells = [row[5] for row in table_rows(response, "Alameda Bay Police Department:")]
    assert any(cell.endswith("not yet published") for cell in filed_cells)
    assert any(cell.endswith("; published") for cell in filed_cells)


def test_the_overview_counts_match_each_agency_page_and_the_chart(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        overview = client.get(reverse("accountability:compliance"))
    table = table_rows(overview, "Obligations by agency")
    bars = {
        bar.find("text").get_text(): bar
        for bar in page(overview).find("svg", attrs={"role": "img"}).find_all("g")
    }
    labels = ["Filed on time", "Filed late", "Overdue", "Not yet due"]
    for name, *numbers, total in table:
        agency_slug = page(overview).find("a", string=name)["href"].split("/")[-2]
        with django_assert_max_num_queries(6):
            detail = client.get(reverse("accountability:agency_compliance", args=[agency_slug]))
        states = [row[6] for row in table_rows(detail, f"{name}:")]
        assert numbers == [str(states.count(label)) for label in labels], name
        assert total == str(len(states)), name
        segments = {
            rect.title.get_text().split(": ")[0]: rect.title.get_text().split(": ")[1]
            for rect in bars[name].find_all("rect")
        }
        assert segments == {
            label: number for label, number in zip(labels, numbers, strict=True) if number != "0"
        }, name
        assert bars[name].find_all("text")[-1].get_text() == total, name


def test_the_inventory_and_its_history_list_every_demo_entry(client):
    entries = InventoryEntry.objects.select_related("agency", "technology")
    listing = client.get(reverse("accountability:inventory"))
    for entry in entries:
        assert entry.technology.name in listing.text
    history = table_rows(client.get(reverse("accountability:inventory_history")), "Inventory")
    milestones = sum(
        1
        for entry in entries
        for date in (entry.proposed_on, entry.approved_on, entry.in_use_since, entry.retired_on)
        if date
    )
    assert len(history) == milestones
    dates = [datetime.datetime.strptime(row[0], "%B %d, %Y").date() for row in history]
    assert dates == sorted(dates, reverse=True)
