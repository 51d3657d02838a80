"""Filing a filing with the oversight body, and taking it back.

Submitting is one transaction: the conditional status change, the frozen version
and the numbered receipt either all happen or none does. The form's submission key
makes a doubled or replayed request find the receipt it already produced.

Receipt numbers read like "PD-2026-000042": the agency's abbreviation (or, when it
has none, its slug) in capitals, the year of submission in the portal's time zone,
and a six-digit sequence that restarts each year for that prefix.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.agencies.models import Agency
from content.filings.completeness import Problem, check_filing
from content.filings.models import (
    FILED_STATUSES,
    ConcurrentChange,
    Filing,
    FilingVersion,
    Status,
)
from content.filings.versions import freeze_version
from submissions.access import Action, AgencyAccess
from submissions.models import FilingMessage, Receipt
from submissions.notifications import current_round, send_receipt_on_commit

MAX_MESSAGE_LENGTH = 20_000

# Two agencies may share an abbreviation, so a number can collide across agencies even
# with the agency row locked; a fresh attempt reads the number the other one took.
NUMBERING_ATTEMPTS = 5


class SubmissionError(Exception):
    """Why a submission or withdrawal did not happen; the message is for the person."""


class IncompleteFiling(SubmissionError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            ngettext(
                "%(count)d required item is missing or invalid.",
                "%(count)d required items are missing or invalid.",
                len(problems),
            )
            % {"count": len(problems)}
        )


class AlreadySubmitted(SubmissionError):
    """Someone filed this round already; `receipt` is theirs (None if it has none)."""

    def __init__(self, receipt: Receipt | None):
        self.receipt = receipt
        super().__init__(_("This filing has already been submitted."))


def receipt_prefix(agency: Agency) -> str:
    return (agency.abbreviation or agency.slug).strip().upper()


def _next_receipt_number(agency: Agency, year: int) -> str:
    stem = f"{receipt_prefix(agency)}-{year}-"
    last = (
        Receipt.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(stem)) + 1 if last else 1
    return f"{stem}{sequence:06d}"


def _create_receipt(filing: Filing, version: FilingVersion, key: uuid.UUID, user) -> Receipt:
    year = timezone.localdate().year
    for attempt in range(1, NUMBERING_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return Receipt.objects.create(
                    filing=filing,
                    version=version,
                    number=_next_receipt_number(filing.agency, year),
                    submission_key=key,
                    submitted_by=user,
                )
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS or Receipt.objects.filter(submission_key=key).exists():
                raise


def _replayed(filing: Filing, key: uuid.UUID) -> Receipt | None:
    receipt = Receipt.objects.filter(submission_key=key).select_related("filing").first()
    if receipt is not None and receipt.filing_id != filing.pk:
        raise SubmissionError(
            _(
                "This submission form was already used for a different filing. "
                "Open the filing's submit page again and submit from there."
            )
        )
    return receipt


def latest_receipt(filing: Filing) -> Receipt | None:
    return filing.receipts.order_by("-created_at", "-pk").first()


def check_may_submit(access: AgencyAccess, filing: Filing) -> None:
    """Raise AlreadySubmitted if this round is filed, PermissionDenied if the person may not."""
    if filing.status in FILED_STATUSES and filing.status != Status.CHANGES_REQUESTED:
        raise AlreadySubmitted(latest_receipt(filing))
    access.require(filing, Action.SUBMIT)


def submit(access: AgencyAccess, filing: Filing, submission_key: uuid.UUID) -> tuple[Receipt, bool]:
    """File `filing` for review; return its receipt and whether this call created it.

    A key already used for this filing returns that receipt unchanged. Raises
    PermissionDenied when the person may not submit, IncompleteFiling listing every
    problem, and AlreadySubmitted when someone else filed first.
    """
    replayed = _replayed(filing, submission_key)
    if replayed is not None:
        return replayed, False
    check_may_submit(access, filing)
    problems = check_filing(filing)
    if problems:
        raise IncompleteFiling(problems)
    try:
        with transaction.atomic():
            # Receipt numbers count per agency: hold the agency while taking the next one.
            Agency.objects.select_for_update().filter(pk=filing.agency_id).first()
            filing.transition_to(Status.SUBMITTED)
            version = freeze_version(filing, reason=FilingVersion.Reason.SUBMITTED, by=access.user)
            receipt = _create_receipt(filing, version, submission_key, access.user)
            send_receipt_on_commit(receipt)
    except ConcurrentChange:
        # Either this very request arrived twice at once, or a colleague filed first.
        replayed = _replayed(filing, submission_key)
        if replayed is not None:
            return replayed, False
        filing.refresh_from_db()
        raise AlreadySubmitted(latest_receipt(filing)) from None
    return receipt, True


def withdraw(access: AgencyAccess, filing: Filing, reason: str) -> FilingMessage:
    """Withdraw `filing`, recording the reason on its thread; return that message."""
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionError(_("Enter the reason for withdrawing this filing."))
    access.require(filing, Action.WITHDRAW)
    try:
        with transaction.atomic():
            filing.transition_to(Status.WITHDRAWN)
            return FilingMessage.objects.create(
                filing=filing,
                author=access.user,
                audience=FilingMessage.Audience.AGENCY,
                round=current_round(filing),
                body=f"**Withdrawn.** {reason}",
            )
    except ConcurrentChange:
        raise SubmissionError(
            _(
                "Someone changed this filing's status while you were withdrawing it; "
                "nothing was withdrawn. Check its current status and try again."
            )
        ) from None


def reply(access: AgencyAccess, filing: Filing, body: str) -> FilingMessage:
    """Add the agency's message to the current round of the filing's thread."""
    access.require(filing, Action.REPLY)
    body = (body or "").strip()
    if not body:
        raise SubmissionError(_("Enter your message before sending it."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise SubmissionError(
            _(
                "Your message is %(length)s characters long; the limit is %(limit)s. "
                "Shorten it, or attach the long text as a document."
            )
            % {"length": f"{len(body):,}", "limit": f"{MAX_MESSAGE_LENGTH:,}"}
        )
    return FilingMessage.objects.create(
        filing=filing,
        author=access.user,
        audience=FilingMessage.Audience.AGENCY,
        round=current_round(filing),
        body=body,
    )
