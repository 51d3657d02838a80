"""Published filings with real documents, for tests that search them."""

import datetime

from content.documents.storing import store_document
from content.filings.models import Status
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.factories import FilingFactory, TechnologyFactory


def published_filing(agency, title, pages, publish=True, technology=None):
    """A filing through the lifecycle to published, with one PDF whose page texts are `pages`."""
    filing = FilingFactory(
        agency=agency,
        title=title,
        kind="use_policy",
        technologies=[technology or TechnologyFactory()],
        reporting_period_end=datetime.date(2025, 12, 31),
    )
    document = store_document(filing, f"{title}.pdf", make_pdf(pages))
    extract_document_text.call(document.pk)
    if publish:
        for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED):
            filing.transition_to(status)
    return filing
