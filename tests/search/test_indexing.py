"""The index follows the record: in the same transaction for the database, via the outbox
for Elasticsearch, repaired by the reconciler."""

import dataclasses
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from content.filings.models import Status
from publication.services import amend
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.backends.registry import get_database_backend
from search.index_documents import build_indexed_filing
from search.indexing import drain_outbox
from search.models import IndexOutboxEntry
from search.query import parse_query
from search.reconciler import find_drift, repair
from search.results import SearchRequest
from tests.search.publishing import published_filing

PAGES = ["Purpose of the policy", "Data retention is thirty days", "Audits by the inspector"]


def titles(backend, text):
    results = backend.search(SearchRequest(query=parse_query(text)))
    return [hit.title for hit in results.hits]


@pytest.mark.django_db
def test_publishing_puts_a_filing_in_the_database_index_and_withdrawing_takes_it_out(agency_a):
    filing = published_filing(agency_a, "ALPR use policy", PAGES)
    database = get_database_backend()
    assert titles(database, "retention") == ["ALPR use policy"]
    filing.transition_to(Status.WITHDRAWN)
    assert titles(database, "retention") == []


@pytest.mark.django_db
def test_drafts_and_submissions_never_reach_the_index(agency_a):
    draft = published_filing(agency_a, "Draft drone policy", PAGES, publish=False)
    draft.transition_to(Status.SUBMITTED)
    assert titles(get_database_backend(), "retention") == []


@pytest.mark.django_db(transaction=True)
def test_a_publication_that_rolls_back_leaves_the_index_as_it_was(agency_a):
    filing = published_filing(agency_a, "Gunshot policy", PAGES, publish=False)
    for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
        filing.transition_to(status)

    def publish_then_fail():
        with transaction.atomic():
            filing.transition_to(Status.PUBLISHED)
            raise RuntimeError("the publication failed after the status change")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert titles(get_database_backend(), "retention") == []


@pytest.fixture
def engine_down(settings):
    """Elasticsearch configured, but nothing listens at its address."""
    settings.SEARCH_BACKEND = "elasticsearch"
    return ElasticsearchSearchBackend.for_url("http://127.0.0.1:9", index_prefix="portal-test-down")


@pytest.mark.django_db
def test_with_the_search_server_down_publication_succeeds_and_nothing_is_lost(
    agency_a, engine_down, elasticsearch_search_backend
):
    filing = published_filing(agency_a, "Camera registry policy", PAGES)
    assert Status(filing.status) == Status.PUBLISHED
    assert IndexOutboxEntry.objects.filter(filing_id=filing.pk).exists()

    outcome = drain_outbox(engine_down)
    assert outcome == {"applied": 0, "failed": 1, "waiting": 1}
    entry = IndexOutboxEntry.objects.get(filing_id=filing.pk)
    assert entry.attempts == 1
    assert entry.available_at > timezone.now()
    assert "127.0.0.1:9" in entry.last_error

    # The server is back: once the backoff has passed, the worker catches up alone.
    IndexOutboxEntry.objects.update(available_at=timezone.now())
    assert drain_outbox(elasticsearch_search_backend)["applied"] == 1
    assert not IndexOutboxEntry.objects.exists()
    assert titles(elasticsearch_search_backend, "retention") == ["Camera registry policy"]


@pytest.mark.django_db
def test_the_reconciler_finds_and_repairs_missing_stale_and_extra_entries(agency_a, search_backend):
    kept = published_filing(agency_a, "Kept policy", PAGES)
    missing = published_filing(agency_a, "Missing policy", PAGES)
    withdrawn = published_filing(agency_a, "Withdrawn policy", PAGES)
    search_backend.rebuild([build_indexed_filing(f) for f in (kept, missing, withdrawn)])
    search_backend.remove_filing(missing.pk)
    withdrawn.transition_to(Status.WITHDRAWN)
    search_backend.index_filing(build_indexed_filing(withdrawn))  # drift: it stayed in
    outdated = dataclasses.replace(build_indexed_filing(kept), title="Kept policy, old title")
    search_backend.index_filing(outdated)  # drift: an update that never arrived

    drift = find_drift(search_backend)
    assert (drift.missing, drift.stale, drift.extra) == ((missing.pk,), (kept.pk,), (withdrawn.pk,))
    assert repair(search_backend, drift) == 3
    assert find_drift(search_backend).total == 0
    assert sorted(titles(search_backend, "retention")) == ["Kept policy", "Missing policy"]


@pytest.mark.django_db
def test_the_commands_rebuild_and_reconcile_with_a_summary(agency_a):
    published_filing(agency_a, "Drone policy", PAGES)
    output = io.StringIO()
    call_command("search_index", "rebuild", "--backend", "database", stdout=output)
    assert "Rebuilt the database index: 1 published filings" in output.getvalue()
    output = io.StringIO()
    call_command("search_index", "reconcile", "--backend", "database", stdout=output)
    assert "0 missing, 0 stale, 0 that should not be there" in output.getvalue()
    assert "The index matches the database." in output.getvalue()


@pytest.mark.django_db
def test_amending_a_published_filing_updates_the_database_index(agency_a, reviewer):
    filing = published_filing(agency_a, "Drone policy", PAGES)
    amend(filing, reviewer, {"title": "Unmanned aircraft policy"}, reason="Clearer title")
    assert titles(get_database_backend(), "retention") == ["Unmanned aircraft policy"]


@pytest.mark.django_db
def test_while_entries_wait_the_worker_schedules_its_own_next_run(
    agency_a, engine_down, settings, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    from search import indexing

    published_filing(agency_a, "Camera registry policy", PAGES)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(indexing, "get_search_backend", lambda: engine_down)
    indexing.drain_search_outbox.call()
    waiting = IndexOutboxEntry.objects.get()
    scheduled = DBTaskResult.objects.filter(task_path__endswith="drain_search_outbox").get()
    assert scheduled.run_after == waiting.available_at
