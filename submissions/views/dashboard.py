"""An agency's dashboard: its filings by status, what it owes and when, and reviewers' messages.

The page runs a fixed number of queries however many filings, technologies or
messages the agency has.
"""

import datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator

from content.compliance.obligations import State, obligations_for_agency
from content.filings.models import Status
from submissions.access import EDITABLE, agency_view
from submissions.models import FilingMessage

# The agency's own work first: what waits on it, then what waits on reviewers.
STATUS_ORDER = (
    Status.CHANGES_REQUESTED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.ACCEPTED,
    Status.PUBLISHED,
    Status.WITHDRAWN,
    Status.REJECTED,
)
OPEN_STATES = frozenset({State.OVERDUE, State.IN_PROGRESS, State.UPCOMING})
RECENT_MESSAGES = 10
MESSAGE_EXCERPT_CHARACTERS = 240


def _filing_groups(access) -> list[dict]:
    by_status = {status: [] for status in STATUS_ORDER}
    for filing in access.filings().order_by("-updated_at", "-pk"):
        by_status[filing.status].append(filing)
    return [
        {"status": status, "label": status.label, "filings": filings}
        for status, filings in by_status.items()
        if filings
    ]


def _start_url(access, obligation) -> str:
    params = {"kind": obligation.kind.slug, "technology": obligation.technology.pk}
    if obligation.reporting_year:
        params["year"] = obligation.reporting_year
    url = reverse("submissions:filing_new", kwargs={"agency": access.agency.slug})
    return f"{url}?{urlencode(params)}"


def _draft_url(access, filing) -> str:
    name = "filing_edit" if filing.status in EDITABLE else "filing_detail"
    return reverse(
        f"submissions:{name}", kwargs={"agency": access.agency.slug, "filing": filing.pk}
    )


def _open_obligations(access, today) -> list[dict]:
    """What is still owed: overdue first, most overdue at the top, then by due date."""
    owed = [
        obligation
        for obligation in obligations_for_agency(access.agency, today)
        if obligation.state in OPEN_STATES
    ]
    owed.sort(
        key=lambda obligation: (
            obligation.state != State.OVERDUE,
            -obligation.days_overdue,
            obligation.effective_due_on or datetime.date.max,
        )
    )
    return [
        {
            "obligation": obligation,
            "overdue": obligation.state == State.OVERDUE,
            "draft_url": _draft_url(access, obligation.filing) if obligation.filing else None,
            "start_url": None if obligation.filing else _start_url(access, obligation),
        }
        for obligation in owed
    ]


def _reviewer_messages(access) -> list[dict]:
    """Recent messages to the agency from anyone outside it; internal notes never."""
    recent = (
        FilingMessage.objects.filter(
            filing__in=access.filings(), audience=FilingMessage.Audience.AGENCY
        )
        .exclude(author__memberships__agency=access.agency)
        .select_related("filing")
        .order_by("-created_at", "-pk")[:RECENT_MESSAGES]
    )
    return [
        {
            "message": message,
            "excerpt": Truncator(message.body).chars(MESSAGE_EXCERPT_CHARACTERS),
            "url": reverse(
                "submissions:filing_detail",
                kwargs={"agency": access.agency.slug, "filing": message.filing_id},
            )
            + "#messages",
        }
        for message in recent
    ]


@agency_view
def dashboard(request, access):
    today = timezone.localdate()
    return render(
        request,
        "submissions/dashboard.html",
        {
            "access": access,
            "today": today,
            "filing_groups": _filing_groups(access),
            "obligations": _open_obligations(access, today),
            "reviewer_messages": _reviewer_messages(access),
        },
    )


urlpatterns = [
    path("<slug:agency>/", dashboard, name="dashboard"),
]
