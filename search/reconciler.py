"""Compare an index with the record and repair the difference."""

from collections.abc import Callable
from dataclasses import dataclass

from content.filings.models import Filing
from portal.public_cache.invalidation import record_changed
from search.backends.base import SearchBackend
from search.index_documents import build_indexed_filing, fingerprint, publicly_indexable


@dataclass(frozen=True)
class Drift:
    missing: tuple[int, ...]  # published, not in the index
    stale: tuple[int, ...]  # in the index with other content than the record's
    extra: tuple[int, ...]  # in the index, not published (withdrawn, unpublished, deleted)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)


def published_filings():
    return (
        publicly_indexable(Filing.objects.all())
        .select_related("agency", "contract__vendor")
        .prefetch_related("technologies")
        .order_by("pk")
    )


def find_drift(backend: SearchBackend) -> Drift:
    indexed = backend.indexed_filing_ids()
    expected = {
        filing.pk: fingerprint(build_indexed_filing(filing)) for filing in published_filings()
    }
    return Drift(
        missing=tuple(sorted(set(expected) - set(indexed))),
        stale=tuple(
            sorted(pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk])
        ),
        extra=tuple(sorted(set(indexed) - set(expected))),
    )


def repair(
    backend: SearchBackend, drift: Drift, progress: Callable[[int], None] | None = None
) -> int:
    """Index what is missing or stale, remove what should not be there; return the count."""
    done = 0
    to_index = {
        filing.pk: filing
        for filing in published_filings().filter(pk__in=(*drift.missing, *drift.stale))
    }
    for filing in to_index.values():
        backend.index_filing(build_indexed_filing(filing))
        done += 1
        if progress:
            progress(done)
    for filing_id in drift.extra:
        backend.remove_filing(filing_id)
        done += 1
        if progress:
            progress(done)
    if done:
        record_changed()
    return done
