"""The inventory kept by staff: propose, approve, put in use, retire; the public list, history."""

import datetime

import pytest
from django.urls import reverse

from content.compliance.obligations import obligations_for_agency
from content.inventory.models import InventoryEntry, InventoryEvent
from tests.compliance.conftest import page, table_rows
from tests.factories import (
    AgencyFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    UserFactory,
    VendorFactory,
)

TODAY = datetime.date(2026, 11, 26)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, reviewer, today_is):
    today_is(TODAY)
    client.force_login(reviewer)
    return client


@pytest.fixture
def drones(db):
    return TechnologyFactory(name="Unmanned aircraft systems (drones)")


@pytest.fixture
def skydio(db):
    return VendorFactory(name="Skydio")


def propose_drones(staff_client, agency, drones, skydio, **changes):
    form = {
        "agency": agency.pk,
        "technology": drones.pk,
        "vendor": skydio.pk,
        "proposed_on": "2026-02-02",
        "planned_acquisition_on": "2026-12-01",
        "notes": "Search and rescue over the hills.",
        "note": "Filed with the commission's February agenda.",
    } | changes
    return staff_client.post(reverse("inventory:add"), form)


def step(staff_client, name, entry, on, note=""):
    return staff_client.post(
        reverse(f"inventory:{name}", args=[entry.pk]), {"on": on, "note": note}
    )


def history_rows(client, **query):
    return table_rows(client.get(reverse("accountability:inventory_history"), query), "Inventory")


def test_a_proposal_goes_on_the_list_and_into_the_public_history(
    staff_client, client, agency_a, drones, skydio
):
    response = propose_drones(staff_client, agency_a, drones, skydio)
    assert response.status_code == 302
    entry = InventoryEntry.objects.get(agency=agency_a, technology=drones)
    assert (entry.status, entry.proposed_on) == ("proposed", datetime.date(2026, 2, 2))
    [event] = entry.events.all()
    assert (event.action, event.recorded_by.username) == ("proposed", "reviewer")

    client.logout()
    rows = history_rows(client)
    assert rows == [
        [
            "February 2, 2026",
            "Police Department",
            "Unmanned aircraft systems (drones)",
            "Skydio",
            "Proposed",
            "Filed with the commission's February agenda. Recorded by Oversight staff.",
        ]
    ]
    listing = table_rows(client.get(reverse("accountability:inventory")), "Technologies Police")
    assert listing == [
        [
            "Unmanned aircraft systems (drones)",
            "Skydio",
            "Proposed",
            "February 2, 2026",
            "December 1, 2026",
            "—",
            "—",
            "Search and rescue over the hills.",
        ]
    ]


def test_approve_put_in_use_and_retire_set_the_dates_that_drive_the_deadlines(
    staff_client, client, agency_a, drones, skydio
):
    propose_drones(staff_client, agency_a, drones, skydio)
    entry = InventoryEntry.objects.get(technology=drones)
    assert step(staff_client, "approve", entry, "2026-03-10").status_code == 302
    assert step(staff_client, "put_in_use", entry, "2026-04-01", "First flights").status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.approved_on, entry.in_use_since) == (
        "in_use",
        datetime.date(2026, 3, 10),
        datetime.date(2026, 4, 1),
    )
    owed = {(o.kind.slug, o.reporting_year) for o in obligations_for_agency(agency_a, TODAY)}
    assert ("annual_report", 2026) not in owed  # the 2026 report falls due in 2027
    assert {("use_policy", None), ("impact_report", None)} <= owed

    assert step(staff_client, "retire", entry, "2026-10-31", "Programme ended").status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.retired_on) == ("retired", datetime.date(2026, 10, 31))
    client.logout()
    assert [(row[0], row[4]) for row in history_rows(client, order="oldest")] == [
        ("February 2, 2026", "Proposed"),
        ("March 10, 2026", "Approved"),
        ("April 1, 2026", "Put in use"),
        ("October 31, 2026", "Retired"),
    ]
    retired = table_rows(client.get(reverse("accountability:inventory")), "Technologies agencies")
    assert retired[0][:5] == [
        "Unmanned aircraft systems (drones)",
        "Police Department",
        "Skydio",
        "April 1, 2026",
        "October 31, 2026",
    ]


@pytest.mark.parametrize(
    ("status", "name", "on", "message"),
    [
        (
            "retired",
            "approve",
            "2026-03-01",
            "This entry is retired; it can be marked approved only while it is proposed.",
        ),
        ("proposed", "approve", "2026-01-01", "cannot come before the day it was proposed"),
        ("proposed", "approve", "2026-12-25", "cannot be later than today"),
        (
            "proposed",
            "put_in_use",
            "2026-03-01",
            "it can be marked put in use only while it is approved.",
        ),
    ],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(
    staff_client, agency_a, drones, skydio, status, name, on, message
):
    propose_drones(staff_client, agency_a, drones, skydio)
    entry = InventoryEntry.objects.get(technology=drones)
    if status == "retired":
        step(staff_client, "retire", entry, "2026-02-10")
    before = InventoryEntry.objects.filter(pk=entry.pk).values().get()
    events = InventoryEvent.objects.count()
    response = step(staff_client, name, entry, on)
    assert response.status_code == 200
    assert message in " ".join(page(response).get_text().split())
    assert InventoryEntry.objects.filter(pk=entry.pk).values().get() == before
    assert InventoryEvent.objects.count() == events


def test_a_duplicate_proposal_or_a_planned_date_before_the_proposal_is_refused(
    staff_client, agency_a, drones, skydio
):
    early = propose_drones(
        staff_client, agency_a, drones, skydio, planned_acquisition_on="2026-01-01"
    )
    assert early.status_code == 200
    assert "The planned acquisition cannot come before the proposal" in early.text
    assert not InventoryEntry.objects.exists()
    propose_drones(staff_client, agency_a, drones, skydio)
    again = propose_drones(staff_client, agency_a, drones, skydio)
    assert again.status_code == 200
    assert InventoryEntry.objects.count() == 1
    assert InventoryEvent.objects.count() == 1


def test_changing_the_planned_acquisition_date_is_recorded(
    staff_client, client, agency_a, drones, skydio
):
    propose_drones(staff_client, agency_a, drones, skydio)
    entry = InventoryEntry.objects.get(technology=drones)
    response = staff_client.post(
        reverse("inventory:edit", args=[entry.pk]),
        {
            "vendor": skydio.pk,
            "planned_acquisition_on": "2027-03-01",
            "notes": entry.notes,
            "note": "Grant funding delayed.",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.planned_acquisition_on == datetime.date(2027, 3, 1)
    client.logout()
    newest = history_rows(client)[0]
    assert newest[4:] == [
        "Details changed",
        "Planned acquisition: December 1, 2026 → March 1, 2027. Grant funding delayed. "
        "Recorded by Oversight staff.",
    ]


def test_a_recorded_entry_cannot_be_deleted(client, agency_a, drones, skydio, today_is):
    today_is(TODAY)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    propose_drones(client, agency_a, drones, skydio)
    entry = InventoryEntry.objects.get(technology=drones)
    response = client.post(reverse("inventory:delete", args=[entry.pk]))
    assert response.status_code == 302
    assert InventoryEntry.objects.filter(pk=entry.pk).exists()


def test_entries_from_before_the_history_show_their_dates(client, agency_a):
    InventoryEntryFactory(
        agency=agency_a,
        technology=TechnologyFactory(name="Body-worn cameras"),
        vendor=VendorFactory(name="Axon"),
        in_use_since=datetime.date(2016, 3, 1),
    )
    assert history_rows(client) == [
        [
            "March 1, 2016",
            "Police Department",
            "Body-worn cameras",
            "Axon",
            "Put in use",
            "Date from the inventory; no note was recorded.",
        ]
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"agency": "atlantis"}, "“atlantis” is not a value “agency” can take."),
        ({"order": "random"}, "Use one of: newest, oldest."),
        ({"page": "2"}, "There is no page “2”; the pages run from 1 to 1."),
        ({"page": "-1"}, "There is no page “-1”"),
    ],
)
def test_the_history_refuses_queries_it_does_not_understand(client, agency_a, query, message):
    InventoryEntryFactory(agency=agency_a)
    response = client.get(reverse("accountability:inventory_history"), query)
    assert response.status_code == 400
    assert message in response.text


def test_the_history_filters_by_agency(client, agency_a, agency_b):
    InventoryEntryFactory(agency=agency_a, technology=TechnologyFactory(name="Drones"))
    InventoryEntryFactory(agency=agency_b, technology=TechnologyFactory(name="Speed cameras"))
    rows = history_rows(client, agency=agency_b.slug)
    assert [(row[1], row[2]) for row in rows] == [("Department of Transportation", "Speed cameras")]


@pytest.mark.parametrize("size", [1, 15])
def test_the_inventory_pages_run_few_queries_whatever_the_data(
    client, reviewer, django_assert_max_num_queries, size
):
    for _ in range(size):
        agency = AgencyFactory()
        for _ in range(3):
            entry = InventoryEntryFactory(agency=agency)
            InventoryEvent.objects.create(
                entry=entry,
                action="updated",
                on=TODAY,
                changes="Notes rewritten",
                recorded_by=reviewer,
            )
    with django_assert_max_num_queries(2):
        listing = client.get(reverse("accountability:inventory"))
    assert listing.text.count("<section") == size
    with django_assert_max_num_queries(4):
        history = client.get(reverse("accountability:inventory_history"))
    assert len(table_rows(history, "Inventory changes")) == size * 3 * 2
