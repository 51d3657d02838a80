import itertools

import pytest
from django.core.exceptions import ValidationError

from content.filings.models import (
    TRANSITIONS,
    ConcurrentChange,
    Filing,
    IllegalTransition,
    Status,
)
from tests.factories import FilingFactory

ALLOWED = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}
EVERY_PAIR = list(itertools.product(Status.values, Status.values))


def filing_in(status: str) -> Filing:
    """Walk a new filing along the lifecycle's shortest path to `status`."""
    paths = {
        Status.DRAFT: [],
        Status.SUBMITTED: [Status.SUBMITTED],
        Status.IN_REVIEW: [Status.SUBMITTED, Status.IN_REVIEW],
        Status.CHANGES_REQUESTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED],
        Status.ACCEPTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED],
        Status.PUBLISHED: [Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED],
        Status.WITHDRAWN: [Status.WITHDRAWN],
        Status.REJECTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.REJECTED],
    }
    filing = FilingFactory()
    for step in paths[status]:
        filing.transition_to(step)
    return filing


def test_the_lifecycle_is_the_one_the_ordinance_workflow_needs():
    assert {
        ("draft", "submitted"),
        ("draft", "withdrawn"),
        ("submitted", "in_review"),
        ("submitted", "withdrawn"),
        ("in_review", "changes_requested"),
        ("in_review", "accepted"),
        ("in_review", "rejected"),
        ("changes_requested", "submitted"),
        ("changes_requested", "withdrawn"),
        ("accepted", "published"),
        ("accepted", "changes_requested"),
        ("published", "withdrawn"),
    } == ALLOWED


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), EVERY_PAIR)
def test_every_transition_is_allowed_or_refused_by_the_table(source, target):
    filing = filing_in(source)
    if (source, target) in ALLOWED:
        filing.transition_to(target)
        assert Filing.objects.get(pk=filing.pk).status == target
    else:
        with pytest.raises(IllegalTransition, match=f"from '{source}' to '{target}'"):
            filing.transition_to(target)
        assert Filing.objects.get(pk=filing.pk).status == source


@pytest.mark.django_db
def test_saving_a_changed_status_directly_obeys_the_lifecycle_too():
    filing = FilingFactory()
    filing.status = Status.PUBLISHED
    with pytest.raises(IllegalTransition):
        filing.save()
    assert Filing.objects.get(pk=filing.pk).status == Status.DRAFT


@pytest.mark.django_db
def test_a_new_filing_cannot_start_past_draft():
    with pytest.raises(IllegalTransition):
        FilingFactory(status=Status.PUBLISHED)
    assert not Filing.objects.exists()


@pytest.mark.django_db
def test_submitting_and_publishing_stamp_their_times_once():
    filing = filing_in(Status.SUBMITTED)
    first_submission = filing.submitted_at
    assert first_submission is not None
    filing.transition_to(Status.IN_REVIEW)
    filing.transition_to(Status.CHANGES_REQUESTED)
    filing.transition_to(Status.SUBMITTED)
    assert Filing.objects.get(pk=filing.pk).submitted_at == first_submission
    assert filing.published_at is None


@pytest.mark.django_db
def test_two_people_moving_one_filing_at_once_one_wins_and_the_other_is_told():
    filing = filing_in(Status.IN_REVIEW)
    their_copy = Filing.objects.get(pk=filing.pk)
    filing.transition_to(Status.ACCEPTED)
    with pytest.raises(ConcurrentChange, match="someone else changed it"):
        their_copy.transition_to(Status.CHANGES_REQUESTED)
    assert Filing.objects.get(pk=filing.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_a_filing_of_an_unknown_kind_is_refused_and_not_written():
    with pytest.raises(ValidationError, match="unknown filing kind 'press_release'"):
        FilingFactory(kind="press_release")
    assert not Filing.objects.exists()
