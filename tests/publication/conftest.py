"""Filings ready to publish, with real documents whose text has been extracted."""

import hashlib
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from content.documents.models import Document
from content.documents.storing import store_document
from content.filings.models import Status
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.factories import FilingFactory, TechnologyFactory

USE_POLICY_DETAILS = {
    "purpose": "Read licence plates to find stolen vehicles.",
    "authorized_uses": "Searching for vehicles on a hot list.",
    "prohibited_uses": "Tracking people at protests.",
    "data_collection": "Plate, time and place of each read.",
    "data_access": "Sworn officers, every search logged.",
    "retention": "Thirty days.",
    "third_party_sharing": "Only with a warrant.",
    "training": "Two hours before first use.",
    "oversight": "Quarterly audit by the inspector general.",
}
POLICY_PAGES = [
    "Section 1. Reads are kept for thirty days.",
    "Section 2. Searches need a case number.",
]


def attach_pdf(filing, name, pages):
    document = store_document(filing, name, make_pdf(pages))
    extract_document_text.call(document.pk)
    return document


def accept(filing):
    for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
        filing.transition_to(status)
    return filing


@pytest.fixture
def technology(db):
    return TechnologyFactory(name="Fixed ALPR cameras", slug="fixed-alpr")


@pytest.fixture
def accepted_policy(agency_a, technology):
    """A complete use policy, accepted by review, with one PDF whose text is POLICY_PAGES."""
    filing = FilingFactory(
        agency=agency_a,
        kind="use_policy",
        title="ALPR use policy",
        summary="How the police may use plate readers.",
        details=dict(USE_POLICY_DETAILS),
        technologies=[technology],
    )
    attach_pdf(filing, "policy.pdf", POLICY_PAGES)
    return accept(filing)


AUDIT_DETAILS = {
    "auditor": "Office of the Inspector General",
    "findings": "Searches were logged.",
    "recommendations": "Keep logging searches.",
}


def attach_small_file(filing, name, text):
    """A CSV stored straight to storage: the fastest Document a test of many actions can make."""
    data = text.encode()
    stored_name = default_storage.save(f"documents/{uuid.uuid4()}.csv", ContentFile(data))
    return Document.objects.create(
        filing=filing,
        file=stored_name,
        original_name=name,
        media_type="text/csv",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        processing=Document.Processing.DATA_FILE,
    )


def accepted_audit(agency, number):
    """A complete audit filing with one small file, accepted by review."""
    filing = FilingFactory(
        agency=agency, kind="audit", title=f"Audit {number}", details=dict(AUDIT_DETAILS)
    )
    attach_small_file(filing, f"audit-{number}.csv", f"finding,{number}\n")
    return accept(filing)
