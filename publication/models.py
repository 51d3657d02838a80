"""The publication log: an append-only, hash-chained record of what the public was given."""

import hashlib
import json

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from content.filings.models import Filing, FilingVersion

# The previous_hash of the first entry: there is nothing before it.
GENESIS_HASH = "0" * 64


class LogEntryImmutable(RuntimeError):
    """A publication log entry cannot be changed or deleted once written."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PublicationLogEntry(models.Model):
    """One publish, amend, unpublish or withdraw, chained to the entry before it."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Published")
        AMEND = "amend", _("Amended")
        UNPUBLISH = "unpublish", _("Unpublished by staff")
        WITHDRAW = "withdraw", _("Withdrawn by the agency")

    sequence = models.PositiveIntegerField(unique=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="publication_log")
    version = models.ForeignKey(
        FilingVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publication_log",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    actor_name = models.CharField(
        max_length=300, help_text="Who did it, as text, so the log stands alone."
    )
    reason = models.TextField(blank=True)
    canonical = models.TextField(help_text="The exact JSON text entry_hash is the SHA-256 of.")
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "publication log entries"

    def __str__(self):
        return f"entry {self.sequence}: {self.get_action_display()} {self.filing_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LogEntryImmutable(
                f"publication log entry {self.sequence} is part of the record and cannot be "
                "changed; record a new entry instead"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LogEntryImmutable(
            f"publication log entry {self.sequence} is part of the record and cannot be deleted"
        )

    @cached_property
    def contents(self) -> dict:
        """The hashed contents, parsed: what the entry says happened, as it was then."""
        return json.loads(self.canonical)

    @property
    def makes_public(self) -> bool:
        return self.action in PUBLIC_ACTIONS


# The actions after which a filing is public.
PUBLIC_ACTIONS = frozenset({PublicationLogEntry.Action.PUBLISH, PublicationLogEntry.Action.AMEND})
