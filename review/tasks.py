"""Work the task queue does for the review queue: publishing at the time staff chose."""

import datetime

from django.tasks import task

from review.services import publish_scheduled


@task
def publish_when_due(filing_id: int, publish_at: str) -> str:
    """Publish the filing if it is still accepted and still scheduled for `publish_at`.

    A schedule changed or cancelled since leaves this task with nothing to do, so a
    queued task never needs to be hunted down and removed.
    """
    return publish_scheduled(filing_id, datetime.datetime.fromisoformat(publish_at))
