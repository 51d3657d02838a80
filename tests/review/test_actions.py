"""Review decisions end to end: each one in the audit log, refusals that change nothing,
two staff at once, and publication at a scheduled time."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from content.filings.models import Filing, Status
from publication.models import PublicationLogEntry
from review import services
from review.models import Review
from review.tasks import publish_when_due
from submissions.models import FilingMessage
from tests.review.conftest import walk_to
from tests.review.test_review_page import act, review_url

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def log_of(filing) -> list[tuple[str, str, str, str]]:
    """(action, user, from status, to status) of the filing's review log entries, oldest first."""
    entries = ModelLogEntry.objects.for_instance(filing).filter(action__startswith="review.")
    return [
        (entry.action, str(entry.user), entry.data["from_status"], entry.data["to_status"])
        for entry in entries.order_by("timestamp", "pk")
    ]


def status_of(filing) -> str:
    return Filing.objects.get(pk=filing.pk).status


def test_the_whole_path_from_submitted_to_published_is_in_the_audit_log(
    sign_in, reviewer, second_reviewer, filing_in
):
    filing = filing_in(Status.SUBMITTED)
    client = sign_in(reviewer)
    before = timezone.now()

    steps = [
        act(client, filing, "assign", assignee=reviewer.pk),
        act(client, filing, "start"),
        act(client, filing, "accept"),
        act(client, filing, "publish"),
    ]

    assert [step.status_code for step in steps] == [303] * 4
    assert status_of(filing) == Status.PUBLISHED
    assert log_of(filing) == [
        ("review.assign", "reviewer", "submitted", "submitted"),
        ("review.start", "reviewer", "submitted", "in_review"),
        ("review.accept", "reviewer", "in_review", "accepted"),
        ("review.publish", "reviewer", "accepted", "published"),
    ]
    assert all(entry.timestamp >= before for entry in ModelLogEntry.objects.for_instance(filing))
    assert PublicationLogEntry.objects.get(filing=filing).action == "publish"
    page = client.get(review_url(filing))
    assert "Published. The filing is on the public site." in page.text
    assert "Started review (submitted → in review)" in page.text
    history = client.get(reverse("filings:history", args=[filing.pk]))
    assert history.status_code == 200
    for line in [
        "Assigned to reviewer (submitted)",
        "Started review (submitted → in review)",
        "Accepted (in review → accepted)",
        "Published (accepted → published)",
    ]:
        assert line in history.text


def test_each_action_is_offered_only_when_the_lifecycle_allows_it(sign_in, reviewer, filing_in):
    offered = {}
    for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED):
        filing = filing_in(status)
        page = sign_in(reviewer).get(review_url(filing))
        offered[status] = sorted(
            set(re.findall(rf'action="/admin/review/{filing.pk}/([a-z_]+)/"', page.text))
        )

    assert offered == {
        Status.SUBMITTED: ["assign", "checklist", "comment", "note", "start"],
        Status.IN_REVIEW: [
            "accept",
            "assign",
            "checklist",
            "comment",
            "note",
            "reject",
            "request_changes",
        ],
        Status.ACCEPTED: [
            "assign",
            "checklist",
            "comment",
            "note",
            "publish",
            "request_changes",
            "schedule",
        ],
        Status.PUBLISHED: ["note", "unpublish"],
    }


def test_rejecting_needs_a_reason_which_the_agency_sees_and_the_log_keeps(
    sign_in, reviewer, submitter_a, filing_in
):
    filing = filing_in(Status.IN_REVIEW)
    client = sign_in(reviewer)

    without = act(client, filing, "reject", reason="")
    rejected = act(client, filing, "reject", reason="This is not an audit but a press release.")

    assert without.status_code == 400
    assert "Enter the reason for rejecting." in without.text
    assert rejected.status_code == 303
    assert status_of(filing) == Status.REJECTED
    message = FilingMessage.objects.get(filing=filing)
    assert message.audience == FilingMessage.Audience.AGENCY
    assert message.body == "**Rejected.** This is not an audit but a press release."
    assert log_of(filing) == [("review.reject", "reviewer", "in_review", "rejected")]
    entry = ModelLogEntry.objects.for_instance(filing).get(action="review.reject")
    assert entry.comment == "This is not an audit but a press release."
    agency_page = sign_in(submitter_a).get(
        reverse("submissions:filing_detail", kwargs={"agency": "police", "filing": filing.pk})
    )
    assert "This is not an audit but a press release." in agency_page.text


def test_unpublishing_needs_a_reason_and_goes_through_the_publication_log(
    sign_in, reviewer, filing_in
):
    filing = filing_in(Status.PUBLISHED)
    client = sign_in(reviewer)

    without = act(client, filing, "unpublish", reason=" ")
    unpublished = act(client, filing, "unpublish", reason="Published the wrong file.")

    assert without.status_code == 400
    assert "Enter the reason for unpublishing." in without.text
    assert unpublished.status_code == 303
    assert status_of(filing) == Status.WITHDRAWN
    taken_down = PublicationLogEntry.objects.get(filing=filing, action="unpublish")
    assert taken_down.reason == "Published the wrong file."
    assert log_of(filing) == [("review.unpublish", "reviewer", "published", "withdrawn")]


def test_publishing_a_filing_that_fails_its_rulebook_check_is_refused_with_the_list(
    sign_in, reviewer, filing_in
):
    filing = filing_in(Status.ACCEPTED)
    Filing.objects.filter(pk=filing.pk).update(details={"auditor": "City Auditor"})

    refused = act(sign_in(reviewer), filing, "publish")

    assert refused.status_code == 409
    assert "This filing cannot be published: 2 required items are missing or invalid." in (
        refused.text
    )
    assert "<li>Findings: required</li>" in refused.text
    assert "<li>Recommendations: required</li>" in refused.text
    assert status_of(filing) == Status.ACCEPTED
    assert not PublicationLogEntry.objects.filter(filing=filing).exists()
    assert log_of(filing) == []


def test_the_second_of_two_staff_acting_on_one_page_is_told_and_changes_nothing(
    sign_in, reviewer, second_reviewer, filing_in
):
    filing = filing_in(Status.IN_REVIEW)
    first, second = sign_in(reviewer), sign_in(second_reviewer)
    # Both opened the page while the filing was in review.
    assert 'value="in_review"' in second.get(review_url(filing)).text

    accepted = act(first, filing, "accept", status="in_review")
    late = act(second, filing, "request_changes", status="in_review", comment="Fix page 3.")

    moved_at = timezone.localtime(Filing.objects.get(pk=filing.pk).updated_at).strftime("%H:%M")
    assert accepted.status_code == 303
    assert late.status_code == 409
    assert (
        f"Someone else moved this filing to “accepted” at {moved_at}; reload the page to see "
        "it as it is now. Nothing was changed."
    ) in late.text
    assert "Fix page 3." in late.text  # kept for the person to use again
    assert status_of(filing) == Status.ACCEPTED
    assert not FilingMessage.objects.filter(filing=filing).exists()
    assert log_of(filing) == [("review.accept", "reviewer", "in_review", "accepted")]


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("start", {}),
        ("assign", {"assignee": "me"}),
        ("note", {"body": "A note."}),
        ("checklist", {"ticked": ["title"]}),
    ],
)
def test_any_form_from_a_page_the_agency_has_overtaken_is_refused(
    sign_in, reviewer, submitter_a, filing_in, action, data
):
    filing = filing_in(Status.SUBMITTED)
    # The agency withdraws while the reviewer's page still says "submitted".
    Filing.objects.get(pk=filing.pk).transition_to(Status.WITHDRAWN)
    data = {key: reviewer.pk if value == "me" else value for key, value in data.items()}

    stale = act(sign_in(reviewer), filing, action, status="submitted", **data)

    assert stale.status_code == 409
    assert "Someone else moved this filing to “withdrawn”" in stale.text
    assert status_of(filing) == Status.WITHDRAWN
    assert not Review.objects.filter(filing=filing).exists()
    assert not FilingMessage.objects.filter(filing=filing).exists()
    assert log_of(filing) == []


def test_a_form_without_its_status_is_refused(sign_in, reviewer, filing_in):
    filing = filing_in(Status.IN_REVIEW)

    refused = sign_in(reviewer).post(reverse("review:act", args=[filing.pk, "accept"]))

    assert refused.status_code == 400
    assert "The form did not say which status it was shown for" in refused.text
    assert status_of(filing) == Status.IN_REVIEW


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_the_same_moment_one_wins_the_other_is_told(
    agency_a, submitter_a, reviewer, second_reviewer
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks; run with DATABASE_URL=postgres://...")
    filing = walk_to(Status.IN_REVIEW, agency_a, submitter_a, reviewer)
    start = threading.Barrier(2)
    outcomes = [None, None]
    decisions = [
        lambda copy: services.accept(copy, Status.IN_REVIEW, reviewer),
        lambda copy: services.request_changes(copy, Status.IN_REVIEW, second_reviewer, "Fix it."),
    ]

    def attempt(index):
        try:
            own_copy = Filing.objects.get(pk=filing.pk)
            start.wait()
            decisions[index](own_copy)
            outcomes[index] = "done"
        except services.StaleFiling as stale:
            outcomes[index] = stale
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("done") == 1
    winner = outcomes.index("done")
    assert isinstance(outcomes[1 - winner], services.StaleFiling)
    assert status_of(filing) == [Status.ACCEPTED, Status.CHANGES_REQUESTED][winner]
    assert len(log_of(filing)) == 1
    assert FilingMessage.objects.filter(filing=filing).count() == (1 if winner == 1 else 0)


def queued_publications() -> list:
    """What the (dummy) task queue holds for publish_when_due, oldest first."""
    return [
        result
        for result in publish_when_due.get_backend().results
        if result.task.func is publish_when_due.func
    ]


def future(hours: int) -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)


def form_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_scheduling_queues_a_task_for_that_time_which_then_publishes(
    sign_in, reviewer, filing_in, settings
):
    settings.TASKS = DUMMY_TASKS
    filing = filing_in(Status.ACCEPTED)
    when = future(hours=30)

    scheduled = act(sign_in(reviewer), filing, "schedule", publish_at=form_time(when))

    assert scheduled.status_code == 303
    review = Review.objects.get(filing=filing)
    assert review.publish_at == when
    assert review.publish_scheduled_by == reviewer
    (queued,) = queued_publications()
    assert queued.task.run_after == when
    assert queued.args == [filing.pk, when.isoformat()]
    assert status_of(filing) == Status.ACCEPTED
    assert log_of(filing) == [("review.schedule", "reviewer", "accepted", "accepted")]

    outcome = publish_when_due.call(*queued.args)

    filing.refresh_from_db()
    assert outcome == "published"
    assert filing.status == Status.PUBLISHED
    assert filing.published_at == when
    assert Review.objects.get(filing=filing).publish_at is None
    entry = ModelLogEntry.objects.for_instance(filing).get(action="review.publish")
    assert entry.user == reviewer
    assert entry.data["scheduled_for"] == when.isoformat()
    assert entry.message.startswith("Published as scheduled for ")


def test_a_rescheduled_or_cancelled_publication_leaves_the_old_task_nothing_to_do(
    sign_in, reviewer, filing_in, settings
):
    settings.TASKS = DUMMY_TASKS
    filing = filing_in(Status.ACCEPTED)
    client = sign_in(reviewer)
    act(client, filing, "schedule", publish_at=form_time(future(hours=2)))
    act(client, filing, "schedule", publish_at=form_time(future(hours=5)))
    first, second = queued_publications()

    assert publish_when_due.call(*first.args).startswith("not published")
    assert status_of(filing) == Status.ACCEPTED

    act(client, filing, "unschedule")

    assert publish_when_due.call(*second.args).startswith("not published")
    assert status_of(filing) == Status.ACCEPTED
    assert [action for action, *_ in log_of(filing)] == [
        "review.schedule",
        "review.schedule",
        "review.unschedule",
    ]


def test_requesting_changes_cancels_a_scheduled_publication(sign_in, reviewer, filing_in, settings):
    settings.TASKS = DUMMY_TASKS
    filing = filing_in(Status.ACCEPTED)
    client = sign_in(reviewer)
    act(client, filing, "schedule", publish_at=form_time(future(hours=2)))
    (queued,) = queued_publications()

    act(client, filing, "request_changes", comment="One more redaction, please.")

    assert Review.objects.get(filing=filing).publish_at is None
    assert publish_when_due.call(*queued.args).startswith("not published")
    assert status_of(filing) == Status.CHANGES_REQUESTED


def test_a_scheduled_time_in_the_past_is_refused(sign_in, reviewer, filing_in, settings):
    settings.TASKS = DUMMY_TASKS
    filing = filing_in(Status.ACCEPTED)

    refused = act(sign_in(reviewer), filing, "schedule", publish_at=form_time(future(hours=-1)))

    assert refused.status_code == 409
    assert "Choose a time in the future, or publish now instead." in refused.text
    assert not Review.objects.filter(filing=filing).exists()
    assert queued_publications() == []


def test_scheduling_is_refused_when_the_task_queue_cannot_wait(sign_in, reviewer, filing_in):
    filing = filing_in(Status.ACCEPTED)

    refused = act(sign_in(reviewer), filing, "schedule", publish_at=form_time(future(hours=3)))

    assert refused.status_code == 409
    assert "cannot run work at a later time, so publication cannot be scheduled" in refused.text
    assert not Review.objects.filter(filing=filing).exists()
    assert log_of(filing) == []


def test_a_scheduled_publication_of_a_filing_that_fails_its_check_is_refused_and_logged(
    sign_in, reviewer, filing_in, settings
):
    settings.TASKS = DUMMY_TASKS
    filing = filing_in(Status.ACCEPTED)
    act(sign_in(reviewer), filing, "schedule", publish_at=form_time(future(hours=2)))
    (queued,) = queued_publications()
    # The rulebook check fails by the time the task runs.
    Filing.objects.filter(pk=filing.pk).update(details={"auditor": "City Auditor"})

    outcome = publish_when_due.call(*queued.args)

    assert outcome == "not published: Findings: required; Recommendations: required"
    assert status_of(filing) == Status.ACCEPTED
    assert Review.objects.get(filing=filing).publish_at is None
    entry = ModelLogEntry.objects.for_instance(filing).get(
        action="review.scheduled_publish_refused"
    )
    assert "Findings: required" in entry.message
