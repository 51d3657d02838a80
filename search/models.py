from django.db import models
from django.utils import timezone


class IndexOutboxEntry(models.Model):
    """A filing whose public index entry must be brought up to date in the search engine.

    Written in the same transaction as the change, so a search server that is down
    loses nothing; the worker reads the filing's current state when it drains the
    entry, so entries only say *which* filing changed, never *what* to write.
    """

    filing_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "search outbox entry"
        verbose_name_plural = "search outbox"

    def __str__(self):
        return f"filing {self.filing_id} (attempt {self.attempts})"
