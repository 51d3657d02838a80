"""A published use policy whose page 2 names an informant, and its redacted twin."""

import pytest
from django.test import Client

from content.documents.storing import store_document
from content.filings.models import Status
from content.rulebook.rules import get_rulebook
from publication.services import publish
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.factories import FilingFactory, TechnologyFactory, UserFactory

SECRET = "Bluejay Whitfield"
KEPT = "ninety days"
ORIGINAL_PAGES = [
    "Camera network use policy for the harbor district.",
    f"Confidential informant {SECRET} supplied the camera locations.",
    f"Footage is kept for {KEPT} and then erased.",
]
REDACTED_PAGES = [
    "Camera network use policy for the harbor district.",
    "[Redacted by oversight staff]",
    f"Footage is kept for {KEPT} and then erased.",
]


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def fill_in_details(kind: str) -> dict:
    """Every field the rulebook asks of this kind, so the filing may be published."""
    return {
        rule.name: "As set out in the attached policy." for rule in get_rulebook().kind(kind).fields
    }


@pytest.fixture
def filing_under_review(agency_a):
    filing = FilingFactory(
        agency=agency_a,
        title="Harbor camera use policy",
        kind="use_policy",
        details=fill_in_details("use_policy"),
        technologies=[TechnologyFactory(name="Fixed cameras")],
    )
    document = store_document(filing, "harbor-policy.pdf", make_pdf(ORIGINAL_PAGES))
    extract_document_text.call(document.pk)
    for status in (Status.SUBMITTED, Status.IN_REVIEW):
        filing.transition_to(status)
    return filing


def publish_filing(filing, by):
    filing.transition_to(Status.ACCEPTED)
    publish(filing, by=by)


@pytest.fixture
def published_policy(filing_under_review, reviewer):
    publish_filing(filing_under_review, reviewer)
    return filing_under_review


@pytest.fixture
def original(filing_under_review):
    return filing_under_review.documents.get()


@pytest.fixture
def staff_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client
