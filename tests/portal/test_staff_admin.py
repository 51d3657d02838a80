"""The Wagtail admin is for oversight staff only; agency staff use their own portal."""

import pytest
from django.urls import reverse

from content.agencies.models import Agency
from content.filings.models import Filing
from tests.factories import (
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    UserFactory,
    VendorFactory,
)

RECORD_INDEXES = [
    "filings:index",
    "filing_documents:index",
    "agencies:index",
    "agency_staff:index",
    "technologies:index",
    "vendors:index",
    "inventory:index",
    "extensions:index",
]


@pytest.fixture
def record(agency_a):
    technology = TechnologyFactory(name="Gunshot detection sensors")
    vendor = VendorFactory(name="Acoustic Analytics Inc.")
    InventoryEntryFactory(agency=agency_a, technology=technology, vendor=vendor)
    return FilingFactory(agency=agency_a, title="Gunshot detection audit 2025")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def people(request):
    return {
        "anonymous": None,
        "submitter_a": request.getfixturevalue("submitter_a"),
        "approver_a": request.getfixturevalue("approver_a"),
        "reviewer": request.getfixturevalue("reviewer"),
        "superuser": request.getfixturevalue("superuser"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", RECORD_INDEXES)
@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("anonymous", False),
        ("submitter_a", False),
        ("approver_a", False),
        ("reviewer", True),
        ("superuser", True),
    ],
)
def test_only_oversight_staff_reach_the_record_in_the_admin(
    client, request, record, url_name, person, allowed
):
    user = people(request)[person]
    if user:
        client.force_login(user)
    response = client.get(reverse(url_name))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert b"Gunshot detection" not in response.content


@pytest.mark.django_db
def test_staff_see_the_record_listed(client, reviewer, record):
    client.force_login(reviewer)
    filings = client.get(reverse("filings:index"))
    assert "Gunshot detection audit 2025" in filings.text
    inventory = client.get(reverse("inventory:index"))
    assert "Acoustic Analytics Inc." in inventory.text


@pytest.mark.django_db
def test_staff_add_an_agency_through_the_admin(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("agencies:add"),
        {"name": "Port of the City", "slug": "port", "abbreviation": "PORT"},
    )
    assert response.status_code == 302
    assert Agency.objects.filter(slug="port", name="Port of the City").exists()


@pytest.mark.django_db
def test_the_filing_form_offers_the_rulebook_kinds_and_refuses_others(client, reviewer, agency_a):
    client.force_login(reviewer)
    form = client.get(reverse("filings:add"))
    assert "Surveillance use policy" in form.text
    response = client.post(
        reverse("filings:add"),
        {"kind": "press_release", "title": "Not a kind", "agency": agency_a.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Filing.objects.filter(title="Not a kind").exists()


@pytest.mark.django_db
def test_staff_cannot_delete_a_filing_from_the_record(client, reviewer, record):
    client.force_login(reviewer)
    response = client.post(reverse("filings:delete", args=[record.pk]))
    assert response.status_code in (302, 403)
    assert Filing.objects.filter(pk=record.pk).exists()
