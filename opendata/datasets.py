"""The published lists, each with its documented columns and the rows the public may see.

Filings, documents and contracts come only from content.filings.visibility, so nothing
unpublished can reach an export. Every list runs a fixed number of queries per chunk.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from content.agencies.models import Agency
from content.filings.visibility import public_documents, public_filings
from content.inventory.models import InventoryEntry
from content.technologies.models import Category, Technology
from content.vendors.models import Vendor

CHUNK_SIZE = 500

# Turns a path into the absolute address the public downloads it from.
AbsoluteUrl = Callable[[str], str]


# Column names are the files' contract and stay as they are in every language; types,
# meanings, titles and descriptions are for people and are translated on the page.
@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[AbsoluteUrl], Iterator[list]]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def _day(value) -> str:
    return value.isoformat() if value else ""


def _agency_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    for agency in Agency.objects.order_by("name", "pk").iterator(chunk_size=CHUNK_SIZE):
        yield [agency.pk, agency.name, agency.slug, agency.abbreviation, agency.website]


def _technology_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    for technology in Technology.objects.order_by("name", "pk").iterator(chunk_size=CHUNK_SIZE):
        yield [
            technology.pk,
            technology.name,
            technology.slug,
            technology.category,
            technology.description,
        ]


def _vendor_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    for vendor in Vendor.objects.order_by("name", "pk").iterator(chunk_size=CHUNK_SIZE):
        yield [vendor.pk, vendor.name, vendor.slug, vendor.website]


def inventory_entries():
    return InventoryEntry.objects.select_related("agency", "technology", "vendor").order_by(
        "agency__name", "technology__name", "vendor__name", "pk"
    )


def _inventory_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    for entry in inventory_entries().iterator(chunk_size=CHUNK_SIZE):
        yield [
            entry.pk,
            entry.agency.name,
            entry.technology.name,
            entry.technology.category,
            entry.vendor.name if entry.vendor_id else "",
            entry.status,
            _day(entry.proposed_on),
            _day(entry.planned_acquisition_on),
            _day(entry.approved_on),
            _day(entry.in_use_since),
            _day(entry.retired_on),
            entry.notes,
        ]


def _filing_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    filings = (
        public_filings()
        .select_related("agency")
        .prefetch_related(Prefetch("technologies", Technology.objects.order_by("name")))
        .order_by("published_at", "pk")
    )
    for filing in filings.iterator(chunk_size=CHUNK_SIZE):
        yield [
            filing.pk,
            filing.agency.name,
            filing.kind,
            filing.title,
            "; ".join(technology.name for technology in filing.technologies.all()),
            _day(filing.reporting_period_start),
            _day(filing.reporting_period_end),
            filing.published_at.isoformat() if filing.published_at else "",
            absolute_url(reverse("publication:filing", args=[filing.pk])),
        ]


def _document_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    documents = public_documents().order_by("filing_id", "pk")
    for document in documents.iterator(chunk_size=CHUNK_SIZE):
        yield [
            document.pk,
            document.filing_id,
            document.original_name,
            document.media_type,
            document.sha256,
            document.size_bytes,
            document.page_count if document.page_count is not None else "",
            absolute_url(reverse("publication:file", args=[document.pk])),
        ]


def public_contract_filings():
    return (
        public_filings()
        .filter(contract__isnull=False)
        .select_related("agency", "contract", "contract__vendor")
        .order_by("published_at", "pk")
    )


def _contract_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    for filing in public_contract_filings().iterator(chunk_size=CHUNK_SIZE):
        contract = filing.contract
        yield [
            filing.pk,
            filing.agency.name,
            filing.title,
            contract.vendor.name,
            f"{contract.amount:.2f}",
            contract.currency,
            _day(contract.award_date),
            _day(contract.period_start),
            _day(contract.period_end),
            contract.funding_source,
            absolute_url(reverse("publication:filing", args=[filing.pk])),
        ]


FILING_URL = Column("public_page_url", _("URL"), _("The filing's public page, with its history."))

DATASETS = (
    Dataset(
        "agencies",
        _("Agencies"),
        _("The city departments the ordinance requires to file."),
        (
            Column("id", _("integer"), _("The agency's number in this portal.")),
            Column("name", _("text"), _("The agency's full name.")),
            Column("slug", _("text"), _("The short name used in this portal's addresses.")),
            Column("abbreviation", _("text"), _("The usual abbreviation, e.g. OPD; may be empty.")),
            Column("website", _("URL"), _("The agency's website; may be empty.")),
        ),
        _agency_rows,
    ),
    Dataset(
        "technologies",
        _("Technologies"),
        _("The surveillance technologies as the ordinance names them."),
        (
            Column("id", _("integer"), _("The technology's number in this portal.")),
            Column("name", _("text"), _("The technology's name.")),
            Column("slug", _("text"), _("The short name used in this portal's addresses.")),
            Column(
                "category",
                _("code"),
                format_lazy(
                    _("Its type, after the EFF Atlas of Surveillance: {codes}."),
                    codes=", ".join(Category.values),
                ),
            ),
            Column("description", _("text"), _("What the technology does; may be empty.")),
        ),
        _technology_rows,
    ),
    Dataset(
        "vendors",
        _("Vendors"),
        _("The companies that sell or operate the technologies."),
        (
            Column("id", _("integer"), _("The vendor's number in this portal.")),
            Column("name", _("text"), _("The company's name.")),
            Column("slug", _("text"), _("The short name used in this portal's addresses.")),
            Column("website", _("URL"), _("The company's website; may be empty.")),
        ),
        _vendor_rows,
    ),
    Dataset(
        "inventory",
        _("Inventory"),
        _("Every technology each agency has proposed, has had approved, uses or has retired."),
        (
            Column("id", _("integer"), _("The entry's number in this portal.")),
            Column("agency", _("text"), _("The agency's name.")),
            Column("technology", _("text"), _("The technology's name.")),
            Column("category", _("code"), _("The technology's type (see the technologies list).")),
            Column("vendor", _("text"), _("The vendor's name; empty when none is named.")),
            Column("status", _("code"), _("proposed, approved, in_use or retired.")),
            Column("proposed_on", _("date (YYYY-MM-DD)"), _("When it was proposed; may be empty.")),
            Column(
                "planned_acquisition_on",
                _("date (YYYY-MM-DD)"),
                _("When the agency intends to acquire it; may be empty."),
            ),
            Column("approved_on", _("date (YYYY-MM-DD)"), _("When it was approved; may be empty.")),
            Column("in_use_since", _("date (YYYY-MM-DD)"), _("When use began; may be empty.")),
            Column("retired_on", _("date (YYYY-MM-DD)"), _("When use ended; may be empty.")),
            Column("notes", _("text"), _("Staff's public notes.")),
        ),
        _inventory_rows,
    ),
    Dataset(
        "filings",
        _("Published filings"),
        _("Every filing currently published: use policies, reports, contracts and the rest."),
        (
            Column("id", _("integer"), _("The filing's number; its page is /filings/<id>/.")),
            Column("agency", _("text"), _("The agency that filed it.")),
            Column("kind", _("code"), _("What the ordinance calls it, e.g. use_policy, contract.")),
            Column("title", _("text"), _("The filing's title.")),
            Column(
                "technologies", _("text"), _("The technologies it concerns, separated by “; ”.")
            ),
            Column(
                "reporting_period_start",
                _("date (YYYY-MM-DD)"),
                _("Start of the period it covers."),
            ),
            Column(
                "reporting_period_end", _("date (YYYY-MM-DD)"), _("End of the period it covers.")
            ),
            Column("published_at", _("date-time (ISO 8601)"), _("When it was first published.")),
            FILING_URL,
        ),
        _filing_rows,
    ),
    Dataset(
        "documents",
        _("Published documents"),
        _("Every file of a published filing; a redacted copy stands in for its original."),
        (
            Column("id", _("integer"), _("The document's number in this portal.")),
            Column(
                "filing_id", _("integer"), _("The filing it belongs to (see published filings).")
            ),
            Column("name", _("text"), _("The file name the agency gave it.")),
            Column("media_type", _("text"), _("The file's type, e.g. application/pdf.")),
            Column("sha256", _("hex text"), _("SHA-256 of the file's bytes, to check a download.")),
            Column("size_bytes", _("integer"), _("The file's size in bytes.")),
            Column("pages", _("integer"), _("Its number of pages; empty for data files.")),
            Column("download_url", _("URL"), _("Where to download the file.")),
        ),
        _document_rows,
    ),
    Dataset(
        "contracts",
        _("Contracts"),
        _("The money side of every published contract filing. Also published as OCDS 1.1."),
        (
            Column("filing_id", _("integer"), _("The contract filing's number.")),
            Column("agency", _("text"), _("The agency that signed it (the buyer).")),
            Column("title", _("text"), _("The filing's title.")),
            Column("vendor", _("text"), _("The supplier.")),
            Column("amount", _("decimal"), _("The contract's value, two decimals, no separators.")),
            Column("currency", _("code"), _("ISO 4217 currency code, e.g. USD.")),
            Column("award_date", _("date (YYYY-MM-DD)"), _("When the contract was awarded.")),
            Column("period_start", _("date (YYYY-MM-DD)"), _("When the contract starts.")),
            Column("period_end", _("date (YYYY-MM-DD)"), _("When the contract ends.")),
            Column("funding_source", _("text"), _("Where the money comes from.")),
            FILING_URL,
        ),
        _contract_rows,
    ),
)

DATASETS_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}
