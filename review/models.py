from django.conf import settings
from django.db import models

from content.filings.models import Filing


class Review(models.Model):
    """Oversight staff's working state for one filing: who has it, what they checked, when
    it is to be published."""

    filing = models.OneToOneField(Filing, on_delete=models.CASCADE, related_name="review")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reviews",
    )
    checklist = models.JSONField(
        default=dict,
        blank=True,
        help_text="The reviewer's ticks, {item name: ticked}, keyed by the checklist's "
        "stable item names.",
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When the accepted filing is to be published."
    )
    publish_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # One permission, "change", is what makes someone a reviewer.
        default_permissions = ("change",)

    def __str__(self):
        return f"Review of {self.filing}"
