"""What the public compliance pages reveal about each obligation.

That a filing was made, and on what day, is a public fact of compliance: the public
sees "filed on <date>" for every filed obligation, published or not. A filing's
title, contents and documents stay private until it is published
(content.filings.visibility), so the public learns only "filed, not yet published".
A draft is the agency's working copy, not a filing: the public sees an obligation
with only a draft as not yet filed ("not yet due", or "overdue" once the deadline
has passed). An extension shows its days, its date and the office that granted it,
never the person; its reason is for staff.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from content.compliance.obligations import Obligation, State
from content.filings.models import Status

# The states the public sees, in the order tables and charts show them.
PUBLIC_STATES = (State.FILED, State.FILED_LATE, State.OVERDUE, State.UPCOMING)
PUBLIC_STATE_LABELS = {
    State.FILED: pgettext_lazy("compliance state", "Filed on time"),
    State.FILED_LATE: pgettext_lazy("compliance state", "Filed late"),
    State.OVERDUE: pgettext_lazy("compliance state", "Overdue"),
    State.UPCOMING: pgettext_lazy("compliance state", "Not yet due"),
}


def public_state(obligation: Obligation) -> State:
    return State.UPCOMING if obligation.state == State.IN_PROGRESS else obligation.state


@dataclass(frozen=True)
class PublicExtension:
    days: int
    granted_on: datetime.date
    granted_by: str


@dataclass(frozen=True)
class PublicObligation:
    kind_label: str
    technology_name: str
    reporting_year: int | None
    due_on: datetime.date | None
    extended_due_on: datetime.date | None
    extensions: tuple[PublicExtension, ...]
    filed_on: datetime.date | None
    published: bool
    days_late_when_filed: int
    state: State
    days_overdue: int

    @property
    def state_label(self) -> str:
        return PUBLIC_STATE_LABELS[self.state]

    @property
    def effective_due_on(self) -> datetime.date | None:
        return self.extended_due_on or self.due_on


def disclose(obligation: Obligation) -> PublicObligation:
    """The obligation as the public may see it."""
    filed_on = obligation.filed_on
    due = obligation.effective_due_on
    return PublicObligation(
        kind_label=obligation.kind.label,
        technology_name=obligation.technology.name,
        reporting_year=obligation.reporting_year,
        due_on=obligation.due_on,
        extended_due_on=obligation.extended_due_on,
        extensions=tuple(
            PublicExtension(
                days=extension.days,
                granted_on=timezone.localdate(extension.granted_at),
                granted_by=extension.granted_by_role,
            )
            for extension in obligation.extensions
        ),
        filed_on=filed_on,
        published=filed_on is not None and obligation.filing.status == Status.PUBLISHED,
        days_late_when_filed=(filed_on - due).days if filed_on and due and filed_on > due else 0,
        state=public_state(obligation),
        days_overdue=obligation.days_overdue,
    )


@dataclass(frozen=True)
class StateCounts:
    """How many obligations are in each public state."""

    filed: int = 0
    filed_late: int = 0
    overdue: int = 0
    upcoming: int = 0

    @property
    def total(self) -> int:
        return self.filed + self.filed_late + self.overdue + self.upcoming

    def by_state(self) -> list[tuple[State, str, int]]:
        return [
            (state, PUBLIC_STATE_LABELS[state], getattr(self, state)) for state in PUBLIC_STATES
        ]

    def __add__(self, other: "StateCounts") -> "StateCounts":
        return StateCounts(
            *(getattr(self, state) + getattr(other, state) for state in PUBLIC_STATES)
        )


def count_public_states(obligations: list[Obligation]) -> StateCounts:
    states = [public_state(obligation) for obligation in obligations]
    return StateCounts(*(states.count(state) for state in PUBLIC_STATES))
