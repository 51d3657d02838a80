"""Saved-search email alerts: who asked, for what, and which publications they were sent.

Only what the alerts need is stored: the email address, the search, and when the
subscription was asked for, confirmed and last alerted. Unsubscribing deletes it all.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from publication.models import PublicationLogEntry


def new_token_nonce() -> str:
    return secrets.token_urlsafe(16)


# The search's filters as describe() names them.
FILTER_NAMES = {
    "agency": gettext_lazy("agency"),
    "technology": gettext_lazy("technology"),
    "kind": gettext_lazy("kind"),
}


class SearchSubscription(models.Model):
    email = models.EmailField()
    # The search as SearchForm reads it: {"q": "...", "agency": [...], ...}.
    search_params = models.JSONField(default=dict)
    # Part of every signed link, so a link cannot be replayed onto a later subscription.
    token_nonce = models.CharField(max_length=32, default=new_token_nonce, editable=False)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    # The language the reader signed up in: their emails, and the pages they link to, use it.
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["email", "confirmed_at"])]

    def __str__(self):
        return f"{self.email}: {self.describe()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def describe(self) -> str:
        """The search in words, for pages and emails."""
        parts = []
        if self.search_params.get("q"):
            parts.append(f"“{self.search_params['q']}”")
        for name, label in FILTER_NAMES.items():
            values = self.search_params.get(name) or []
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        return "; ".join(parts) or gettext("all new publications")


class AlertedPublication(models.Model):
    """One publication (a publish or amend log entry) already emailed to one subscription."""

    subscription = models.ForeignKey(
        SearchSubscription, on_delete=models.CASCADE, related_name="alerted"
    )
    entry = models.ForeignKey(PublicationLogEntry, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "entry"], name="alerted_publication_once"
            )
        ]

    def __str__(self):
        return f"entry {self.entry_id} to subscription {self.subscription_id}"
