"""The staff side in the admin: the Compliance page, extensions and inventory steps, staff only."""

import datetime

import pytest
from django.urls import reverse

from content.compliance.models import DeadlineExtension
from content.filings.models import Status
from content.inventory.models import InventoryEntry
from tests.compliance.conftest import table_rows
from tests.factories import FilingFactory, InventoryEntryFactory, TechnologyFactory, UserFactory

TODAY = datetime.date(2026, 11, 26)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpr_in_use(agency_a, today_is):
    today_is(TODAY)
    return InventoryEntryFactory(
        agency=agency_a,
        technology=TechnologyFactory(name="Automated license plate readers"),
        in_use_since=datetime.date(2024, 6, 1),
    )


def staff_only_urls(entry) -> list[str]:
    return [
        reverse("compliance_admin:overview"),
        reverse("compliance_admin:agency", args=[entry.agency.slug]),
        reverse("inventory:approve", args=[entry.pk]),
        reverse("inventory:retire", args=[entry.pk]),
        reverse("extensions:add"),
    ]


@pytest.mark.parametrize("person", ["submitter_a", "approver_a"])
def test_agency_staff_are_refused_the_staff_pages(client, request, alpr_in_use, person):
    client.force_login(request.getfixturevalue(person))
    for url in staff_only_urls(alpr_in_use):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Automated license plate readers" not in response.text, url
    response = client.post(reverse("inventory:retire", args=[alpr_in_use.pk]), {"on": "2026-11-01"})
    assert response.status_code in (302, 403)
    assert InventoryEntry.objects.get(pk=alpr_in_use.pk).status == "in_use"


def test_visitors_are_sent_to_sign_in(client, alpr_in_use):
    for url in staff_only_urls(alpr_in_use):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("wagtailadmin_login")), url


def test_staff_see_drafts_grantors_and_links_to_the_filings(
    client, reviewer, agency_a, alpr_in_use
):
    draft = FilingFactory(
        kind="use_policy",
        agency=agency_a,
        technologies=[alpr_in_use.technology],
        title="ALPR use policy, second draft",
    )
    filed = FilingFactory(
        kind="annual_report",
        agency=agency_a,
        technologies=[alpr_in_use.technology],
        title="ALPR annual report 2024",
        reporting_period_start=datetime.date(2024, 1, 1),
        reporting_period_end=datetime.date(2024, 12, 31),
    )
    filed.transition_to(Status.SUBMITTED, at=datetime.datetime(2025, 3, 1, 18, tzinfo=datetime.UTC))
    DeadlineExtension.objects.create(
        agency=agency_a,
        technology=alpr_in_use.technology,
        kind="annual_report",
        reporting_year=2025,
        days=60,
        reason="Vendor data export delayed",
        granted_by=reviewer,
    )
    client.force_login(reviewer)

    overview = client.get(reverse("compliance_admin:overview"))
    assert table_rows(overview, "Obligations by agency") == [
        ["Police Department", "1", "0", "3", "0", "0", "4"]
    ]

    response = client.get(reverse("compliance_admin:agency", args=[agency_a.slug]))
    assert response.status_code == 200
    rows = {(row[0], row[2]): row for row in table_rows(response, "Police Department")}
    assert rows[("Surveillance use policy", "—")][5] == "ALPR use policy, second draft (draft)"
    assert reverse("filings:inspect", args=[draft.pk]) in response.text
    assert rows[("Annual surveillance report", "2024")][5] == (
        "ALPR annual report 2024 (submitted, filed March 1, 2025)"
    )
    assert rows[("Annual surveillance report", "2025")][4].startswith(
        "60 days, granted by reviewer (Oversight staff) on"
    )
    assert "Vendor data export delayed" in rows[("Annual surveillance report", "2025")][4]


def test_the_admin_records_who_granted_an_extension(client, reviewer, agency_a, alpr_in_use):
    client.force_login(reviewer)
    response = client.post(
        reverse("extensions:add"),
        {
            "agency": agency_a.pk,
            "technology": alpr_in_use.technology.pk,
            "kind": "annual_report",
            "reporting_year": 2025,
            "days": 60,
            "reason": "Vendor data export delayed",
        },
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    assert (extension.granted_by, extension.granted_by_role) == (reviewer, "Oversight staff")


def test_a_superuser_outside_the_staff_group_grants_as_portal_administrator(
    client, agency_a, alpr_in_use
):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.post(
        reverse("extensions:add"),
        {
            "agency": agency_a.pk,
            "technology": alpr_in_use.technology.pk,
            "kind": "annual_report",
            "reporting_year": 2025,
            "days": 30,
            "reason": "Council recess",
        },
    )
    assert DeadlineExtension.objects.get().granted_by_role == "Portal administrator"


def test_an_extension_beyond_the_rulebook_is_refused_in_the_admin(
    client, reviewer, agency_a, alpr_in_use
):
    client.force_login(reviewer)
    response = client.post(
        reverse("extensions:add"),
        {
            "agency": agency_a.pk,
            "technology": alpr_in_use.technology.pk,
            "kind": "annual_report",
            "reporting_year": 2025,
            "days": 90,
            "reason": "Too long",
        },
    )
    assert response.status_code == 200
    assert "the rulebook allows at most 60 days" in response.text
    assert not DeadlineExtension.objects.exists()


def test_staff_find_compliance_in_the_admin_menu(client, reviewer):
    client.force_login(reviewer)
    assert reverse("compliance_admin:overview") in client.get(reverse("wagtailadmin_home")).text
