"""Email to agency staff about their filings: receipts and the reviewer's decisions.

Every email is claimed in SentNotification under a key naming what it is about and
who gets it before it goes out, so a repeated signal, a retried task or two workers
at once still send it at most once. Emails are written and sent by a task in the
worker, queued once the change that caused them is committed: a reviewer's decision
or a submission never waits on the mail server, and a failed sending is kept with
its error in the task queue. Only agency-audience messages ever appear in them.

They are written in the site's language (LANGUAGE_CODE), with links without a language
prefix, whatever language the request that caused them was in: they go to agency and
oversight staff, not to whoever happened to be browsing.
"""

import contextlib
import contextvars
import functools

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.agencies.models import Membership
from content.filings.models import Filing, Status
from content.filings.signals import filing_status_changed
from submissions.models import FilingMessage, Receipt, SentNotification

# The status changes the agency hears about, with each email's subject.
STATUS_SUBJECTS = {
    Status.CHANGES_REQUESTED: gettext_lazy("Changes requested: %(filing)s"),
    Status.ACCEPTED: gettext_lazy("Accepted: %(filing)s"),
    Status.PUBLISHED: gettext_lazy("Published: %(filing)s"),
    Status.REJECTED: gettext_lazy("Rejected: %(filing)s"),
}


_paused = contextvars.ContextVar("notifications_paused", default=False)


@contextlib.contextmanager
def paused():
    """Replaying a history (the demo city) emails nobody about it."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def in_site_language(function):
    """Run `function`, which writes emails, in the site's language rather than the request's."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def current_round(filing: Filing) -> int:
    """The submission round a filing is in: 0 before it is first submitted."""
    return filing.receipts.count()


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def agency_members(agency, roles=None):
    """Active people at `agency` with an email address, each once."""
    memberships = Membership.objects.filter(
        agency=agency, user__is_active=True, user__email__gt=""
    ).select_related("user")
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [membership.user for membership in memberships.order_by("user__pk")]


def send_once(key: str, user, subject: str, template: str, context: dict) -> bool:
    """Send one plain-text email to `user` unless `key` was sent before; True if sent now.

    The claim and the sending share a transaction: if the mail server fails, the claim
    is rolled back and a later run tries again.
    """
    body = render_to_string(template, {**context, "recipient": user})
    try:
        with transaction.atomic():
            SentNotification.objects.create(key=key, recipient=user.email)
            EmailMessage(
                subject=settings.EMAIL_SUBJECT_PREFIX + subject,
                body=body,
                to=[user.email],
            ).send()
    except IntegrityError:
        return False
    return True


def filing_url(filing: Filing) -> str:
    return absolute_url(
        reverse(
            "submissions:filing_detail",
            kwargs={"agency": filing.agency.slug, "filing": filing.pk},
        )
    )


def receipt_url(receipt: Receipt) -> str:
    return absolute_url(
        reverse(
            "submissions:receipt",
            kwargs={
                "agency": receipt.filing.agency.slug,
                "filing": receipt.filing_id,
                "receipt": receipt.pk,
            },
        )
    )


@task
@in_site_language
def send_receipt(receipt_pk: int) -> int:
    """Email a receipt to whoever submitted and to the agency's approvers; return how many."""
    receipt = Receipt.objects.select_related("filing__agency", "version", "submitted_by").get(
        pk=receipt_pk
    )
    filing = receipt.filing
    recipients = {
        user.pk: user for user in agency_members(filing.agency, [Membership.Role.APPROVER])
    }
    if receipt.submitted_by.is_active and receipt.submitted_by.email:
        recipients[receipt.submitted_by.pk] = receipt.submitted_by
    context = {
        "receipt": receipt,
        "filing": filing,
        "agency": filing.agency,
        "receipt_url": receipt_url(receipt),
    }
    return sum(
        send_once(
            f"receipt:{receipt.pk}:user:{user.pk}",
            user,
            _("Receipt %(number)s: %(title)s") % {"number": receipt.number, "title": filing.title},
            "submissions/email/receipt.txt",
            context,
        )
        for user in recipients.values()
    )


def send_receipt_on_commit(receipt: Receipt) -> None:
    # robust: a queue that cannot take the task is logged and must not turn a committed
    # filing into an error.
    transaction.on_commit(functools.partial(send_receipt.enqueue, receipt.pk), robust=True)


def reviewer_comments(filing: Filing, round_number: int) -> list[FilingMessage]:
    """The oversight side's agency-audience messages in one round, oldest first."""
    member_ids = set(
        Membership.objects.filter(agency=filing.agency_id).values_list("user_id", flat=True)
    )
    messages = FilingMessage.objects.filter(
        filing=filing, audience=FilingMessage.Audience.AGENCY, round=round_number
    ).select_related("author")
    return [message for message in messages if message.author_id not in member_ids]


@task
@in_site_language
def send_status_notice(filing_pk: int, target: str, round_number: int) -> int:
    """Tell the agency's people that the reviewer moved their filing; return how many."""
    filing = Filing.objects.select_related("agency").get(pk=filing_pk)
    explained = target in (Status.CHANGES_REQUESTED, Status.REJECTED)
    comments = reviewer_comments(filing, round_number) if explained else []
    context = {
        "filing": filing,
        "agency": filing.agency,
        "round": round_number,
        "comments": comments,
        "filing_url": filing_url(filing),
    }
    subject = STATUS_SUBJECTS[target] % {"filing": filing.title}
    return sum(
        send_once(
            f"status:{filing.pk}:round:{round_number}:{target}:user:{user.pk}",
            user,
            subject,
            f"submissions/email/{target}.txt",
            context,
        )
        for user in agency_members(filing.agency)
    )


@receiver(filing_status_changed, dispatch_uid="submissions.notify_status_change")
def notify_status_change(sender, filing, source, target, **kwargs):
    if _paused.get() or target not in STATUS_SUBJECTS:
        return
    round_number = current_round(filing)
    transaction.on_commit(
        functools.partial(send_status_notice.enqueue, filing.pk, target, round_number), robust=True
    )
