"""Count every change to what the public pages show: saves, deletions, relation changes and
status transitions of the record's models, publication log entries and editorial pages.

An agency's edits to a filing it has not submitted change no public page, and are the most
frequent writes of all, so they are not counted; submitting it is (a status transition).
"""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from content.filings.models import Filing, Status
from content.filings.signals import filing_status_changed
from portal.public_cache.models import PublicRecordRevision

# The apps whose rows appear on public pages, by app label.
RECORD_APPS = frozenset(
    {
        "agencies",
        "technologies",
        "vendors",
        "inventory",
        "filings",
        "documents",
        "compliance",
        "publication",
        "redaction",
    }
)


# Statuses in which a filing is the agency's own work in progress.
UNSUBMITTED = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


# The one row (the migration creates it; a flushed database gets it back on the next change).
REVISION_ROW = 1


def current_revision() -> int:
    revisions = PublicRecordRevision.objects.filter(pk=REVISION_ROW)
    return revisions.values_list("number", flat=True).first() or 0


def bump_revision() -> None:
    revisions = PublicRecordRevision.objects.filter(pk=REVISION_ROW)
    if not revisions.update(number=F("number") + 1):
        PublicRecordRevision.objects.get_or_create(pk=REVISION_ROW, defaults={"number": 1})


def record_changed() -> None:
    """Counted after the change commits: a reader who renders a page in between caches it
    under the old number, which no request asks for once the count moves."""
    transaction.on_commit(bump_revision)


def _filing_status(instance) -> str | None:
    """The status of the filing `instance` is or belongs to; None for anything else."""
    if isinstance(instance, Filing):
        return instance.status
    filing_id = getattr(instance, "filing_id", None)
    return None if filing_id is None else _filing_status_by_id(filing_id)


def record_filing_changed(filing_id: int) -> None:
    """Count a change to one filing's public face, unless the agency is still writing it."""
    if _filing_status_by_id(filing_id) not in UNSUBMITTED:
        record_changed()


def _filing_status_by_id(filing_id: int) -> str | None:
    return Filing.objects.filter(pk=filing_id).values_list("status", flat=True).first()


def _on_model_change(sender, instance, **kwargs):
    if sender._meta.app_label in RECORD_APPS and _filing_status(instance) not in UNSUBMITTED:
        record_changed()


def _on_any_change(sender, **kwargs):
    record_changed()


def connect() -> None:
    post_save.connect(_on_model_change, dispatch_uid="public_cache.post_save")
    post_delete.connect(_on_model_change, dispatch_uid="public_cache.post_delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="public_cache.m2m_changed")
    filing_status_changed.connect(_on_any_change, dispatch_uid="public_cache.status")
    page_published.connect(_on_any_change, dispatch_uid="public_cache.page_published")
    page_unpublished.connect(_on_any_change, dispatch_uid="public_cache.page_unpublished")
