from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from content.agencies.models import Agency
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from content.rulebook.rules import UnknownKind, get_rulebook
from content.technologies.models import Technology


class DeadlineExtension(models.Model):
    """An extension of one deadline, granted by oversight staff within the rulebook's limit."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="extensions")
    technology = models.ForeignKey(Technology, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=64)
    reporting_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="For annual deadlines: the year reported on."
    )
    days = models.PositiveIntegerField()
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as it was on the day, so the public record names the office even after the
    # person changes role; the public never sees the person's name or email.
    granted_by_role = models.CharField(
        max_length=100,
        default=OVERSIGHT_STAFF_GROUP,
        help_text="The office or staff role that granted it, as the public pages name it.",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.days}-day extension: {self.agency}, {self.kind}, {self.reporting_year or ''}"

    def clean(self):
        rulebook = get_rulebook()
        try:
            rulebook.kind(self.kind)
        except UnknownKind as error:
            raise ValidationError({"kind": str(error)}) from None
        limits = [r.extension for r in rulebook.deadline_rules_for(self.kind) if r.extension]
        if not limits:
            raise ValidationError({"kind": f"the rulebook allows no extension for {self.kind!r}"})
        limit = limits[0]
        if self.days > limit.days:
            raise ValidationError({"days": f"the rulebook allows at most {limit.days} days"})
        earlier = DeadlineExtension.objects.filter(
            agency_id=self.agency_id,
            technology_id=self.technology_id,
            kind=self.kind,
            reporting_year=self.reporting_year,
        ).exclude(pk=self.pk)
        if earlier.count() >= limit.max:
            raise ValidationError(f"the rulebook allows {limit.max} extension(s) of this deadline")
