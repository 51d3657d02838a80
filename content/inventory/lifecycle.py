"""Changing the master list: propose, approve, put in use, retire, and edit the details.

Staff change an entry's status and dates only through these functions, so every change
and the InventoryEvent that records it are written together or not at all. Each refuses
with a ValidationError naming the field at fault, for the admin forms to show.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format

from content.inventory.models import InventoryEntry, InventoryEvent

Action = InventoryEvent.Action
Status = InventoryEntry.Status

# The date field each milestone sets, in the order an entry's life runs.
MILESTONE_DATES = {
    Action.PROPOSED: "proposed_on",
    Action.APPROVED: "approved_on",
    Action.PUT_IN_USE: "in_use_since",
    Action.RETIRED: "retired_on",
}
# For each step after the proposal: the statuses it may start from and the status it gives.
STEPS = {
    Action.APPROVED: ({Status.PROPOSED}, Status.APPROVED),
    Action.PUT_IN_USE: ({Status.APPROVED}, Status.IN_USE),
    Action.RETIRED: ({Status.PROPOSED, Status.APPROVED, Status.IN_USE}, Status.RETIRED),
}
DATE_LABELS = {
    "proposed_on": "proposed",
    "approved_on": "approved",
    "in_use_since": "put in use",
    "retired_on": "retired",
}


def _day(value: datetime.date | None) -> str:
    return date_format(value) if value else "none"


def _record(entry, action, on, *, actor, actor_role, note="", changes=""):
    return InventoryEvent.objects.create(
        entry=entry,
        action=action,
        on=on,
        note=note.strip(),
        changes=changes,
        recorded_by=actor,
        recorded_by_role=actor_role,
    )


def _refuse_duplicate(agency, technology, vendor, exclude_pk=None):
    others = InventoryEntry.objects.filter(agency=agency, technology=technology, vendor=vendor)
    if others.exclude(pk=exclude_pk).exists():
        raise ValidationError(
            f"{agency} already has {technology} from {vendor or 'no named vendor'} on the "
            "inventory; change that entry instead."
        )


def propose(
    *,
    agency,
    technology,
    vendor,
    proposed_on: datetime.date,
    planned_acquisition_on: datetime.date | None,
    notes: str,
    actor,
    actor_role: str,
    note: str = "",
    today: datetime.date,
) -> InventoryEntry:
    """Put a technology an agency proposes to acquire on the inventory."""
    errors = {}
    if proposed_on > today:
        errors["proposed_on"] = "The proposal date cannot be later than today."
    if planned_acquisition_on and planned_acquisition_on < proposed_on:
        errors["planned_acquisition_on"] = (
            f"The planned acquisition cannot come before the proposal ({_day(proposed_on)})."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_duplicate(agency, technology, vendor)
        entry = InventoryEntry.objects.create(
            agency=agency,
            technology=technology,
            vendor=vendor,
            status=Status.PROPOSED,
            proposed_on=proposed_on,
            planned_acquisition_on=planned_acquisition_on,
            notes=notes,
        )
        _record(entry, Action.PROPOSED, proposed_on, actor=actor, actor_role=actor_role, note=note)
    return entry


def take_step(
    entry: InventoryEntry,
    action: str,
    on: datetime.date,
    *,
    actor,
    actor_role: str,
    note: str = "",
    today: datetime.date,
) -> InventoryEntry:
    """Approve, put in use or retire `entry` as of `on`; returns the entry as saved."""
    action = Action(action)
    starts_from, target = STEPS[action]
    date_field = MILESTONE_DATES[action]
    with transaction.atomic():
        # Locked, so two staff acting at once cannot both move the entry on.
        current = InventoryEntry.objects.select_for_update().get(pk=entry.pk)
        if current.status not in starts_from:
            allowed = " or ".join(sorted(Status(s).label.lower() for s in starts_from))
            raise ValidationError(
                f"This entry is {current.get_status_display().lower()}; it can be marked "
                f"{action.label.lower()} only while it is {allowed}."
            )
        if on > today:
            raise ValidationError({"on": "The date cannot be later than today."})
        for earlier_field in MILESTONE_DATES.values():
            earlier = getattr(current, earlier_field)
            if earlier_field != date_field and earlier and on < earlier:
                raise ValidationError(
                    {
                        "on": f"The date cannot come before the day it was "
                        f"{DATE_LABELS[earlier_field]} ({_day(earlier)})."
                    }
                )
        setattr(current, date_field, on)
        current.status = target
        current.save(update_fields=["status", date_field])
        _record(current, action, on, actor=actor, actor_role=actor_role, note=note)
    return current


def change_details(
    entry: InventoryEntry,
    *,
    vendor,
    planned_acquisition_on: datetime.date | None,
    notes: str,
    actor,
    actor_role: str,
    note: str = "",
    today: datetime.date,
) -> InventoryEntry:
    """Change the vendor, the planned acquisition date or the public notes, with a record."""
    with transaction.atomic():
        current = (
            InventoryEntry.objects.select_for_update(of=("self",))
            .select_related("vendor")
            .get(pk=entry.pk)
        )
        if current.status == Status.RETIRED:
            raise ValidationError("A retired entry is part of the record and cannot be changed.")
        if (
            planned_acquisition_on
            and current.proposed_on
            and planned_acquisition_on < current.proposed_on
        ):
            raise ValidationError(
                {
                    "planned_acquisition_on": "The planned acquisition cannot come before the "
                    f"proposal ({_day(current.proposed_on)})."
                }
            )
        changes = []
        if vendor != current.vendor:
            _refuse_duplicate(current.agency, current.technology, vendor, exclude_pk=current.pk)
            changes.append(f"Vendor: {current.vendor or 'none'} → {vendor or 'none'}")
        if planned_acquisition_on != current.planned_acquisition_on:
            changes.append(
                f"Planned acquisition: {_day(current.planned_acquisition_on)} → "
                f"{_day(planned_acquisition_on)}"
            )
        if notes.strip() != current.notes.strip():
            changes.append("Notes rewritten")
        if not changes:
            return current
        current.vendor = vendor
        current.planned_acquisition_on = planned_acquisition_on
        current.notes = notes
        current.save(update_fields=["vendor", "planned_acquisition_on", "notes"])
        _record(
            current,
            Action.UPDATED,
            today,
            actor=actor,
            actor_role=actor_role,
            note=note,
            changes="; ".join(changes),
        )
    return current
