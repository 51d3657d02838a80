"""Freezing a filing's state into an append-only version."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from content.filings.models import Filing, FilingVersion


def snapshot(filing: Filing) -> tuple[dict, list[dict]]:
    """The filing's metadata and its documents' identities, as plain JSON."""
    metadata = {
        "kind": filing.kind,
        "title": filing.title,
        "agency": filing.agency.slug,
        "technologies": sorted(filing.technologies.values_list("slug", flat=True)),
        "reporting_period_start": filing.reporting_period_start,
        "reporting_period_end": filing.reporting_period_end,
        "due_on": filing.due_on,
        "summary": filing.summary,
        "details": filing.details,
        "status": filing.status,
    }
    if hasattr(filing, "contract"):
        contract = filing.contract
        metadata["contract"] = {
            "vendor": contract.vendor.slug,
            "amount": contract.amount,
            "currency": contract.currency,
            "period_start": contract.period_start,
            "period_end": contract.period_end,
            "funding_source": contract.funding_source,
            "award_date": contract.award_date,
        }
    # Dates and decimals become strings, exactly as they are frozen in the JSON column.
    metadata = json.loads(json.dumps(metadata, cls=DjangoJSONEncoder))
    documents = [
        {
            "id": document.pk,
            "original_name": document.original_name,
            "sha256": document.sha256,
            "size_bytes": document.size_bytes,
        }
        for document in filing.documents.order_by("pk")
    ]
    return metadata, documents


@transaction.atomic
def freeze_version(filing: Filing, reason: str, by=None, at=None) -> FilingVersion:
    """Append a new version; the previous one, if any, is the one it supersedes.

    `at` records when it was frozen, for imports of a history; it defaults to now.
    """
    previous = (
        FilingVersion.objects.select_for_update().filter(filing=filing).order_by("-number").first()
    )
    metadata, documents = snapshot(filing)
    return FilingVersion.objects.create(
        filing=filing,
        number=(previous.number + 1) if previous else 1,
        reason=reason,
        metadata=metadata,
        documents=documents,
        supersedes=previous,
        created_by=by,
        created_at=at or timezone.now(),
    )
