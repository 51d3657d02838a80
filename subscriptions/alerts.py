"""Emails for saved searches: the double opt-in confirmation and the daily alert.

An alert claims each publication in AlertedPublication in the same transaction that sends
it, so a repeated or concurrent run never sends a publication twice to one subscription,
and a mail server failure rolls the claim back for the next run to retry.

Each email is written in the language the reader signed up in, and links to that language's
pages.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from subscriptions.models import AlertedPublication, SearchSubscription
from subscriptions.publications import matching_entries, search_form
from subscriptions.tokens import CONFIRMATION_MAX_AGE, confirm_token, unsubscribe_token


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_confirmation(subscription: SearchSubscription) -> None:
    with translation.override(subscription.language):
        confirm_url = absolute_url(
            reverse("subscriptions:confirm", args=[confirm_token(subscription)])
        )
        body = render_to_string(
            "subscriptions/email/confirm.txt",
            {
                "subscription": subscription,
                "confirm_url": confirm_url,
                "valid_days": CONFIRMATION_MAX_AGE.days,
            },
        )
        subject = gettext("Confirm your search alert")
    EmailMessage(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        to=[subscription.email],
    ).send()


def new_matches(subscription: SearchSubscription) -> list:
    """Public publications matching the search since confirmation, not yet sent to it."""
    form = search_form(subscription.search_params)
    if not subscription.is_confirmed or not form.is_valid():
        return []
    return list(
        matching_entries(form)
        .filter(recorded_at__gt=subscription.confirmed_at)
        .exclude(pk__in=subscription.alerted.values("entry"))
        .order_by("recorded_at", "sequence")
    )


def send_alert(subscription: SearchSubscription) -> int:
    """Email the subscription its new matches, if any; return how many were sent."""
    entries = new_matches(subscription)
    if not entries:
        return 0
    with translation.override(subscription.language):
        unsubscribe_url = absolute_url(
            reverse("subscriptions:unsubscribe", args=[unsubscribe_token(subscription)])
        )
        body = render_to_string(
            "subscriptions/email/alert.txt",
            {
                "subscription": subscription,
                "entries": [
                    (entry, absolute_url(reverse("publication:filing", args=[entry.filing_id])))
                    for entry in entries
                ],
                "unsubscribe_url": unsubscribe_url,
            },
        )
        subject = ngettext(
            "%(count)d new publication for your search alert",
            "%(count)d new publications for your search alert",
            len(entries),
        ) % {"count": len(entries)}
    now = timezone.now()
    try:
        with transaction.atomic():
            AlertedPublication.objects.bulk_create(
                [
                    AlertedPublication(subscription=subscription, entry=entry, sent_at=now)
                    for entry in entries
                ]
            )
            SearchSubscription.objects.filter(pk=subscription.pk).update(last_alerted_at=now)
            EmailMessage(
                subject=settings.EMAIL_SUBJECT_PREFIX + subject,
                body=body,
                to=[subscription.email],
                # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the URL.
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            ).send()
    except IntegrityError:
        # Another run claimed these publications first; it sends them.
        return 0
    return len(entries)


def delete_expired_requests() -> int:
    """Forget unconfirmed requests whose link has expired: no address is kept without consent."""
    deleted, _ = SearchSubscription.objects.filter(
        confirmed_at__isnull=True, requested_at__lte=timezone.now() - CONFIRMATION_MAX_AGE
    ).delete()
    return deleted
