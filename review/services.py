"""What oversight staff do to a filing under review, each in one transaction with its entry
in the filing's audit log (Wagtail's log: who, when, what, from which status to which).

Every function takes the status the person's page showed (`seen_status`). The filing's
review row is locked first, so two staff acting on one filing take turns; whoever comes
second finds the status moved and gets StaleFiling, and nothing of theirs is written.
The agency's own status changes do not take that lock; transition_to's conditional
update catches those (ConcurrentChange), with the same outcome.
"""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content.filings.completeness import Problem, check_filing
from content.filings.models import TRANSITIONS, ConcurrentChange, Filing, Status
from publication import services as publication
from review.access import can_review
from review.checklist import item_names
from review.models import Review
from submissions.access import REPLYABLE
from submissions.models import FilingMessage
from submissions.notifications import current_round
from submissions.submitting import MAX_MESSAGE_LENGTH

START = "review.start"
REQUEST_CHANGES = "review.request_changes"
ACCEPT = "review.accept"
PUBLISH = "review.publish"
SCHEDULE = "review.schedule"
UNSCHEDULE = "review.unschedule"
SCHEDULED_PUBLISH_REFUSED = "review.scheduled_publish_refused"
REJECT = "review.reject"
UNPUBLISH = "review.unpublish"
ASSIGN = "review.assign"
NOTE = "review.note"
COMMENT = "review.comment"
CHECKLIST = "review.checklist"

# What each decision is called in a refusal: "A filing that is submitted cannot be accepted."
DECISION_VERBS = {
    Status.IN_REVIEW: "taken into review",
    Status.CHANGES_REQUESTED: "sent back for changes",
    Status.ACCEPTED: "accepted",
    Status.PUBLISHED: "published",
    Status.REJECTED: "rejected",
}


class ReviewRefused(Exception):
    """Nothing was changed; the message says why, for the staff member who asked."""


class StaleFiling(ReviewRefused):
    """The filing is no longer in the status the person's page showed."""

    def __init__(self, filing: Filing):
        self.filing = filing
        moved_at = timezone.localtime(filing.updated_at).strftime("%H:%M")
        super().__init__(
            f"Someone else moved this filing to “{filing.get_status_display().lower()}” at "
            f"{moved_at}; reload the page to see it as it is now. Nothing was changed."
        )


class PublishRefused(ReviewRefused):
    """The filing fails its rulebook check; `problems` lists every item."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        items = "item is" if count == 1 else "items are"
        super().__init__(
            f"This filing cannot be published: {count} required {items} missing or invalid. "
            "Nothing was published."
        )


def may_move(filing: Filing, target: str) -> bool:
    return target in TRANSITIONS.get(filing.status, ())


def _refuse_unless_may_move(filing: Filing, target: str) -> None:
    if not may_move(filing, target):
        raise ReviewRefused(
            f"A filing that is {filing.get_status_display().lower()} cannot be "
            f"{DECISION_VERBS[target]}. Nothing was changed."
        )


def _required_text(text, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReviewRefused(missing)
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ReviewRefused(
            f"The text is {len(text):,} characters long; the limit is {MAX_MESSAGE_LENGTH:,}."
        )
    return text


@contextmanager
def _acting_on(filing: Filing, seen_status: str):
    """Lock the filing's review, read the filing as stored now, refuse if its status moved."""
    with transaction.atomic():
        review, _ = Review.objects.get_or_create(filing_id=filing.pk)
        review = Review.objects.select_for_update().get(pk=review.pk)
        current = Filing.objects.select_related("agency").get(pk=filing.pk)
        if current.status != seen_status:
            raise StaleFiling(current)
        try:
            yield review, current
        except ConcurrentChange:
            current.refresh_from_db()
            raise StaleFiling(current) from None


def _log(filing: Filing, action: str, by, source: str, **data) -> None:
    log(
        filing,
        action,
        user=by,
        data={"from_status": str(source), "to_status": str(filing.status), **data},
    )


def _clear_schedule(review: Review) -> str | None:
    """Forget a scheduled publication; its queued task then finds nothing to do."""
    previous = review.publish_at
    review.publish_at = None
    review.publish_scheduled_by = None
    review.save(update_fields=["publish_at", "publish_scheduled_by", "updated_at"])
    return previous.isoformat() if previous else None


def _agency_message(filing: Filing, by, body: str) -> FilingMessage:
    return FilingMessage.objects.create(
        filing=filing,
        author=by,
        audience=FilingMessage.Audience.AGENCY,
        round=current_round(filing),
        body=body,
    )


def start_review(filing: Filing, seen_status: str, by) -> None:
    with _acting_on(filing, seen_status) as (_review, current):
        _refuse_unless_may_move(current, Status.IN_REVIEW)
        current.transition_to(Status.IN_REVIEW)
        _log(current, START, by, seen_status)


def request_changes(filing: Filing, seen_status: str, by, comment: str) -> FilingMessage:
    comment = _required_text(
        comment, "Write what the agency must change; your comment is emailed to them."
    )
    with _acting_on(filing, seen_status) as (review, current):
        _refuse_unless_may_move(current, Status.CHANGES_REQUESTED)
        # Written before the status change: the agency's email quotes this round's comments.
        message = _agency_message(current, by, comment)
        current.transition_to(Status.CHANGES_REQUESTED)
        cancelled = _clear_schedule(review)
        _log(
            current,
            REQUEST_CHANGES,
            by,
            seen_status,
            comment=comment,
            message_id=message.pk,
            cancelled_publication_at=cancelled,
        )
        return message


def accept(filing: Filing, seen_status: str, by) -> None:
    with _acting_on(filing, seen_status) as (_review, current):
        _refuse_unless_may_move(current, Status.ACCEPTED)
        current.transition_to(Status.ACCEPTED)
        _log(current, ACCEPT, by, seen_status)


def reject(filing: Filing, seen_status: str, by, reason: str) -> FilingMessage:
    reason = _required_text(reason, "Give the reason for rejecting; the agency sees it.")
    with _acting_on(filing, seen_status) as (_review, current):
        _refuse_unless_may_move(current, Status.REJECTED)
        message = _agency_message(current, by, f"**Rejected.** {reason}")
        current.transition_to(Status.REJECTED)
        _log(current, REJECT, by, seen_status, reason=reason, message_id=message.pk)
        return message


def publish_now(filing: Filing, seen_status: str, by) -> None:
    with _acting_on(filing, seen_status) as (review, current):
        _refuse_unless_may_move(current, Status.PUBLISHED)
        try:
            entry = publication.publish(current, by=by)
        except publication.PublicationRefused as refused:
            raise PublishRefused(refused.problems) from None
        cancelled = _clear_schedule(review)
        _log(
            current,
            PUBLISH,
            by,
            seen_status,
            publication_log_sequence=entry.sequence,
            cancelled_publication_at=cancelled,
        )


def schedule_publication(
    filing: Filing, seen_status: str, by, publish_at: datetime.datetime
) -> None:
    """Have the task queue publish the accepted filing at `publish_at`."""
    # Imported here because the task module calls back into this one.
    from review.tasks import publish_when_due

    with _acting_on(filing, seen_status) as (review, current):
        if publish_at <= timezone.now():
            raise ReviewRefused("Choose a time in the future, or publish now instead.")
        if not publish_when_due.get_backend().supports_defer:
            raise ReviewRefused(
                "This portal's task queue cannot run work at a later time, so publication "
                "cannot be scheduled. Publish now, or ask the portal's administrators to use "
                "the database task queue."
            )
        if current.status != Status.ACCEPTED:
            raise ReviewRefused(
                "Only an accepted filing can be scheduled for publication; this one is "
                f"{current.get_status_display().lower()}. Nothing was changed."
            )
        problems = check_filing(current)
        if problems:
            raise PublishRefused(problems)
        replaced = review.publish_at.isoformat() if review.publish_at else None
        review.publish_at = publish_at
        review.publish_scheduled_by = by
        review.save(update_fields=["publish_at", "publish_scheduled_by", "updated_at"])
        _log(
            current,
            SCHEDULE,
            by,
            seen_status,
            publish_at=publish_at.isoformat(),
            replaced_publication_at=replaced,
        )
        # Queued in this transaction: with the database queue, the task and the
        # schedule are committed together or not at all.
        publish_when_due.using(run_after=publish_at).enqueue(current.pk, publish_at.isoformat())


def cancel_schedule(filing: Filing, seen_status: str, by) -> None:
    with _acting_on(filing, seen_status) as (review, current):
        if review.publish_at is None:
            raise ReviewRefused("This filing is not scheduled for publication.")
        cancelled = _clear_schedule(review)
        _log(current, UNSCHEDULE, by, seen_status, cancelled_publication_at=cancelled)


def publish_scheduled(filing_id: int, scheduled_for: datetime.datetime) -> str:
    """Publish as scheduled, unless the schedule changed or the filing left "accepted" since.

    The publication is recorded at the scheduled time, by whoever scheduled it.
    """
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(filing_id=filing_id).first()
        if review is None or review.publish_at != scheduled_for:
            return "not published: the schedule was changed or cancelled"
        filing = Filing.objects.get(pk=filing_id)
        if filing.status != Status.ACCEPTED:
            return f"not published: the filing is {filing.get_status_display().lower()}"
        by = review.publish_scheduled_by
        try:
            entry = publication.publish(filing, by=by, at=scheduled_for)
        except publication.PublicationRefused as refused:
            _clear_schedule(review)
            problems = [str(problem) for problem in refused.problems]
            _log(filing, SCHEDULED_PUBLISH_REFUSED, by, filing.status, problems=problems)
            return "not published: " + "; ".join(problems)
        _clear_schedule(review)
        _log(
            filing,
            PUBLISH,
            by,
            Status.ACCEPTED,
            scheduled_for=scheduled_for.isoformat(),
            publication_log_sequence=entry.sequence,
        )
        return "published"


def unpublish(filing: Filing, seen_status: str, by, reason: str) -> None:
    reason = _required_text(
        reason, "Give the reason for taking the filing down; the public page shows it."
    )
    with _acting_on(filing, seen_status) as (_review, current):
        if current.status != Status.PUBLISHED:
            raise ReviewRefused(
                f"Only a published filing can be unpublished; this one is "
                f"{current.get_status_display().lower()}. Nothing was changed."
            )
        entry = publication.unpublish(current, by=by, reason=reason)
        _log(
            current,
            UNPUBLISH,
            by,
            seen_status,
            reason=reason,
            publication_log_sequence=entry.sequence,
        )


def assign(filing: Filing, seen_status: str, by, assignee) -> None:
    """Give the filing to `assignee` to review, or to nobody when None."""
    if assignee is not None and not can_review(assignee):
        raise ReviewRefused(f"{assignee} is not oversight staff and cannot review filings.")
    with _acting_on(filing, seen_status) as (review, current):
        previous = review.assigned_to
        if previous == assignee:
            raise ReviewRefused(
                f"This filing is already assigned to {assignee}."
                if assignee
                else "This filing is not assigned to anyone."
            )
        review.assigned_to = assignee
        review.save(update_fields=["assigned_to", "updated_at"])
        _log(
            current,
            ASSIGN,
            by,
            seen_status,
            assigned_to=str(assignee) if assignee else None,
            assigned_to_id=assignee.pk if assignee else None,
            previously_assigned_to=str(previous) if previous else None,
        )


def add_internal_note(filing: Filing, seen_status: str, by, body: str) -> FilingMessage:
    """A note for oversight staff only: never shown on the agency portal or the public site."""
    body = _required_text(body, "Write the note before adding it.")
    with _acting_on(filing, seen_status) as (_review, current):
        message = FilingMessage.objects.create(
            filing=current,
            author=by,
            audience=FilingMessage.Audience.INTERNAL,
            round=current_round(current),
            body=body,
        )
        _log(current, NOTE, by, seen_status, message_id=message.pk)
        return message


def comment_to_agency(filing: Filing, seen_status: str, by, body: str) -> FilingMessage:
    body = _required_text(body, "Write the comment before sending it.")
    with _acting_on(filing, seen_status) as (_review, current):
        if current.status not in REPLYABLE:
            raise ReviewRefused(
                f"Comments to the agency are closed while the filing is "
                f"{current.get_status_display().lower()}; add an internal note instead."
            )
        message = _agency_message(current, by, body)
        _log(current, COMMENT, by, seen_status, comment=body, message_id=message.pk)
        return message


def save_checklist(filing: Filing, seen_status: str, by, ticked: list[str]) -> list[str]:
    """Store which checklist items the reviewer ticked; return the names whose tick changed."""
    with _acting_on(filing, seen_status) as (review, current):
        names = item_names(current)
        unknown = sorted(set(ticked) - set(names))
        if unknown:
            raise ReviewRefused(
                f"The checklist has no item {', '.join(unknown)}; reload the page and tick "
                "the items again."
            )
        before = review.checklist if isinstance(review.checklist, dict) else {}
        after = {name: name in ticked for name in names}
        changed = [name for name in names if bool(before.get(name)) != after[name]]
        if not changed:
            return []
        review.checklist = after
        review.save(update_fields=["checklist", "updated_at"])
        _log(
            current,
            CHECKLIST,
            by,
            seen_status,
            ticked=[name for name in changed if after[name]],
            unticked=[name for name in changed if not after[name]],
        )
        return changed
