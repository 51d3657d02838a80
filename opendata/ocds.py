"""Published contracts as an OCDS 1.1 release package: one release per contract filing.

The ocid prefix is registered with the Open Contracting Partnership by the publisher; until a
deployment sets OCDS_PREFIX to its own, the default below marks the ids as unregistered.
"""

import datetime

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from content.filings.visibility import public_documents
from opendata.datasets import AbsoluteUrl, public_contract_filings
from publication.models import PublicationLogEntry

OCDS_VERSION = "1.1"
# OCDS ocids are "ocds-" and six registered characters; "xxxxxx" is no registered prefix.
DEFAULT_OCDS_PREFIX = "ocds-xxxxxx"


class NoContractsPublished(LookupError):
    """OCDS requires at least one release in a package, so there is none to make yet."""


def ocds_prefix() -> str:
    return getattr(settings, "OCDS_PREFIX", DEFAULT_OCDS_PREFIX)


def _start_of_day(day: datetime.date) -> str:
    """OCDS dates are date-times; a contract's dates are days, so midnight UTC."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC).isoformat()


def _organization(kind: str, pk: int, name: str) -> dict:
    return {"id": f"{kind}-{pk}", "name": name}


def _release(filing, documents, absolute_url: AbsoluteUrl) -> dict:
    contract = filing.contract
    buyer = _organization("agency", filing.agency_id, filing.agency.name)
    supplier = _organization("vendor", contract.vendor_id, contract.vendor.name)
    value = {"amount": float(contract.amount), "currency": contract.currency}
    award_id = f"{filing.pk}-award"
    return {
        "ocid": f"{ocds_prefix()}-filing-{filing.pk}",
        # An amendment freezes a new version, so each published version is its own release.
        "id": f"filing-{filing.pk}-version-{filing.latest_version}",
        "date": filing.latest_version_at.isoformat(),
        "tag": ["contract"],
        "initiationType": "tender",
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity"]},
            {**supplier, "roles": ["supplier"]},
        ],
        "buyer": buyer,
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "date": _start_of_day(contract.award_date),
                "value": value,
                "suppliers": [supplier],
            }
        ],
        "contracts": [
            {
                "id": f"{filing.pk}-contract",
                "awardID": award_id,
                "title": filing.title,
                "value": value,
                "period": {
                    "startDate": _start_of_day(contract.period_start),
                    "endDate": _start_of_day(contract.period_end),
                },
                "documents": [
                    {
                        "id": str(document.pk),
                        "documentType": "contractSigned",
                        "title": document.original_name,
                        "url": absolute_url(reverse("publication:file", args=[document.pk])),
                        "format": document.media_type,
                        "datePublished": filing.published_at.isoformat(),
                    }
                    for document in documents.get(filing.pk, [])
                ],
            }
        ],
    }


def release_package(absolute_url: AbsoluteUrl) -> dict:
    documents: dict[int, list] = {}
    for document in public_documents().filter(filing__contract__isnull=False).order_by("pk"):
        documents.setdefault(document.filing_id, []).append(document)
    filings = public_contract_filings().annotate(
        latest_version=Max("versions__number"), latest_version_at=Max("versions__created_at")
    )
    releases = [_release(filing, documents, absolute_url) for filing in filings]
    if not releases:
        raise NoContractsPublished(
            "No contract has been published yet; an OCDS release package needs at least one."
        )
    # For a package made on demand, OCDS asks for the last change to what it holds: every
    # publication, amendment and take-down is a log entry.
    last_change = (
        PublicationLogEntry.objects.order_by("-sequence")
        .values_list("recorded_at", flat=True)
        .first()
    )
    return {
        "uri": absolute_url(reverse("opendata:ocds")),
        "version": OCDS_VERSION,
        "publishedDate": (last_change or timezone.now()).isoformat(),
        "publisher": {"name": settings.WAGTAIL_SITE_NAME},
        "publicationPolicy": absolute_url(reverse("opendata:index")),
        "releases": releases,
    }
