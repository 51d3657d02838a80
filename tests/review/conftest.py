"""Review-queue fixtures: filings walked to each status the way people get them there."""

import uuid

import pytest
from django.contrib.auth.models import Group

from content.filings.models import Filing, Status
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from publication.services import publish
from submissions.submitting import submit
from tests.factories import UserFactory
from tests.submissions.conftest import sign_in  # noqa: F401
from tests.submissions.test_submission import access_for, complete_audit


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def second_reviewer(db):
    user = UserFactory(username="second-reviewer", first_name="Sam", last_name="Second")
    user.groups.add(Group.objects.get(name=OVERSIGHT_STAFF_GROUP))
    return user


def submitted(agency, submitter, title="Audit of plate reader retention") -> Filing:
    """A complete audit filed by `submitter` through the agency portal's own submit()."""
    filing = complete_audit(agency, title=title)
    submit(access_for(submitter, agency), filing, uuid.uuid4())
    return filing


def walk_to(status: str, agency, submitter, reviewer) -> Filing:
    """A complete filing in `status`, reached along the lifecycle."""
    if status == Status.DRAFT:
        return complete_audit(agency)
    filing = submitted(agency, submitter)
    steps = {
        Status.SUBMITTED: [],
        Status.WITHDRAWN: [Status.WITHDRAWN],
        Status.IN_REVIEW: [Status.IN_REVIEW],
        Status.CHANGES_REQUESTED: [Status.IN_REVIEW, Status.CHANGES_REQUESTED],
        Status.ACCEPTED: [Status.IN_REVIEW, Status.ACCEPTED],
        Status.REJECTED: [Status.IN_REVIEW, Status.REJECTED],
        Status.PUBLISHED: [Status.IN_REVIEW, Status.ACCEPTED],
    }[status]
    for step in steps:
        filing.transition_to(step)
    if status == Status.PUBLISHED:
        publish(filing, by=reviewer)
    return filing


@pytest.fixture
def filing_in(agency_a, submitter_a, reviewer):
    def make(status: str) -> Filing:
        return walk_to(status, agency_a, submitter_a, reviewer)

    return make
