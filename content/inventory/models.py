from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from content.agencies.models import Agency
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from content.technologies.models import Technology
from content.vendors.models import Vendor


class InventoryEntry(models.Model):
    """One line of the ordinance's master list: an agency's use of a technology."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("inventory status", "Proposed")
        APPROVED = "approved", pgettext_lazy("inventory status", "Approved")
        IN_USE = "in_use", pgettext_lazy("inventory status", "In use")
        RETIRED = "retired", pgettext_lazy("inventory status", "Retired")

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
    notes = models.TextField(blank=True, help_text="Shown to the public on the inventory page.")

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


class InventoryEvent(models.Model):
    """One change to an inventory entry, as the public history shows it.

    Written only by content.inventory.lifecycle, in the same transaction as the change.
    """

    class Action(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("inventory event", "Proposed")
        APPROVED = "approved", pgettext_lazy("inventory event", "Approved")
        PUT_IN_USE = "put_in_use", pgettext_lazy("inventory event", "Put in use")
        RETIRED = "retired", pgettext_lazy("inventory event", "Retired")
        UPDATED = "updated", pgettext_lazy("inventory event", "Details changed")

    entry = models.ForeignKey(InventoryEntry, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    on = models.DateField(help_text="The day the change took effect.")
    changes = models.TextField(blank=True, help_text="What changed, for a details change.")
    note = models.TextField(blank=True, help_text="Staff's explanation, shown to the public.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The office as it was on the day; the public never sees the person.
    recorded_by_role = models.CharField(max_length=100, default=OVERSIGHT_STAFF_GROUP)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.entry}: {self.get_action_display()} on {self.on}"
