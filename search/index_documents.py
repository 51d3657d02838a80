"""The shape of a filing in any search index, built from the database alone.

Every index is derived from these documents, so any index can be rebuilt from
the database without touching file storage.
"""

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass

from content.filings.models import Filing


@dataclass(frozen=True)
class IndexedPage:
    document_id: int
    document_name: str
    page_number: int
    text: str


@dataclass(frozen=True)
class IndexedFiling:
    filing_id: int
    title: str
    kind: str
    kind_label: str
    agency_slug: str
    agency_name: str
    technologies: tuple[tuple[str, str], ...]  # (slug, name)
    vendors: tuple[tuple[str, str], ...]  # (slug, name)
    year: int | None
    published_at: datetime.datetime | None
    summary: str
    # The kind-specific fields' text (policy sections, report narratives), one string.
    body: str
    pages: tuple[IndexedPage, ...]


def publicly_indexable(queryset=None):
    """Filings that belong in the public index: exactly what the public may see."""
    from content.filings.visibility import public_filings

    published = public_filings()
    return published if queryset is None else queryset.filter(pk__in=published.values("pk"))


def build_indexed_filing(filing: Filing) -> IndexedFiling:
    """The index document for one filing, with its public documents' pages in order."""
    from content.documents.models import DocumentPage
    from content.filings.visibility import public_documents_of

    vendors = {}
    contract = getattr(filing, "contract", None) if hasattr(filing, "contract") else None
    if contract is not None:
        vendors[contract.vendor.slug] = contract.vendor.name
    for entry in filing.agency.inventory.filter(
        technology__in=filing.technologies.all(), vendor__isnull=False
    ).select_related("vendor"):
        vendors.setdefault(entry.vendor.slug, entry.vendor.name)
    year = None
    if filing.reporting_period_end:
        year = filing.reporting_period_end.year
    elif filing.published_at:
        year = filing.published_at.year
    # Rows rather than model instances: a document may have thousands of pages.
    pages = tuple(
        IndexedPage(document_id, document_name, page_number, text)
        for document_id, document_name, page_number, text in DocumentPage.objects.filter(
            document__in=public_documents_of(filing)
        )
        .order_by("document_id", "number")
        .values_list("document_id", "document__original_name", "number", "text")
    )
    details = filing.details if isinstance(filing.details, dict) else {}
    body = "\n\n".join(str(value) for value in details.values() if value not in (None, ""))
    return IndexedFiling(
        filing_id=filing.pk,
        title=filing.title,
        kind=filing.kind,
        kind_label=filing.default_kind_label,
        agency_slug=filing.agency.slug,
        agency_name=filing.agency.name,
        technologies=tuple(
            (technology.slug, technology.name)
            for technology in filing.technologies.order_by("slug")
        ),
        vendors=tuple(sorted(vendors.items())),
        year=year,
        published_at=filing.published_at,
        summary=filing.summary,
        body=body,
        pages=pages,
    )


def fingerprint(filing: IndexedFiling) -> str:
    """A hash of everything indexed for a filing: equal fingerprints, equal index content."""
    # What dataclasses.asdict gives, without its deep copy of every page's text.
    fields = {field.name: getattr(filing, field.name) for field in dataclasses.fields(filing)}
    fields["pages"] = [vars(page) for page in filing.pages]
    encoded = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()
