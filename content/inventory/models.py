from django.db import models

from content.agencies.models import Agency
from content.technologies.models import Technology
from content.vendors.models import Vendor


class InventoryEntry(models.Model):
    """One line of the ordinance's master list: an agency's use of a technology."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        IN_USE = "in_use", "In use"
        RETIRED = "retired", "Retired"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inventory")
    technology = models.ForeignKey(Technology, on_delete=models.PROTECT, related_name="inventory")
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="inventory", null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_on = models.DateField(null=True, blank=True)
    planned_acquisition_on = models.DateField(
        null=True, blank=True, help_text="When the agency intends to acquire or start using it."
    )
    approved_on = models.DateField(null=True, blank=True)
    in_use_since = models.DateField(null=True, blank=True)
    retired_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["agency__name", "technology__name"]
        verbose_name = "inventory entry"
        verbose_name_plural = "inventory"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "technology", "vendor"], name="one_entry_per_agency_tech_vendor"
            ),
        ]

    def __str__(self):
        vendor = f" from {self.vendor}" if self.vendor_id else ""
        return f"{self.agency}: {self.technology}{vendor} ({self.get_status_display()})"
