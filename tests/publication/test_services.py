"""Publishing, amending and taking down: one transaction, one version, one log entry."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError

from content.filings.models import (
    ConcurrentChange,
    FilingVersion,
    IllegalTransition,
    PublishedFilingChanged,
    Status,
)
from publication.models import GENESIS_HASH, LogEntryImmutable, PublicationLogEntry
from publication.services import (
    AmendmentRefused,
    PublicationRefused,
    amend,
    publish,
    unpublish,
    withdraw,
)
from search.backends.registry import get_database_backend
from search.query import parse_query
from search.results import SearchRequest


def found_titles(text):
    results = get_database_backend().search(SearchRequest(query=parse_query(text)))
    return [hit.title for hit in results.hits]


@pytest.mark.django_db
def test_publishing_freezes_a_version_with_every_documents_sha256(accepted_policy, reviewer):
    document = accepted_policy.documents.get()

    entry = publish(accepted_policy, by=reviewer)

    accepted_policy.refresh_from_db()
    assert accepted_policy.status == Status.PUBLISHED
    version = entry.version
    assert version.reason == FilingVersion.Reason.PUBLISHED
    assert version.metadata["title"] == "ALPR use policy"
    assert version.documents[0]["sha256"] == document.sha256
    assert entry.sequence == 1
    assert entry.previous_hash == GENESIS_HASH
    assert entry.entry_hash == hashlib.sha256(entry.canonical.encode()).hexdigest()
    hashed = json.loads(entry.canonical)
    assert hashed["documents"] == [
        {
            "id": document.pk,
            "name": "policy.pdf",
            "sha256": document.sha256,
            "size": document.size_bytes,
        }
    ]
    assert hashed["filing"] == {
        "id": accepted_policy.pk,
        "agency": "police",
        "kind": "use_policy",
        "title": "ALPR use policy",
    }
    assert hashed["actor"] == "reviewer"


@pytest.mark.django_db
def test_an_incomplete_filing_is_refused_with_every_problem_and_nothing_changes(
    accepted_policy, reviewer
):
    details = dict(accepted_policy.details)
    del details["training"], details["retention"]
    type(accepted_policy).objects.filter(pk=accepted_policy.pk).update(details=details)
    accepted_policy.refresh_from_db()

    with pytest.raises(PublicationRefused) as refused:
        publish(accepted_policy, by=reviewer)

    assert "Training: required" in str(refused.value)
    assert "Data retention: required" in str(refused.value)
    accepted_policy.refresh_from_db()
    assert accepted_policy.status == Status.ACCEPTED
    assert not FilingVersion.objects.filter(filing=accepted_policy).exists()
    assert not PublicationLogEntry.objects.exists()


@pytest.mark.django_db
def test_a_filing_someone_else_moved_is_not_published_twice(accepted_policy, reviewer):
    stale_copy = type(accepted_policy).objects.get(pk=accepted_policy.pk)
    publish(accepted_policy, by=reviewer)

    with pytest.raises(ConcurrentChange):
        publish(stale_copy, by=reviewer)
    assert PublicationLogEntry.objects.count() == 1


@pytest.mark.django_db
def test_an_amendment_is_a_new_version_linked_to_the_one_it_replaces(accepted_policy, reviewer):
    published = publish(accepted_policy, by=reviewer)

    amended = amend(
        accepted_policy,
        by=reviewer,
        changes={"title": "ALPR use policy (2026)", "reporting_period_end": "2026-12-31"},
        reason="Corrected the title",
    )

    assert amended.version.reason == FilingVersion.Reason.AMENDED
    assert amended.version.supersedes == published.version
    assert amended.version.metadata["title"] == "ALPR use policy (2026)"
    assert published.version.metadata["title"] == "ALPR use policy"
    assert amended.previous_hash == published.entry_hash
    assert accepted_policy.title == "ALPR use policy (2026)"
    assert found_titles("plate") == ["ALPR use policy (2026)"]
    # The caller's copy now holds the amendment as stored, so saving it is no edit.
    accepted_policy.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "draft"}, "cannot change status"),
        ({"reporting_period_end": "next year"}, "reporting_period_end"),
        (
            {"reporting_period_start": "2026-02-01", "reporting_period_end": "2026-01-01"},
            "not valid: Constraint “filing_period_ends_after_start” is violated",
        ),
        ({"technologies": ["no-such-technology"]}, "unknown technologies: no-such-technology"),
        ({"title": "ALPR use policy"}, "changes nothing"),
        ({"details": {"purpose": "Only this."}}, "Training: required"),
    ],
)
def test_an_amendment_that_cannot_stand_changes_nothing(
    accepted_policy, reviewer, changes, message
):
    publish(accepted_policy, by=reviewer)

    with pytest.raises(AmendmentRefused, match=message):
        amend(accepted_policy, by=reviewer, changes=changes, reason="Fixing")

    assert accepted_policy.title == "ALPR use policy"
    assert accepted_policy.details["training"] == "Two hours before first use."
    assert FilingVersion.objects.filter(filing=accepted_policy).count() == 1
    assert PublicationLogEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_published_filing_cannot_be_edited_in_place(accepted_policy, reviewer):
    publish(accepted_policy, by=reviewer)
    accepted_policy.summary = "Quietly rewritten"

    with pytest.raises(ValidationError, match="record a correction or amendment instead"):
        accepted_policy.full_clean()
    with pytest.raises(PublishedFilingChanged, match=r"summary .*amend\(\)"):
        accepted_policy.save()

    accepted_policy.refresh_from_db()
    assert accepted_policy.summary == "How the police may use plate readers."


@pytest.mark.django_db
def test_unpublishing_keeps_the_version_in_the_log_and_leaves_search(accepted_policy, reviewer):
    published = publish(accepted_policy, by=reviewer)
    assert found_titles("thirty days") == ["ALPR use policy"]

    entry = unpublish(accepted_policy, by=reviewer, reason="Published by mistake")

    assert entry.action == PublicationLogEntry.Action.UNPUBLISH
    assert entry.version == published.version
    assert entry.previous_hash == published.entry_hash
    assert accepted_policy.status == Status.WITHDRAWN
    assert found_titles("thirty days") == []


@pytest.mark.django_db
def test_the_agency_withdraws_with_its_own_action_and_needs_a_reason(
    accepted_policy, reviewer, submitter_a
):
    publish(accepted_policy, by=reviewer)
    with pytest.raises(ValueError, match="give a reason"):
        withdraw(accepted_policy, by=submitter_a, reason="  ")
    assert accepted_policy.status == Status.PUBLISHED

    entry = withdraw(accepted_policy, by=submitter_a, reason="Superseded by a new policy")

    assert entry.action == PublicationLogEntry.Action.WITHDRAW
    assert entry.actor_name == "submitter-a"
    with pytest.raises(IllegalTransition, match="only a published filing"):
        unpublish(accepted_policy, by=reviewer, reason="Again")


@pytest.mark.django_db
def test_log_entries_cannot_be_changed_or_deleted_through_the_application(
    accepted_policy, reviewer
):
    entry = publish(accepted_policy, by=reviewer)
    entry.reason = "Rewritten"
    with pytest.raises(LogEntryImmutable, match="cannot be changed"):
        entry.save()
    with pytest.raises(LogEntryImmutable, match="cannot be deleted"):
        entry.delete()
    assert PublicationLogEntry.objects.get().reason == ""
