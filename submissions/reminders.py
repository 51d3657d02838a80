"""Reminders of filings coming due, at 30, 7 and 1 days before the (extended) deadline.

The scheduled command runs daily, but a missed day must not lose a reminder: an
obligation gets the nearest threshold it is within that nobody has been sent yet.
Fifteen days out that is the 30-day reminder; five days out, the 7-day one (the
30-day reminder, now stale, is skipped). Each person gets each reminder once.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.agencies.models import Agency
from content.compliance.obligations import Obligation, State, obligations_for_agency
from submissions.models import SentNotification
from submissions.notifications import absolute_url, agency_members, in_site_language, send_once

# Days before the deadline, nearest first.
THRESHOLDS = (1, 7, 30)
UNFILED = frozenset({State.UPCOMING, State.IN_PROGRESS})


@dataclass
class ReminderSummary:
    agencies: int = 0
    sent: Counter = field(default_factory=Counter)
    already_sent: int = 0

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


def threshold_for(days_left: int) -> int | None:
    """The nearest threshold a deadline `days_left` away is within, or None."""
    return next((days for days in THRESHOLDS if 0 <= days_left <= days), None)


def due_phrase(days_left: int) -> str:
    if days_left == 0:
        return _("today")
    if days_left == 1:
        return _("tomorrow")
    return ngettext("in %(days)d day", "in %(days)d days", days_left) % {"days": days_left}


def reminder_key(agency, obligation: Obligation, threshold: int, user) -> str:
    year = obligation.reporting_year or "once"
    # The due date is part of the key: an extension moves the deadline and earns new reminders.
    return (
        f"reminder:{agency.pk}:{obligation.kind.slug}:{obligation.technology.pk}:{year}:"
        f"{obligation.effective_due_on.isoformat()}:{threshold}d:user:{user.pk}"
    )


def _links(agency, obligation: Obligation) -> dict:
    links = {"dashboard_url": absolute_url(reverse("submissions:dashboard", args=[agency.slug]))}
    if obligation.filing is not None:
        links["filing_url"] = absolute_url(
            reverse(
                "submissions:filing_detail",
                kwargs={"agency": agency.slug, "filing": obligation.filing.pk},
            )
        )
    return links


@in_site_language
def send_deadline_reminders(today: datetime.date, dry_run: bool = False) -> ReminderSummary:
    """Send every reminder due on `today`; with dry_run, count them without sending."""
    summary = ReminderSummary()
    for agency in Agency.objects.order_by("pk"):
        summary.agencies += 1
        members = agency_members(agency)
        for obligation in obligations_for_agency(agency, today):
            due_on = obligation.effective_due_on
            if obligation.state not in UNFILED or due_on is None:
                continue
            days_left = (due_on - today).days
            threshold = threshold_for(days_left)
            if threshold is None:
                continue
            context = {
                "agency": agency,
                "obligation": obligation,
                "due_on": due_on,
                "due_phrase": due_phrase(days_left),
                **_links(agency, obligation),
            }
            for user in members:
                key = reminder_key(agency, obligation, threshold, user)
                if dry_run:
                    newly_sent = not SentNotification.objects.filter(key=key).exists()
                else:
                    newly_sent = send_once(
                        key,
                        user,
                        _("Due %(when)s: %(kind)s")
                        % {"when": due_phrase(days_left), "kind": obligation.kind.label},
                        "submissions/email/deadline_reminder.txt",
                        context,
                    )
                if newly_sent:
                    summary.sent[threshold] += 1
                else:
                    summary.already_sent += 1
    return summary
