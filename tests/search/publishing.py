"""Published filings with real documents, for tests that search them."""

import datetime

from content.documents.storing import store_document
from content.filings.models import Status
from publication import services as publication
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.factories import FilingFactory, TechnologyFactory

FILLER = "Stated in the attached file."


def published_filing(agency, title, pages, publish=True, technology=None):
    """A filing through the lifecycle to published, with one PDF whose page texts are `pages`."""
    filing = FilingFactory(
        agency=agency,
        title=title,
        kind="use_policy",
        technologies=[technology or TechnologyFactory()],
        reporting_period_end=datetime.date(2025, 12, 31),
    )
    # Complete, so it can be published as in real use; the filler says nothing searchable.
    filing.details = {rule.name: FILLER for rule in filing.kind_rules.fields}
    filing.save()
    document = store_document(filing, f"{title}.pdf", make_pdf(pages))
    extract_document_text.call(document.pk)
    if publish:
        for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
            filing.transition_to(status)
        publication.publish(filing, by=None)
    return filing
