"""The inventory's history: each entry's milestones and every recorded change, in order.

The entry's own dates are the record the deadlines run on, so every date an entry
has is a milestone even when it was entered before events were kept (imports, the
demo). A recorded InventoryEvent for that milestone adds who recorded it and why.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from content.inventory.lifecycle import MILESTONE_DATES
from content.inventory.models import InventoryEntry, InventoryEvent

Action = InventoryEvent.Action
# Same-day milestones sort in the order an entry's life runs.
ACTION_ORDER = {action: index for index, action in enumerate(Action)}


@dataclass(frozen=True)
class HistoryItem:
    entry: InventoryEntry
    action: Action
    on: datetime.date
    note: str = ""
    changes: str = ""
    recorded_by_role: str = ""  # empty: known only from the entry's dates

    @property
    def action_label(self) -> str:
        return self.action.label


def inventory_history(entries: QuerySet, newest_first: bool = True) -> list[HistoryItem]:
    """The history of `entries`, in two queries whatever their number."""
    entries = entries.select_related("agency", "technology", "vendor").prefetch_related(
        Prefetch("events", queryset=InventoryEvent.objects.order_by("on", "recorded_at", "pk"))
    )
    items = []
    for entry in entries:
        recorded = {}
        for event in entry.events.all():
            items.append(
                HistoryItem(
                    entry=entry,
                    action=Action(event.action),
                    on=event.on,
                    note=event.note,
                    changes=event.changes,
                    recorded_by_role=event.recorded_by_role,
                )
            )
            recorded[event.action] = event
        for action, date_field in MILESTONE_DATES.items():
            day = getattr(entry, date_field)
            if day and action not in recorded:
                items.append(HistoryItem(entry=entry, action=action, on=day))
    items.sort(
        key=lambda item: (item.on, ACTION_ORDER[item.action], item.entry.pk),
        reverse=newest_first,
    )
    return items
