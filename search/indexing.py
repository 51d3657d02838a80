"""Keeping every index in step with the record.

The database index changes in the same transaction as the filing. Elasticsearch,
when it answers queries, is told through an outbox row written in that same
transaction and drained by a worker task with retries and backoff; the
reconciler repairs whatever drift remains.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from content.filings.models import Filing
from portal.public_cache.invalidation import record_filing_changed
from search.backends.base import SearchBackend, SearchUnavailable, SearchUnreachable
from search.backends.registry import get_database_backend, get_search_backend
from search.index_documents import build_indexed_filing, publicly_indexable
from search.models import IndexOutboxEntry

logger = logging.getLogger(__name__)

MAX_BACKOFF = datetime.timedelta(minutes=5)
DRAIN_BATCH = 100


def uses_external_engine() -> bool:
    return settings.SEARCH_BACKEND != "database"


def apply_current_state(backend: SearchBackend, filing_id: int) -> None:
    """Make `backend` hold exactly what the record says about one filing now."""
    # Search pages cached before this change would hide it.
    record_filing_changed(filing_id)
    # The contract and its vendor with the filing, as the reconciler reads them: one query
    # rather than two more while building the index document.
    filing = (
        publicly_indexable(Filing.objects.filter(pk=filing_id))
        .select_related("agency", "contract__vendor")
        .first()
    )
    if filing is None:
        backend.remove_filing(filing_id)
    else:
        backend.index_filing(build_indexed_filing(filing))


def record_filing_change(filing_id: int) -> None:
    """Call inside the transaction that changed a filing or its documents' text."""
    apply_current_state(get_database_backend(), filing_id)
    if uses_external_engine():
        IndexOutboxEntry.objects.create(filing_id=filing_id)
        transaction.on_commit(lambda: drain_search_outbox.enqueue())


def backoff(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(seconds=2**attempts), MAX_BACKOFF)


def drain_outbox(backend: SearchBackend | None = None, limit: int = DRAIN_BATCH) -> dict:
    """Apply due outbox entries to the search engine; failures wait and retry with backoff."""
    backend = backend or get_search_backend()
    now = timezone.now()
    due = list(IndexOutboxEntry.objects.filter(available_at__lte=now).order_by("id")[:limit])
    applied, failed = set(), set()
    unreachable = None
    for filing_id in dict.fromkeys(entry.filing_id for entry in due):
        entries = [entry for entry in due if entry.filing_id == filing_id]
        # A frozen server would make every filing of the batch wait out the whole timeout;
        # once the engine does not answer, the rest of the batch waits without asking.
        error = unreachable or try_to_apply(backend, filing_id)
        if error is None:
            applied.add(filing_id)
            IndexOutboxEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
            continue
        if isinstance(error, SearchUnreachable):
            unreachable = error
        failed.add(filing_id)
        for entry in entries:
            entry.attempts += 1
            entry.available_at = now + backoff(entry.attempts)
            entry.last_error = str(error)[:2000]
        IndexOutboxEntry.objects.bulk_update(entries, ["attempts", "available_at", "last_error"])
        logger.warning("search index update for filing %s failed: %s", filing_id, error)
    return {
        "applied": len(applied),
        "failed": len(failed),
        "waiting": IndexOutboxEntry.objects.count(),
    }


def try_to_apply(backend: SearchBackend, filing_id: int) -> SearchUnavailable | None:
    try:
        apply_current_state(backend, filing_id)
    except SearchUnavailable as error:
        return error
    return None


@task
def drain_search_outbox() -> dict:
    """Drain what is due, then schedule itself again while entries are still waiting."""
    outcome = drain_outbox()
    next_entry = IndexOutboxEntry.objects.order_by("available_at").first()
    # A backend that cannot defer (the immediate one in tests) would loop at once;
    # there the next change or the reconciler picks the entries up.
    if next_entry is not None and drain_search_outbox.get_backend().supports_defer:
        drain_search_outbox.using(run_after=next_entry.available_at).enqueue()
    return outcome
